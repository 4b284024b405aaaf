"""The sync engine: one long-lived task that pushes the outbox and pulls Late's state, on a cadence.

Cadence (design.md, sync/pull_plan.py): every 60 s; at a post's due time, then every 10 s while a post whose time
has come awaits Late's outcome; at once on ``sync_now()``, on start, after a clock gap (sleep/resume) and, while
offline, with a backoff that finds the network's return. Runs never overlap. While ``run_forever`` runs, a
user's change the store records (a change set with ``queued``) wakes the engine as ``sync_now()`` does.
Qt-free: the UI listens through ``add_listener``.

What a run of the cadence reads (issue 16): a full listing of the window on start, on a wake (Sync, an edit,
new dates), after a clock gap and on the slow cadence; otherwise a change check of Late's publishing log that
re-lists only what it names (sync/change_check.py). ``run_once()`` on its own always lists fully.

A run is three steps: accounts, pull, push. A step that fails is written into the report (never read as "Synced")
and the next step still runs, unless the failure is one every request would meet: the key refused, Late out of
reach, or Late asking to wait (a 429: no run, not even a Sync press, asks Late again before its time).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from latecal.core.backoff import Backoff
from latecal.core.status import IN_FLIGHT
from latecal.core.store_problem import StoreProblem
from latecal.late.client import LateClient
from latecal.late.errors import LateAuthError, LateError, LateNetworkError, LateRateLimited
from latecal.late.health import keep_health, with_health
from latecal.presentation import sync_texts as words
from latecal.presentation.store_texts import cause
from latecal.store import ChangeSet, Store, StoreError, problem_of
from latecal.sync.change_check import ChangeCheck
from latecal.sync.change_pull import pull_changes
from latecal.sync.pull import RUN_STOPPERS, Puller, Window
from latecal.sync.pull_plan import BUSY_HORIZON, BUSY_INTERVAL_S, cadence, full_every, watch
from latecal.sync.push import AuthFailed, Pusher
from latecal.sync.queue_refresh import refresh_queues
from latecal.sync.report import SyncReport
from latecal.sync.retry_clock import RetryClock

log = logging.getLogger(__name__)

IDLE_INTERVAL_S = 60.0
#: while Late stays unreachable, runs 5, 10, 20, 40 s apart, then every minute: no jitter, one app per machine
OFFLINE_BACKOFF = Backoff(base=5.0, cap=60.0)
#: how long to wait after a 429 that does not say (Late's window is a minute)
RATE_LIMIT_WAIT_S = 60.0
ACCOUNTS_EVERY = timedelta(minutes=10)
QUEUES_EVERY = timedelta(hours=1)  # and on every Sync press
#: wall-clock time that passes while the monotonic clock does not (a suspended laptop) beyond this → sync
CLOCK_GAP_S = 30.0
_TICK_S = 5.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class SyncListener:
    started: Callable[[], None] | None = None
    #: (posts read so far, posts expected) while the pull lists pages
    progress: Callable[[int, int], None] | None = None
    finished: Callable[[SyncReport], None] | None = None
    #: (changes sent so far, changes to send in this run) while the push works through the outbox
    sending: Callable[[int, int], None] | None = None


class SyncEngine:
    def __init__(self, store: Store, client: LateClient, *, clock: Callable[[], datetime] = utc_now,
                 idle_interval_s: float = IDLE_INTERVAL_S, monotonic: Callable[[], float] | None = None) -> None:
        self.store = store
        self.client = client
        self.clock = clock
        if monotonic is None:  # an engine on a clock of its own (a test's, a simulation's) waits on that clock
            monotonic = time.monotonic if clock is utc_now else (lambda: clock().timestamp())
        #: the outbox's backoff waits, in monotonic time across runs (a wall-clock jump neither stalls nor floods)
        self.retry_clock = RetryClock(monotonic)
        #: the calm cadence (Settings ▸ Sync every); the busy and offline cadences do not change with it
        self.idle_interval_s = idle_interval_s
        self.window: Window | None = None
        self.running = False
        self.paused_for_auth = False
        self.last_report: SyncReport | None = None
        self._listeners: list[SyncListener] = []
        self._wake = asyncio.Event()
        self._asked = False  # the pending wake is the user's Sync: it does not wait out the rate limit
        self._accounts_asked = False  # the user's Sync since the last run began: it reads the accounts again
        self._lock = asyncio.Lock()
        self._accounts_at: datetime | None = None
        self._queues_at: datetime | None = None
        self._offline_streak = 0
        self._limited_until: datetime | None = None  # a 429 on reading: no run before then (but a Sync press)
        self.change_check = ChangeCheck()
        self._full_wanted = True  # the next run of the cadence lists the whole window (start, a wake, a gap)
        self._full_at: datetime | None = None  # when the last complete full listing began
        self._full_cost = 0  # the requests it took
        self._full_window: Window | None = None  # the window it listed
        self._full_unreadable = (0, 0)  # its posts Late sent that could not be read: skipped, kept marked

    # ------------------------------------------------------------------ wiring

    def add_listener(self, listener: SyncListener) -> None:
        self._listeners.append(listener)

    def set_window(self, start: datetime, end: datetime) -> None:
        """The dates on screen; pulled (with the past-due posts) on every full run, and fully on the next run
        when they reach beyond the dates the last full run listed."""
        self.window = (start, end)
        listed = self._full_window
        if listed is None or start < listed[0] or end > listed[1]:
            self._full_wanted = True

    def sync_now(self, *, asked: bool = False) -> None:
        """A run at once, or right after the one under way; while Late's rate limit lasts only when the user
        ``asked`` (an edit waits for it)."""
        if not asked and self._rate_limited():
            return
        self._asked = self._asked or asked
        self._accounts_asked = self._accounts_asked or asked
        self._full_wanted = True
        self._wake.set()

    def resume(self, client: LateClient | None = None) -> None:
        """After a new key: swap the client and sync at once."""
        if client is not None:
            self.client = client
        self.paused_for_auth = False
        self._asked = True
        self._accounts_asked = True  # a new key may open another workspace: its accounts are read at once
        self._full_wanted = True
        self.change_check = ChangeCheck()  # another key may see another workspace's log
        self._wake.set()

    @property
    def limited_until(self) -> datetime | None:
        """Until when Late asked not to be asked (a 429 on reading), while that lasts; else None."""
        return self._limited_until if self._rate_limited() else None

    def _rate_limited(self) -> bool:
        return self._limited_until is not None and self._limited_until > self.clock()

    # ------------------------------------------------------------------ one run

    async def run_once(self, *, pull: bool = True, refresh_accounts: bool | None = None,
                       full: bool = True) -> SyncReport:
        """One run; ``full=False`` makes its pull a change check (what the cadence runs between full listings)."""
        async with self._lock:
            return await self._run(pull=pull, refresh_accounts=refresh_accounts, full=full)

    async def run_scheduled(self) -> SyncReport:
        """The run the cadence makes now: a full listing when one is due (``full_due``), else a change check; the
        accounts as well after a Sync press."""
        refresh, self._accounts_asked = self._accounts_asked, False
        return await self.run_once(refresh_accounts=True if refresh else None, full=self.full_due())

    def full_due(self) -> bool:
        if self._full_wanted or self._full_at is None:
            return True
        return self.clock() - self._full_at >= full_every(self._full_cost)

    async def _run(self, *, pull: bool, refresh_accounts: bool | None, full: bool = True) -> SyncReport:
        report = SyncReport(started_at=self.clock())
        calls_before = self.client.stats.http_calls
        self.running = True
        self._limited_until = None  # (set again below if Late still refuses)
        self._notify("started")
        try:
            asked = refresh_accounts is True  # a Sync press: the queues are read again too
            if refresh_accounts is None:
                refresh_accounts = self._accounts_at is None or self.clock() - self._accounts_at >= ACCOUNTS_EVERY
            if refresh_accounts:
                await self._step(self._refresh_accounts(queues=asked), report, words.could_not_save_accounts,
                                 words.could_not_read_accounts)
            # Pull first: a remote change to a post with unpushed edits must become a conflict before our
            # push could overwrite it (conflicted posts are not pushed). A pull that fails still lets the push
            # go: what waits to be sent does not depend on reading Late.
            if pull:
                puller = Puller(self.store, self.client, self.clock, progress=self._progress)
                work = self._pull_full(puller, report) if full else self._pull_changes(puller, report)
                report.pulled = await self._step(work, report, words.could_not_save_changes,
                                                 words.could_not_read_posts)
                if not report.pulled:
                    report.complete = False
            await self._step(self._push(report), report, words.could_not_send_changes, words.could_not_send_changes)
        except (AuthFailed, LateAuthError):
            report.auth_failed = True
            self.paused_for_auth = True
            log.warning("Late refused the API key; sync paused")
        except LateNetworkError as exc:
            report.offline = True
            report.complete = False
            log.info("Late unreachable: %s", exc)
        except LateRateLimited as exc:
            # Late's limit on requests (per minute, for the whole team): the next run waits as long as it says
            report.complete = False
            report.rate_limited(self.clock() + timedelta(seconds=exc.retry_after or RATE_LIMIT_WAIT_S))
            self._limited_until = report.rate_limited_until
            log.warning("Late is rate-limiting: %s; next run at %s", exc, self._limited_until)
        except Exception as exc:  # a bug, or a store that cannot be read: said as a failure, never as "Synced"
            report.complete = False
            report.fail(_what_failed(exc, words.sync_stopped, words.sync_crashed))
            log.exception("sync run crashed")
        finally:
            report.http_calls = self.client.stats.http_calls - calls_before
            report.finished_at = self.clock()
            self.running = False
            self.last_report = report
            self._offline_streak = self._offline_streak + 1 if report.offline else 0
            self._notify("finished", report)
        return report

    async def _step(self, work: Awaitable[None], report: SyncReport, store_failed: Callable[[str], str],
                    failed: Callable[[str], str]) -> bool:
        """Run one step of a run (accounts, pull, push); whether it ran to its end. A failure that would meet
        every further request too (the key, the network, the rate limit) stops the run; any other is written
        into the report and the run goes on to its next step."""
        try:
            await work
        except (AuthFailed, *RUN_STOPPERS):
            raise
        except LateError as exc:  # e.g. a page Late sent that cannot be parsed
            log.warning("sync step failed: %s", exc)
            report.fail(failed(exc.plain))
            return False
        except Exception as exc:
            log.exception("sync step failed")
            report.fail(_what_failed(exc, store_failed, failed))
            return False
        return True

    async def _pull_full(self, puller: Puller, report: SyncReport) -> None:
        """The window (± margin) and the past-due posts, listed whole; the change check reads on from here."""
        report.scope = "full"
        self._full_wanted = False  # (a wake during the run asks again)
        started, calls, window = self.clock(), self.client.stats.http_calls, self.window
        done = False
        try:
            await puller.pull(window, report, initiator=self)
            done = report.complete
        finally:
            if done:
                self._full_at, self._full_window = started, window
                self._full_cost = self.client.stats.http_calls - calls
                self._full_unreadable = (report.bad_posts, report.posts_with_read_problems)
                self.change_check.restart(started)
            else:
                self._full_wanted = True  # what was not read whole is listed whole at the next run

    async def _pull_changes(self, puller: Puller, report: SyncReport) -> None:
        """A change check: one request to Late's publishing log, then a listing of only what it names."""
        report.scope = "changes"
        await pull_changes(self.change_check, self.store, self.client, puller, report, window=self.window,
                           now=self.clock(), full=partial(self._pull_full, puller, report), initiator=self)
        if report.scope == "changes":  # the window was not read again: what the last full listing found stands
            bad, marked = self._full_unreadable
            report.bad_posts = max(report.bad_posts, bad)
            report.posts_with_read_problems = max(report.posts_with_read_problems, marked)

    async def _push(self, report: SyncReport) -> None:
        self.store.extend_series(self.clock(), initiator=self)  # a repeating post's next occurrences, if due
        pusher = Pusher(self.store, self.client, self.clock, self.retry_clock,
                        progress=lambda done, total: self._notify("sending", done, total))
        await pusher.push_all(report, initiator=self)
        pusher.note_waiting(report)

    async def _refresh_accounts(self, *, queues: bool = False) -> None:
        accounts = await self.client.list_accounts()
        try:
            health = await self.client.account_health()
        except (AuthFailed, *RUN_STOPPERS):
            raise
        except LateError as exc:  # the list is still worth keeping: each account keeps the health it had
            log.warning("could not read the accounts' health: %s", exc)
            accounts = keep_health(accounts, {a.id: a for a in self.store.accounts()})
        else:
            accounts = [with_health(a, health.get(a.id)) for a in accounts] if health is not None else accounts
        profiles = await self.client.list_profiles()
        self.store.replace_profiles(profiles)
        self.store.replace_accounts(accounts)
        self._accounts_at = self.clock()
        # one call per profile: an agency's fifty would spend Late's budget every ten minutes, and a queue's
        # slots change rarely (edits made here are kept at once)
        if queues or self._queues_at is None or self.clock() - self._queues_at >= QUEUES_EVERY:
            await refresh_queues(self.store, self.client, profiles)
            self._queues_at = self.clock()

    def _progress(self, done: int, total: int) -> None:
        self._notify("progress", done, total)

    def _notify(self, event: str, *args: object) -> None:
        for listener in list(self._listeners):
            callback = getattr(listener, event)
            if callback is None:
                continue
            try:
                callback(*args)
            except Exception:  # a broken listener must not stop syncing
                log.exception("sync listener failed on %s", event)

    # ------------------------------------------------------------------ cadence

    def next_interval(self) -> float:
        now = self.clock()
        if self._limited_until is not None and self._limited_until > now:
            return max((self._limited_until - now).total_seconds(), BUSY_INTERVAL_S)
        if self._offline_streak:
            return OFFLINE_BACKOFF.delay(self._offline_streak)
        soon = self.store.posts_with_status(IN_FLIGHT, due_before=now + BUSY_HORIZON)
        interval = cadence(watch(soon, now), now, self.idle_interval_s)
        if self._full_at is not None and not self._full_wanted:  # the slow cadence's full listing comes on time
            until_full = (self._full_at + full_every(self._full_cost) - now).total_seconds()
            interval = min(interval, max(until_full, 1.0))
        retry_at = self.last_report.unsent_retry_at if self.last_report is not None else None
        if retry_at is not None and retry_at > now:  # the window says "retrying at …": the run comes then
            interval = min(interval, max((retry_at - now).total_seconds(), 1.0))
        return interval

    async def run_forever(self) -> None:
        """Sync now, then on the cadence, until cancelled. Never raises (errors go into the reports)."""
        stop_following = self._follow_store()
        try:
            while True:
                if not self.paused_for_auth:
                    self._take_wake()  # this run answers every wake so far; a later one asks for another run
                    try:
                        # a Sync press also reads the accounts (and their health) again, even one made mid-run
                        await self.run_scheduled()
                    except asyncio.CancelledError:
                        raise
                    except Exception:
                        log.exception("sync run crashed; trying again later")
                await self._sleep(None if self.paused_for_auth else self.next_interval())
        finally:
            stop_following()

    def _follow_store(self) -> Callable[[], None]:
        """Subscribe to the store: a queued push for a user's change calls ``sync_now()`` (so it still waits out
        Late's rate limit). Returns the unsubscribe."""
        loop = asyncio.get_running_loop()
        loop_thread = threading.get_ident()

        def on_change(changes: ChangeSet, initiator: object | None) -> None:
            if not changes.queued or initiator is self:
                return
            if threading.get_ident() == loop_thread:
                self.sync_now()
                return
            # store listeners run on the writing thread; the wake event belongs to the loop's
            with contextlib.suppress(RuntimeError):  # the loop has closed: this engine is gone
                loop.call_soon_threadsafe(self.sync_now)

        return self.store.subscribe(on_change)

    def _take_wake(self) -> bool:
        """Clear the wake; whether it was pending and may run now (the user asked, or Late does not limit us)."""
        pending = self._wake.is_set() and (self._asked or not self._rate_limited())
        self._wake.clear()
        self._asked = False
        return pending

    async def _sleep(self, seconds: float | None) -> None:
        """Wait for ``seconds`` (forever when None), a ``sync_now()`` (also one made during the run just ended: that
        run may have read the outbox or Late before the change), or a clock gap."""
        if self._take_wake():
            return
        wall0, mono0 = time.time(), time.monotonic()
        while seconds is None or time.monotonic() - mono0 < seconds:
            slice_s = _TICK_S if seconds is None else min(_TICK_S, seconds - (time.monotonic() - mono0))
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.0, slice_s))
                return
            except TimeoutError:
                pass
            gap = (time.time() - wall0) - (time.monotonic() - mono0)
            if gap > CLOCK_GAP_S and not self.paused_for_auth:
                log.info("clock jumped %.0f s (sleep/resume?): syncing now", gap)
                self._full_wanted = True  # a night may have passed: everything is read again
                return


def _what_failed(exc: Exception, store_failed: Callable[[str], str], failed: Callable[[str], str]) -> str:
    """The sentence for a step that raised: the store's trouble with its cause in words ("Could not save Late's
    changes: the disk is full"), or else what the error says."""
    detail = str(exc) or type(exc).__name__
    problem = problem_of(exc)
    if problem is not StoreProblem.OTHER or isinstance(exc, sqlite3.Error | StoreError):
        return store_failed(cause(problem, detail))
    return failed(detail)
