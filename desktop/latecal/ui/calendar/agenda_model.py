"""The List's rows as a Qt model: a sorted list of keys, each row's text, colours and tooltip made when the view
asks for it.

Built for tens of thousands of rows: the model holds one key per row (time, id) and the posts it was handed or
has read; a row a view paints for the first time reads its post (and its neighbours', in one query) through
``fetch``. Inserting, moving or removing a row is a binary search and one ``beginInsertRows``/``beginRemoveRows``:
never a scan, a re-sort or a reset of the other rows.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

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

POST_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("When", "Status", "Platforms", "Post")
#: rows read in one query when the view first paints a row whose post is not held (a screen and a half)
FETCH_AROUND = 60

#: (posts without a time last, scheduled time in µs, id): the List's order, as the store's search returns it
RowKey = tuple[bool, int, str]
Fetch = Callable[[list[str]], Mapping[str, Post]]

_ICONS: dict[tuple[str, str], QIcon] = {}
_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.StatusTipRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole, POST_ID_ROLE,
})


class _Look(NamedTuple):
    texts: tuple[str, str, str, str]
    status: str
    sync_state: str
    today: bool
    status_tip: str | None
    today_fill: QBrush | None
    status_fill: QBrush
    status_text: QBrush


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


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def row_key(post: Post) -> RowKey:
    when = post.scheduled_for
    micros = 0 if when is None else (when - _EPOCH) // _MICROSECOND
    return (when is None, micros, post.local_id)


def key_of(scheduled_us: int | None, local_id: str) -> RowKey:
    """A row's key from the store's (scheduled_us, local_id)."""
    return (scheduled_us is None, scheduled_us or 0, local_id)


class AgendaModel(QAbstractTableModel):
    def __init__(self, zone: ZoneInfo, parent=None) -> None:
        super().__init__(parent)
        self.zone = zone
        self.keys: list[RowKey] = []  # sorted: row n is keys[n]
        self.key_by_id: dict[str, RowKey] = {}
        self.posts: dict[str, Post] = {}  # the posts read so far (a row's post is read when first shown)
        self.fetch: Fetch | None = None
        self.accounts: Mapping[str, Account] = {}
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.today: date | None = None
        # what each shown row's cells say, made once per version of its post: a repaint reads, never composes
        self._looks: dict[str, _Look] = {}
        self.bold = QFont()  # today's "When" cells (the view sets it from its own font)
        self.bold.setBold(True)

    # -- the rows --------------------------------------------------------------------------------------------

    def reset(self, keys: Iterable[RowKey], posts: Iterable[Post] = ()) -> None:
        """All rows anew (a navigation or a filter): ``keys`` in any order, ``posts`` those already read."""
        self.beginResetModel()
        self.keys = sorted(keys)
        self.key_by_id = {key[2]: key for key in self.keys}
        self.posts = {p.local_id: p for p in posts}
        self._looks.clear()
        self.endResetModel()

    def upsert(self, post: Post) -> None:
        """One post is new or changed: its row is updated in place, or moved, or inserted where it belongs."""
        key = row_key(post)
        old = self.key_by_id.get(post.local_id)
        self.posts[post.local_id] = post
        self._looks.pop(post.local_id, None)
        if old == key:
            row = bisect.bisect_left(self.keys, key)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        if old is not None:
            self.remove(post.local_id, forget=False)
        row = bisect.bisect_left(self.keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self.keys.insert(row, key)
        self.key_by_id[post.local_id] = key
        self.endInsertRows()

    def remove(self, local_id: str, *, forget: bool = True) -> None:
        key = self.key_by_id.pop(local_id, None)
        if forget:
            self.posts.pop(local_id, None)
            self._looks.pop(local_id, None)
        if key is None:
            return
        row = bisect.bisect_left(self.keys, key)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.keys[row]
        self.endRemoveRows()

    def row_of(self, local_id: str) -> int | None:
        key = self.key_by_id.get(local_id)
        return None if key is None else bisect.bisect_left(self.keys, key)

    def post_at(self, row: int) -> Post | None:
        local_id = self.keys[row][2]
        post = self.posts.get(local_id)
        if post is None and self.fetch is not None:
            # the rows around it too: a view paints a screenful at once, one query instead of forty
            wanted = [k[2] for k in self.keys[max(row - FETCH_AROUND // 3, 0):row + FETCH_AROUND]
                      if k[2] not in self.posts]
            self.posts.update(self.fetch(wanted))
            post = self.posts.get(local_id)
        return post

    def refresh_all(self) -> None:
        """Every row's look is judged again (accounts, palette, today): the views repaint what they show."""
        self._looks.clear()
        if self.keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.keys) - 1, len(COLUMNS) - 1))

    # -- Qt's model interface ---------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.keys)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def look_at(self, row: int) -> _Look | None:
        """What row ``row`` shows (made on its first showing, kept until its post changes)."""
        local_id = self.keys[row][2]
        look = self._looks.get(local_id)
        if look is None:
            post = self.post_at(row)
            if post is None:
                return None
            look = self._looks[local_id] = self._look(post)
        return look

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid():
            return None
        row, col = index.row(), index.column()
        local_id = self.keys[row][2]
        if role == POST_ID_ROLE:
            return local_id
        look = self.look_at(row)
        if look is None:  # deleted since the rows were listed: its change set removes the row next
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return look.texts[col]
        if role == Qt.ItemDataRole.ToolTipRole:  # made when asked: hovering is rare, rows are many
            post = self.post_at(row)
            return post_tooltip(post, self.zone, self._blocked(post), now=self.clock()) if post else None
        if col == 0:
            if role == Qt.ItemDataRole.FontRole:
                return self.bold if look.today else None
            if role == Qt.ItemDataRole.BackgroundRole:
                return look.today_fill
            return None
        if col != 1:
            return None
        # the status cell carries the colour (rows stay readable in long lists)
        if role == Qt.ItemDataRole.BackgroundRole:
            return look.status_fill
        if role == Qt.ItemDataRole.ForegroundRole:
            return look.status_text
        if role == Qt.ItemDataRole.DecorationRole:
            return _status_icon(look.status, look.sync_state)
        if role == Qt.ItemDataRole.StatusTipRole:
            return look.status_tip
        return None

    def _look(self, post: Post) -> _Look:
        blocked = self._blocked(post)
        texts = (
            when_text(post, self.zone),
            status_label(post.status) + SYNC_SUFFIXES.get(post.sync_state, ""),
            ("⚠ " if blocked else "") + platforms_text(post),  # an account that cannot post: the tooltip says why
            post_summary(post),
        )
        status_tip = " ".join(failure_reasons(post)) or sync_mark_meaning(post.sync_state) or None
        today = self._is_today(post)
        # brushes of the palette in force (a light/dark switch clears the looks: restyle → refresh_all)
        return _Look(texts, post.status, post.sync_state, today, status_tip,
                     QBrush(GridColours().today) if today else None, QBrush(status_fill(post.status)),
                     QBrush(status_text_colour()))

    def _blocked(self, post: Post):
        return blocked_targets(post, self.accounts, self.clock()) if self.accounts else []

    def _is_today(self, post: Post) -> bool:
        return (self.today is not None and post.scheduled_for is not None
                and utc_to_wall(post.scheduled_for, self.zone).date() == self.today)


_HAS_TEXT = QStyleOptionViewItem.ViewItemFeature.HasDisplay
_HAS_ICON = QStyleOptionViewItem.ViewItemFeature.HasDecoration


class AgendaDelegate(QStyledItemDelegate):
    """Paints a cell from its row's look in one call, where Qt's own delegate asks the model for eight roles per
    cell (a repaint during a sync would otherwise cost a thousand Python calls)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        model: AgendaModel = index.model()  # type: ignore[assignment]
        look = model.look_at(index.row())
        option.index = index
        if look is None:
            return
        col = index.column()
        option.text = look.texts[col]
        option.features |= _HAS_TEXT
        if col == 0 and look.today:
            option.font = model.bold
            option.fontMetrics = QFontMetrics(model.bold)
            option.backgroundBrush = look.today_fill
        elif col == 1:
            option.backgroundBrush = look.status_fill
            option.palette.setBrush(QPalette.ColorRole.Text, look.status_text)
            option.icon = _status_icon(look.status, look.sync_state)
            option.features |= _HAS_ICON
            option.decorationSize = option.icon.actualSize(option.decorationSize)
