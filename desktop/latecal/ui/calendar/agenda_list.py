"""The list (agenda) view: every post of the range in time order, coloured by its Late status.

Kept in step per post like the scenes: a store change updates or moves one row, never the whole list.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeWidget, QTreeWidgetItem

from latecal.core.account_health import blocked_targets
from latecal.core.models import Account, Post
from latecal.core.zones import utc_to_wall
from latecal.presentation.posts import failure_reasons, platforms_text, post_summary, when_text
from latecal.presentation.statuses import SYNC_SUFFIXES, status_label, sync_mark_meaning
from latecal.ui.calendar.post_item import post_tooltip
from latecal.ui.widgets.palette import (
    GridColours,
    status_accent,
    status_fill,
    status_text_colour,
    sync_mark_colour,
)
from latecal.ui.widgets.plain_text import escaped

POST_ID_ROLE = Qt.ItemDataRole.UserRole + 1


_ICONS: dict[tuple[str, str], QIcon] = {}


def _status_icon(status: str, sync_state: str) -> QIcon:
    """A small swatch in the status accent, with the sync mark's colour as a dot when there is one."""
    key = (status, sync_state)
    if key not in _ICONS:
        pixmap = QPixmap(14, 14)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(status_accent(status))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(1, 1, 12, 12, 3, 3)
        mark = sync_mark_colour(sync_state)
        if mark is not None:
            painter.setBrush(mark)
            painter.setPen(QColor("#ffffff"))
            painter.drawEllipse(7, 0, 7, 7)
        painter.end()
        _ICONS[key] = QIcon(pixmap)
    return _ICONS[key]


def _sort_key(post: Post) -> tuple:
    return (post.scheduled_for is None, post.scheduled_for or 0, post.local_id)


