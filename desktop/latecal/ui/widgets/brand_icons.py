"""The networks' own marks (Font Awesome 6 brands, shipped in the ``qtawesome`` wheel under the SIL OFL 1.1), with a
letter mark for a network the set lacks.

Chips paint these thousands of times: every pixmap is rendered once per (platform, size, colour, device pixel
ratio) and cached. Loading the icon font costs ~0.1–0.2 s, so chips do not wait for it: until it is loaded (just
after the first paint) they show letters, then every calendar item repaints once with the marks. Icons for menus
and the editor load it at once (they are not on the first paint).
"""

from __future__ import annotations

import os
from functools import cache

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QGraphicsView

from latecal.core.platforms import glyph

#: Late's platform key → the Font Awesome 6 brands icon
BRAND_ICONS = {
    "twitter": "fa6b.x-twitter",
    "threads": "fa6b.threads",
    "instagram": "fa6b.instagram",
    "facebook": "fa6b.facebook",
    "linkedin": "fa6b.linkedin",
    "tiktok": "fa6b.tiktok",
    "youtube": "fa6b.youtube",
    "pinterest": "fa6b.pinterest",
    "bluesky": "fa6b.bluesky",
    "googlebusiness": "fa6b.google",
    "telegram": "fa6b.telegram",
    "reddit": "fa6b.reddit-alien",
    "snapchat": "fa6b.snapchat",
    "discord": "fa6b.discord",
    "slack": "fa6b.slack",
}


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


@cache
def _qta():
    os.environ.setdefault("QT_API", "pyside6")  # qtawesome speaks Qt through qtpy: the binding this app uses
    import qtawesome

    return qtawesome


def _icons():
    global _font_loaded
    module = _qta()
    _font_loaded = True
    return module


@cache
def brand_pixmap(platform: str, size: int, colour: str, ratio: float = 1.0) -> QPixmap | None:
    """The network's mark, ``size`` logical pixels square in ``colour``; None for a network without one."""
    name = BRAND_ICONS.get((platform or "").strip().lower())
    if name is None:
        return None
    pixmap = _icons().icon(name, color=QColor(colour)).pixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
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
