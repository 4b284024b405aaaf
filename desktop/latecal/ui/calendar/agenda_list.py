"""The list (agenda) view: every post of the range (or every post of the store matching a search) in time order,
coloured by its Late status.

A view on AgendaModel: rows are made when painted, so opening the List, searching or clearing a search costs the
rows on screen, not the thousands listed. Kept in step per post like the scenes: a store change updates, moves or
removes one row. Ctrl+click and Shift+click select several posts (``selected_ids``).
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from latecal.core.models import Account, Post
from latecal.ui.calendar.agenda_model import (
    COLUMNS,
    POST_ID_ROLE,
    AgendaDelegate,
    AgendaModel,
    Fetch,
    RowKey,
    key_of,
    row_key,
)
from latecal.ui.widgets.plain_text import escaped

__all__ = ["POST_ID_ROLE", "AgendaList", "Row"]

_SELECT = QItemSelectionModel.SelectionFlag
REPAINT_EVERY_MS = 100


class Row:
    """What one row shows, read through the model as the view reads it (tests and the window's queries)."""

    def __init__(self, agenda: AgendaList, local_id: str) -> None:
        self._agenda, self.local_id = agenda, local_id

    def _data(self, col: int, role: Qt.ItemDataRole):
        row = self._agenda.model().row_of(self.local_id)
        return None if row is None else self._agenda.model().index(row, col).data(role)

    def text(self, col: int) -> str:
        return self._data(col, Qt.ItemDataRole.DisplayRole) or ""

    def toolTip(self, col: int) -> str:
        return self._data(col, Qt.ItemDataRole.ToolTipRole) or ""

    def statusTip(self, col: int) -> str:
        return self._data(col, Qt.ItemDataRole.StatusTipRole) or ""

    def font(self, col: int) -> QFont:
        return self._data(col, Qt.ItemDataRole.FontRole) or self._agenda.font()

    def background(self, col: int) -> QBrush:
        return self._data(col, Qt.ItemDataRole.BackgroundRole) or QBrush()

    def foreground(self, col: int) -> QBrush:
        return self._data(col, Qt.ItemDataRole.ForegroundRole) or QBrush()

    def icon(self, col: int):
        return self._data(col, Qt.ItemDataRole.DecorationRole)


class AgendaList(QTableView):
    COLUMNS = COLUMNS
    post_pressed = Signal(str)
    post_activated = Signal(str)
    context_menu_requested = Signal(str, QPoint)
    #: the "Clear filters" link of the empty list
    clear_filters_requested = Signal()
    #: the selected posts changed (their ids, in list order): Ctrl/Shift+click selects several
    selected_ids_changed = Signal(list)

    def __init__(self, zone: ZoneInfo | None = None, parent=None) -> None:
        super().__init__(parent)
        from latecal.ui.widgets.display_zone import resolve_zone

        self.zone = resolve_zone(zone)
        self.setModel(AgendaModel(self.zone, self))
        self.setItemDelegate(AgendaDelegate(self))
        self.model().bold = QFont(self.font())
        self.model().bold.setBold(True)
        #: where the list opens (``scroll_to_time``); it stays there as rows arrive until the user scrolls
        self._anchor_utc: datetime | None = None
        self._following_anchor = False
        self._scrolling = False  # the list scrolls itself: not the user leaving the anchor
        self._quiet = 0  # rows are being rearranged: Qt's moves of the current row are not the user's choice
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        # A table, not a tree: its rows are one header of fixed-height sections, so inserting a row or scrolling
        # to one costs no layout of the thousands of others (a tree lays out every row again).
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setTabKeyNavigation(False)  # Tab leaves the list, as from the other views
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleName("Posts")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setColumnWidth(0, 170)
        self.setColumnWidth(1, 190)
        self.setColumnWidth(2, 200)
        # The post's text takes the rest of the width and is elided ("…"), never cut off off-screen.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalHeader().setStretchLastSection(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.doubleClicked.connect(self._double_clicked)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.selectionModel().selectionChanged.connect(self._selection_changed)
        # said in the list itself when it is empty: why, and the way out (a blank white list says nothing)
        self.empty_label = QLabel(self.viewport())
        self.empty_label.setObjectName("emptyList")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.linkActivated.connect(lambda _link: self.clear_filters_requested.emit())
        self.empty_label.hide()
        # A sync's pages arrive as change sets every few milliseconds: the List repaints at most every
        # REPAINT_EVERY_MS meanwhile (each repaint composes every visible cell; the grids repaint only what moved)
        self._repaint_timer = QTimer(self, singleShot=True, interval=REPAINT_EVERY_MS)
        self._repaint_timer.timeout.connect(lambda: self.viewport().setUpdatesEnabled(True))

    def model(self) -> AgendaModel:
        return super().model()  # type: ignore[return-value]

    # -- what the rows are judged by ----------------------------------------------------------------------------

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.model().clock

    @clock.setter
    def clock(self, clock: Callable[[], datetime]) -> None:
        self.model().clock = clock

    @property
    def accounts(self) -> Mapping[str, Account]:
        return self.model().accounts

    @property
    def today(self) -> date | None:
        return self.model().today

    def set_accounts(self, accounts: Mapping[str, Account]) -> None:
        """New accounts (or their health): every row judges its post's platforms again."""
        self.model().accounts = accounts
        self.model().refresh_all()

    def restyle(self) -> None:
        """A light/dark switch: the rows take the new palette's colours (they are read when painted)."""
        self.model().refresh_all()

    def set_today(self, today: date) -> None:
        if today != self.model().today:
            self.model().today = today
            self.model().refresh_all()

    # -- the empty list ------------------------------------------------------------------------------------------

    def set_empty_text(self, text: str, way_out: str, *, link: bool) -> None:
        """Why the list is empty, and under it the way out: a link (to clear the filters) or a hint."""
        way = f"<a href='clear'>{escaped(way_out)}</a>" if link else escaped(way_out)
        self.empty_label.setText(f"{escaped(text)}<br>{way}")
        self._update_empty()

    def _update_empty(self) -> None:
        empty = self.model().rowCount() == 0
        self.empty_label.setVisible(empty)
        if empty:
            self.empty_label.setGeometry(self.viewport().rect().adjusted(24, 24, -24, -24))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_empty()

    # -- mirroring -----------------------------------------------------------------------------------------------

    def set_posts(self, posts: Iterable[Post]) -> None:
        posts = list(posts)
        self._reset([row_key(p) for p in posts], posts, fetch=None)

    def set_rows(self, keys: Iterable[tuple[int | None, str]], fetch: Fetch,
                 posts: Iterable[Post] = ()) -> None:
        """Rows from the store's (scheduled_us, local_id) keys; a row's post is read through ``fetch`` when shown."""
        self._reset([key_of(us, local_id) for us, local_id in keys], posts, fetch=fetch)

    def _reset(self, keys: list[RowKey], posts: Iterable[Post], fetch: Fetch | None) -> None:
        selected = self.selected_ids()
        current = self.current_id()
        with self.changing():
            self.model().fetch = fetch
            self.model().reset(keys, posts)
            self._restore(current, selected)

    def upsert_post(self, post: Post) -> None:
        with self.changing():
            self.model().upsert(post)

    def remove_post(self, local_id: str) -> None:
        with self.changing():
            self.model().remove(local_id)

    def hold_repaints(self) -> None:
        """Rows are about to change because of a change set: repaint them with the next ones, not at once."""
        if not self._repaint_timer.isActive():
            self.viewport().setUpdatesEnabled(False)
            self._repaint_timer.start()

    @contextlib.contextmanager
    def changing(self) -> Iterator[None]:
        """Rows come, go or move (one post, or a whole change set inside one ``with``): the rows being read stay
        put, and the current and selected rows stay the user's choice. Qt would make the neighbour of a removed
        current row current, and Enter or Delete would then act on a post the user did not choose: a moved row
        stays current, a removed one leaves none."""
        if self._quiet:
            yield
            return
        current, selected = self.current_id(), self.selected_ids()
        self._quiet += 1
        try:
            with self._keeping_place():
                yield
            self._restore(current, selected)
        finally:
            self._quiet -= 1
        self._update_empty()
        if self.selected_ids() != selected:
            self.selected_ids_changed.emit(self.selected_ids())

    def _restore(self, current: str | None, selected: list[str]) -> None:
        model = self.model()
        row = model.row_of(current) if current else None
        # through the view, not its selection model: the view then knows a current row was chosen (none is one
        # too), and does not make the first row current when it gets the focus
        self.setCurrentIndex(model.index(row, 0) if row is not None else QModelIndex())
        chosen = QItemSelection()
        for row in (model.row_of(i) for i in selected):
            if row is not None:
                chosen.select(model.index(row, 0), model.index(row, len(COLUMNS) - 1))
        self.selectionModel().select(chosen, _SELECT.ClearAndSelect)

    @contextlib.contextmanager
    def _keeping_place(self) -> Iterator[None]:
        """The rows the user is reading stay put while rows come, go or move elsewhere (a sync, a filter):
        the first row on screen stays the first, or the next one after it when it went. Until the user
        scrolls, the list stays on its anchor day instead (the first sync fills an empty list)."""
        top = None if self._following_anchor else self.first_visible_id()
        key = self.model().key_by_id.get(top) if top else None
        self._scrolling = True
        try:
            yield
            if key is not None:
                self._scroll_to_row(self._first_row_from(key))
            elif self._anchor_utc is not None:
                self.scroll_to_time(self._anchor_utc)
        finally:
            self._scrolling = False

    # -- queries and selection -----------------------------------------------------------------------------------

    def row_count(self) -> int:
        return self.model().rowCount()

    def post_id_at(self, row: int) -> str:
        return self.model().keys[row][2]

    def post_ids(self) -> list[str]:
        return [key[2] for key in self.model().keys]

    def post(self, local_id: str) -> Post | None:
        """The post of a row (read from the store if the row has not been shown yet)."""
        row = self.model().row_of(local_id)
        return None if row is None else self.model().post_at(row)

    def first_visible_id(self) -> str | None:
        """The post of the topmost row on screen."""
        index = self.indexAt(QPoint(4, 2))
        return index.data(POST_ID_ROLE) if index.isValid() else None

    def row_of(self, local_id: str) -> Row | None:
        return Row(self, local_id) if local_id in self.model().key_by_id else None

    def row_at(self, row: int) -> Row:
        return Row(self, self.post_id_at(row))

    def current_id(self) -> str | None:
        index = self.currentIndex()
        return index.data(POST_ID_ROLE) if index.isValid() else None

    def selected_ids(self) -> list[str]:
        """The selected posts, in list order."""
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        return [self.post_id_at(r) for r in rows]

    def select_ids(self, ids: Iterable[str]) -> None:
        """Select these posts (those in the list); the first becomes current. Says so through selected_ids_changed,
        not post_pressed (the caller chose them)."""
        ids = [i for i in ids if i in self.model().key_by_id]
        self._quiet += 1
        try:
            self._restore(ids[0] if ids else None, ids)
        finally:
            self._quiet -= 1
        self.selected_ids_changed.emit(self.selected_ids())

    def reveal(self, local_id: str) -> None:
        row = self.model().row_of(local_id)
        if row is not None:
            self.scrollTo(self.model().index(row, 0))

    def scroll_to_time(self, when_utc: datetime) -> None:
        """Bring the first row at or after ``when_utc`` to the top (the list opens on the anchor day)."""
        self._anchor_utc = when_utc
        self._scroll_to_row(self._first_row_from(row_key(Post(scheduled_for=when_utc, local_id=""))))
        self._following_anchor = True

    def _first_row_from(self, key: RowKey) -> int:
        return bisect.bisect_left(self.model().keys, key)

    def _scroll_to_row(self, row: int) -> None:
        scrolling, self._scrolling = self._scrolling, True
        try:
            if row < self.model().rowCount():
                self.scrollTo(self.model().index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
            else:
                self.scrollToBottom()  # all of them are earlier
        finally:
            self._scrolling = scrolling

    def _scrolled(self, _value: int) -> None:
        if not self._scrolling:
            self._following_anchor = False

    def select(self, local_id: str | None) -> None:
        """The window's one selected post (a click elsewhere, the keyboard): current and the only one selected.
        The current row already: nothing changes (a Ctrl+click made it current and keeps the others selected)."""
        if local_id is not None and local_id == self.current_id():
            return
        self._quiet += 1
        try:
            self._restore(local_id, [local_id] if local_id else [])
        finally:
            self._quiet -= 1

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._quiet:
            self.post_pressed.emit(current.data(POST_ID_ROLE))

    def _selection_changed(self, *_args) -> None:
        if not self._quiet:
            self.selected_ids_changed.emit(self.selected_ids())

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.post_activated.emit(index.data(POST_ID_ROLE))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if index.isValid():
            local_id = index.data(POST_ID_ROLE)
            self.post_pressed.emit(local_id)
            self.context_menu_requested.emit(local_id, self.viewport().mapToGlobal(pos))
