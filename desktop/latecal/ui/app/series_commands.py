"""Recurring posts in the undo history: making a post repeat, changing one occurrence / this and following / all,
and skipping one are each one command whose undo puts the series and its posts back as they were."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from latecal.core.models import Post
from latecal.core.recurrence import Rule
from latecal.operations import recurring
from latecal.operations.result import OpResult
from latecal.presentation import recurrence_texts as texts


class SeriesCommand(QUndoCommand):
    def __init__(self, runner, text: str, action: Callable[[object], recurring.SeriesResult],
                 first: list[OpResult], *, quiet: bool = False, initiator: object | None = None) -> None:
        super().__init__(text)
        self.runner = runner
        self._action: Callable[[object], recurring.SeriesResult] | None = action
        self._first = first
        self._quiet = quiet
        self._initiator = initiator  # an editor's own change is not news to it
        self.before = self.after = recurring.SeriesState()

    def redo(self) -> None:
        if self._action is None:
            self._restore(self.after)
            return
        action, self._action = self._action, None
        done: list[recurring.SeriesResult] = []

        def run(initiator: object) -> OpResult:
            done.append(action(initiator))
            return done[0].result

        result = self.runner.run(run, initiator=self._initiator, quiet=self._quiet)
        self._first.append(result)
        self.before, self.after = done[0].before, done[0].after
        if not result.done:
            self.setObsolete(True)

    def undo(self) -> None:
        self._restore(self.before)

    def _restore(self, state: recurring.SeriesState) -> None:
        store = self.runner.store
        self.runner.run(lambda i: recurring.restore(store, state, initiator=i))


def _edited_first(result: OpResult, local_id: str) -> OpResult:
    """The result with the edited post first (an editor shows ``posts[0]`` as its own post)."""
    posts = sorted(result.posts, key=lambda p: p.local_id != local_id)
    return replace(result, posts=tuple(posts))


def save_repeating(runner, post: Post, rule: Rule, *, initiator: object) -> OpResult:
    """An editor's save that also makes the post repeat: one step in the history."""
    first: list[OpResult] = []
    runner.undo_stack.beginMacro(texts.made_recurring_title(post))
    try:
        saved = runner.save(post, initiator=initiator)
        if saved.posts:
            local_id = saved.posts[0].local_id
            def make(i: object) -> recurring.SeriesResult:
                return recurring.make_recurring(runner.store, local_id, rule, zone=runner.zone.key,
                                                now=runner.clock(), initiator=i)

            runner.push(SeriesCommand(runner, texts.made_recurring_title(post), make, first, initiator=initiator))
    finally:
        runner.undo_stack.endMacro()
    if not saved.posts or not first or not first[0].posts:
        return saved
    return _edited_first(first[0], saved.posts[0].local_id)


def edit_series(runner, post: Post, scope: str, rule: Rule | None, *, initiator: object) -> OpResult:
    first: list[OpResult] = []
    runner.push(SeriesCommand(runner, texts.edit_title(post, scope), lambda i: recurring.edit_occurrence(
        runner.store, post, recurring.Scope(scope), now=runner.clock(), initiator=i, rule=rule), first, quiet=True,
        initiator=initiator))
    return _edited_first(first[0], post.local_id) if first else OpResult()


def skip_occurrence(runner, local_id: str) -> OpResult:
    first: list[OpResult] = []
    post = runner.store.get_post(local_id)
    if post is None:
        return OpResult()
    runner.push(SeriesCommand(runner, texts.skip_title(post), lambda i: recurring.skip_occurrence(
        runner.store, local_id, now=runner.clock(), initiator=i), first))
    return first[0] if first else OpResult()


def stop_series(runner, local_id: str) -> OpResult:
    first: list[OpResult] = []
    post = runner.store.get_post(local_id)
    if post is None:
        return OpResult()
    runner.push(SeriesCommand(runner, texts.stop_title(post), lambda i: recurring.stop_repeating(
        runner.store, local_id, now=runner.clock(), initiator=i), first))
    return first[0] if first else OpResult()


def save_and_stop(runner, post: Post, *, initiator: object) -> OpResult:
    """An occurrence saved with "Does not repeat": the save and the end of the series, one step in the history."""
    runner.undo_stack.beginMacro(texts.stop_title(post))
    try:
        saved = runner.save(post, initiator=initiator)
        if saved.posts:
            stop_series(runner, post.local_id)
    finally:
        runner.undo_stack.endMacro()
    return replace(saved, posts=tuple(p for i in saved.posts[:1] if (p := runner.store.get_post(i.local_id))))
