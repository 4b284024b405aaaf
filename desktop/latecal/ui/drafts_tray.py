"""The drafts tray beside the calendar: posts without a time, dragged onto a day or a time slot to schedule them.

The drag carries ``application/x-latecal-post-ids`` (local ids, one per line). A scene's drop hands the ids
and the slot to ``DraftScheduler.drop``, which checks each post with core's ``validate_post`` (intent
"schedule") and stores the accepted ones through one undoable command each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from latecal.core.calendar_geometry import move_keep_time
from latecal.core.models import Post
from latecal.core.platforms import glyph
from latecal.core.zones import local_to_utc, utc_to_wall
from latecal.ui import time_format
from latecal.ui.post_item import first_words, post_summary, quoted
from latecal.ui.reschedule import refusal_reason, status_refusal
from latecal.ui.undo_history import push, rebind_commands

POST_IDS_MIME = "application/x-latecal-post-ids"
DROP_DEFAULT_TIME = time(9, 0)  # a draft dropped on a month day goes out at 09:00 local


def encode_post_ids(ids: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData(POST_IDS_MIME, "\n".join(ids).encode())
    return mime


def decode_post_ids(mime: QMimeData | None) -> list[str]:
    if mime is None or not mime.hasFormat(POST_IDS_MIME):
        return []
    raw = bytes(mime.data(POST_IDS_MIME).data()).decode(errors="replace")
    return [line.strip() for line in raw.splitlines() if line.strip()]


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
        return encode_post_ids([item.data(Qt.ItemDataRole.UserRole) for item in items])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction


class DraftsTray(QWidget):
    #: a draft was double-clicked or Enter was pressed on it: its local id
    open_requested = Signal(str)
    _store_changed = Signal(object, object)

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.heading = QLabel(self)
        self.hint = QLabel("Drag a draft onto a day or a time to schedule it.", self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: gray;")
        self.list = DraftsList(self)
        self.list.itemActivated.connect(lambda item: self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        self._store_changed.connect(self._on_store_changed)
        self._unsubscribe: Callable[[], None] | None = store.subscribe(
            lambda changes, initiator: self._store_changed.emit(changes, initiator)
        )
        self.reload()

    def reload(self) -> None:
        drafts = self.store.unscheduled_drafts()
        self.list.clear()
        for post in drafts:
            platforms = " ".join(dict.fromkeys(glyph(p) for p in post.platforms)) or "no accounts"
            item = QListWidgetItem(f"{first_words(post_summary(post), 60)}\n{platforms} · {post.status}")
            item.setData(Qt.ItemDataRole.UserRole, post.local_id)
            item.setToolTip(post.content or post.title or "(no text)")
            self.list.addItem(item)
        self.heading.setText(f"<b>Drafts without a time</b> ({len(drafts)})")

    def post_ids(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def item_for(self, local_id: str) -> QListWidgetItem | None:
        return next((self.list.item(i) for i in range(self.list.count())
                     if self.list.item(i).data(Qt.ItemDataRole.UserRole) == local_id), None)

    def _on_store_changed(self, changes, _initiator) -> None:
        if changes:
            self.reload()  # one indexed query; the tray holds a handful of rows

    def shutdown(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


class ScheduleDraftCommand(QUndoCommand):
    """Give a draft a time and schedule it; undo puts the previous time and status back."""

    def __init__(self, scheduler: DraftScheduler, post: Post, when: datetime) -> None:
        shown = utc_to_wall(when, scheduler.zone)
        super().__init__(f"Schedule {quoted(post, 30)} for {time_format.day_and_clock(shown)}")
        self.scheduler = scheduler
        self.local_id = post.local_id
        self.before = (post.scheduled_for, post.status)
        self.after = (when, "scheduled")

    def redo(self) -> None:
        if not self.scheduler.apply(self.local_id, *self.after, expected=self.before[0]):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.scheduler.apply(self.local_id, *self.before, expected=self.after[0]):
            self.setObsolete(True)


class DraftScheduler(QObject):
    #: a post was stored with its new time: the window shows it at once
    saved = Signal(object)
    #: a sentence for the message bar
    refused = Signal(str)

    def __init__(self, store, zone: ZoneInfo, undo_stack: QUndoStack, *, initiator: object,
                 clock: Callable[[], datetime] | None = None, sync_provider: Callable[[], object | None] = lambda: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.zone = zone
        self.undo_stack = undo_stack
        self.initiator = initiator
        self.clock = clock or (lambda: datetime.now(UTC))
        self.sync_provider = sync_provider
        rebind_commands(undo_stack, ScheduleDraftCommand, "scheduler", self)

    def time_for(self, post: Post, day: date, exact: datetime | None) -> datetime:
        """The snapped slot time (week/day), else the post's planned time of day or 09:00 on ``day`` (month)."""
        if exact is not None:
            return exact
        if post.scheduled_for is not None:
            return move_keep_time(post.scheduled_for, day, self.zone)
        return local_to_utc(day, DROP_DEFAULT_TIME, self.zone)

    def drop(self, ids: list[str], day: date, exact: datetime | None) -> bool:
        """Schedule the dropped posts; each refusal is said with core's reason. True when any was scheduled."""
        from latecal.core.validation import validate_post  # here: the tray is on the first paint, a drop is not

        accounts = {a.id: a for a in self.store.accounts()}
        scheduled = False
        for local_id in ids:
            post = self.store.get_post(local_id)
            if post is None:
                continue
            when = self.time_for(post, day, exact)
            problems = validate_post(replace(post, scheduled_for=when, status="scheduled"), accounts,
                                     now=self.clock(), intent="schedule", zone=self.zone.key,
                                     time_text=time_format.day_and_clock)
            if problems:
                self.refused.emit(f"{quoted(post)} was not scheduled: {problems[0].message}"
                                  + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""))
                continue
            scheduled = push(self.undo_stack, ScheduleDraftCommand(self, post, when)) or scheduled
        return scheduled

    def apply(self, local_id: str, when: datetime | None, status: str, *, expected: datetime | None) -> bool:
        """Store the post at ``when`` with ``status``; refused when it is no longer at ``expected`` (changed
        since: the undo or redo would throw the newer time away) or Late no longer takes a change."""
        post = self.store.get_post(local_id)
        if post is None:
            return False
        if post.scheduled_for != expected:
            self.refused.emit(f"{quoted(post)} has been changed since, so scheduling it is not undone or redone.")
            return False
        if (why := status_refusal(post)) is not None:  # e.g. an undo after Late published it
            self.refused.emit(f"{quoted(post)} cannot be changed: {why}.")
            return False
        if status == "scheduled" and when is not None and (why := refusal_reason(post, when, self.clock(), self.zone)):
            self.refused.emit(why)  # a redo after that time passed: Late would publish it at once
            return False
        try:
            saved = self.store.save_post(post.moved_to(when, status=status), initiator=self.initiator)
        except Exception as exc:  # a store error must not leave a half-applied command behind
            self.refused.emit(f"Could not schedule the draft: {exc}")
            return False
        self.saved.emit(saved)
        sync = self.sync_provider()
        if sync is not None:
            sync.sync_now()
        return True