class AgendaList(QTreeWidget):
    COLUMNS = ("When", "Status", "Platforms", "Post")
    post_pressed = Signal(str)
    post_activated = Signal(str)
    context_menu_requested = Signal(str, QPoint)
    #: the "Clear filters" link of the empty list
    clear_filters_requested = Signal()

    def __init__(self, zone: ZoneInfo | None = None, parent=None) -> None:
        super().__init__(parent)
        from latecal.ui.widgets.display_zone import resolve_zone

        self.zone = resolve_zone(zone)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._posts: dict[str, Post] = {}
        self.accounts: Mapping[str, Account] = {}  # by id, with their health: rows flag accounts that cannot post
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # the window's clock (tests fix it)
        #: the day whose rows are highlighted as in the other views (``set_today`` follows midnight)
        self.today: date | None = None
        #: where the list opens (``scroll_to_time``); it stays there as rows arrive until the user scrolls
        self._anchor_utc: datetime | None = None
        self._following_anchor = False
        self._scrolling = False  # the list scrolls itself: not the user leaving the anchor
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.setHeaderLabels(list(self.COLUMNS))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAccessibleName("Posts")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setColumnWidth(0, 170)
        self.setColumnWidth(1, 190)
        self.setColumnWidth(2, 200)
        # The post's text takes the rest of the width and is elided ("…"), never cut off off-screen.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.header().setStretchLastSection(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.itemDoubleClicked.connect(lambda item, _col: self.post_activated.emit(item.data(0, POST_ID_ROLE)))
        self.currentItemChanged.connect(self._current_changed)
        # said in the list itself when it is empty: why, and the way out (a blank white list says nothing)
        self.empty_label = QLabel(self.viewport())
        self.empty_label.setObjectName("emptyList")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        self.empty_label.linkActivated.connect(lambda _link: self.clear_filters_requested.emit())
        self.empty_label.hide()

    # -- the empty list ------------------------------------------------------------------------------

    def set_empty_text(self, text: str, way_out: str, *, link: bool) -> None:
        """Why the list is empty, and under it the way out: a link (to clear the filters) or a hint."""
        way = f"<a href='clear'>{escaped(way_out)}</a>" if link else escaped(way_out)
        self.empty_label.setText(f"{escaped(text)}<br>{way}")
        self._update_empty()

    def _update_empty(self) -> None:
        empty = self.topLevelItemCount() == 0
        self.empty_label.setVisible(empty)
        if empty:
            self.empty_label.setGeometry(self.viewport().rect().adjusted(24, 24, -24, -24))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_empty()

    # -- mirroring -----------------------------------------------------------------------------------

    def set_posts(self, posts: Iterable[Post]) -> None:
        with self._keeping_place():
            self.clear()
            self._items.clear()
            self._posts.clear()
            ordered = sorted(posts, key=_sort_key)
            items = []
            for post in ordered:
                item = QTreeWidgetItem()
                self._fill(item, post)
                items.append(item)
            self.addTopLevelItems(items)
        self._update_empty()

    def upsert_post(self, post: Post) -> None:
        item = self._items.get(post.local_id)
        old = self._posts.get(post.local_id)
        if item is not None and old is not None and _sort_key(old) == _sort_key(post):
            self._fill(item, post)  # same place: update the row in place
            return
        with self._rearranging():
            if item is not None:
                self.takeTopLevelItem(self.indexOfTopLevelItem(item))
            item = QTreeWidgetItem()
            self._fill(item, post)
            key = _sort_key(post)
            index = next(
                (i for i in range(self.topLevelItemCount()) if _sort_key(self._posts[self.post_id_at(i)]) > key),
                self.topLevelItemCount(),
            )
            self.insertTopLevelItem(index, item)
        self._update_empty()

    def remove_post(self, local_id: str) -> None:
        item = self._items.pop(local_id, None)
        self._posts.pop(local_id, None)
        if item is not None:
            with self._rearranging():
                self.takeTopLevelItem(self.indexOfTopLevelItem(item))
        self._update_empty()

    @contextlib.contextmanager
    def _rearranging(self) -> Iterator[None]:
        """A row is taken out (and put back elsewhere): the rows being read stay put, and the current row stays
        the user's choice. Qt would make the neighbour of a removed current row current, and Enter or Delete
        would then act on a post the user did not choose: a moved row stays current, a removed one leaves none."""
        current = self.currentItem()
        current_id = current.data(0, POST_ID_ROLE) if current is not None else None
        self.blockSignals(True)
        try:
            with self._keeping_place():
                yield
            if current_id is not None:
                self.setCurrentItem(self._items.get(current_id))
        finally:
            self.blockSignals(False)

    @contextlib.contextmanager
    def _keeping_place(self) -> Iterator[None]:
        """The rows the user is reading stay put while rows come, go or move elsewhere (a sync, a filter):
        the first row on screen stays the first, or the next one after it when it went. Until the user
        scrolls, the list stays on its anchor day instead (the first sync fills an empty list)."""
        top = None if self._following_anchor else self.first_visible_id()
        key = _sort_key(self._posts[top]) if top in self._posts else None
        self._scrolling = True
        try:
            yield
            if key is not None:
                self._scroll_to_first(lambda post: _sort_key(post) >= key)
            elif self._anchor_utc is not None:
                self.scroll_to_time(self._anchor_utc)
        finally:
            self._scrolling = False

    def _fill(self, item: QTreeWidgetItem, post: Post) -> None:
        status = status_label(post.status) + SYNC_SUFFIXES.get(post.sync_state, "")
        blocked = blocked_targets(post, self.accounts, self.clock()) if self.accounts else []
        platforms = ("⚠ " if blocked else "") + platforms_text(post)  # an account cannot post: the tooltip says
        for col, text in enumerate((when_text(post, self.zone), status, platforms, post_summary(post))):
            item.setText(col, text)
        item.setData(0, POST_ID_ROLE, post.local_id)
        # the status cell carries the colour (rows stay readable in long lists); the row has the tooltip
        item.setBackground(1, QBrush(status_fill(post.status)))
        item.setForeground(1, QBrush(status_text_colour()))
        item.setIcon(1, _status_icon(post.status, post.sync_state))
        tip = post_tooltip(post, self.zone, blocked, now=self.clock())
        for col in range(len(self.COLUMNS)):
            item.setToolTip(col, tip)
        self._mark_today(item, post)
        reasons = failure_reasons(post)
        if reasons or sync_mark_meaning(post.sync_state):
            item.setStatusTip(1, " ".join(reasons) or sync_mark_meaning(post.sync_state))
        self._items[post.local_id] = item
        self._posts[post.local_id] = post

    def set_accounts(self, accounts: Mapping[str, Account]) -> None:
        """New accounts (or their health): every row judges its post's platforms again."""
        self.accounts = accounts
        for local_id, item in self._items.items():
            self._fill(item, self._posts[local_id])

    def restyle(self) -> None:
        """A light/dark switch: the rows take the new palette's colours (they were set when filled)."""
        for local_id, item in self._items.items():
            self._fill(item, self._posts[local_id])

    def set_today(self, today: date) -> None:
        if today == self.today:
            return
        self.today = today
        for local_id, item in self._items.items():
            self._mark_today(item, self._posts[local_id])

    def _mark_today(self, item: QTreeWidgetItem, post: Post) -> None:
        """Today's rows: the "When" cell bold on the today colour of the grids."""
        today = post.scheduled_for is not None and utc_to_wall(post.scheduled_for, self.zone).date() == self.today
        font = QFont(item.font(0))
        font.setBold(today)
        item.setFont(0, font)
        item.setBackground(0, QBrush(GridColours().today) if today else QBrush())

    # -- queries and selection -----------------------------------------------------------------------

    def post_id_at(self, row: int) -> str:
        return self.topLevelItem(row).data(0, POST_ID_ROLE)

    def post_ids(self) -> list[str]:
        return [self.post_id_at(i) for i in range(self.topLevelItemCount())]

    def first_visible_id(self) -> str | None:
        """The post of the topmost row on screen."""
        item = self.itemAt(QPoint(4, 2))
        return item.data(0, POST_ID_ROLE) if item is not None else None

    def row_of(self, local_id: str) -> QTreeWidgetItem | None:
        return self._items.get(local_id)

    def scroll_to_time(self, when_utc: datetime) -> None:
        """Bring the first row at or after ``when_utc`` to the top (the list opens on the anchor day)."""
        self._anchor_utc = when_utc
        self._scroll_to_first(lambda post: post.scheduled_for is None or post.scheduled_for >= when_utc)
        self._following_anchor = True

    def _scroll_to_first(self, wanted) -> None:
        scrolling, self._scrolling = self._scrolling, True
        try:
            for row in range(self.topLevelItemCount()):
                if wanted(self._posts[self.post_id_at(row)]):
                    self.scrollToItem(self.topLevelItem(row), QAbstractItemView.ScrollHint.PositionAtTop)
                    return
            self.scrollToBottom()  # all of them are earlier
        finally:
            self._scrolling = scrolling

    def _scrolled(self, _value: int) -> None:
        if not self._scrolling:
            self._following_anchor = False

    def select(self, local_id: str | None) -> None:
        item = self._items.get(local_id) if local_id else None
        self.blockSignals(True)
        try:
            self.setCurrentItem(item)
        finally:
            self.blockSignals(False)

    def _current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None:
            self.post_pressed.emit(current.data(0, POST_ID_ROLE))

    def _context_menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        if item is not None:
            local_id = item.data(0, POST_ID_ROLE)
            self.post_pressed.emit(local_id)
            self.context_menu_requested.emit(local_id, self.viewport().mapToGlobal(pos))
