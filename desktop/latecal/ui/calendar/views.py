"""The four views in one stack, and which dates each shows around the anchor date.

Date ranges come from calendar_geometry in the display zone; the window loads the posts of ``range_utc()``
and hands them (filtered) to the current page. A page is built the first time it is shown or asked for
(``page_created`` tells the window, which wires it up): start-up builds only the page it opens on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from latecal.core.calendar_geometry import day_bounds_utc, month_grid, week_days, week_start_of
from latecal.core.models import Account
from latecal.presentation.calendar_texts import range_title

if TYPE_CHECKING:
    from latecal.ui.calendar.agenda_list import AgendaList
    from latecal.ui.calendar.calendar_scene import CalendarScene
    from latecal.ui.calendar.month_scene import MonthView
    from latecal.ui.calendar.time_grid_view import TimeGridView

VIEWS = ("month", "week", "day", "list")
LIST_WEEKS_BEFORE = 4  # the list shows the same window the sync engine keeps fresh around the anchor
LIST_WEEKS_AFTER = 6
LIST_STEP_WEEKS = 4


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class CalendarViews(QStackedWidget):
    #: a page was just built: (mode, page)
    page_created = Signal(str, object)

    def __init__(self, zone: ZoneInfo, *, week_start: int = 0, clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = zone
        self.week_start = week_start
        self.clock = clock
        self.mode = "month"
        self.anchor = date.today()
        self._pages: dict[str, MonthView | TimeGridView | AgendaList] = {}
        self.accounts: dict[str, Account] = {}
        self.profile_zones: dict[str, str] = {}  # account id → its profile's zone: a post's own zone when it names none
        self.queues: tuple[list, dict] = ([], {})  # Late's queues and their profiles by id (week and day draw them)

    # -- pages ---------------------------------------------------------------------------------------

    def page(self, mode: str | None = None):
        mode = mode or self.mode
        page = self._pages.get(mode)
        if page is None:
            page = self._pages[mode] = self._build(mode)
            self.addWidget(page)
            self.page_created.emit(mode, page)
        return page

    def _build(self, mode: str):
        # the modules too are imported on first use: only the opening view's are on the first paint's path
        if mode == "month":
            from latecal.ui.calendar.month_scene import MonthView

            view = MonthView(self.zone, week_start=self.week_start, parent=self)
        elif mode in ("week", "day"):
            from latecal.ui.calendar.time_grid_view import TimeGridView

            view = TimeGridView(self.zone, parent=self)
        elif mode == "list":
            from latecal.ui.calendar.agenda_list import AgendaList

            agenda = AgendaList(self.zone, parent=self)
            if self.clock is not None:
                agenda.clock = self.clock
            agenda.set_accounts(self.accounts)
            return agenda
        else:
            raise ValueError(f"unknown view {mode!r}")
        if self.clock is not None:  # "now" for the now-line and for refusing drops into the past
            view.scene.clock = self.clock
        view.scene.accounts = self.accounts
        view.scene.profile_zones = self.profile_zones
        if mode in ("week", "day"):
            view.scene.set_queues(*self.queues)
        return view

    def set_queues(self, schedules: list, profiles: dict) -> None:
        """Late's queues (``QueueSchedule``s) and the profiles they belong to, by id: the week and day views draw
        their free slots."""
        self.queues = (list(schedules), dict(profiles))
        for mode in ("week", "day"):
            page = self._pages.get(mode)
            if page is not None:
                page.scene.set_queues(*self.queues)

    def set_accounts(self, accounts: list[Account], profile_zones: dict[str, str] | None = None) -> None:
        """The accounts (with their health) the posts' chips are judged by, and their profiles' zones (what a
        month drag keeps a post's time of day in when the post names no zone)."""
        self.accounts = {a.id: a for a in accounts}
        self.profile_zones = dict(profile_zones or {})
        for page in self._pages.values():
            scene = getattr(page, "scene", None)
            if scene is not None:
                scene.set_accounts(self.accounts)
                scene.profile_zones = self.profile_zones
            else:  # the List
                page.set_accounts(self.accounts)

    def built(self, mode: str) -> bool:
        return mode in self._pages

    @property
    def month(self) -> MonthView:
        return self.page("month")

    @property
    def week(self) -> TimeGridView:
        return self.page("week")

    @property
    def day(self) -> TimeGridView:
        return self.page("day")

    @property
    def list(self) -> AgendaList:
        return self.page("list")

    def scene(self, mode: str | None = None) -> CalendarScene | None:
        mode = mode or self.mode
        return None if mode == "list" else self.page(mode).scene

    def sink(self, mode: str | None = None):
        """What receives the posts of a view (set_posts / upsert_post / remove_post): its scene, or the list."""
        scene = self.scene(mode)
        return scene if scene is not None else self.list

    def scenes(self) -> list[CalendarScene]:
        """The scenes built so far (a page not built yet gets its posts when it is first shown)."""
        return [self._pages[m].scene for m in ("month", "week", "day") if m in self._pages]

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

    def title(self, *, short: bool = False) -> str:
        """The dates on screen in words; ``short`` for a narrow window ("Nov 2026", "23 – 29 Nov")."""
        days = self.days()
        return range_title(self.mode, self.anchor, days[0], days[-1], short=short)

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
        else:
            self.list.set_today(today)
        self.setCurrentWidget(self.page(mode))

    def set_today(self, today: date) -> None:
        """Midnight passed while the app stayed open: every built page highlights the new today."""
        for mode in ("month", "week", "day"):
            if self.built(mode):
                page = self.page(mode)
                page.scene.today = today
                page.scene.update()
                if mode != "month":
                    page.header.update()  # a plain widget: it repaints its day names only when asked
        if self.built("list"):
            self.list.set_today(today)
