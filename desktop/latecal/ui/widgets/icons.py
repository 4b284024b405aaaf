"""Icons from the shipped resources. The window, the tray and the About dialog all use `app_icon()`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap

from latecal.resources_access import ICON_SIZES, icon_png, resource_bytes


def app_icon() -> QIcon:
    """The app icon at every hicolor size. Pre-rendered PNGs: crisp at 16 px and needs no SVG image plugin;
    the SVG is only the fallback should the PNGs be missing. PNGs on disk are added by name: Qt decodes a
    size when it is first drawn (decoding all eight took ~6 ms of start-up)."""
    icon = QIcon()
    for size in ICON_SIZES:
        png = icon_png(size)
        if not png.is_file():
            continue
        if isinstance(png, Path):
            icon.addFile(str(png), QSize(size, size))
            continue
        pixmap = QPixmap()  # e.g. inside a zip: no file name for Qt
        if pixmap.loadFromData(png.read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    if icon.isNull():
        pixmap = QPixmap()
        pixmap.loadFromData(resource_bytes("icons", "latecal.svg"), "SVG")
        icon.addPixmap(pixmap)
    return icon
