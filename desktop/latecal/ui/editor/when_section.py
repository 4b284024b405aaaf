"""The editor's "When" row: whether the post has a time, its date and time, and the zone they are in.

The zone is the user's explicit choice, else the default (the first ticked account's profile zone, else the
calendar's). An explicit zone keeps the wall time the user typed ("09:00 in New York"); a change of the default
keeps the instant and shows it in the new zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from latecal.core.queue_slots import QueueSchedule
from latecal.core.zones import common_zones, is_nonexistent, is_valid_zone, utc_to_wall, wall_to_utc, zone_of
from latecal.presentation import editor_texts as texts
from latecal.presentation import queue_texts as texts_q
from latecal.presentation import time_format
from latecal.ui.editor.feedback import ProblemLabel

#: the default zone and the name of the profile it comes from (None: the calendar's zone)
DefaultZone = Callable[[], tuple[str, str | None]]


class WhenSection(QWidget):
    #: the user changed the time, the date, the zone or whether there is a time
    edited = Signal()
    #: "Next free slot in <profile>'s queue" was pressed: the editor queues the post on Late
    queue_requested = Signal()

    def __init__(self, display_zone: ZoneInfo, clock: Callable[[], datetime], default_zone: DefaultZone,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.display_zone = display_zone
        self.clock = clock
        self._default_zone = default_zone
        self.explicit_zone: str | None = None  # the user's choice in the zone box; None: the default
        self.shown_zone = display_zone.key  # the zone the date and time fields are in
        self._second_occurrence: datetime | None = None  # see set_when
        self.read_only = False
        self.has_time = QCheckBox("Date and time", self)
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.time_edit = QTimeEdit(self)
        self.time_edit.setDisplayFormat(time_format.qt_time_format())
        self.zone_combo = QComboBox(self)
        self.zone_combo.setMinimumContentsLength(22)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.problems = ProblemLabel(self)
        #: what the queue button offers now: (the queue, its profile's name), or None (set by the editor)
        self.queue_source: Callable[[], tuple[QueueSchedule, str] | None] = lambda: None
        self.queue_button = QPushButton(self)
        self.queue_button.setToolTip(texts_q.NEXT_FREE_SLOT_TIP)
        self.queue_button.clicked.connect(self.queue_requested)
        self.queue_button.setVisible(False)
        row = QHBoxLayout()
        for widget in (self.has_time, self.date_edit, self.time_edit):
            row.addWidget(widget)
        row.addWidget(self.zone_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        queue_row = QHBoxLayout()
        queue_row.addWidget(self.queue_button)
        queue_row.addStretch(1)
        layout.addLayout(queue_row)
        layout.addWidget(self.hint)
        layout.addWidget(self.problems)
        self.has_time.toggled.connect(self._time_toggled)
        self.date_edit.dateChanged.connect(self._changed)
        self.time_edit.timeChanged.connect(self._changed)
        self.zone_combo.activated.connect(self._zone_picked)

    def focus_chain(self) -> list[QWidget]:
        return [self.has_time, self.date_edit, self.time_edit, self.zone_combo, self.queue_button]

    # -- the zone ---------------------------------------------------------------------------------------

    def default_zone(self) -> str:
        return self._default_zone()[0]

    def effective_zone(self) -> str:
        return self.explicit_zone or self.default_zone()

    def set_explicit_zone(self, zone: str | None) -> None:
        self.explicit_zone = zone if zone and is_valid_zone(zone) else None

    def _fill_zone_combo(self) -> None:
        self.zone_combo.blockSignals(True)
        self.zone_combo.clear()
        default, profile = self._default_zone()
        self.zone_combo.addItem(texts.default_zone_item(default, profile), None)
        for name in common_zones(self.explicit_zone):
            self.zone_combo.addItem(name, name)
        index = self.zone_combo.findData(self.explicit_zone) if self.explicit_zone else 0
        self.zone_combo.setCurrentIndex(max(index, 0))
        self.zone_combo.blockSignals(False)

    def _zone_picked(self, index: int) -> None:
        # an explicit zone keeps the wall time the user typed: "09:00 in New York"
        self.explicit_zone = self.zone_combo.itemData(index)
        self.shown_zone = self.effective_zone()
        self._fill_zone_combo()
        self.update_widgets()
        self.edited.emit()

    def follow_default_zone(self) -> None:
        """The accounts changed the default zone: keep the instant (it came from the calendar) and re-show it."""
        if self.explicit_zone is not None or self.default_zone() == self.shown_zone:
            self._fill_zone_combo()
            return
        self.set_when(self.scheduled_utc())

    # -- the time ---------------------------------------------------------------------------------------

    def set_when(self, when: datetime | None) -> None:
        self.shown_zone = self.effective_zone()
        self._fill_zone_combo()
        for w in (self.has_time, self.date_edit, self.time_edit):
            w.blockSignals(True)
        self.has_time.setChecked(when is not None)
        wall = utc_to_wall(when or self.clock(), self.shown_zone)
        self.date_edit.setDate(QDate(wall.year, wall.month, wall.day))
        self.time_edit.setTime(QTime(wall.hour, wall.minute))
        # the fields cannot show which of a repeated hour's two 02:30s this is (a fall-back night): remember it
        # for as long as they show this wall time, so saving other changes does not move the post an hour
        self._second_occurrence = wall.replace(tzinfo=None, second=0, microsecond=0) if wall.fold else None
        for w in (self.has_time, self.date_edit, self.time_edit):
            w.blockSignals(False)
        self.update_widgets()

    def set_wall_time(self, day: date, at: time) -> None:
        """Set the date and time fields (for tests and the drafts tray)."""
        self.has_time.setChecked(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.time_edit.setTime(QTime(at.hour, at.minute))
        self._changed()

    def wall(self) -> datetime:
        d, t = self.date_edit.date(), self.time_edit.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())

    def scheduled_utc(self) -> datetime | None:
        if not self.has_time.isChecked():
            return None
        wall = self.wall()
        if wall == self._second_occurrence:
            return wall.replace(tzinfo=zone_of(self.shown_zone), fold=1).astimezone(UTC)
        return wall_to_utc(wall, self.shown_zone)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.update_widgets()

    def update_widgets(self) -> None:
        on = self.has_time.isChecked()
        editable = not self.read_only
        for w in (self.date_edit, self.time_edit, self.zone_combo):
            w.setEnabled(on and editable)
        self.has_time.setEnabled(editable)
        if not on:
            hint = texts.NO_TIME_HINT
        else:
            wall = self.wall()
            when = self.scheduled_utc()
            assert when is not None
            hint = texts.when_hint(wall, when, self.shown_zone, self.display_zone.key,
                                   nonexistent=is_nonexistent(wall, self.shown_zone))
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.update_queue_button()

    def update_queue_button(self) -> None:
        """Offer the queue of the first chosen account's profile, for a new post only (Late picks the time)."""
        choice = None if self.read_only else self.queue_source()
        self.queue_button.setVisible(choice is not None)
        if choice is not None:
            self.queue_button.setText(texts_q.next_free_slot_choice(*choice))

    def _time_toggled(self, _on: bool) -> None:
        self.update_widgets()
        self.edited.emit()

    def _changed(self, *_args) -> None:
        self.edited.emit()
