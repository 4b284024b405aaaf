"""Icons from the shipped resources."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPixmap

from latecal.resources_access import resource_bytes


def app_icon() -> QIcon:
    pixmap = QPixmap()
    pixmap.loadFromData(resource_bytes("icons", "latecal.svg"), "SVG")
    return QIcon(pixmap)
