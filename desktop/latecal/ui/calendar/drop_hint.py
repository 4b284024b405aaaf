"""Where a dragged post (or a draft from the tray) would land: one hint item per scene."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem

from latecal.ui.widgets.palette import GridColours


class DropHint(QGraphicsItem):
    """Where the dragged post would land: a tinted cell or slot (hatched and dashed in red when the drop would
    be refused), with an optional tag naming the time. One item per scene, hidden unless a drag is on, so the
    grid's paint pays nothing for it; its rectangle is in scene coordinates (the item stays at 0, 0)."""

    TAG_HEIGHT = 16.0

    def __init__(self) -> None:
        super().__init__()
        self.rect = QRectF()
        self.when: datetime | None = None  # the time (UTC) a drop here would give the post
        self.refused = False
        self.label = ""
        self._tag = QRectF()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setVisible(False)

    def show_at(self, rect: QRectF, when: datetime, refused: bool, label: str) -> None:
        if (rect, refused, label) != (self.rect, self.refused, self.label):
            self.prepareGeometryChange()
            self.rect, self.refused, self.label = QRectF(rect), refused, label
            self._tag = self._tag_rect() if label else QRectF()
            self.update()
        self.when = when
        self.setVisible(True)

    def _font(self) -> QFont:
        font = QFont(QApplication.font())
        font.setPointSizeF(8.0)
        font.setBold(True)
        return font

    def _tag_rect(self) -> QRectF:
        width = QFontMetricsF(self._font()).horizontalAdvance(self.label) + 10
        above = self.rect.top() - self.TAG_HEIGHT - 2
        # above the slot, where the dragged block does not cover it; below when the slot is at the very top
        y = above if above >= 0 else self.rect.bottom() + 2
        return QRectF(self.rect.left() + 2, y, width, self.TAG_HEIGHT)

    def boundingRect(self) -> QRectF:
        return self.rect.united(self._tag).adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        c = GridColours()
        colour = QColor(c.now_line if self.refused else c.selection)
        fill = QColor(colour)
        fill.setAlpha(70 if c.dark else 40)
        painter.fillRect(self.rect, fill)
        if self.refused:  # not by colour alone: a hatch and a dashed edge read as "not here" without red
            hatch = QColor(colour)
            hatch.setAlpha(110)
            painter.fillRect(self.rect, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine if self.refused else Qt.PenStyle.SolidLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect.adjusted(1, 1, -1, -1))
        if self.label:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(self._tag, 3, 3)
            painter.setFont(self._font())
            painter.setPen(QColor("#ffffff"))
            painter.drawText(self._tag, Qt.AlignmentFlag.AlignCenter, self.label)
