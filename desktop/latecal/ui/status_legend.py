"""A one-line legend of the status colours and sync marks for the status bar."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from latecal.ui.palette import STATUS_LABELS, SYNC_MARKS, status_accent, status_fill, status_label

LEGEND_STATUSES = tuple(STATUS_LABELS)  # every status the palette knows, in workflow order
_MARK_WORDS = {"pending": "not sent", "conflict": "conflict", "rejected": "rejected"}


class StatusLegend(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setToolTip("Status colours; marks on the right of a post show its state against Late.")
        self.setMinimumHeight(18)

    def sizeHint(self) -> QSize:
        return QSize(760, 18)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        x, h = 2.0, self.height()
        for status in LEGEND_STATUSES:
            box = QRectF(x, (h - 12) / 2, 12, 12)
            painter.setPen(QPen(status_accent(status), 1))
            painter.setBrush(status_fill(status))
            painter.drawRoundedRect(box, 2, 2)
            painter.fillRect(QRectF(x, box.y(), 3, 12), status_accent(status))
            label = status_label(status)
            painter.setPen(self.palette().windowText().color())
            text_box = QRectF(x + 16, 0, fm.horizontalAdvance(label) + 2, h)
            painter.drawText(text_box, Qt.AlignmentFlag.AlignVCenter, label)
            x += 16 + fm.horizontalAdvance(label) + 12
        x += 6
        for state, (colour, _meaning) in SYNC_MARKS.items():
            painter.setPen(QPen(QColor("#ffffff"), 1))
            painter.setBrush(QColor(colour))
            centre = QPointF(x + 5, h / 2)
            if state == "conflict":
                painter.drawPolygon(
                    [centre + QPointF(0, -5), centre + QPointF(5, 0), centre + QPointF(0, 5), centre + QPointF(-5, 0)]
                )
            else:
                painter.drawEllipse(centre, 4, 4)
            word = _MARK_WORDS[state]
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(x + 13, 0, fm.horizontalAdvance(word) + 2, h), Qt.AlignmentFlag.AlignVCenter, word)
            x += 13 + fm.horizontalAdvance(word) + 12
        painter.end()
