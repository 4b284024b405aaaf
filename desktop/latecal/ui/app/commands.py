"""The undo history's commands: each user action is one command whose redo and undo each run one operation.

A command refers to the runner (which outlives windows, like the history) and to post ids and times, never to
a widget. One that achieves nothing (its posts changed since, Late took them over) becomes obsolete, and
QUndoStack drops it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QUndoCommand

from latecal.core.models import Post
from latecal.operations.placement import Placement, Verb

if TYPE_CHECKING:  # the operations themselves load with the first user action, not on the first paint
    from latecal.operations.removal import Deleted, Deletion, Restoration
    from latecal.operations.result import OpResult


class Runner(Protocol):
    """What a command runs its operations through (``operation_runner.OperationRunner``)."""

    store: object

    def put_back(self, version: Post, expected: Post) -> OpResult: ...
    def place(self, placements: Sequence[Placement], verb: Verb, *, checked: bool = True) -> OpResult: ...
    def delete_now(self, local_ids: Sequence[str], *, unchanged: Mapping[str, Post] | None = None) -> Deletion: ...
    def restore_now(self, deleted: Sequence[Deleted]) -> Restoration: ...
    def await_late(self, command: PlaceCommand | None) -> None: ...


class PlaceCommand(QUndoCommand):
    """Posts given new times by one action (a drag, a drop of drafts): undo puts each back where it was."""

    def __init__(self, runner: Runner, text: str, verb: Verb, forward: Sequence[Placement],
                 statuses_before: dict[str, str]) -> None:
        super().__init__(text)
        self.runner = runner
        self.verb = verb
        self.forward = list(forward)
        self.statuses_before = statuses_before
        self.reverting = False  # Late refused the move: this undo is final, and skips the time rules

    @property
    def local_ids(self) -> list[str]:
        return [p.local_id for p in self.forward]

    def backward(self) -> list[Placement]:
        status = self.verb is Verb.SCHEDULE
        return [Placement(p.local_id, p.expected, p.when, self.statuses_before.get(p.local_id) if status else None,
                          p.accounts) for p in self.forward]

    def redo(self) -> None:
        result = self.runner.place(self.forward, self.verb)
        self.forward = [p for p in self.forward if p.local_id not in result.refused]
        if not self.forward:
            self.setObsolete(True)  # QUndoStack drops a command that is obsolete after redo
            return
        self.runner.await_late(self)

    def undo(self) -> None:
        self.runner.await_late(None)
        result = self.runner.place(self.backward(), self.verb, checked=not self.reverting)
        # a post the undo left where it is (moved since, published since) is not the redo's to move either
        self.forward = [p for p in self.forward if p.local_id not in result.refused]
        if self.reverting or not self.forward:
            self.setObsolete(True)


class DeleteCommand(QUndoCommand):
    """A confirmed delete; undo brings the posts back (as they were, or as draft copies: see removal)."""

    def __init__(self, runner: Runner, text: str, local_ids: Sequence[str],
                 first: list[OpResult] | None = None) -> None:
        super().__init__(text)
        self.runner = runner
        self.local_ids = list(local_ids)  # a draft copy brought back by an undo has its own id
        self.deleted: tuple[Deleted, ...] = ()
        self._first = first  # where the first redo's result goes, for whoever pushed the command

    def redo(self) -> None:
        result = self.runner.delete_now(self.local_ids)
        _report(self._first, result)
        self._first = None
        self.deleted = result.deleted
        if not self.deleted:
            self.setObsolete(True)

    def undo(self) -> None:
        result = self.runner.restore_now(self.deleted)
        renamed = result.renamed or {}
        if not renamed:
            self.setObsolete(True)
            return
        self.local_ids = [renamed.get(g.post.local_id, g.post.local_id) for g in self.deleted if g.post.local_id
                          in renamed]


class CreateCommand(QUndoCommand):
    """New posts (a duplicate, a new post's first save, changes kept as a new draft): undo deletes them while
    they are as they were made (a later edit, Publish now or Late's publishing is never thrown away), redo
    brings them back."""

    def __init__(self, runner: Runner, text: str, create: Callable[[], OpResult],
                 first: list[OpResult] | None = None) -> None:
        super().__init__(text)
        self.runner = runner
        self._create: Callable[[], OpResult] | None = create
        self._first = first  # where the first redo's result goes, for whoever pushed the command
        self.made: dict[str, Post] = {}  # local id -> the post as this command left it
        self.deleted: tuple[Deleted, ...] = ()

    def redo(self) -> None:
        if self._create is not None:
            create, self._create = self._create, None
            result = create()
            _report(self._first, result)
            self.made = {p.local_id: p for p in result.posts}
        else:
            self.made = {p.local_id: p for p in self.runner.restore_now(self.deleted).posts}
        if not self.made:
            self.setObsolete(True)

    def undo(self) -> None:
        self.deleted = self.runner.delete_now(list(self.made), unchanged=self.made).deleted
        if not self.deleted:
            self.setObsolete(True)


class SaveCommand(QUndoCommand):
    """An editor's save of a post that existed: undo puts the content it had back, redo the saved one, each only
    while nobody changed the post in between."""

    def __init__(self, runner: Runner, text: str, before: Post, save: Callable[[], OpResult],
                 first: list[OpResult] | None = None) -> None:
        super().__init__(text)
        self.runner = runner
        self.before = before
        self._save: Callable[[], OpResult] | None = save
        self._first = first  # where the first redo's result goes, for whoever pushed the command
        self.after: Post | None = None

    def redo(self) -> None:
        if self._save is not None:
            save, self._save = self._save, None
            result = save()
            _report(self._first, result)
            saved = result.posts
            if not saved:
                self.setObsolete(True)
                return
            self.after = saved[0]
            return
        assert self.after is not None
        self._swap(self.after, self.before)

    def undo(self) -> None:
        assert self.after is not None
        self._swap(self.before, self.after)

    def _swap(self, version: Post, expected: Post) -> None:
        if not self.runner.put_back(version, expected).posts:
            self.setObsolete(True)


def _report(first: list[OpResult] | None, result: OpResult) -> None:
    """Hand a command's first result to whoever pushed it (the command may be dropped right after, if obsolete)."""
    if first is not None:
        first.append(result)


def stamp_of(store, local_id: str) -> datetime | None:
    """The post's local edit stamp: a later edit changes it."""
    record = store.get_record(local_id)
    return record.local_updated_at if record is not None else None
