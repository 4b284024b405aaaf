"""The session's notices beside the problems: each message the window said (the message bar records them), once
per text with how often and when last, newest first. A notice about posts opens the first one still here."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from latecal.presentation import problems_texts as words
from latecal.ui.widgets.plain_text import clipped, tooltip

_IDS_ROLE = Qt.ItemDataRole.UserRole


class NoticesList(QWidget):
    #: a notice about a post was activated: that post's local id
    open_requested = Signal(str)

    def __init__(self, store, *, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.zone = zone
        self.heading = QLabel(f"<b>{words.NOTICES_HEADING}</b>", self)  # our own words: no markup in them
        self.list = QListWidget(self)
        self.list.setAccessibleName(words.NOTICES_HEADING)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._open)
        self.empty_label = QLabel(words.NO_NOTICES, self)
        self.empty_label.setStyleSheet("color: gray;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list, 1)
        self._items: dict[str, QListWidgetItem] = {}

    def add(self, notice) -> None:
        """A message the window said (``message_bar.SessionNotice``): a new row, or its row counted again and
        moved to the top."""
        item = self._items.pop(notice.text, None)
        if item is not None:
            self.list.takeItem(self.list.row(item))
        else:
            item = QListWidgetItem()
        item.setText(clipped(words.notice_row(notice.text, notice.count, notice.last_at, self.zone), 1200))
        item.setToolTip(tooltip(notice.text))
        item.setData(_IDS_ROLE, notice.local_ids)
        self.list.insertItem(0, item)
        self._items[notice.text] = item
        self.empty_label.hide()

    def texts(self) -> list[str]:
        return [self.list.item(n).text() for n in range(self.list.count())]

    def _open(self, item: QListWidgetItem) -> None:
        for local_id in item.data(_IDS_ROLE) or ():
            if self.store.get_post(local_id) is not None:
                self.open_requested.emit(local_id)
                return
