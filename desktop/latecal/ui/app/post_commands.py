"""What the window's menus, keys and context menus do to posts: each asks the operation runner, which makes one
command in the undo history (or runs what cannot be undone), and shows what the runner has to say.

Nothing here writes the store or redraws a post: the change relay brings every result to the views.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QPoint, QTimer, QUrl, Signal
from PySide6.QtGui import QCursor, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QLineEdit, QMenu, QWidget

from latecal.core.links import link_refusal
from latecal.core.scheduling import new_post_time
from latecal.core.status import is_deletable
from latecal.presentation import messages as say
from latecal.presentation import missed_texts
from latecal.presentation.messages import Message
from latecal.presentation.posts import quoted
from latecal.ui.app.calendar_mirror import CalendarMirror
from latecal.ui.app.commands import PlaceCommand
from latecal.ui.app.operation_runner import OperationRunner
from latecal.ui.app.post_menu import add_missed_choices, build_post_menu
from latecal.ui.widgets.plain_text import menu_text, plain_box

if TYPE_CHECKING:
    from asyncio import Task

    from PySide6.QtWidgets import QMessageBox

    from latecal.operations.removal import Deletion, Restoration


class Editors(Protocol):
    """The editors' manager, as the window's commands use it."""

    def open_post(self, local_id: str, *, is_copy: bool = False) -> object: ...
    def new_post(self, when: datetime | None = None) -> object: ...
    def follow_copy(self, was_id: str, copy) -> None: ...


class PostCommands(QObject):
    #: the user wants to open (edit) a post: its local id
    open_post_requested = Signal(str)
    #: the user wants a new post, at this UTC datetime when one was picked (double click on a slot), else None
    new_post_requested = Signal(object)

    def __init__(self, window: QWidget, store, runner: OperationRunner, mirror: CalendarMirror, *,
                 say_message: Callable[[Message], None], message_bar, toolbar, focus_calendar: Callable[[], None],
                 open_day: Callable[[object], None], clock: Callable[[], datetime],
                 editors: Callable[[], Editors]) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.runner = runner
        self.mirror = mirror
        self.say = say_message
        self.message_bar = message_bar
        self.toolbar = toolbar
        self.focus_calendar = focus_calendar
        self.open_day = open_day
        self.clock = clock
        self.editors = editors  # made on first use: the editor modules stay off the first paint
        self.url_opener: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.confirm_box: QMessageBox | None = None
        self.menu: QMenu | None = None
        #: Late's client, once connected (the sync status hands it over): Reschedule asks it for a queue slot
        self.late: Callable[[], object] | None = None
        self.slot_lookup: Task | None = None  # (kept: a task nobody holds may be collected mid-way)
        runner.message.connect(self.say)
        runner.deleted.connect(self._on_deleted)
        runner.restored.connect(self._on_restored)
        runner.undo_stack.indexChanged.connect(self._history_moved)

    # -- opening and creating ------------------------------------------------------------------------------

    def new_post(self) -> None:
        """N: a new post on the anchor day (the next full hour today; the default time on a later day; no time
        on a day gone by)."""
        self.new_post_requested.emit(new_post_time(self.mirror.views.anchor, self.clock(), self.mirror.views.zone))

    def open_post(self, local_id: str) -> None:
        self.mirror.select(local_id)
        self.open_post_requested.emit(local_id)

    def open_selected(self) -> None:
        if isinstance(self.window.focusWidget(), QLineEdit):
            self.toolbar.flush_search()  # Enter in the search box applies the search, it opens nothing
            return
        selected = self.mirror.selected_id
        if selected is not None and self.mirror.is_shown(selected):  # (kept selected past a page turn: not seen)
            self.open_post(selected)

    def move_selection(self, direction: int) -> None:
        found = self.mirror.next_selection(direction)
        if found is None:
            return
        local_id, behind_more = found
        if behind_more:  # that day's full list opens, as a click on "+N more" does
            self.open_day(self.mirror.day_of(local_id))
        self.mirror.select(local_id)
        self.mirror.reveal(local_id)

    def duplicate_post(self, local_id: str):
        result = self.runner.duplicate([local_id])
        if result is None:
            return None
        copy = result.posts[0]
        self.mirror.select(copy.local_id)
        self.editors().open_post(copy.local_id, is_copy=True)
        return copy

    def skip_occurrence(self, local_id: str) -> None:
        self.runner.skip_occurrence(local_id)

    def duplicate_selected(self) -> None:
        if self.mirror.selected_id is not None:
            self.duplicate_post(self.mirror.selected_id)

    # -- what cannot be undone ---------------------------------------------------------------------------------

    def retry_post(self, local_id: str) -> bool:
        return bool(self.runner.retry([local_id]).posts)

    def retry_selected(self) -> None:
        if self.mirror.selected_id is not None:
            self.retry_post(self.mirror.selected_id)

    def resolve_conflict(self, local_id: str, keep: str) -> bool:
        """Settle a post changed both here and on Late (``"local"`` or ``"remote"``)."""
        return self.runner.resolve(local_id, keep).done  # type: ignore[arg-type]

    def resolve_selected_conflict(self, keep: str) -> None:
        if self.mirror.selected_in_conflict():
            self.resolve_conflict(self.mirror.selected_id, keep)  # type: ignore[arg-type]

    # -- Missed posts: their time passed before they reached Late ----------------------------------------------

    def publish_missed(self, local_ids: Sequence[str]) -> bool:
        """Not undoable: Late publishes them as soon as it has them."""
        from latecal.operations import missed  # (operations load after the first paint)

        result = self.runner.run(lambda i: missed.publish_now(self.store, local_ids, now=self.clock(), initiator=i))
        self.say_missed()
        return bool(result.posts)

    def reschedule_missed(self, local_id: str) -> None:
        """A new time is the editor's to pick (and to check against every rule); when Late can be asked, its
        queue's next free slot for the post's profile is offered beside it."""
        self.open_post(local_id)
        post = self.store.get_post(local_id)
        client = self.late() if self.late is not None else None
        profile = self._profile_of(post) if post is not None else None
        if client is None or profile is None:
            return
        import asyncio  # (here: asyncio loads after the first paint)

        with contextlib.suppress(RuntimeError):  # no event loop (Late is not connected yet): no offer
            self.slot_lookup = asyncio.get_running_loop().create_task(self._offer_queue_slot(client, profile, local_id))

    def _profile_of(self, post) -> str | None:
        profiles = {a.id: a.profile_id for a in self.store.accounts()}
        return next((profiles[i] for i in post.account_ids if profiles.get(i)), None)

    async def _offer_queue_slot(self, client, profile_id: str, local_id: str) -> None:
        from latecal.late.errors import LateError

        try:
            slot = await client.next_queue_slot(profile_id)
        except LateError:  # no queue, or Late unreachable: the editor alone it is
            return
        post = self.store.get_post(local_id)
        if post is None or slot.next_slot is None:
            return
        offer = missed_texts.queue_slot_offer(post, slot.next_slot, self.mirror.views.zone)
        self.message_bar.show_message(offer.text, kind="info", key=offer.key,
                                      action=("Use it", lambda: self.runner.move(local_id, slot.next_slot)))

    def keep_missed_as_draft(self, local_ids: Sequence[str]) -> bool:
        """Drafts at their planned time, as one command in the undo history."""
        from latecal.operations import missed
        from latecal.operations.placement import Verb

        placements, statuses, refused = missed.draft_placements(self.store, local_ids, now=self.clock())
        if refused.message is not None:
            self.say(refused.message)
        done = False
        if placements:
            posts = [p for pl in placements if (p := self.store.get_post(pl.local_id)) is not None]
            done = self.runner.push(PlaceCommand(self.runner, missed_texts.kept_as_drafts(posts), Verb.SCHEDULE,
                                                 placements, statuses))
        self.say_missed()
        return done

    def say_missed(self) -> None:
        """The window's one message about the Missed posts, with the choice for all of them; taken back when
        none is left (after every sync run, and after a choice)."""
        from latecal.operations import missed

        posts = missed.missed_posts(self.store, self.clock())
        for scene in self.mirror.views.scenes():  # time made them Missed, not a change set: their chips repaint
            for post in posts:
                if (item := scene.items_by_id.get(post.local_id)) is not None:
                    item.update()
        if not posts:
            self.message_bar.withdraw(missed_texts.MISSED)
            return
        message = missed_texts.missed_their_time(len(posts))
        self.message_bar.show_message(message.text, kind="error", key=message.key,
                                      action=("Choose…", lambda: self.choose_for_missed()))

    def choose_for_missed(self, at: QPoint | None = None) -> QMenu | None:
        """The choice for all Missed posts, and for each one (its own submenu)."""
        from latecal.operations import missed

        posts = missed.missed_posts(self.store, self.clock())
        if not posts:
            return None
        ids = [p.local_id for p in posts]
        menu = QMenu(self.window)
        menu.setToolTipsVisible(True)
        add_missed_choices(menu, self, ids, publish=missed_texts.publish_all_label(len(ids)),
                           keep=missed_texts.keep_all_label(len(ids)))
        if len(posts) > 1:
            menu.addSeparator()
            for post in posts:
                add_missed_choices(menu.addMenu(menu_text(quoted(post))), self, [post.local_id])
        # the bar's message went with the press: it comes back unless the choice settled every post
        menu.aboutToHide.connect(lambda: QTimer.singleShot(0, self.say_missed))
        self.menu = menu
        menu.popup(at or QCursor.pos())
        return menu

    # -- deleting -------------------------------------------------------------------------------------------

    def request_delete(self, local_id: str, asker: QWidget | None = None) -> None:
        """Ask first, without blocking: the box is opened window-modal and answers through a signal; on top of
        ``asker`` (the post's editor) when given, so that window is not buried behind the calendar."""
        post = self.store.get_post(local_id)
        if post is None:
            return
        if not is_deletable(post.status):
            self.say(say.problem(say.not_deletable(post)))
            return
        if self.confirm_box is not None:
            self.confirm_box.close()  # one question at a time
        from PySide6.QtWidgets import QMessageBox  # here: its enum types cost start-up time (PySide6 makes them)

        title, question, detail = say.delete_question(post)
        box = plain_box(QMessageBox(QMessageBox.Icon.Question, title, question,
                                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                    asker or self.window))  # the question names the post in Late's words
        box.setInformativeText(detail)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: (
                self.delete_post(local_id) if box.standardButton(button) == QMessageBox.StandardButton.Yes else None
            )
        )
        self.confirm_box = box
        box.open()

    def delete_selected(self) -> None:
        if isinstance(self.window.focusWidget(), QLineEdit):
            return
        selected = self.mirror.selected_id
        if selected is not None and self.mirror.is_shown(selected):
            self.request_delete(selected)  # (never a post the filters hide from view)

    def delete_post(self, local_id: str) -> None:
        """Delete without asking (the confirmed path); Ctrl+Z brings the post back."""
        result = self.runner.delete([local_id])
        if result is None:
            return
        self.focus_calendar()  # not the message bar's button, where the closing question box would leave it
        # its Undo button undoes this delete only: any later change to the history withdraws the message
        self.message_bar.show_message(say.deleted(result.posts[0]), kind="info", key=say.DELETED,
                                      action=("Undo", self.runner.undo_stack.undo))

    def _on_deleted(self, _result: Deletion) -> None:
        self.message_bar.withdraw(say.RESTORED)  # a redo: "… is back" is no longer true

    def _history_moved(self, _index: int) -> None:
        self.message_bar.withdraw(say.DELETED)

    def _on_restored(self, result: Restoration) -> None:
        renamed = result.renamed or {}
        for was_id, now_id in renamed.items():
            if was_id != now_id:
                copy = next(p for p in result.posts if p.local_id == now_id)
                self.editors().follow_copy(was_id, copy)  # the deleted post's open editor now edits the copy
        post = result.posts[0]
        hidden = not self.mirror.filter.matches(post)
        if not hidden:
            self.mirror.select(post.local_id)
        if result.message is not None:  # it asks for something (schedule it again): it stays until dismissed
            self.say(result.message)
        elif hidden:
            self.message_bar.show_message(say.is_back(post, hidden=True), kind="info", key=say.RESTORED,
                                          action=("Clear filters", self.toolbar.clear_filters))
        else:
            self.message_bar.show_message(say.is_back(post, hidden=False), kind="info", key=say.RESTORED)

    # -- links and menus --------------------------------------------------------------------------------------

    def open_published_url(self, url: str) -> None:
        """Hand a post's link to the desktop: a web page on a public host only (core/links.py says why)."""
        refusal = link_refusal(url)
        if refusal is not None:
            self.say(say.problem(say.link_refused(url, refusal)))
            return
        if not self.url_opener(QUrl(url, QUrl.ParsingMode.StrictMode)):
            QGuiApplication.clipboard().setText(url)
            self.say(say.problem(say.no_browser(url)))

    def show_post_menu(self, local_id: str, screen_pos: QPoint) -> None:
        post = self.store.get_post(local_id)
        if post is None:
            return
        self.menu = build_post_menu(self, post, parent=self.window)
        self.menu.popup(screen_pos)  # popup, not exec(): no nested event loop under qasync
