"""The marks at the right of a post's chip, each drawn in its own corner of meaning: the sync state (dot, diamond,
'!'), a grey '?' for what Late sent that could not be read, a clock for a Missed post, an amber triangle for an
account that cannot post. Each returns the width it took."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF

from latecal.core.models import Post
from latecal.core.status import SyncState
from latecal.ui.widgets.palette import MISSED_MARK, sync_mark_colour

UNREAD_MARK = "#6b6b6b"  # the '?' of a post Late sent with fields this app could not read
ACCOUNT_WARNING = "#e0a800"  # the triangle of a post with a platform whose account cannot post by its time


def paint_missed_mark(painter: QPainter, width: float, line_h: float) -> float:
    """A Missed post's mark, in place of the sync mark: a clock face whose hands show a time gone by."""
    d = 11.0
    cx, cy = width - 4 - d / 2, line_h / 2
    painter.setPen(QPen(QColor("#ffffff"), 1))
    painter.setBrush(QColor(MISSED_MARK))
    painter.drawEllipse(QPointF(cx, cy), d / 2, d / 2)
    painter.setPen(QPen(QColor("#ffffff"), 1.3, c=Qt.PenCapStyle.RoundCap))
    painter.drawLine(QPointF(cx, cy), QPointF(cx, cy - 3.2))
    painter.drawLine(QPointF(cx, cy), QPointF(cx - 2.4, cy + 1.2))
    return d + 3

def paint_sync_mark(painter: QPainter, post: Post, width: float, line_h: float) -> float:
    """A shape per sync state, top right: dot = unpushed, diamond = conflict, round '!' = rejected; else a
    grey round '?' when some of what Late sent could not be read (the post is read-only)."""
    sync_state = post.sync_state
    colour = sync_mark_colour(sync_state)
    unread = colour is None and bool(post.read_problems)
    if unread:
        colour = QColor(UNREAD_MARK)
    if colour is None:
        return 0.0
    d = 11.0 if unread else 8.0  # the '?' needs the room to be read
    cx, cy = width - 4 - d / 2, line_h / 2
    painter.setPen(QPen(QColor("#ffffff"), 1))
    painter.setBrush(colour)
    if sync_state == SyncState.CONFLICT:
        r = d / 2 + 1
        painter.drawPolygon(
            QPolygonF([QPointF(cx, cy - r), QPointF(cx + r, cy), QPointF(cx, cy + r), QPointF(cx - r, cy)])
        )
    else:
        painter.drawEllipse(QPointF(cx, cy), d / 2, d / 2)
    if unread:  # a white '?' drawn as strokes: no font is legible at this size
        painter.setPen(QPen(QColor("#ffffff"), 1.5, c=Qt.PenCapStyle.RoundCap))
        hook = QPainterPath(QPointF(cx - 2.2, cy - 1.8))
        hook.cubicTo(QPointF(cx - 2.2, cy - 4.6), QPointF(cx + 2.4, cy - 4.6), QPointF(cx + 2.2, cy - 1.8))
        hook.cubicTo(QPointF(cx + 2.0, cy - 0.2), QPointF(cx, cy - 0.4), QPointF(cx, cy + 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(hook)
        painter.drawPoint(QPointF(cx, cy + 3.2))
    elif sync_state in (SyncState.CONFLICT, SyncState.REJECTED):
        painter.setPen(QPen(QColor("#ffffff"), 1.4))
        painter.drawLine(QPointF(cx, cy - 2.2), QPointF(cx, cy + 0.6))
        painter.drawPoint(QPointF(cx, cy + 2.2))
    return d + 3

def paint_account_warning(painter: QPainter, blocked: bool, line_h: float, right: float) -> float:
    """An amber triangle with a '!' left of the sync mark when an account of the post cannot post by its
    time (the tooltip names it and says what to do); its width, or 0."""
    if not blocked:
        return 0.0
    size = min(11.0, line_h - 5)
    cx, cy = right - size / 2, line_h / 2
    painter.setPen(QPen(QColor("#5c4400"), 0.8))
    painter.setBrush(QColor(ACCOUNT_WARNING))
    painter.drawPolygon(QPolygonF([QPointF(cx, cy - size / 2), QPointF(cx + size / 2, cy + size / 2),
                                   QPointF(cx - size / 2, cy + size / 2)]))
    painter.setPen(QPen(QColor("#000000"), 1.3))
    painter.drawLine(QPointF(cx, cy - size / 6), QPointF(cx, cy + size / 6))
    painter.drawPoint(QPointF(cx, cy + size / 3 + 0.3))
    return size + 3


def paint_profile_line(painter: QPainter, colour: str | None, width: float, height: float) -> None:
    """The brand's (Late profile's) colour as a line along the chip's foot: which client a post is for, at a
    glance, without taking any of the title's room."""
    if not colour:
        return
    painter.fillRect(QRectF(5.0, height - 3.0, width - 6.0, 2.0), QColor(colour))
