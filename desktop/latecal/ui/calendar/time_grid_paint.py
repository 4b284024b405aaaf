"""The week and day grid's background: the hour rows of each day (a DST day labels its own), today's tint, the
part of a 23-hour day that is not part of it, and the hour labels in the gutter. Only the rows in the exposed
part are drawn: a scroll repaints a strip."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication

from latecal.presentation import time_format
from latecal.ui.widgets.palette import GridColours


class Grid(Protocol):
    """What the painting reads of the week or day scene (the scene draws through this; this never imports it)."""

    gutter_labels: Sequence
    days: list[date]
    today: date
    col_w: float
    total_height: float

    def column_x(self, col: int) -> float: ...
    def hour_rows(self, day: date) -> Sequence: ...
    def day_height_px(self, day: date) -> float: ...


GUTTER = 54.0
PX_PER_HOUR = 60.0  # 30 minutes = 30 px: two lines of a post block


def paint_grid(scene: Grid, painter: QPainter, rect: QRectF) -> None:
    c = GridColours()
    painter.fillRect(rect, c.background)
    painter.fillRect(QRectF(0, rect.y(), GUTTER, rect.height()), c.header)
    small = QFont(QApplication.font())
    small.setPointSizeF(7.5)
    painter.setFont(small)
    gutter_texts = [label.text for label in scene.gutter_labels]
    total = scene.total_height
    for index, day in enumerate(scene.days):
        x, w = scene.column_x(index), scene.col_w
        labels = scene.hour_rows(day)
        height = scene.day_height_px(day)
        if day == scene.today:
            painter.fillRect(QRectF(x, 0, w, height), c.today)
        if height < total:  # a 23-hour day ends early: the rest is not part of it
            painter.fillRect(QRectF(x, height, w, total - height), c.outside)
        own_labels = [label.text for label in labels] != gutter_texts
        for label in labels:
            y = label.minutes * PX_PER_HOUR / 60
            if y + PX_PER_HOUR < rect.top() or y > rect.bottom():
                continue  # only the rows in the exposed part: a scroll repaints a strip
            painter.setPen(QPen(c.line, 1))
            painter.drawLine(QPointF(x, y + 0.5), QPointF(x + w, y + 0.5))
            half = y + PX_PER_HOUR / 2
            painter.setPen(QPen(c.hour_line, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, half + 0.5), QPointF(x + w, half + 0.5))
            if own_labels:
                painter.setPen(c.muted)
                painter.drawText(QRectF(x + 3, y + 1, w - 6, 14), Qt.AlignmentFlag.AlignRight,
                                 time_format.hour_label(label.text))
    painter.setPen(c.muted)
    for label in scene.gutter_labels:
        y = label.minutes * PX_PER_HOUR / 60
        painter.drawText(QRectF(2, y + 1, GUTTER - 8, 14), Qt.AlignmentFlag.AlignRight,
                         time_format.hour_label(label.text))
    painter.setPen(QPen(c.line, 1))
    for index in range(len(scene.days) + 1):
        x = round(scene.column_x(index)) + 0.5
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
