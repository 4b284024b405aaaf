"""The calendar window. It paints from the local store first; the sync bridge can be attached later.

Data flow (design.md): the window loads the posts of the visible range once per navigation, keeps them in
``posts`` and hands the filtered ones to the current view. Filtering re-filters that dict (no store query);
a store change set updates only the posts it names; the window's own writes are applied from the returned
post and their echo is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMainWindow, QVBoxLayout, QWidget

from latecal.core.calendar_geometry import day_bounds_utc, local_date
from latecal.core.models import Post
from latecal.core.status import DELETED_ON_LATE, is_deletable, is_retryable
from latecal.core.text import sentence
from latecal.core.zones import local_to_utc, utc_to_wall
from latecal.store import Store
from latecal.ui import time_format
from latecal.ui.calendar_toolbar import CalendarToolbar
from latecal.ui.calendar_views import VIEWS, CalendarViews
from latecal.ui.delete_undo import PostDeleter
from latecal.ui.display_zone import resolve_zone
from latecal.ui.message_bar import MessageBar
from latecal.ui.post_actions import build_post_menu, duplicate_of, keep_label, keeps_as_copy, take_label
from latecal.ui.post_filter import PostFilter
from latecal.ui.post_item import quoted
from latecal.ui.reschedule import RescheduleController
from latecal.ui.shortcuts import install_menus_and_shortcuts
from latecal.ui.status_legend import StatusLegend

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

NEW_POST_DEFAULT_TIME = time(9, 0)
CONFLICT_NOTICE = "conflicts"  # the message bar's key for "changed on Late" notices
UNDO_DELETE_NOTICE = "deleted"  # … for "Deleted …" with its Undo button
FILTERED_OUT_NOTICE = "filtered-out"  # … for "No posts here match the filters"
RESTORED_NOTICE = "restored"  # … for "… is back" after an undo of a delete
SYNC_ERROR_NOTICE = "sync-error"  # … for an error that stopped a sync run (the next good run takes it back)
RATE_LIMIT_NOTICE = "rate-limit"  # … for "Late asked to wait" after a 429


class _StoreRelay(QObject):
    """Carries store notifications into the GUI thread (the sync engine may write from a worker thread)."""

    changed = Signal(object, object)


class MainWindow(QMainWindow):
    #: emitted once the window has closed; the app session then shuts down cleanly
    closed = Signal()
    #: the user wants to open (edit) a post: its local id
    open_post_requested = Signal(str)
    #: the user wants a new post, at this UTC datetime when one was picked (double click on a slot), else None
    new_post_requested = Signal(object)
    #: the view or the dates on screen changed: (mode, start_utc, end_utc)
    range_changed = Signal(str, object, object)
    #: File ▸ Settings…: the app's connection opens the dialog (it owns the key and the services)
    settings_requested = Signal()
    #: Help ▸ About; the app knows the paths the dialog shows
    about_requested = Signal()

    def __init__(
        self,
        store: Store,
        *,
        demo: bool = False,
        anchor: date | None = None,
        icon: QIcon | None = None,
        sync: QObject | None = None,
        view: str = "month",
        zone: ZoneInfo | str | None = None,
        week_start: int = 0,
        clock: Callable[[], datetime] | None = None,
        undo_stack: QUndoStack | None = None,
    ):
        super().__init__()
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; one of {', '.join(VIEWS)}")
        self.store = store
        self.demo = demo
        self.zone = resolve_zone(zone)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.initiator = object()  # passed to the store with our writes, so their echo can be skipped
        self.filter = PostFilter()
        self.posts: dict[str, Post] = {}  # the loaded range (unfiltered): the only copy the views draw from
        self.load_count = 0
        self._range: tuple[datetime, datetime] = (datetime.min.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC))
        self._known_tags: set[str] = set()
        self.selected_id: str | None = None
        self.sync: QObject | None = None
        self.url_opener: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.confirm_box: QMessageBox | None = None
        self._menu = None
        # Qt appends the application display name ("Late Calendar") itself
        self.setWindowTitle("Demo" if demo else "")
        if icon is not None:
            self.setWindowIcon(icon)
        self.resize(1280, 800)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(6)
        self.toolbar = CalendarToolbar(central, zone=self.zone)  # "Last synced …" in the calendar's zone too
        self.message_bar = MessageBar(central)
        self.message_bar.focus_released.connect(self.focus_calendar)
        self.views = CalendarViews(self.zone, week_start=week_start, clock=self.clock, parent=central)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.views, 1)
        self.setCentralWidget(central)

        # ``undo_stack``: the history of an earlier window on this store (the app keeps it across rebuilds)
        self.reschedule = RescheduleController(
            store, self.zone, initiator=self.initiator, clock=self.clock, undo_stack=undo_stack, parent=self
        )
        self.reschedule.refused.connect(self.show_message)
        self.reschedule.saved.connect(self._apply_post)
        self._connect_views()
        self._connect_toolbar()
        self.actions_by_name = install_menus_and_shortcuts(self)
        self._build_status_bar(store)

        self._relay = _StoreRelay(self)
        self._relay.changed.connect(self._apply_changes)
        self._unsubscribe: Callable[[], None] | None = store.subscribe(self._on_store_changed)
        if sync is not None:
            self.attach_sync(sync)
        else:
            self.toolbar.sync_button.setEnabled(False)
            self.toolbar.sync_button.setToolTip("Not connected to Late yet")
        self._scroll_pending = True
        self._today = self.today()
        self._day_timer = QTimer(self, interval=60_000)  # the "today" highlight follows midnight
        self._day_timer.timeout.connect(self._follow_today)
        self._day_timer.start()
        self._navigate(view, anchor or self.today())
        self._install_post_editing()

    # -- set-up --------------------------------------------------------------------------------------

    def _connect_views(self) -> None:
        self.views.page_created.connect(self._connect_page)

    def _connect_page(self, mode: str, page) -> None:
        """Wire a page the views just built (the first time it is shown)."""
        # Tab goes from the search box into the calendar, whenever the page was built
        QWidget.setTabOrder(self.toolbar.search, getattr(page, "view", page))
        if mode == "list":
            page.post_pressed.connect(self.select_post)
            page.post_activated.connect(self.open_post)
            page.context_menu_requested.connect(self.show_post_menu)
            page.clear_filters_requested.connect(self.toolbar.clear_filters)
            page.select(self.selected_id)
            return
        scene = page.scene
        scene.move_handler = self.reschedule.request_move
        scene.draft_drop_handler = self._drop_draft
        scene.post_pressed.connect(self.select_post)
        scene.post_activated.connect(self.open_post)
        scene.context_menu_requested.connect(self.show_post_menu)
        scene.slot_activated.connect(self.new_post_requested)
        if mode == "month":
            scene.more_requested.connect(self.open_day)

    @property
    def agenda(self):
        """The list view's page (built on first use)."""
        return self.views.list

    def _connect_toolbar(self) -> None:
        t = self.toolbar
        t.today_clicked.connect(self.go_today)
        t.previous_clicked.connect(lambda: self.step(-1))
        t.next_clicked.connect(lambda: self.step(1))
        t.view_chosen.connect(self.set_view)
        t.filter_changed.connect(self.set_filter)
        t.sync_clicked.connect(self.sync_now)
        t.search.returnPressed.connect(t.flush_search)
        t.search_left.connect(self.focus_calendar)

    def _build_status_bar(self, store: Store) -> None:
        self.demo_badge = QLabel("Demo", self)
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setStyleSheet(
            "#demoBadge { background: #7a3dd1; color: white; font-weight: bold; padding: 2px 8px; border-radius: 8px; }"
        )
        self.demo_badge.setToolTip("Demo mode: posts go to the built-in Late sandbox, never to real accounts.")
        self.demo_badge.setVisible(self.demo)
        self.legend = StatusLegend(self)
        self.statusBar().addWidget(self.legend, 1)
        self.zone_label = QLabel(f"Times in {self.zone.key}", self)
        self.zone_label.setToolTip(f"Local store: {store.path}")
        self.statusBar().addPermanentWidget(self.zone_label)
        self.statusBar().addPermanentWidget(self.demo_badge)

    # -- sync bridge ---------------------------------------------------------------------------------

    def attach_sync(self, sync: QObject) -> None:
        """Wire a sync bridge (signals started, finished(report), progress(int, int), online_changed(bool),
        auth_failed; methods sync_now(), set_visible_window(start, end))."""
        self.sync = sync
        self.reschedule.attach_sync(sync)  # first, so a rejected move is reverted before the report is shown
        sync.started.connect(self._on_sync_started)
        sync.finished.connect(self._on_sync_finished)
        sync.progress.connect(self.toolbar.set_progress)
        sync.online_changed.connect(self.toolbar.set_online)
        sync.auth_failed.connect(self._on_auth_failed)
        self.toolbar.sync_button.setEnabled(True)
        self.toolbar.sync_button.setToolTip("Sync with Late now (F5)")
        self.toolbar.set_syncing(bool(getattr(sync, "running", False)))
        self.toolbar.set_online(bool(getattr(sync, "online", True)))
        self.toolbar.set_last_synced(getattr(sync, "last_synced", None))
        sync.set_visible_window(*self.views.range_utc())

    def sync_now(self) -> None:
        """Sync, F5, the tray's Sync now: the user asks for a run."""
        if self.sync is None:
            self.show_message("Not connected to Late yet: changes are kept locally.")
            return
        getattr(self.sync, "sync_requested", self.sync.sync_now)()

    def _on_sync_started(self) -> None:
        self.toolbar.set_syncing(True)

    def _on_sync_finished(self, report) -> None:
        self.toolbar.set_syncing(False)
        self.toolbar.set_last_synced(getattr(self.sync, "last_synced", None))  # None: no sync has succeeded yet
        self._say_run_problems(report)
        # Late refused a change (a retry, an edit, a delete): say which post and why. A refused move was
        # already put back and explained by the reschedule controller. (Each stays until dismissed: the post
        # stays refused too.)
        refusals = []
        for local_id, reason in (getattr(report, "rejected", None) or {}).items():
            if local_id != self.reschedule.reverted_id:
                post = self._post(local_id) or self.store.get_post(local_id)
                name = quoted(post) if post else "A post"
                refusals.append(f"Late refused the change to {name}: {sentence(reason)}")
        if refusals:
            more = f" (and {len(refusals) - 1} more)" if len(refusals) > 1 else ""
            self.show_message(f"{refusals[0]}{more}")
        conflicts = list(getattr(report, "conflicts", None) or [])
        if conflicts:
            post = self._post(conflicts[0]) or self.store.get_post(conflicts[0])
            name = f"{quoted(post)} was" if post else "A post was"
            if len(conflicts) > 1:
                name = f"{len(conflicts)} posts were"
            self.message_bar.show_message(
                f"{name} changed on Late while you had edits here that were not sent. Both versions are kept: "
                "right-click (or open) the post marked ◆ to keep yours or take Late's.", key=CONFLICT_NOTICE)

    def _say_run_problems(self, report) -> None:
        """What stopped or slowed this run, each as one message that the next run without it takes back."""
        offline = getattr(report, "offline", False)  # an offline run proves nothing either way
        errors = list(getattr(report, "errors", None) or [])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        self._say_or_withdraw(SYNC_ERROR_NOTICE, f"Sync: {errors[0]}{more}" if errors else None, keep=offline)
        until = getattr(report, "rate_limited_until", None)
        self._say_or_withdraw(RATE_LIMIT_NOTICE, until and (
            "Late asked the app to slow down (too many requests in a short time). It tries again at "
            f"{time_format.clock(utc_to_wall(until, self.zone))}; your changes are kept until then."), keep=offline)

    def _say_or_withdraw(self, key: str, text: str | None, *, keep: bool) -> None:
        if text:
            self.message_bar.show_message(text, key=key)
        elif not keep and self.message_bar.holds(key):
            self.message_bar.withdraw(key)

    def _on_auth_failed(self) -> None:
        self.toolbar.set_syncing(False)
        self.show_message("Late did not accept the API key: syncing is paused and your local changes are kept. "
                          "Enter a new key (File ▸ Settings…).")

    # -- navigation ----------------------------------------------------------------------------------

    def today(self) -> date:
        return local_date(self.clock(), self.zone)

    def _follow_today(self) -> None:
        today = self.today()
        if today != self._today:
            self._today = today
            self.views.set_today(today)

    @property
    def mode(self) -> str:
        return self.views.mode

    @property
    def anchor(self) -> date:
        return self.views.anchor

    def set_view(self, mode: str) -> None:
        self._navigate(mode, self.views.anchor)

    def go_today(self) -> None:
        self._navigate(self.views.mode, self.today())

    def step(self, direction: int) -> None:
        self._navigate(self.views.mode, self.views.stepped(direction))

    def open_day(self, day: date) -> None:
        """ "+N more": the day's full list, in the day view."""
        self._navigate("day", day)

    def _navigate(self, mode: str, anchor: date) -> None:
        focus = QApplication.focusWidget()
        keep_calendar_focus = focus is None or focus is self or self.views.isAncestorOf(focus)
        self.views.show_range(mode, anchor, self.today())
        if keep_calendar_focus:  # the page that had the keyboard may just have been hidden
            self.focus_calendar()
        self.toolbar.set_view(mode)
        self.toolbar.set_title(self.views.title(), self.views.title(short=True))
        self.reload()
        if mode in ("week", "day"):
            self.views.page(mode).scroll_to_start()
        elif mode == "list":
            self.agenda.scroll_to_time(day_bounds_utc(anchor, self.zone)[0])
        start, end = self.views.range_utc()
        if self.sync is not None:
            self.sync.set_visible_window(start, end)
        self.range_changed.emit(mode, start, end)

    def reload(self) -> None:
        """Read the visible range from the store (navigation only; filters and changes never call this)."""
        start, end = self._range = self.views.range_utc()
        self.load_count += 1
        posts = self.store.posts_between(start, end)
        if self.views.mode == "list":
            posts += self.store.unscheduled_drafts()
        self.posts = {p.local_id: p for p in posts}
        self._refresh_filter_choices()
        self._show_filtered()

    def _in_range(self, post: Post) -> bool:
        if post.scheduled_for is None:
            return self.views.mode == "list"
        start, end = self._range
        return start <= post.scheduled_for < end

    def _show_filtered(self) -> None:
        shown = [p for p in self.posts.values() if self.filter.matches(p)]
        if self.views.mode == "list":
            first, last = self.views.days()[0], self.views.days()[-1]
            span = (f"{first.day} {first:%b}" + (f" {first:%Y}" if first.year != last.year else "")
                    + f" and {last.day} {last:%b %Y}")
            if self.filter.active:
                empty = f"No posts between {span} match the filters or the search.<br><a href='clear'>Clear filters</a>"
            else:
                empty = f"No posts between {span}.<br>Press N to write one."
            self.agenda.set_empty_text(empty)
        self._say_if_filtered_out(bool(shown))
        self.views.sink().set_posts(shown)
        if self.selected_id is not None and not any(p.local_id == self.selected_id for p in shown):
            self.selected_id = None
        self._sync_selection()

    def _say_if_filtered_out(self, any_shown: bool) -> None:
        """The grid views have no empty state of their own: say why the weeks look empty, with the way out."""
        if self.views.mode != "list" and self.filter.active and self.posts and not any_shown:
            if not self.message_bar.holds(FILTERED_OUT_NOTICE):
                self.message_bar.show_message("No posts here match the filters or the search.", kind="info",
                                              key=FILTERED_OUT_NOTICE,
                                              action=("Clear filters", self.toolbar.clear_filters))
        elif self.message_bar.holds(FILTERED_OUT_NOTICE):
            self.message_bar.withdraw(FILTERED_OUT_NOTICE)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._scroll_pending:
            self._scroll_pending = False
            # again after the first layout gave the viewports their real height
            if self.views.mode in ("week", "day"):
                QTimer.singleShot(0, self.views.page().scroll_to_start)
            elif self.views.mode == "list":
                start = day_bounds_utc(self.views.anchor, self.zone)[0]
                QTimer.singleShot(0, lambda: self.agenda.scroll_to_time(start))

    # -- filters -------------------------------------------------------------------------------------

    def set_filter(self, post_filter: PostFilter) -> None:
        self.filter = post_filter
        self._show_filtered()

    def _refresh_filter_choices(self) -> None:
        accounts = self.store.accounts()
        self.toolbar.set_accounts(accounts)
        if self.filter.text.strip():  # the search also matches account names: take the new ones
            self.filter = self.toolbar.current_filter()
        platforms = {a.platform for a in accounts} | {p for post in self.posts.values() for p in post.platforms}
        self.toolbar.set_platforms(sorted(platforms))
        self._known_tags = {t for post in self.posts.values() for t in post.tags}
        self.toolbar.set_tags(sorted(self._known_tags))

    # -- store changes -------------------------------------------------------------------------------

    def _on_store_changed(self, changes, initiator) -> None:
        self._relay.changed.emit(changes, initiator)

    def _apply_changes(self, changes, initiator) -> None:
        if initiator is self.initiator:
            self._withdraw_conflict_notice()
            return  # our own write: already applied from the post the store returned
        for local_id in changes.removed:
            self._drop(local_id)
        for local_id in changes.changed:
            post = self.store.get_post(local_id)
            if post is None:
                self._drop(local_id)
            else:
                self._apply_post(post)
        self._withdraw_conflict_notice()
        if self.filter.active:  # a sync may have brought the first post that matches, or hidden the last
            self._say_if_filtered_out(any(self.filter.matches(p) for p in self.posts.values()))

    def _apply_post(self, post: Post) -> None:
        """One post is new or changed: only its item is updated (or moved, or removed)."""
        if not self._in_range(post):
            self._drop(post.local_id)
            return
        new_tags = set(post.tags) - self._known_tags
        self.posts[post.local_id] = post
        if post.local_id == self.selected_id:
            self._follow_selected_state()
        sink = self.views.sink()
        if self.filter.matches(post):
            sink.upsert_post(post)
        else:
            sink.remove_post(post.local_id)
            if post.local_id == self.selected_id:  # hidden now: Enter or Delete must not act on it unseen
                self.select_post(None)
        if new_tags:
            self._known_tags |= new_tags
            self.toolbar.set_tags(sorted(self._known_tags))

    def _drop(self, local_id: str) -> None:
        self.posts.pop(local_id, None)
        self.views.sink().remove_post(local_id)
        if self.selected_id == local_id:
            self.selected_id = None

    # -- selection -----------------------------------------------------------------------------------

    def select_post(self, local_id: str | None) -> None:
        self.selected_id = local_id
        self._sync_selection()

    def _sync_selection(self) -> None:
        for scene in self.views.scenes():
            scene.select(self.selected_id)
        if self.views.built("list"):
            self.agenda.select(self.selected_id)
        self._follow_selected_state()

    def _follow_selected_state(self) -> None:
        """Post ▸ "Changed on Late too" only offers its choices for a selected post in conflict, worded for it."""
        in_conflict = self.selected_in_conflict()
        for name in ("keep_mine", "take_late"):
            self.actions_by_name[name].setEnabled(in_conflict)
        if in_conflict:
            record = self.store.get_record(self.selected_id)
            late = record.conflict_remote if record else None
            self.actions_by_name["keep_mine"].setText(keep_label(late))
            self.actions_by_name["take_late"].setText(take_label(late))

    def shown_posts(self) -> list[Post]:
        """The posts the current view shows, in time order (what arrow keys walk through)."""
        scene = self.views.scene()
        ids = scene.posts if scene is not None else set(self.agenda.post_ids())
        posts = [self.posts[i] for i in ids if i in self.posts]
        return sorted(posts, key=lambda p: (p.scheduled_for is None, p.scheduled_for or 0, p.local_id))

    def move_selection(self, direction: int) -> None:
        posts = self.shown_posts()
        if not posts:
            return
        ids = [p.local_id for p in posts]
        if self.selected_id in ids:
            index = min(max(ids.index(self.selected_id) + direction, 0), len(ids) - 1)
        elif self.views.mode == "list" and (top := self.agenda.first_visible_id()) in ids:
            # the list spans weeks and opens on the anchor day: start from the rows on screen, not the first row
            index = ids.index(top) if direction > 0 else max(ids.index(top) - 1, 0)
        else:
            index = 0 if direction > 0 else len(ids) - 1
        scene = self.views.scene()
        if self.views.mode == "month" and scene is not None and not self._on_screen(scene, ids[index]):
            # behind a day's "+N more": that day's full list opens (as a click on "+N more" does), so Enter
            # and Delete never act on a post the user cannot see
            self.open_day(local_date(self.posts[ids[index]].scheduled_for, self.zone))
        self.select_post(ids[index])
        self._reveal(ids[index])

    @staticmethod
    def _on_screen(scene, local_id: str) -> bool:
        item = scene.items_by_id.get(local_id)
        return item is not None and item.isVisible()

    def _reveal(self, local_id: str) -> None:
        scene = self.views.scene()
        if scene is None:
            row = self.agenda.row_of(local_id)
            if row is not None:
                self.agenda.scrollToItem(row)
            return
        item = scene.items_by_id.get(local_id)
        if item is not None and item.isVisible():
            self.views.page().view.ensureVisible(item, 8, 24)

    # -- commands --------------------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        """A problem the user should see until they dismiss it."""
        self.message_bar.show_message(text)

    def show_info(self, text: str) -> None:
        """News that needs no action: it fades after a few seconds."""
        self.message_bar.show_info(text)

    def open_settings(self) -> None:
        self.settings_requested.emit()

    def focus_calendar(self) -> None:
        """Keyboard focus to the current view, so T, 1-4 and arrows act on the calendar again."""
        page = self.views.page()
        (getattr(page, "view", None) or page).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> None:
        self.toolbar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.toolbar.search.selectAll()

    def new_post(self) -> None:
        """N: a new post on the anchor day (the next full hour today; 09:00 on a later day; no time before)."""
        now, today = self.clock(), self.today()
        if self.views.anchor > today:
            when: datetime | None = local_to_utc(self.views.anchor, NEW_POST_DEFAULT_TIME, self.zone)
        elif self.views.anchor == today:
            # the next full hour on the calendar's clock (in a half-hour zone that is not UTC's full hour)
            wall = utc_to_wall(now, self.zone).replace(minute=0, second=0, microsecond=0)
            when = (wall + timedelta(hours=1)).astimezone(UTC)
        else:
            when = None
        self.new_post_requested.emit(when)

    def open_post(self, local_id: str) -> None:
        self.select_post(local_id)
        self.open_post_requested.emit(local_id)

    def open_selected(self) -> None:
        if isinstance(self.focusWidget(), QLineEdit):
            self.toolbar.flush_search()  # Enter in the search box applies the search, it opens nothing
            return
        if self.selected_id is not None:
            self.open_post(self.selected_id)

    def _post(self, local_id: str) -> Post | None:
        return self.store.get_post(local_id)

    def duplicate_post(self, local_id: str) -> Post | None:
        post = self._post(local_id)
        if post is None:
            return None
        saved = self.store.save_post(duplicate_of(post, self.clock()), initiator=self.initiator)
        self._apply_post(saved)
        self.select_post(saved.local_id)
        self.editors.open_post(saved.local_id, is_copy=True)
        when = "at the same time" if saved.scheduled_for else "without a time (the original time has passed)"
        self.show_info(f"Duplicated {quoted(post)} as a draft {when}.")
        return saved

    def duplicate_selected(self) -> None:
        if self.selected_id is not None:
            self.duplicate_post(self.selected_id)

    def retry_post(self, local_id: str) -> bool:
        post = self._post(local_id)
        if post is None or not is_retryable(post.status):
            return False
        try:
            self.store.request_retry(local_id, initiator=self.initiator)
        except Exception as exc:  # e.g. never reached Late: say so instead of failing silently
            self.show_message(f"Cannot retry {quoted(post)}: {exc}")
            return False
        fresh = self._post(local_id)
        if fresh is not None:
            self._apply_post(fresh)
        self.show_info(f"Retrying the failed platforms of {quoted(post)}.")
        if self.sync is not None:
            self.sync.sync_now()
        return True

    def retry_selected(self) -> None:
        if self.selected_id is not None:
            self.retry_post(self.selected_id)

    def resolve_conflict(self, local_id: str, keep: str) -> bool:
        """Settle a post changed both here and on Late: ``"local"`` sends this version over Late's,
        ``"remote"`` takes Late's and drops the edits made here. The store's change set redraws the post.
        When Late's version can no longer be changed (it is published or publishing), keeping ours means
        keeping it as a new draft beside the post Late has: the edits are never lost, and never refused."""
        from latecal.store import StoreError

        record = self.store.get_record(local_id)
        post = record.post if record is not None else None
        remote = record.conflict_remote if record is not None else None
        if post is None or remote is None:  # e.g. a menu opened before its editor or a sync settled it
            self.show_info("That post is no longer in conflict with Late: nothing to choose.")
            return False
        name = quoted(post)
        as_copy = keep == "local" and keeps_as_copy(remote)
        try:
            if as_copy:
                # the copy first: should anything fail after it, the edits still exist
                copy = self.store.save_post(duplicate_of(post, self.clock()), initiator=self.initiator)
                self.store.resolve_conflict(local_id, "remote")
            else:
                self.store.resolve_conflict(local_id, keep)
        except (StoreError, ValueError) as exc:  # e.g. already settled from its editor
            self.show_message(f"Could not settle the conflict on {name}: {exc}")
            return False
        self._withdraw_conflict_notice()
        if as_copy:
            from latecal.ui.editor_conflict import refusal_sentence  # the banner's words; not on the first paint

            self._apply_post(copy)
            late_name = quoted(remote)  # Late's words, not the ones kept here
            self.show_info(f"{refusal_sentence(remote.status, late_name)}, so your version is now the new draft "
                           f"{name}; the post on Late stays as it is.")
        elif keep == "local":
            self.show_info(f"Kept your version of {name}; it goes to Late with the next sync.")
        elif remote.status == DELETED_ON_LATE:
            self.show_info(f"Deleted {name} here too, as on Late.")
        else:
            self.show_info(f"Took Late's version of {name}; your edits to it were dropped.")
        if self.sync is not None:
            self.sync.sync_now()
        return True

    def _withdraw_conflict_notice(self) -> None:
        """The "changed on Late" notice goes once no post is in conflict any more, however that came about
        (a choice here or in an editor, a delete, a sync); the store is only asked while the notice shows."""
        if self.message_bar.holds(CONFLICT_NOTICE) and not self.store.has_conflicts():
            self.message_bar.withdraw(CONFLICT_NOTICE)

    def selected_in_conflict(self) -> bool:
        post = self.posts.get(self.selected_id) if self.selected_id else None
        return post is not None and post.sync_state == "conflict"

    def resolve_selected_conflict(self, keep: str) -> None:
        if self.selected_in_conflict():
            self.resolve_conflict(self.selected_id, keep)

    def request_delete(self, local_id: str, asker: QWidget | None = None) -> None:
        """Ask first, without blocking: the box is opened window-modal and answers through a signal; on top of
        ``asker`` (the post's editor) when given, so that window is not buried behind the calendar."""
        post = self._post(local_id)
        if post is None:
            return
        if not is_deletable(post.status):
            self.show_message(f"{quoted(post)} is {post.status} and cannot be deleted.")
            return
        if self.confirm_box is not None:
            self.confirm_box.close()  # one question at a time
        from PySide6.QtWidgets import QMessageBox  # here: its enum types cost start-up time (PySide6 makes them)

        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete post",
            f"Delete {quoted(post, 60)}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            asker or self,
        )
        box.setInformativeText(
            "It is also deleted from Late at the next sync." if post.late_id else "It has not been sent to Late yet."
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: (
                self.delete_post(local_id) if box.standardButton(button) == QMessageBox.StandardButton.Yes else None
            )
        )
        self.confirm_box = box
        box.open()

    def delete_selected(self) -> None:
        if isinstance(self.focusWidget(), QLineEdit):
            return
        if self.selected_id is not None and any(p.local_id == self.selected_id for p in self.shown_posts()):
            self.request_delete(self.selected_id)  # (never a post the filters hide from view)

    def delete_post(self, local_id: str) -> None:
        """Delete without asking (the confirmed path); Ctrl+Z brings the post back."""
        post = self._post(local_id)
        if post is None or not self.deleter.request(post):
            return
        self.focus_calendar()  # not the message bar's button, where the closing question box would leave it
        # its Undo button undoes this delete only: any later change to the history withdraws the message
        self.message_bar.show_message(f"Deleted {quoted(post)}.", kind="info", key=UNDO_DELETE_NOTICE,
                                      action=("Undo", self.reschedule.undo_stack.undo))

    def _on_deleted(self, post: Post) -> None:
        self._drop(post.local_id)
        self.message_bar.withdraw(RESTORED_NOTICE)  # a redo: "… is back" is no longer true

    def _history_moved(self, _index: int) -> None:
        self.message_bar.withdraw(UNDO_DELETE_NOTICE)

    def _on_restored(self, post: Post, note: str, was_id: str) -> None:
        self._apply_post(post)
        if post.local_id != was_id:
            self.editors.follow_copy(was_id, post)  # the deleted post's open editor now edits the copy
        hidden = not self.filter.matches(post)
        if not hidden:
            self.select_post(post.local_id)
        if note:  # it asks for something (schedule it again): it stays until dismissed
            self.message_bar.show_message(note, key=RESTORED_NOTICE)
        elif hidden:
            self.message_bar.show_message(f"{quoted(post)} is back, but the filters hide it.", kind="info",
                                          key=RESTORED_NOTICE, action=("Clear filters", self.toolbar.clear_filters))
        else:
            self.message_bar.show_message(f"{quoted(post)} is back.", kind="info", key=RESTORED_NOTICE)

    def open_published_url(self, url: str) -> None:
        if not self.url_opener(QUrl(url)):
            QGuiApplication.clipboard().setText(url)
            self.show_message(f"No web browser could be started, so the link was copied to the clipboard: {url}")

    def show_post_menu(self, local_id: str, screen_pos: QPoint) -> None:
        post = self._post(local_id)
        if post is None:
            return
        self._menu = build_post_menu(self, post)
        self._menu.popup(screen_pos)  # popup, not exec(): no nested event loop under qasync

    def changeEvent(self, event) -> None:
        # a light/dark switch: items keep cached pixmaps, so repaint them with the new palette
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            for scene in self.views.scenes():
                for item in scene.items():
                    item.update()
                scene.update()
            if self.views.built("list"):
                self.views.list.restyle()
        super().changeEvent(event)

    # -- closing ---------------------------------------------------------------------------------------

    def closeEvent(self, event) -> None:
        self._close_editors()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        super().closeEvent(event)
        self.closed.emit()

    # -- post editors and the drafts tray (issue 6) ----------------------------------------------------------

    def _install_post_editing(self) -> None:
        """Editors open on N, double click/Enter, an empty slot and Duplicate; the drafts tray docks on the right."""
        from PySide6.QtWidgets import QDockWidget

        from latecal.ui.drafts_tray import DraftScheduler, DraftsTray

        self._editors = None
        self.open_post_requested.connect(lambda local_id: self.editors.open_post(local_id))
        self.new_post_requested.connect(lambda when: self.editors.new_post(when))
        self.drafts_tray = DraftsTray(self.store, self)
        self.drafts_tray.open_requested.connect(self.open_post)
        self.drafts_dock = QDockWidget("Drafts", self)
        self.drafts_dock.setObjectName("draftsDock")
        self.drafts_dock.setWidget(self.drafts_tray)
        self.drafts_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.drafts_dock)
        self.resizeDocks([self.drafts_dock], [230], Qt.Orientation.Horizontal)
        self.draft_scheduler = DraftScheduler(
            self.store, self.zone, self.reschedule.undo_stack, initiator=self.initiator, clock=self.clock,
            sync_provider=lambda: self.sync, parent=self,
        )
        self.draft_scheduler.saved.connect(self._apply_post)
        self.draft_scheduler.refused.connect(self.show_message)
        self.deleter = PostDeleter(self.store, self.reschedule.undo_stack, initiator=self.initiator,
                                   clock=self.clock, sync_provider=lambda: self.sync, parent=self)
        self.deleter.deleted.connect(self._on_deleted)
        self.deleter.restored.connect(self._on_restored)
        self.deleter.refused.connect(self.show_message)
        self.reschedule.undo_stack.indexChanged.connect(self._history_moved)  # a method: gone with the window

    def _drop_draft(self, ids: list[str], day: date, exact: datetime | None) -> bool:
        return self.draft_scheduler.drop(ids, day, exact)

    @property
    def editors(self):
        """The post editors' manager, made on first use: the editor modules stay off the first paint."""
        if self._editors is None:
            from latecal.ui.editor_manager import EditorManager

            self._editors = EditorManager(self)
        return self._editors

    def attach_uploader(self, uploader) -> None:
        """Media uploads for every editor (``MediaUploader(client)``); without one, editors say they cannot upload."""
        self.editors.attach_uploader(uploader)

    def _close_editors(self) -> None:
        """The app is closing: unsaved text stays in the autosave table and comes back on the next start."""
        editors = getattr(self, "_editors", None)
        for editor in list(editors.editors.values()) if editors is not None else []:
            editor.autosave_now()
            editor.close_without_asking()
        self.drafts_tray.shutdown()
