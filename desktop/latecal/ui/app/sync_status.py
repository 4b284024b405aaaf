"""The window's side of syncing: the Sync button and its state in the toolbar, and what each run's report
means for the user (what stopped or slowed it, what Late refused, what changed on both sides)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject

from latecal.presentation import messages as say
from latecal.presentation import sync_notices as notices
from latecal.presentation.messages import Message

if TYPE_CHECKING:  # the sync package loads after the first paint
    from latecal.sync.report import SyncReport


class MissedChoices(Protocol):
    late: Callable[[], object] | None

    def say_missed(self) -> None: ...


class SyncStatus(QObject):
    def __init__(self, store, toolbar, message_bar, *, zone: ZoneInfo, say_message: Callable[[Message], None],
                 reverted_id: Callable[[], str | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.toolbar = toolbar
        self.message_bar = message_bar
        self.zone = zone
        self.say = say_message
        self.reverted_id = reverted_id  # the post whose refused move is already put back and explained
        self.sync = None
        #: the window's post commands: they say (or take back) the Missed posts' message after each run, and
        #: ask Late for a queue slot on Reschedule
        self.missed: MissedChoices | None = None
        toolbar.sync_button.setEnabled(False)
        toolbar.sync_button.setToolTip("Not connected to Late yet")

    def attach(self, sync) -> None:
        """A sync bridge: signals started, finished(report), progress(int, int), online_changed(bool),
        auth_failed; methods sync_requested(), set_visible_window(start, end)."""
        self.sync = sync
        engine = getattr(sync, "engine", None)
        if self.missed is not None and engine is not None:
            self.missed.late = lambda: engine.client  # (a new key swaps the client)
        sync.started.connect(self._on_started)
        sync.finished.connect(self._on_finished)
        sync.progress.connect(self.toolbar.set_progress)
        sync.online_changed.connect(self.toolbar.set_online)
        sync.auth_failed.connect(self._on_auth_failed)
        self.toolbar.sync_button.setEnabled(True)
        self.toolbar.sync_button.setToolTip("Sync with Late now (F5)")
        self.toolbar.set_syncing(sync.running)
        self.toolbar.set_online(sync.online)
        self.toolbar.set_last_synced(sync.last_synced)

    def request_sync(self) -> None:
        """Sync, F5, the tray's Sync now: the user asks for a run. While Late asks to wait, no run starts before
        its time, and the press is answered with that time."""
        if self.sync is None:
            self.say(say.problem(notices.NOT_CONNECTED))
            return
        held_until = self.sync.sync_requested()
        if held_until is not None:
            self.say(notices.rate_limited(held_until, self.zone, datetime.now(UTC)))

    def _on_started(self) -> None:
        self.toolbar.set_syncing(True)

    def _on_finished(self, report: SyncReport) -> None:
        self.toolbar.set_syncing(False)
        # None: none succeeded yet. Offline has its own badge; any other run that did not sync is said so
        failed = not (report.synced or report.offline)
        self.toolbar.set_last_synced(self.sync.last_synced if self.sync else None, last_run_failed=failed)
        # an offline run proves nothing either way: what it would take back stays
        self._say_or_withdraw(say.SYNC_ERROR, notices.run_error(report.errors), keep=report.offline)
        now = report.finished_at
        self._say_or_withdraw(say.RATE_LIMIT, notices.rate_limited(report.rate_limited_until, self.zone, now),
                              keep=report.offline)
        # changes waiting after a 5xx: said with the time they are tried again (offline or rate-limited, the
        # toolbar's badge or the rate-limit message already says why nothing goes)
        quiet = report.offline or report.rate_limited_until is not None
        self._say_or_withdraw(notices.UNSENT,
                              None if quiet else notices.unsent(report.unsent, report.unsent_reason,
                                                                report.unsent_retry_at, self.zone, now),
                              keep=quiet)
        # what Late sent that could not be read: known only from a pull that ran to its end
        self._say_or_withdraw(notices.UNREADABLE,
                              notices.unreadable(report.bad_posts, report.posts_with_read_problems),
                              keep=not report.pulled)
        # Late refused a change (a retry, an edit, a delete): which post and why. A refused move was already put
        # back and explained by the runner. (Each stays until dismissed: the post stays refused too.)
        reverted = self.reverted_id()
        rejected = {i: reason for i, reason in report.rejected.items() if i != reverted}
        for message in (notices.refusals(rejected, self.store.get_post),
                        notices.conflicts(report.conflicts, self.store.get_post)):
            if message is not None:
                self.say(message)
        if self.missed is not None:  # (every run: a post becomes Missed as time passes, not by a change)
            self.missed.say_missed()

    def _say_or_withdraw(self, key: str, message: Message | None, *, keep: bool) -> None:
        if message is not None:
            self.say(message)
        elif not keep and self.message_bar.holds(key):
            self.message_bar.withdraw(key)

    def _on_auth_failed(self) -> None:
        self.toolbar.set_syncing(False)
        self.say(say.problem(notices.KEY_REFUSED))
