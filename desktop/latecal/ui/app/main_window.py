"""The calendar window: the shell that lays out the toolbar, the message bar, the views, the drafts dock and the
status bar, and navigates between dates and views. It paints from the local store first; the sync bridge can be
attached later.

Its collaborators do the rest: ``mirror`` (the posts on screen, filters, selection), ``commands`` (what menus and
keys do to posts, through the operation runner and its undo history), ``sync_status`` (the Sync button and run
reports). Every store change reaches the screen through the one change relay.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from latecal.core.calendar_geometry import day_bounds_utc, local_date
from latecal.presentation import calendar_texts as words
from latecal.presentation import messages as say
from latecal.presentation.conflicts import keep_label, take_label
from latecal.presentation.messages import Message
from latecal.store import Store
from latecal.ui.app.bulk_commands import BulkCommands
from latecal.ui.app.calendar_mirror import CalendarMirror
from latecal.ui.app.chip_moves import ChipMoves
from latecal.ui.app.operation_runner import OperationRunner
from latecal.ui.app.post_commands import PostCommands
from latecal.ui.app.sync_status import SyncStatus
from latecal.ui.app.window_actions import install_menus_and_shortcuts
from latecal.ui.calendar.calendar_toolbar import CalendarToolbar
from latecal.ui.calendar.status_legend import StatusLegend
from latecal.ui.calendar.views import VIEWS, CalendarViews
from latecal.ui.widgets.change_relay import ChangeRelay
from latecal.ui.widgets.display_zone import resolve_zone
from latecal.ui.widgets.message_bar import MessageBar
from latecal.ui.widgets.plain_text import tooltip


class MainWindow(QMainWindow):
    #: emitted once the window has closed; the app session then shuts down cleanly
    closed = Signal()
    #: the view or the dates on screen changed: (mode, start_utc, end_utc)
    range_changed = Signal(str, object, object)
    #: File ▸ Settings…: the app's connection opens the dialog (it owns the key and the services)
    settings_requested = Signal()
    #: Help ▸ About; the app knows the paths the dialog shows
    about_requested = Signal()

    def __init__(self, store: Store, *, demo: bool = False, anchor: date | None = None, icon: QIcon | None = None,
                 sync: QObject | None = None, view: str = "month", zone: ZoneInfo | str | None = None,
                 week_start: int = 0, clock: Callable[[], datetime] | None = None,
                 runner: OperationRunner | None = None, problems_later: bool = False):
        """``problems_later``: the Problems panel (hidden at start) reads its rows when ``load_problems()`` is
        called (after the first paint), not here: thousands of old failures must not delay the first frame."""
        super().__init__()
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; one of {', '.join(VIEWS)}")
        self.store = store
        self.demo = demo
        self.zone = resolve_zone(zone)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.sync: QObject | None = None
        # ``runner``: the history of an earlier window on this store (the app keeps it across rebuilds). One of
        # our own is made first, so it goes first when the window is destroyed: clearing its history signals
        # the widgets that show it, which must still exist then.
        self.runner = runner if runner is not None else OperationRunner(store, zone=self.zone, parent=self)
        self.runner.configure(zone=self.zone, clock=self.clock)
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

        self.relay = ChangeRelay(store, self)
        self.mirror = CalendarMirror(store, self.views, self.toolbar, self.message_bar, self)
        self.commands = PostCommands(self, store, self.runner, self.mirror, say_message=self.say,
                                     message_bar=self.message_bar, toolbar=self.toolbar,
                                     focus_calendar=self.focus_calendar, open_day=self.open_day, clock=self.clock,
                                     editors=lambda: self.editors)
        self.chip_moves = ChipMoves(store, self.runner, self.mirror, self.commands)  # a chip may be part of a post
        self.sync_status = SyncStatus(store, self.toolbar, self.message_bar, zone=self.zone, say_message=self.say,
                                      reverted_id=lambda: self.runner.reverted_id, parent=self)
        self.sync_status.missed = self.commands
        self.relay.changed.connect(self._on_changes)
        self.views.page_created.connect(self._connect_page)
        self._connect_toolbar()
        from latecal.ui.app.drafts_dock import install_drafts_dock

        self.drafts_dock = install_drafts_dock(self)
        self.drafts_tray = self.drafts_dock.tray
        self._install_problems(load=not problems_later)
        self._install_bulk()
        self.actions_by_name = install_menus_and_shortcuts(self)
        self.mirror.selection_changed.connect(self._follow_selection)
        self._build_status_bar(store)
        self._editors = None
        self._mini_month = None  # Go to date, built on first use
        self.commands.open_post_requested.connect(lambda local_id: self.editors.open_post(local_id))
        self.commands.new_post_requested.connect(lambda when: self.editors.new_post(when))
        if sync is not None:
            self.attach_sync(sync)
        self._scroll_pending = True
        self._today = self.today()
        self._day_timer = QTimer(self, interval=60_000)  # the "today" highlight follows midnight
        self._day_timer.timeout.connect(self._follow_today)
        self._day_timer.start()
        self._navigate(view, anchor or self.today())

    def load_problems(self) -> None:
        """The Problems panel's rows, for a ``problems_later`` window (its badge follows)."""
        self.problems_panel.reload()

    # -- set-up --------------------------------------------------------------------------------------

    def _connect_page(self, mode: str, page) -> None:
        """Wire a page the views just built (the first time it is shown)."""
        # Tab goes from the search box into the calendar, whenever the page was built
        QWidget.setTabOrder(self.toolbar.search, page.view if mode != "list" else page)
        if mode == "list":  # its selection reaches the window's through the mirror (calendar_mirror)
            page.post_activated.connect(self.commands.open_post)
            page.context_menu_requested.connect(self.commands.show_post_menu)
            page.clear_filters_requested.connect(self.toolbar.clear_filters)
            return
        scene = page.scene
        scene.selection = self.mirror.selection
        scene.group_move_handler = self.bulk.move_group
        scene.outside_drop_handler = self.bulk.drop_outside
        scene.outside_hover_handler = self.bulk.hover_outside
        scene.draft_drop_handler = self.runner.schedule_drafts
        self.chip_moves.connect_scene(scene)
        scene.slot_activated.connect(self.commands.new_post_requested)
        if mode == "month":
            scene.more_requested.connect(self.open_day)

    def _connect_toolbar(self) -> None:
        t = self.toolbar
        t.today_clicked.connect(self.go_today)
        t.clock = self.clock  # "missed" and "stuck" filters judge on the window's clock
        t.new_post_clicked.connect(self.commands.new_post)
        t.previous_clicked.connect(lambda: self.step(-1))
        t.next_clicked.connect(lambda: self.step(1))
        t.view_chosen.connect(self.set_view)
        t.filter_changed.connect(self.mirror.set_filter)
        t.sync_clicked.connect(self.request_sync)
        t.search.returnPressed.connect(t.flush_search)
        t.search_left.connect(self.focus_calendar)
        t.title_clicked.connect(lambda: self.go_to_date(typing=False))

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
        self.zone_label = QLabel(words.zone_label(self.zone.key), self)
        self.zone_label.setToolTip(tooltip(words.store_tip(store.path)))
        self.statusBar().addPermanentWidget(self.zone_label)
        self.statusBar().addPermanentWidget(self.demo_badge)

    def _install_problems(self, *, load: bool = True) -> None:
        """The Problems panel: a dock beside the drafts, hidden until the badge or View ▸ Problems asks for it."""
        from latecal.ui.problems.problems_dock import problems_dock

        self.problems_dock = problems_dock(self, self.store, zone=self.zone, clock=self.clock, load=load)
        self.problems_panel = panel = self.problems_dock.widget()
        self.relay.changed.connect(panel.apply_changes)
        self.message_bar.notice_clock = self.clock
        self.message_bar.notice_recorded.connect(panel.add_notice)
        panel.open_requested.connect(self.commands.open_post)
        panel.retry_requested.connect(self.commands.retry_post)
        panel.count_changed.connect(self.toolbar.set_problem_count)
        self.toolbar.set_problem_count(panel.count)
        self.toolbar.problems_clicked.connect(self.show_problems)

    def _install_bulk(self) -> None:
        """Actions on the whole selection; "12 selected" and "Sending 120 of 500" in the status bar."""
        self.bulk = BulkCommands(self, self.store, self.runner, self.mirror, say_message=self.say,
                                 single=self.commands, clock=self.clock)
        self.bulk.tray = self.drafts_dock  # folded or open, the panel takes posts dragged off the calendar
        self.statusBar().addPermanentWidget(self.bulk.sending_label)
        self.statusBar().addPermanentWidget(self.bulk.count_label)

    def show_problems(self) -> None:
        """The badge or Ctrl+Shift+P: the panel shows with the keyboard in its list."""
        self.problems_dock.show()
        self.problems_dock.raise_()
        self.problems_panel.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @property
    def editors(self):
        """The post editors' manager, made on first use: the editor modules stay off the first paint."""
        if self._editors is None:
            from latecal.ui.editor.manager import EditorManager

            self._editors = EditorManager(self)
        return self._editors

    # -- services --------------------------------------------------------------------------------------

    def attach_sync(self, sync: QObject) -> None:
        """Wire a sync bridge; see ``SyncStatus.attach`` for what it offers."""
        self.sync = sync
        sync.finished.connect(self.runner.on_sync_finished)  # first: a refused move is put back before the report
        sync.finished.connect(self.mirror.accounts_may_have_changed)  # a method: it goes with the mirror
        self.sync_status.attach(sync)
        self.bulk.attach_sync(sync)
        sync.finished.connect(self.problems_panel.on_sync_finished)
        if self._editors is not None:
            self._editors.attach_sync(sync)
        sync.set_visible_window(*self.views.range_utc())

    def attach_uploader(self, uploader) -> None:
        """Media uploads for every editor (``MediaUploader(client)``); without one, editors say they cannot upload."""
        self.editors.attach_uploader(uploader)

    def attach_pictures(self, fetch) -> None:
        """Account pictures (``client.fetch_picture``), cached beside the store; the filters and editors show them."""
        from latecal.ui.widgets import avatars

        # not parented: the icons look it up (``avatars.current``) after any window is gone
        self.pictures = avatars.AvatarStore(Path(self.store.path).parent / "avatars", fetch)
        avatars.use(self.pictures)
        self.pictures.changed.connect(self._pictures_arrived)
        for account in self.store.accounts():  # fetched now, in the background: shown when a menu or tooltip opens
            self.pictures.image(account)

    def _pictures_arrived(self) -> None:
        self.toolbar.set_accounts(self.store.accounts())

    def request_sync(self) -> None:
        """Sync, F5, the tray's Sync now: the user asks for a run."""
        self.sync_status.request_sync()

    # -- what the window says ----------------------------------------------------------------------------

    def say(self, message: Message) -> None:
        self.message_bar.show_message(message.text, kind="error" if message.problem else "info", key=message.key)

    def show_message(self, text: str) -> None:
        """A problem the user should see until they dismiss it."""
        self.message_bar.show_message(text)

    def show_info(self, text: str) -> None:
        """News that needs no action: it fades after a few seconds."""
        self.message_bar.show_info(text)

    def _on_changes(self, changes, initiator) -> None:
        self.mirror.apply_changes(changes, initiator)
        # the "changed on Late" notice goes once no post is in conflict any more, however that came about (a
        # choice here or in an editor, a delete, a sync); the store is only asked while the notice shows
        if self.message_bar.holds(say.CONFLICTS) and not self.store.has_conflicts():
            self.message_bar.withdraw(say.CONFLICTS)

    def _follow_selection(self, _local_id) -> None:
        """Post ▸ "Changed on Late too" only offers its choices for a selected post in conflict, worded for it."""
        in_conflict = self.mirror.selected_in_conflict()
        for name in ("keep_mine", "take_late"):
            self.actions_by_name[name].setEnabled(in_conflict)
        if in_conflict:
            record = self.store.get_record(self.mirror.selected_id)
            late = record.conflict_remote if record else None
            self.actions_by_name["keep_mine"].setText(keep_label(late))
            self.actions_by_name["take_late"].setText(take_label(late))

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

    def go_to_date(self, *, typing: bool = True) -> None:
        """Ctrl+G or a click on the range title: the small month under the title; a day picked there is shown
        in the current view."""
        if self._mini_month is None:
            from latecal.ui.calendar.mini_month import MiniMonth

            self._mini_month = MiniMonth(self, week_start=self.views.week_start)
            self._mini_month.date_chosen.connect(lambda day: self._navigate(self.views.mode, day))
        self._mini_month.open_below(self.toolbar.title, self.views.anchor, typing=typing)

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
        self.mirror.reload()
        if mode in ("week", "day"):
            self.views.page(mode).scroll_to_start()
        elif mode == "list":
            self.views.list.scroll_to_time(day_bounds_utc(anchor, self.zone)[0])
        start, end = self.views.range_utc()
        if self.sync is not None:
            self.sync.set_visible_window(start, end)
        self.range_changed.emit(mode, start, end)

    def focus_calendar(self) -> None:
        """Keyboard focus to the current view, so T, 1-4 and arrows act on the calendar again."""
        page = self.views.page()
        (page.view if self.views.mode != "list" else page).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> None:
        self.toolbar.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.toolbar.search.selectAll()

    def open_settings(self) -> None:
        self.settings_requested.emit()

    def open_queues(self) -> None:
        from latecal.ui.app.queue_opener import open_queue_dialog

        open_queue_dialog(self)

    # -- Qt events -------------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._scroll_pending:
            self._scroll_pending = False
            # again after the first layout gave the viewports their real height
            if self.views.mode in ("week", "day"):
                QTimer.singleShot(0, self.views.page().scroll_to_start)
            elif self.views.mode == "list":
                start = day_bounds_utc(self.views.anchor, self.zone)[0]
                QTimer.singleShot(0, lambda: self.views.list.scroll_to_time(start))

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

    def closeEvent(self, event) -> None:
        """The app is closing: unsaved editor text stays in the autosave table and comes back on the next start."""
        if self._editors is not None:
            self._editors.close_all()
        self.relay.close()
        super().closeEvent(event)
        self.closed.emit()
