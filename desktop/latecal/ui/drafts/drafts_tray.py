"""The drafts tray beside the calendar: posts without a time, dragged onto a day or a time slot to schedule them.

The drag carries the posts' local ids (``widgets.post_mime``); the calendar's scene hands a drop to the
operation runner, which checks each post and schedules the accepted ones as one undoable action. The tray
mirrors the store: a change set updates, adds or removes only the rows of the posts it carries.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from latecal.core.models import Post
from latecal.presentation.posts import DRAFTS_HEADING, NO_TEXT, draft_row
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
        self.hint = QLabel("Drag a draft onto a day or a time to schedule it.", self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: gray;")
        self.list = DraftsList(self)
        self.list.itemActivated.connect(lambda item: self.open_requested.emit(item.data(_ID_ROLE)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        self._items: dict[str, QListWidgetItem] = {}
        self.reload()

    def reload(self) -> None:
        """Every draft without a time, most recently edited first (once; change sets keep it in step)."""
        self.list.clear()
        self._items.clear()
        for post in self.store.unscheduled_drafts():
            self.list.addItem(self._fill(QListWidgetItem(), post))
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
            self._order(self.store.unscheduled_draft_ids())
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

    def _fill(self, item: QListWidgetItem, post: Post) -> QListWidgetItem:
        item.setText(draft_row(post))
        item.setData(_ID_ROLE, post.local_id)
        item.setToolTip(tooltip(post.content or post.title or NO_TEXT))
        self._items[post.local_id] = item
        return item

    def _take(self, local_id: str) -> QListWidgetItem | None:
        item = self._items.pop(local_id, None)
        return None if item is None else self.list.takeItem(self.list.row(item))

    def _count(self) -> None:
        self.heading.setText(f"<b>{DRAFTS_HEADING}</b> ({self.list.count()})")  # our own words: no markup in them

    def post_ids(self) -> list[str]:
        return [self.list.item(i).data(_ID_ROLE) for i in range(self.list.count())]

    def item_for(self, local_id: str) -> QListWidgetItem | None:
        return self._items.get(local_id)
