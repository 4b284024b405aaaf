"""Small previews for the media list: a scaled read for images, a drawn placeholder for videos and documents."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImageReader, QPainter, QPainterPath, QPixmap

from latecal.core.models import MediaItem
from latecal.core.platforms import media_kind

THUMB_SIZE = 64


def thumbnail_for(item: MediaItem, size: int = THUMB_SIZE) -> QPixmap:
    kind = media_kind(item.mime_type, item.type)
    if kind == "image" and item.local_path:
        image = _read_scaled(item.local_path, size)
        if image is not None:
            return image
    label = {"video": "", "document": "PDF", "image": "IMG"}.get(kind, "FILE")
    return _placeholder(size, label, play=kind == "video")


def _read_scaled(path: str, size: int) -> QPixmap | None:
    # QImageReader decodes straight to the small size: a 20-megapixel photo never sits in memory whole.
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid():
        reader.setScaledSize(full.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    return QPixmap.fromImage(image)


def _placeholder(size: int, label: str, *, play: bool) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#4a4f57"))
    painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), 8, 8)
    if play:
        path = QPainterPath()
        s = size / 64
        path.moveTo(25 * s, 20 * s)
        path.lineTo(25 * s, 44 * s)
        path.lineTo(45 * s, 32 * s)
        path.closeSubpath()
        painter.setBrush(QColor("white"))
        painter.drawPath(path)
    else:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(size // 5, 8))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
    return pixmap
