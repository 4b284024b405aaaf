"""A one-line legend of the status colours and sync marks for the status bar.

In a narrow window it never clips a word: the sync marks drop their words first (three shapes the tooltip
explains), then the status swatches drop theirs (the tooltip then names them in order).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from latecal.core.status import PostStatus, SyncState
from latecal.presentation.statuses import STATUS_LABELS, SYNC_MARK_WORDS, legend_tip, status_label
from latecal.ui.widgets.palette import SYNC_MARK_COLOURS, status_accent, status_fill

LEGEND_STATUSES = tuple(STATUS_LABELS)  # every status the calendar names, in workflow order
_SWATCH, _MARK = 16.0, 13.0  # a swatch or mark and the space before its word
_GAP, _COMPACT_GAP = 12.0, 4.0


class StatusLegend(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setToolTip(legend_tip(status_words=True, mark_words=True))
        self.setMinimumHeight(18)
        self.status_words = True  # what the last paint showed (tests read them)
        self.mark_words = True

    def sizeHint(self) -> QSize:
        return QSize(int(self._width(True, True)) + 4, 18)

    def minimumSizeHint(self) -> QSize:
        return QSize(int(self._width(False, False)) + 4, 18)

    def _width(self, status_words: bool, mark_words: bool) -> float:
        fm = QFontMetricsF(self.font())
        statuses = sum(_SWATCH + fm.horizontalAdvance(status_label(s)) + _GAP if status_words else 12 + _COMPACT_GAP
                       for s in LEGEND_STATUSES)
        marks = sum(_MARK + fm.horizontalAdvance(w) + _GAP if mark_words else 10 + _COMPACT_GAP
                    for w in SYNC_MARK_WORDS.values())
        return 2 + statuses + 6 + marks

    def _choose(self) -> None:
        room = self.width()
        # the eight colours are what a glance at the calendar needs named; the marks are three shapes
        self.status_words = self._width(True, False) <= room
        self.mark_words = self._width(self.status_words, True) <= room
        self.setToolTip(legend_tip(status_words=self.status_words, mark_words=self.mark_words))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._choose()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._choose()
        super().changeEvent(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        x, h = 2.0, self.height()
        text_colour = self.palette().windowText().color()
        for status in LEGEND_STATUSES:
            box = QRectF(x, (h - 12) / 2, 12, 12)
            painter.setPen(QPen(status_accent(status), 1))
            painter.setBrush(status_fill(status))
            painter.drawRoundedRect(box, 2, 2)
            painter.fillRect(QRectF(x, box.y(), 3, 12), status_accent(status))
            if not self.status_words:
                x += 12 + _COMPACT_GAP
                continue
            label = status_label(status)
            painter.setPen(text_colour)
            font = painter.font()
            font.setStrikeOut(status == PostStatus.CANCELLED)  # as cancelled chips show: told apart from drafts
            painter.setFont(font)
            painter.drawText(QRectF(x + _SWATCH, 0, fm.horizontalAdvance(label) + 2, h), Qt.AlignmentFlag.AlignVCenter,
                             label)
            x += _SWATCH + fm.horizontalAdvance(label) + _GAP
        x += 6
        painter.setFont(self.font())
        for state, colour in SYNC_MARK_COLOURS.items():
            painter.setPen(QPen(QColor("#ffffff"), 1))
            painter.setBrush(QColor(colour))
            centre = QPointF(x + 5, h / 2)
            if state == SyncState.CONFLICT:
                painter.drawPolygon(
                    [centre + QPointF(0, -5), centre + QPointF(5, 0), centre + QPointF(0, 5), centre + QPointF(-5, 0)]
                )
            else:
                painter.drawEllipse(centre, 4, 4)
            if not self.mark_words:
                x += 10 + _COMPACT_GAP
                continue
            word = SYNC_MARK_WORDS[state]
            painter.setPen(text_colour)
            painter.drawText(QRectF(x + _MARK, 0, fm.horizontalAdvance(word) + 2, h), Qt.AlignmentFlag.AlignVCenter,
                             word)
            x += _MARK + fm.horizontalAdvance(word) + _GAP
        painter.end()
