"""The drafts tray beside the calendar: posts without a time, dragged onto a day or a time slot to schedule them;
a scheduled post dragged here from the calendar goes back to the drafts (the window's bulk commands do that, as
one undoable action; the tray only lights up while it would take the drop). A search box narrows the rows and a
sort box orders them.

The drag carries the posts' local ids (``widgets.post_mime``); the calendar's scene hands a drop to the
operation runner, which checks each post and schedules the accepted ones as one undoable action. The tray
mirrors the store: a change set updates, adds or removes only the rows of the posts it carries.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from latecal.core.models import Post
from latecal.presentation import bulk_texts as words
from latecal.presentation.posts import DRAFTS_HEADING, NO_TEXT, draft_row, post_summary
from latecal.ui.widgets.plain_text import tooltip
from latecal.ui.widgets.post_mime import POST_IDS_MIME, encode_post_ids

_ID_ROLE = Qt.ItemDataRole.UserRole


class DraftsList(QListWidget):
    """The list itself: a drag source for post ids (never a drop target)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)

    def mimeTypes(self) -> list[str]:
        return [POST_IDS_MIME]

    def mimeData(self, items) -> QMimeData:
        return encode_post_ids([item.data(_ID_ROLE) for item in items])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction


class DraftsTray(QWidget):
    #: a draft was double-clicked or Enter was pressed on it: its local id
    open_requested = Signal(str)

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.heading = QLabel(self)
        self.hint = QLabel(words.TRAY_HINT, self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: gray;")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(words.TRAY_SEARCH)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(words.TRAY_SEARCH)
        self.search.textChanged.connect(lambda _text: self._apply_search())
        self.sort_box = QComboBox(self)
        self.sort_box.setAccessibleName(words.TRAY_SORT)
        for key, label in words.TRAY_SORTS:
            self.sort_box.addItem(label, key)
        self.sort_box.currentIndexChanged.connect(lambda _index: self._order(self._sorted_ids()))
        self.list = DraftsList(self)
        self.list.itemActivated.connect(lambda item: self.open_requested.emit(item.data(_ID_ROLE)))
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.search, 1)
        tools.addWidget(self.sort_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addLayout(tools)
        layout.addWidget(self.list, 1)
        self._items: dict[str, QListWidgetItem] = {}
        self._posts: dict[str, Post] = {}
        self.drop_highlight = False
        self.reload()

    def reload(self) -> None:
        """Every draft without a time, most recently edited first (once; change sets keep it in step)."""
        self.list.clear()
        self._items.clear()
        self._posts.clear()
        for post in self.store.unscheduled_drafts():
            self.list.addItem(self._fill(QListWidgetItem(), post))
        self._order(self._sorted_ids())
        self._apply_search()
        self._count()

    def apply_changes(self, changes, _initiator) -> None:
        """Only the rows of the posts in the change set change: a draft that got a time or was deleted leaves,
        one that lost its time arrives, an edited one is filled again; then the rows take the store's order
        (most recently edited first), read as ids alone."""
        touched = False
        for local_id, post in changes.updates():
            if post is None or post.scheduled_for is not None:
                touched |= self._take(local_id) is not None
                continue
            item = self.item_for(local_id)
            if item is None:
                self.list.addItem(self._fill(QListWidgetItem(), post))
            else:
                self._fill(item, post)
            touched = True
        if touched:
            self._order(self._sorted_ids())
            self._apply_search()
            self._count()

    def _order(self, ids: list[str]) -> None:
        """Move rows (not rebuild them) until they stand in the order of ``ids``."""
        row = 0
        for local_id in ids:
            item = self.item_for(local_id)
            if item is None:
                continue
            at = self.list.row(item)
            if at != row:
                self.list.insertItem(row, self.list.takeItem(at))
            row += 1

    def _sorted_ids(self) -> list[str]:
        """The rows' order the sort box asks for (the store's: most recently edited first)."""
        ids = self.store.unscheduled_draft_ids()
        way = self.sort_box.currentData()
        if way == "oldest":
            return ids[::-1]
        if way == "title":
            posts = self._posts
            return sorted(ids, key=lambda i: (post_summary(posts[i]).casefold(), i) if i in posts else ("", i))
        return ids

    def _apply_search(self) -> None:
        """Rows whose text, title or tags hold every word of the search stay; the others are hidden."""
        needles = self.search.text().casefold().split()
        for local_id, item in self._items.items():
            post = self._posts[local_id]
            hay = " ".join([post.content or "", post.title or "", *post.tags]).casefold()
            item.setHidden(not all(n in hay for n in needles))

    def visible_ids(self) -> list[str]:
        """The rows shown (after the search), top to bottom."""
        return [i for i in self.post_ids() if not self._items[i].isHidden()]

    def set_drop_highlight(self, on: bool) -> None:
        """While a scheduled post is dragged over the tray: say that a drop here unschedules it."""
        if on == self.drop_highlight:
            return
        self.drop_highlight = on
        self.hint.setText(words.TRAY_DROP_HERE if on else words.TRAY_HINT)
        self.hint.setStyleSheet("font-weight: bold;" if on else "color: gray;")
        self.list.setStyleSheet("QListWidget { border: 2px dashed palette(highlight); }" if on else "")

    def _fill(self, item: QListWidgetItem, post: Post) -> QListWidgetItem:
        item.setText(draft_row(post))
        item.setData(_ID_ROLE, post.local_id)
        item.setToolTip(tooltip(post.content or post.title or NO_TEXT))
        self._items[post.local_id] = item
        self._posts[post.local_id] = post
        return item

    def _take(self, local_id: str) -> QListWidgetItem | None:
        item = self._items.pop(local_id, None)
        self._posts.pop(local_id, None)
        return None if item is None else self.list.takeItem(self.list.row(item))

    def _count(self) -> None:
        self.heading.setText(f"<b>{DRAFTS_HEADING}</b> ({self.list.count()})")  # our own words: no markup in them

    def post_ids(self) -> list[str]:
        return [self.list.item(i).data(_ID_ROLE) for i in range(self.list.count())]

    def item_for(self, local_id: str) -> QListWidgetItem | None:
        return self._items.get(local_id)
