"""Drag-to-reschedule: validation, one QUndoCommand per accepted move, and revert when Late rejects it.

Every accepted move (and its undo and redo) is one ``store.save_post`` transaction — post row plus outbox
entry, committed before any network I/O — followed by ``sync.sync_now()`` so it is pushed at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from latecal.core.models import Post
from latecal.core.status import is_reschedulable
from latecal.core.text import sentence
from latecal.core.zones import utc_to_wall
from latecal.ui import time_format
from latecal.ui.palette import status_label
from latecal.ui.post_item import quoted
from latecal.ui.undo_history import push, rebind_commands

PAST_GRACE = timedelta(seconds=60)  # a drop onto "now" is not refused because the drag took a few seconds


def status_refusal(post: Post) -> str | None:
    """Why Late no longer takes a new time (or a return to the drafts) for this post; None when it does."""
    if is_reschedulable(post.status):
        return None
    return {
        "published": "it has already been published",
        "publishing": "it is being published right now",
        "partial": "it has already gone out on some platforms (retry the failed ones instead)",
    }.get(post.status, f"its status is “{status_label(post.status)}”")


def refusal_reason(post: Post | None, new_utc: datetime, now: datetime, zone: ZoneInfo) -> str | None:
    """Why this move must not happen, in words for the message bar; None when it may."""
    if post is None:
        return "That post no longer exists."
    if (why := status_refusal(post)) is not None:
        return f"{quoted(post)} cannot be moved: {why}."
    name = quoted(post)
    if new_utc < now - PAST_GRACE:
        when = time_format.day_and_clock(utc_to_wall(new_utc, zone))
        return f"{name} cannot be moved to {when}: that time has passed."
    return None


class RescheduleCommand(QUndoCommand):
    def __init__(self, controller: RescheduleController, post: Post, new_utc: datetime, zone: ZoneInfo) -> None:
        when = time_format.day_and_clock(utc_to_wall(new_utc, zone))
        super().__init__(f"Move {quoted(post, 30)} to {when}")
        self.controller = controller
        self.local_id = post.local_id
        self.old_utc = post.scheduled_for
        self.new_utc = new_utc
        self.reverting = False  # Late rejected the move: this undo is final

    def redo(self) -> None:
        if not self.controller.apply(self.local_id, self.new_utc, expected=self.old_utc):
            self.setObsolete(True)  # QUndoStack drops a command that is obsolete after redo
            return
        self.controller.await_late(self)

    def undo(self) -> None:
        self.controller.await_late(None)
        ok = self.controller.apply(self.local_id, self.old_utc, expected=self.new_utc, force=self.reverting)
        if self.reverting or not ok:
            self.setObsolete(True)


class RescheduleController(QObject):
    #: a move was refused or reverted: a sentence for the message bar
    refused = Signal(str)
    #: a move was stored: the saved post (views apply it at once and skip the store's echo)
    saved = Signal(object)

    def __init__(
        self,
        store,
        zone: ZoneInfo,
        *,
        initiator: object,
        sync=None,
        clock: Callable[[], datetime] | None = None,
        undo_stack: QUndoStack | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.zone = zone
        self.initiator = initiator
        self.sync = None
        self.clock = clock or (lambda: datetime.now(UTC))
        # A stack handed over from an earlier window on the same store (a setting rebuilt the window): its
        # moves stay undoable, now through this controller.
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        rebind_commands(self.undo_stack, RescheduleCommand, "controller", self)
        #: the post whose refused move the last sync report put back (its message is already shown)
        self.reverted_id: str | None = None
        # The last move made (not undone) and the post's edit stamp right after it, until Late has it: only
        # that move, and only while it is the post's latest edit, is put back when Late refuses the post.
        self._awaiting: tuple[RescheduleCommand, object] | None = None
        if sync is not None:
            self.attach_sync(sync)

    def attach_sync(self, sync) -> None:
        self.sync = sync
        sync.finished.connect(self.on_sync_finished)

    def request_move(self, local_id: str, new_utc: datetime) -> bool:
        """A drop: refuse with a reason, or push an undoable command that stores the move at once."""
        post = self.store.get_post(local_id)
        reason = refusal_reason(post, new_utc, self.clock(), self.zone)
        if reason is not None:
            self.refused.emit(reason)
            return False
        assert post is not None
        return push(self.undo_stack, RescheduleCommand(self, post, new_utc, self.zone))

    def apply(self, local_id: str, when: datetime | None, *, expected: datetime | None, force: bool = False) -> bool:
        """Store ``local_id`` at ``when`` (undo/redo re-check the rules unless Late already decided). Refused
        when the post is no longer at ``expected``: it was moved since (the editor, a sync), and undoing this
        move would silently throw that newer time away."""
        post = self.store.get_post(local_id)
        if post is not None and post.scheduled_for != expected:
            now_at = (time_format.day_and_clock(utc_to_wall(post.scheduled_for, self.zone))
                      if post.scheduled_for else "no time")
            self.refused.emit(f"{quoted(post)} has been changed since (it is now at {now_at}), "
                              "so that move is not undone or redone.")
            return False
        if not force and when is not None:
            reason = refusal_reason(post, when, self.clock(), self.zone)
            if reason is not None:
                self.refused.emit(reason)
                return False
        if post is None:
            return False
        try:
            saved = self.store.save_post(post.moved_to(when), initiator=self.initiator)
        except Exception as exc:  # a store error must not leave a half-applied command behind
            self.refused.emit(f"Could not save the move: {exc}")
            return False
        self.saved.emit(saved)
        if self.sync is not None:
            self.sync.sync_now()
        return True

    def await_late(self, command: RescheduleCommand | None) -> None:
        record = None if command is None else self.store.get_record(command.local_id)
        self._awaiting = None if record is None else (command, record.local_updated_at)

    def on_sync_finished(self, report) -> None:
        """Late rejected the last move: put the post back and say why (the command leaves the stack).
        A refusal of anything else (a later edit of the post, an undo, a retry) leaves the moves alone."""
        rejected = getattr(report, "rejected", None) or {}
        self.reverted_id = None
        if self._awaiting is None:
            return
        command, stamp = self._awaiting
        if command.local_id not in rejected:
            if not self.store.outbox_entries(command.local_id):
                self._awaiting = None  # Late has the move
            return
        self._awaiting = None
        record = self.store.get_record(command.local_id)
        index = self.undo_stack.index()
        if record is None or record.local_updated_at != stamp or index == 0 \
                or self.undo_stack.command(index - 1) is not command:
            return  # edited since the move (or the history moved on): Late refused that, not the move
        if not any(e.parked and e.op != "retry" for e in self.store.outbox_entries(command.local_id)):
            return  # Late took the move; what it refused was a retry of the post's failed platforms
        post = self.store.get_post(command.local_id)
        name = quoted(post) if post else "The post"
        command.reverting = True
        self.reverted_id = command.local_id
        self.undo_stack.undo()
        back = time_format.day_and_clock(utc_to_wall(command.old_utc, self.zone)) if command.old_utc else "its old time"
        self.refused.emit(f"Late refused moving {name}: {sentence(rejected[command.local_id])} It is back at {back}.")
