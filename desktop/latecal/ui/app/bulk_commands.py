"""What the window does to the selected posts at once: select all, nudge, move together, delete, duplicate,
retry, back to the drafts. Each is ONE operation through the runner (one command in the undo history, one store
transaction, one change set); posts the rules refuse stay, and one notice says what happened to all of them.

With one post selected, the single-post paths (and their messages) are used: nothing changes for one post.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from PySide6.QtCore import QObject, QPoint
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from latecal.core.models import Post
from latecal.core.target_times import owner_id
from latecal.operations import bulk
from latecal.operations.placement import Verb
from latecal.presentation import bulk_texts as words
from latecal.presentation.messages import Message, problem
from latecal.ui.app.calendar_mirror import CalendarMirror
from latecal.ui.app.commands import CreateCommand, PlaceCommand
from latecal.ui.app.operation_runner import OperationRunner


class BulkCommands(QObject):
    def __init__(self, window: QWidget, store, runner: OperationRunner, mirror: CalendarMirror, *,
                 say_message: Callable[[Message], None], single, clock: Callable[[], datetime]) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.runner = runner
        self.mirror = mirror
        self.say = say_message
        self.single = single  # PostCommands: what one post gets
        self.clock = clock
        self.confirm_box = None
        self.tray: QWidget | None = None  # the drafts tray: a selection dropped on it goes back to the drafts
        self.count_label = QLabel(window)
        self.count_label.setObjectName("selectionCount")
        self.sending_label = QLabel(window)
        self.sending_label.setObjectName("sendingProgress")
        self.sending_label.setToolTip(words.SENDING_TIP)
        self.sending_label.hide()
        mirror.selection.changed.connect(self._count)
        self._count()

    # -- the selection ---------------------------------------------------------------------------------------

    def _count(self) -> None:
        text = words.selected_count(len(self.mirror.selection))
        self.count_label.setText(text)
        self.count_label.setVisible(bool(text))

    def acting(self) -> list[Post]:
        """Every selected post, in time order: what the actions act on. Also those a nudge or a page turn took out
        of view (a second Alt+→ moves them on); a filter that hides a post takes it out of the selection."""
        loaded = self.mirror.posts
        posts = [p for i in _owners(self.mirror.selection.ids) if (p := loaded.get(i) or self.store.get_post(i))]
        return sorted(posts, key=lambda p: (p.scheduled_for is None, p.scheduled_for or 0, p.local_id))

    def select_all(self) -> None:
        """Ctrl+A: every post the view shows (after the filters), including those behind a day's "+N more"."""
        if isinstance(self.window.focusWidget(), QLineEdit):
            self.window.focusWidget().selectAll()
            return
        self.mirror.selection.replace([p.local_id for p in self.mirror.shown_posts()], self.mirror.selected_id)

    def clear_selection(self) -> None:
        self.mirror.selection.clear()

    # -- moving ------------------------------------------------------------------------------------------------

    def nudge(self, days: int = 0, minutes: int = 0) -> bool:
        """Alt+arrows: the selection a day / 15 minutes (with Shift a week) earlier or later."""
        posts = self.acting()
        if len(posts) == 1 and posts[0].scheduled_for is not None:
            only = posts[0]
            new = bulk.Shift(days, minutes).apply(only, self.mirror.views.zone, self.mirror.views.profile_zones)
            return self.runner.move(only.local_id, new)
        return self.move(posts, bulk.Shift(days, minutes))

    def move_group(self, local_ids: Sequence[str], shift: bulk.Shift, exact: Mapping[str, datetime]) -> bool:
        """A drag of one of several selected posts: they all move by the same shift (the scene's handler)."""
        posts = [p for i in _owners(local_ids) if (p := self.mirror.posts.get(i)) is not None]
        # a chip of a platform's own time is not where its post's time is: that post moves by the shift alone
        return self.move(posts, shift, {key: when for key, when in exact.items() if owner_id(key) == key})

    def move(self, posts: Sequence[Post], shift: bulk.Shift, exact: Mapping[str, datetime] | None = None) -> bool:
        views = self.mirror.views
        plan = bulk.move_plan(posts, shift, now=self.clock(), zone=views.zone, profile_zones=views.profile_zones,
                              exact=exact)
        return self._place(plan, words.move_title, Verb.MOVE, words.MOVED)

    def unschedule_selection(self) -> bool:
        return self.unschedule([p.local_id for p in self.acting()])

    def unschedule(self, local_ids: Sequence[str]) -> bool:
        """Back to the drafts (no time), as one undoable command: the menu, or a drop on the drafts tray."""
        posts = [p for i in _owners(local_ids) if (p := self.store.get_post(i)) is not None]
        return self._place(bulk.unschedule_plan(posts), words.unschedule_title, Verb.SCHEDULE, words.UNSCHEDULED)

    def _place(self, plan: bulk.Plan, title: Callable[[int], str], verb: Verb, done_words: str) -> bool:
        done = bool(plan.placements) and self.runner.push(
            PlaceCommand(self.runner, title(len(plan.placements)), verb, plan.placements, plan.statuses_before))
        if plan.refused or not done or verb is not Verb.MOVE:  # a clean move shows itself: the posts moved
            self._tell(words.outcome(done_words, len(plan.placements) if done else 0, plan.refused))
        return done

    # -- deleting, copying, retrying -------------------------------------------------------------------------

    def delete_selection(self) -> None:
        """Delete: one post asks as before; several are asked about once, then deleted as one command."""
        if isinstance(self.window.focusWidget(), QLineEdit):
            return
        posts = self.acting()
        if len(posts) <= 1:
            self.single.delete_selected()
            return
        plan = bulk.delete_plan(posts)
        if not plan.ids:
            self._tell(words.outcome(words.DELETED, 0, plan.refused))
            return
        from PySide6.QtWidgets import QMessageBox  # here: its enum types cost start-up time

        if self.confirm_box is not None:
            self.confirm_box.close()
        title, question, detail = words.delete_question(len(plan.ids))
        box = QMessageBox(QMessageBox.Icon.Question, title, question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self.window)
        box.setInformativeText(detail)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self.delete(plan) if box.standardButton(button)
                                  == QMessageBox.StandardButton.Yes else None)
        self.confirm_box = box
        box.open()  # window-modal, answered through the signal: no nested event loop

    def delete(self, plan: bulk.Plan) -> bool:
        result = self.runner.delete(plan.ids)
        self.single.focus_calendar()  # not the closing question box's button
        done = len(result.posts) if result is not None else 0
        refused = {**plan.refused, **(result.refused if result is not None else {})}
        self._tell(words.outcome(words.DELETED, done, refused))
        return bool(done)

    def duplicate_selection(self) -> None:
        posts = self.acting()
        if len(posts) <= 1:
            self.single.duplicate_selected()
            return
        from latecal.operations import copies

        ids = [p.local_id for p in posts]
        made: list = []
        self.runner.push(CreateCommand(self.runner, words.duplicate_title(len(ids)), lambda: self.runner.run(
            lambda i: copies.duplicate_posts(self.store, ids, now=self.clock(), initiator=i), quiet=True),
            first=made))
        result = made[0] if made else None
        if result is not None:
            self._tell(words.outcome(words.DUPLICATED, len(result.posts), result.refused) or result.message)

    def retry_selection(self) -> None:
        """Not undoable: Late publishes the failed platforms again at once."""
        posts = self.acting()
        if len(posts) <= 1:
            self.single.retry_selected()
            return
        plan = bulk.retry_plan(posts)
        if not plan.ids:
            self.say(problem(words.NO_FAILED, words.BULK))
            return
        from latecal.operations import retries

        result = self.runner.run(lambda i: retries.retry_posts(self.store, plan.ids, initiator=i, now=self.clock()),
                                 quiet=True)
        self._tell(words.outcome(words.RETRIED, len(result.posts), result.refused) or result.message)

    def _tell(self, message: Message | None) -> None:
        if message is not None:
            self.say(message)

    # -- the drafts tray as a drop target ---------------------------------------------------------------------

    def _tray_at(self, screen_pos: QPoint) -> bool:
        tray = self.tray
        return tray is not None and tray.isVisible() and tray.rect().contains(tray.mapFromGlobal(screen_pos))

    def drop_outside(self, local_ids: list[str], screen_pos: QPoint) -> bool:
        """Posts dragged out of the calendar: onto the drafts tray, they go back to the drafts."""
        if not self._tray_at(screen_pos):
            return False
        return self.unschedule(local_ids)

    def hover_outside(self, screen_pos: QPoint | None) -> bool:
        """A post dragged out of the calendar: the tray lights up while it is over it."""
        over = screen_pos is not None and self._tray_at(screen_pos)
        if self.tray is not None:
            self.tray.set_drop_highlight(over)
        return over

    # -- sending many changes ------------------------------------------------------------------------------------

    def attach_sync(self, sync) -> None:
        sync.sending.connect(self.show_sending)
        sync.finished.connect(lambda _report: self.sending_label.hide())

    def show_sending(self, done: int, total: int) -> None:
        """ "Sending 120 of 500" while a run pushes more than one change."""
        if total <= 1:
            return
        self.sending_label.setText(words.sending(done, total))
        self.sending_label.show()


def _owners(keys: Iterable[str]) -> list[str]:
    """The posts behind chip keys: a post with its own time per platform shows a chip per time (``<id>@n``)."""
    return list(dict.fromkeys(owner_id(key) for key in keys))
