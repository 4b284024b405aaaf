"""Go to date: a small month under the range title, opened by a click on the title or Ctrl+G.

A click on a day goes there, as a desktop calendar's navigator does; the date box above it takes a typed date
(Enter goes). Escape closes it and leaves the calendar where it was. It costs the calendar no width: it shows
only when asked for.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from latecal.presentation import navigation_texts as words

_QT_DAYS = (Qt.DayOfWeek.Monday, Qt.DayOfWeek.Tuesday, Qt.DayOfWeek.Wednesday, Qt.DayOfWeek.Thursday,
            Qt.DayOfWeek.Friday, Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


class MiniMonth(QFrame):
    #: the user picked a day: the window shows the range holding it
    date_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, week_start: int = 0) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("miniMonth")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(words.GO_TO_DATE)
        self.date_box = QDateEdit(self)
        self.date_box.setDisplayFormat("d MMM yyyy")
        self.date_box.setAccessibleName(words.GO_TO_DATE)
        self.go_button = QPushButton(words.GO, self)
        self.go_button.setDefault(True)
        self.calendar = QCalendarWidget(self)
        self.calendar.setFirstDayOfWeek(_QT_DAYS[week_start % 7])
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        top = QHBoxLayout()
        top.addWidget(self.date_box, 1)
        top.addWidget(self.go_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(lambda qdate: self._choose(_day(qdate)))
        self.calendar.activated.connect(lambda qdate: self._choose(_day(qdate)))
        self.calendar.currentPageChanged.connect(self._page_turned)
        self.date_box.dateChanged.connect(self.calendar.setSelectedDate)
        self.go_button.clicked.connect(lambda: self._choose(_day(self.date_box.date())))
        self.date_box.lineEdit().returnPressed.connect(lambda: self._choose(_day(self.date_box.date())))

    def open_below(self, widget: QWidget, day: date, *, typing: bool) -> None:
        """Show under ``widget`` with ``day`` selected; ``typing`` (Ctrl+G) puts the keyboard in the date box,
        else in the month (arrows move, Enter goes)."""
        self.date_box.setDate(_qdate(day))
        self.calendar.setSelectedDate(_qdate(day))
        self.adjustSize()
        self.move(widget.mapToGlobal(QPoint(0, widget.height())))
        self.show()  # a popup: on top, with the keyboard, closed by a click elsewhere or Escape
        if typing:
            self.date_box.setFocus()
            self.date_box.setSelectedSection(QDateEdit.Section.DaySection)
        else:
            self.calendar.setFocus()

    def _page_turned(self, year: int, month: int) -> None:
        """Turning the small month's page keeps the typed date in step (same day, clamped to the month)."""
        current = self.date_box.date()
        if (current.year(), current.month()) != (year, month):
            self.date_box.setDate(QDate(year, month, min(current.day(), QDate(year, month, 1).daysInMonth())))

    def _choose(self, day: date) -> None:
        self.hide()
        self.date_chosen.emit(day)
