"""Undoable delete: a confirmed delete is one command in the window's undo history, beside the moves.

Undo puts the post back exactly as it was while the delete is still waiting in the outbox. Once the delete may
have reached Late, the post can only come back as a new edit: as it was when Late may simply create it again (a
draft, or a post scheduled ahead), otherwise as a draft copy, because re-creating a post that has started
publishing or whose time has passed would publish it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from latecal.core.models import Post
from latecal.core.status import is_deletable
from latecal.store.records import OutboxEntry, StoredPost
from latecal.ui.post_actions import duplicate_of
from latecal.ui.post_item import quoted
from latecal.ui.undo_history import push, rebind_commands


def comes_back_as_it_was(post: Post, now: datetime) -> bool:
    """Whether Late may get this post again as it was, even if the delete already reached Late."""
    if post.status == "draft":
        return True
    return post.status == "scheduled" and post.scheduled_for is not None and post.scheduled_for > now


class DeleteCommand(QUndoCommand):
    def __init__(self, deleter: PostDeleter, post: Post) -> None:
        super().__init__(f"Delete {quoted(post, 30)}")
        self.deleter = deleter
        self.local_id = post.local_id  # a draft copy brought back by an undo has its own id
        self.before: StoredPost | None = None
        self.entries: list[OutboxEntry] = []

    def redo(self) -> None:
        done = self.deleter.delete(self.local_id)
        if done is None:
            self.setObsolete(True)  # QUndoStack drops a command that is obsolete after redo
            return
        self.before, self.entries = done

    def undo(self) -> None:
        assert self.before is not None
        restored = self.deleter.restore(self.before, self.entries)
        if restored is None:
            self.setObsolete(True)
        else:
            self.local_id = restored


class PostDeleter(QObject):
    #: a post left the calendar (the Post as it was)
    deleted = Signal(object)
    #: an undo brought a post back: the Post as stored now, why when it came back differently, and the id it
    #: had (a draft copy has its own)
    restored = Signal(object, str, str)
    #: a delete or its undo could not be done: a sentence for the message bar
    refused = Signal(str)

    def __init__(self, store, undo_stack: QUndoStack, *, initiator: object,
                 clock: Callable[[], datetime], sync_provider: Callable[[], object | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = undo_stack
        self.initiator = initiator
        self.clock = clock
        self.sync_provider = sync_provider
        rebind_commands(undo_stack, DeleteCommand, "deleter", self)

    def request(self, post: Post) -> bool:
        """Delete ``post`` (confirmed by the user) as an undoable command; False when it was not deleted."""
        return push(self.undo_stack, DeleteCommand(self, post))

    def delete(self, local_id: str) -> tuple[StoredPost, list[OutboxEntry]] | None:
        """Delete now; returns what an undo needs (the record and its queued pushes), None when not deleted."""
        record = self.store.get_record(local_id)
        if record is None or record.deleted:
            return None
        if not is_deletable(record.post.status):
            self.refused.emit(f"{quoted(record.post)} is {record.post.status} and cannot be deleted.")
            return None
        entries = self.store.outbox_entries(local_id)
        try:
            self.store.delete_post(local_id, initiator=self.initiator)
        except Exception as exc:  # a store error must not leave a half-applied command behind
            self.refused.emit(f"Could not delete {quoted(record.post)}: {exc}")
            return None
        self.deleted.emit(record.post)
        self._sync_now()
        return record, entries

    def restore(self, before: StoredPost, entries: list[OutboxEntry]) -> str | None:
        """Bring the post back; returns the id it has now, None when it could not come back."""
        post = before.post
        note = ""
        try:
            restored = self.store.cancel_delete(before, entries, initiator=self.initiator)
            current = self.store.get_record(post.local_id)
            if restored is None and current is not None and not current.deleted:
                return post.local_id  # already back (e.g. its editor saved it again)
            if restored is None and comes_back_as_it_was(post, self.clock()):
                # a tombstone is brought back by saving it; a post Late deleted is created anew, with a new key
                again = post if current is not None else replace(post, late_id=None, idempotency_key="")
                restored = self.store.save_post(again, initiator=self.initiator)
            elif restored is None:
                restored = self.store.save_post(duplicate_of(post, self.clock()), initiator=self.initiator)
                note = (f"{quoted(post)} may already be deleted on Late, so it came back as a new draft; "
                        "schedule it again to publish it.")
        except Exception as exc:
            self.refused.emit(f"Could not bring back {quoted(post)}: {exc}")
            return None
        self.restored.emit(restored, note, post.local_id)
        self._sync_now()
        return restored.local_id

    def _sync_now(self) -> None:
        sync = self.sync_provider()
        if sync is not None:
            sync.sync_now()
