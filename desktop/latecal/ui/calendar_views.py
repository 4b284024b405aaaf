"""The four views in one stack, and which dates each shows around the anchor date.

Date ranges come from calendar_geometry in the display zone; the window loads the posts of ``range_utc()``
and hands them (filtered) to the current page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QStackedWidget, QWidget

from latecal.core.calendar_geometry import day_bounds_utc, month_grid, week_days, week_start_of
from latecal.ui.agenda_list import AgendaList
from latecal.ui.calendar_scene import CalendarScene
from latecal.ui.month_scene import MonthView
from latecal.ui.time_grid_scene import TimeGridView

VIEWS = ("month", "week", "day", "list")
LIST_WEEKS_BEFORE = 4  # the list shows the same window the sync engine keeps fresh around the anchor
LIST_WEEKS_AFTER = 6
LIST_STEP_WEEKS = 4


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class CalendarViews(QStackedWidget):
    def __init__(self, zone: ZoneInfo, *, week_start: int = 0, clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = zone
        self.week_start = week_start
        self.mode = "month"
        self.anchor = date.today()
        self.month = MonthView(zone, week_start=week_start, parent=self)
        self.week = TimeGridView(zone, parent=self)
        self.day = TimeGridView(zone, parent=self)
        self.list = AgendaList(zone, parent=self)
        for page in (self.month, self.week, self.day, self.list):
            self.addWidget(page)
        if clock is not None:
            self.week.scene.clock = self.day.scene.clock = clock

    # -- pages ---------------------------------------------------------------------------------------

    def page(self, mode: str | None = None):
        return {"month": self.month, "week": self.week, "day": self.day, "list": self.list}[mode or self.mode]

    def scene(self, mode: str | None = None) -> CalendarScene | None:
        page = self.page(mode)
        return None if page is self.list else page.scene

    def sink(self, mode: str | None = None):
        """What receives the posts of a view (set_posts / upsert_post / remove_post): its scene, or the list."""
        scene = self.scene(mode)
        return scene if scene is not None else self.list

    def scenes(self) -> list[CalendarScene]:
        return [self.month.scene, self.week.scene, self.day.scene]

    # -- where we are --------------------------------------------------------------------------------

    def days(self) -> list[date]:
        """The days the current view shows (for the list: every day of its window)."""
        if self.mode == "month":
            grid = month_grid(self.anchor.year, self.anchor.month, self.week_start)
            return [d for row in grid for d in row]
        if self.mode == "week":
            return week_days(self.anchor, self.week_start)
        if self.mode == "day":
            return [self.anchor]
        first = week_start_of(self.anchor, self.week_start) - timedelta(weeks=LIST_WEEKS_BEFORE)
        return [first + timedelta(days=i) for i in range(7 * (LIST_WEEKS_BEFORE + LIST_WEEKS_AFTER))]

    def range_utc(self) -> tuple[datetime, datetime]:
        days = self.days()
        return day_bounds_utc(days[0], self.zone)[0], day_bounds_utc(days[-1], self.zone)[1]

    def title(self) -> str:
        a = self.anchor
        if self.mode == "month":
            return f"{a:%B %Y}"
        if self.mode == "day":
            return f"{a:%A} {a.day} {a:%B %Y}"
        days = self.days()
        first, last = days[0], days[-1]
        if first.year != last.year:
            return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"
        if first.month != last.month:
            return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
        return f"{first.day} – {last.day} {last:%b %Y}"

    def stepped(self, direction: int) -> date:
        """The anchor one page earlier (-1) or later (+1)."""
        if self.mode == "month":
            return _add_months(self.anchor, direction)
        if self.mode == "week":
            return self.anchor + timedelta(weeks=direction)
        if self.mode == "day":
            return self.anchor + timedelta(days=direction)
        return self.anchor + timedelta(weeks=LIST_STEP_WEEKS * direction)

    def show_range(self, mode: str, anchor: date, today: date) -> None:
        """Switch page and dates; the caller then loads posts and calls ``set_posts``."""
        self.mode, self.anchor = mode, anchor
        if mode == "month":
            self.month.scene.set_month(anchor.year, anchor.month, today)
        elif mode in ("week", "day"):
            page = self.page(mode)
            page.scene.set_days(self.days(), today)
            page.header.update()  # a plain widget: it repaints its day names only when asked
        self.setCurrentWidget(self.page(mode))
