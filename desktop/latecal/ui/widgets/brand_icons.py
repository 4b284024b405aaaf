"""The networks' own marks (Font Awesome 6 brands, the font and its charmap shipped in the ``qtawesome`` wheel under
the SIL OFL 1.1), with a letter mark for a network the set lacks.

The font is loaded straight from qtawesome's files: importing qtawesome itself pulls in qtpy, whose star imports
of every Qt module cost ~0.4 s. Chips paint these marks thousands of times: every pixmap is rendered once per
(platform, size, colour, device pixel ratio) and cached. Chips never wait for the font: until it is loaded (just
after the first paint) they show letters, then every calendar item repaints once with the marks. Icons for menus
and the editor load it at once (they are not on the first paint).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QGraphicsView

from latecal.core.platforms import glyph

#: Late's platform key → the Font Awesome 6 brands icon
BRAND_ICONS = {
    "twitter": "x-twitter",
    "threads": "threads",
    "instagram": "instagram",
    "facebook": "facebook",
    "linkedin": "linkedin",
    "tiktok": "tiktok",
    "youtube": "youtube",
    "pinterest": "pinterest",
    "bluesky": "bluesky",
    "googlebusiness": "google",
    "telegram": "telegram",
    "reddit": "reddit-alien",
    "snapchat": "snapchat",
    "discord": "discord",
    "slack": "slack",
}
_FONT_GLOB = "fontawesome6-brands-webfont-*.ttf"


_font_loaded = False
_load_scheduled = False


def has_brand(platform: str) -> bool:
    """Whether a chip shows this network's mark now (letters until the icon font is loaded)."""
    if not _font_loaded:
        _schedule_font()
        return False
    return (platform or "").strip().lower() in BRAND_ICONS


def load_now() -> None:
    """Load the icon font at once (menus and the editor: never on the first paint)."""
    _icons()


def _schedule_font() -> None:
    global _load_scheduled
    if not _load_scheduled:
        _load_scheduled = True
        QTimer.singleShot(0, _load_font_and_repaint)


def _load_font_and_repaint() -> None:
    global _load_scheduled
    _load_scheduled = False
    _icons()
    for view in QApplication.allWidgets():
        if isinstance(view, QGraphicsView) and view.isVisible() and (scene := view.scene()) is not None:
            for item in scene.items():
                item.update()  # cached chips render again, now with the marks


def _font_dirs() -> list[Path]:
    """Where qtawesome's fonts are: its installed package (found, not imported), or the bundle's copy of them
    (packaging/latecal.spec collects them as data)."""
    dirs = []
    spec = importlib.util.find_spec("qtawesome")
    if spec is not None and spec.submodule_search_locations:
        dirs.append(Path(next(iter(spec.submodule_search_locations))) / "fonts")
    if getattr(sys, "frozen", False):
        dirs.append(Path(getattr(sys, "_MEIPASS", ".")) / "qtawesome" / "fonts")
    return dirs


@cache
def _brand_font() -> tuple[str, dict[str, str]] | None:
    """The brands font's family and each icon's character, or None when the font cannot be loaded (then every
    network gets its letters)."""
    found = sorted(f for d in _font_dirs() for f in d.glob(_FONT_GLOB))
    if not found:
        return None
    ttf = found[-1]
    charmap = ttf.with_name(ttf.name.replace("-webfont-", "-webfont-charmap-")).with_suffix(".json")
    font_id = QFontDatabase.addApplicationFont(str(ttf))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    try:
        codes = json.loads(charmap.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not families:
        return None
    return families[0], {name: chr(int(code, 16)) for name, code in codes.items()}


def _icons() -> tuple[str, dict[str, str]] | None:
    global _font_loaded
    font = _brand_font()
    _font_loaded = True
    return font


@cache
def brand_pixmap(platform: str, size: int, colour: str, ratio: float = 1.0) -> QPixmap | None:
    """The network's mark, ``size`` logical pixels square in ``colour``; None for a network without one."""
    name = BRAND_ICONS.get((platform or "").strip().lower())
    font = _icons()
    if name is None or font is None or name not in font[1]:
        return None
    family, chars = font
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    glyph_font = QFont(family)
    glyph_font.setPixelSize(size)
    painter.setFont(glyph_font)
    painter.setPen(QColor(colour))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, chars[name])
    painter.end()
    return pixmap


@cache
def letter_pixmap(platform: str, size: int, colour: str, ratio: float = 1.0) -> QPixmap:
    """The fallback: the platform's letters (``core.platforms.glyph``) in ``colour``."""
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(int(size * 0.6), 6))
    painter.setFont(font)
    painter.setPen(QColor(colour))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, glyph(platform))
    painter.end()
    return pixmap


def platform_pixmap(platform: str, size: int, colour: str, ratio: float = 1.0) -> QPixmap:
    """The brand mark, else the letter mark."""
    return brand_pixmap(platform, size, colour, ratio) or letter_pixmap(platform, size, colour, ratio)


def platform_icon(platform: str, colour: str = "#444444", size: int = 16) -> QIcon:
    """For lists and menus (filters, the editor)."""
    return QIcon(platform_pixmap(platform, size, colour, 2.0))


def paint_platform_mark(painter: QPainter, platform: str, box: QRectF, colour: QColor) -> bool:
    """Draw the network's mark centred in ``box``; False (nothing drawn) for a network without one, whose
    letters the caller draws as text."""
    if not has_brand(platform):
        return False
    side = int(min(box.width(), box.height()))
    ratio = max(painter.device().devicePixelRatioF(), 1.0) if painter.device() is not None else 1.0
    pixmap = brand_pixmap(platform, side, colour.name(QColor.NameFormat.HexArgb), ratio)
    if pixmap is None:
        return False
    x = box.x() + (box.width() - side) / 2
    y = box.y() + (box.height() - side) / 2
    painter.drawPixmap(QRectF(x, y, side, side), pixmap, QRectF(0, 0, pixmap.width(), pixmap.height()))
    return True


@cache
def _dot(colour: str, size: int) -> QPixmap:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(QRectF(2, 2, size - 4, size - 4))
    painter.end()
    return pixmap


def colour_dot(colour: str, size: int = 14) -> QIcon:
    """A profile's colour as a round swatch (the profile filter)."""
    return QIcon(_dot(colour if QColor(colour).isValid() else "#888888", size))
