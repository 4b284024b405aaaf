"""The operation runner: every user action goes through here, as one command in the one undo history (or, for
what cannot be undone, straight to its operation), and what the user should hear comes out of ``message``.

The runner outlives a window, as its history does: a setting that rebuilds the window hands both to the new one
(``configure`` gives it the new window's zone and clock). The store's change set, not the runner, tells the
views what changed; the sync engine wakes by itself when an operation queues a push.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from latecal.core.lifecycle import user_edit
from latecal.core.models import Post
from latecal.core.scheduling import move_refusal
from latecal.operations.placement import Placement, Verb
from latecal.presentation import messages as say
from latecal.store.records import Op
from latecal.ui.app.commands import CreateCommand, DeleteCommand, PlaceCommand, SaveCommand, stamp_of

if TYPE_CHECKING:  # each action imports its operation when it first runs: none of them is on the first paint
    from latecal.operations.conflicts import Keep
    from latecal.operations.removal import Deleted, Deletion, Restoration
    from latecal.operations.result import OpResult


class OperationRunner(QObject):
    #: something to tell the user: a presentation ``Message``
    message = Signal(object)
    #: a delete went through (a ``Deletion``), also on a redo
    deleted = Signal(object)
    #: an undo brought deleted posts back (a ``Restoration``)
    restored = Signal(object)

    def __init__(self, store, *, zone: ZoneInfo, clock: Callable[[], datetime] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.zone = zone
        self.clock = clock or (lambda: datetime.now(UTC))
        self.undo_stack = QUndoStack(self)
        #: the post whose refused move the last sync report put back (its message is already shown)
        self.reverted_id: str | None = None
        # The last move made (not undone) and the post's edit stamp right after it, until Late has it: only
        # that move, and only while it is the post's latest edit, is put back when Late refuses the post.
        self._awaiting: tuple[PlaceCommand, datetime | None] | None = None

    def configure(self, *, zone: ZoneInfo, clock: Callable[[], datetime]) -> None:
        """A new window on the same store: times are now worded in its zone, "now" is its clock."""
        self.zone, self.clock = zone, clock

    # -- running -----------------------------------------------------------------------------------------

    def run(self, operation: Callable[[object], OpResult], *, initiator: object | None = None,
            quiet: bool = False) -> OpResult:
        """Run ``operation(initiator)`` now and say what it has to say (``quiet``: the caller says it, e.g. an
        editor in its own status line)."""
        result = operation(initiator if initiator is not None else self)
        if result.message is not None and not quiet:
            self.message.emit(result.message)
        return result

    def push(self, command: QUndoCommand) -> bool:
        """Apply ``command`` through the history; False when it did nothing (obsolete after its redo, so
        dropped). Compares the index, not the count. Like any push, one that does nothing still ends what could
        be redone: the user did something new."""
        before = self.undo_stack.index()
        self.undo_stack.push(command)
        return self.undo_stack.index() > before

    # -- the actions, as the window and the editors ask for them --------------------------------------------

    def move(self, local_id: str, new_utc: datetime) -> bool:
        """A drop or a nudge: refused with a reason, or one undoable command."""
        post = self.store.get_post(local_id)
        refusal = move_refusal(post, new_utc, self.clock())
        if refusal is not None:
            self.message.emit(say.problem(say.move_refused(post, refusal, new_utc, self.zone)))
            return False
        assert post is not None
        text = say.move_title(post, new_utc, self.zone)
        return self.push(PlaceCommand(self, text, Verb.MOVE, [Placement(local_id, new_utc, post.scheduled_for)], {}))

    def move_platforms(self, local_id: str, account_ids: Sequence[str], old_utc: datetime, new_utc: datetime
                       ) -> bool:
        """A drop of one chip of a post that goes out at several times: only those platforms move."""
        from latecal.core.target_times import target_move_refusal
        from latecal.presentation.platform_times_texts import move_platforms_title

        post = self.store.get_post(local_id)
        refusal = target_move_refusal(post, account_ids, new_utc, self.clock())
        if refusal is not None:
            self.message.emit(say.problem(say.move_refused(post, refusal, new_utc, self.zone)))
            return False
        assert post is not None
        platforms = [t.platform for t in post.targets if t.account_id in set(account_ids)]
        text = move_platforms_title(post, platforms, new_utc, self.zone)
        placement = Placement(local_id, new_utc, old_utc, accounts=tuple(account_ids))
        return self.push(PlaceCommand(self, text, Verb.MOVE, [placement], {}))

    def schedule_drafts(self, local_ids: Sequence[str], day: date, exact: datetime | None) -> bool:
        """Drafts dropped on the calendar; each must meet every rule for scheduling. True when any was scheduled."""
        from latecal.operations import placing

        placements, refused = placing.schedule_drafts(self.store, local_ids, day, exact, now=self.clock(),
                                                      zone=self.zone, initiator=self)
        if refused.message is not None:
            self.message.emit(refused.message)
        if not placements:
            return False
        posts = {p.local_id: self.store.get_post(p.local_id) for p in placements}
        first = posts[placements[0].local_id]
        assert first is not None and placements[0].when is not None
        text = say.schedule_title(first, placements[0].when, self.zone, count=len(placements))
        statuses = {i: p.status for i, p in posts.items() if p is not None}
        return self.push(PlaceCommand(self, text, Verb.SCHEDULE, placements, statuses))

    def delete(self, local_ids: Sequence[str]) -> Deletion | None:
        """A confirmed delete, as one command; None when nothing was deleted."""
        posts = [p for i in local_ids if (p := self.store.get_post(i)) is not None]
        if not posts:
            return None
        made: list[OpResult] = []
        self.push(DeleteCommand(self, say.delete_title(posts[0]), [p.local_id for p in posts], first=made))
        result: Deletion | None = made[0] if made else None  # type: ignore[assignment]
        return result if result is not None and result.deleted else None

    def duplicate(self, local_ids: Sequence[str]) -> OpResult | None:
        """Copies as new drafts; None when nothing was copied."""
        from latecal.operations import copies

        originals = [p for i in local_ids if (p := self.store.get_post(i)) is not None]
        if not originals:
            return None
        made: list[OpResult] = []  # the first redo's result (the command may be dropped by then)
        self.push(CreateCommand(self, say.duplicate_title(originals[0]), lambda: self.run(
            lambda i: copies.duplicate_posts(self.store, local_ids, now=self.clock(), initiator=i)), first=made))
        return made[0] if made and made[0].posts else None

    def save(self, post: Post, *, initiator: object, undoable: bool = True) -> OpResult:
        """An editor's save: one command in the history (unless it cannot be undone, e.g. Publish now)."""
        from latecal.operations import edits

        def save() -> OpResult:
            return self.run(lambda i: edits.save_post(self.store, post, initiator=i), initiator=initiator, quiet=True)

        before = self.store.get_post(post.local_id)
        if not undoable or (before is not None and user_edit(before) == user_edit(post)):
            return save()  # nothing to undo (a save that changes nothing still sends a refused edit again)
        made: list[OpResult] = []
        if before is None:
            self.push(CreateCommand(self, say.create_title(post), save, first=made))
        else:
            self.push(SaveCommand(self, say.save_title(post), before, save, first=made))
        return made[0]

    def save_as_new_draft(self, post: Post, *, initiator: object) -> OpResult:
        from latecal.operations import edits

        made: list[OpResult] = []
        self.push(CreateCommand(self, say.create_title(post), lambda: self.run(
            lambda i: edits.save_as_new_draft(self.store, post, now=self.clock(), initiator=i), initiator=initiator,
            quiet=True), first=made))
        return made[0]

    # -- recurring posts (ui/app/series_commands.py): each one step in the history --------------------------

    def save_repeating(self, post: Post, rule, *, initiator: object) -> OpResult:
        from latecal.ui.app import series_commands

        return series_commands.save_repeating(self, post, rule, initiator=initiator)

    def edit_series(self, post: Post, scope: str, rule, *, initiator: object) -> OpResult:
        from latecal.ui.app import series_commands

        return series_commands.edit_series(self, post, scope, rule, initiator=initiator)

    def skip_occurrence(self, local_id: str) -> OpResult:
        from latecal.ui.app import series_commands

        return series_commands.skip_occurrence(self, local_id)

    def save_and_stop(self, post: Post, *, initiator: object) -> OpResult:
        from latecal.ui.app import series_commands

        return series_commands.save_and_stop(self, post, initiator=initiator)

    def stop_series(self, local_id: str) -> OpResult:
        from latecal.ui.app import series_commands

        return series_commands.stop_series(self, local_id)

    def retry(self, local_ids: Sequence[str]) -> OpResult:
        """Not undoable: Late publishes the failed platforms again at once."""
        from latecal.operations import retries

        return self.run(lambda initiator: retries.retry_posts(self.store, local_ids, initiator=initiator,
                                                                    now=self.clock()))

    def resolve(self, local_id: str, keep: Keep, *, initiator: object | None = None) -> OpResult:
        """Not undoable: one side's edits are sent over the other's, or dropped."""
        from latecal.operations.conflicts import resolve_conflict

        return self.run(lambda i: resolve_conflict(self.store, local_id, keep, now=self.clock(), initiator=i),
                        initiator=initiator)

    async def queue_post(self, post: Post, schedule, profile_name: str, client, *, initiator: object) -> OpResult:
        """Not undoable: Late puts the new post into the queue's next free slot at once (the editor says so)."""
        from latecal.operations import queue

        return await queue.queue_post(self.store, client, post, schedule, profile_name, zone=self.zone,
                                      initiator=initiator)

    async def save_queue(self, schedule, slots, profile_name: str, client, *, reshuffle: bool):
        """Not undoable: Late keeps the queue's new slots (and moves queued posts when asked) at once."""
        from latecal.operations import queue

        saved = await queue.save_queue(self.store, client, schedule, slots, profile_name, reshuffle=reshuffle)
        self.message.emit(saved.message)
        return saved

    # -- what the commands run (each is one operation) ---------------------------------------------------------

    def place(self, placements: Sequence[Placement], verb: Verb, *, checked: bool = True) -> OpResult:
        from latecal.operations import placing

        return self.run(lambda initiator: placing.place(self.store, placements, verb=verb, now=self.clock(),
                                                        zone=self.zone, initiator=initiator, checked=checked))

    def put_back(self, version: Post, expected: Post) -> OpResult:
        from latecal.operations import edits

        return self.run(lambda initiator: edits.put_back(self.store, version, expected=expected, now=self.clock(),
                                                         zone=self.zone, initiator=initiator))

    def delete_now(self, local_ids: Sequence[str], *, unchanged: Mapping[str, Post] | None = None) -> Deletion:
        from latecal.operations import removal

        result = removal.delete_posts(self.store, local_ids, initiator=self, unchanged=unchanged)
        if result.deleted:
            self.deleted.emit(result)
        if result.message is not None and result.message.problem:
            self.message.emit(result.message)
        return result

    def restore_now(self, deleted: Sequence[Deleted]) -> Restoration:
        from latecal.operations import removal

        result = removal.restore_posts(self.store, deleted, now=self.clock(), initiator=self)
        if result.posts:
            self.restored.emit(result)
        elif result.message is not None:
            self.message.emit(result.message)
        return result

    # -- Late's verdict on the last move ----------------------------------------------------------------------

    def await_late(self, command: PlaceCommand | None) -> None:
        single_move = command is not None and command.verb is Verb.MOVE and len(command.forward) == 1
        self._awaiting = (command, stamp_of(self.store, command.local_ids[0])) if single_move else None

    def on_sync_finished(self, report) -> None:
        """Late rejected the last move: put the post back and say why (the command leaves the history).
        A refusal of anything else (a later edit of the post, an undo, a retry) leaves the moves alone."""
        self.reverted_id = None
        if self._awaiting is None:
            return
        command, stamp = self._awaiting
        local_id = command.local_ids[0]
        if local_id not in report.rejected:
            if not self.store.outbox_entries(local_id):
                self._awaiting = None  # Late has the move
            return
        self._awaiting = None
        index = self.undo_stack.index()
        if stamp_of(self.store, local_id) != stamp or index == 0 or self.undo_stack.command(index - 1) is not command:
            return  # edited since the move (or the history moved on): Late refused that, not the move
        if not any(e.parked and e.op != Op.RETRY for e in self.store.outbox_entries(local_id)):
            return  # Late took the move; what it refused was a retry of the post's failed platforms
        post = self.store.get_post(local_id)
        command.reverting = True
        self.reverted_id = local_id
        self.undo_stack.undo()
        old = command.forward[0].expected
        self.message.emit(say.problem(say.late_refused_move(post, report.rejected[local_id], old, self.zone)))
