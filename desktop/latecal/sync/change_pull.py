"""A change check's pull (sync/change_check.py says what it reads and why): one request to Late's publishing log,
then a listing of only the due range of the accounts it names, or nothing at all when it names none."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial

from latecal.core.status import IN_FLIGHT
from latecal.late.client import LateClient
from latecal.store import Store
from latecal.sync.change_check import UNEXPLAINED_ACCOUNTS_MAX, ChangeCheck, due_range, unexplained_accounts
from latecal.sync.pull import Puller, Window
from latecal.sync.pull_plan import BUSY_HORIZON, watch
from latecal.sync.report import SyncReport
from latecal.threads import in_thread

log = logging.getLogger(__name__)


async def pull_changes(check: ChangeCheck, store: Store, client: LateClient, puller: Puller, report: SyncReport,
                       *, window: Window | None, now: datetime, full: Callable[[], Awaitable[None]],
                       initiator: object | None) -> None:
    """``full`` lists the whole window instead, when the log says more than a narrow listing can answer."""
    in_flight = await in_thread(partial(store.posts_with_status, IN_FLIGHT, due_before=now + BUSY_HORIZON))
    awaiting = watch(in_flight, now).awaiting
    feed = None
    if check.ready:
        feed = await client.publishing_logs(check.since)  # type: ignore[arg-type]
        if feed is None:
            log.info("Late has no logs feed: the due range is listed while posts are due")
            check.supported = False
    if feed is None:  # no feed to read: what is due is listed (the window waits for the slow cadence)
        if awaiting:
            await puller.pull(None, report, initiator=initiator, ranges=[due_range(awaiting, [], now)])
        return
    changes = check.new_entries(*feed)
    if not changes.complete or changes.anonymous:
        await full()
    elif changes.entries:
        accounts = changes.accounts
        span = due_range(awaiting, changes.entries, now)
        only = next(iter(accounts)) if len(accounts) == 1 else None
        await puller.pull(None, report, initiator=initiator, ranges=[span], account_id=only)
        listed = await in_thread(partial(store.posts_between, *span))
        missing = unexplained_accounts(changes.entries, listed)
        if missing and (len(missing) > UNEXPLAINED_ACCOUNTS_MAX or window is None):
            await full()
        elif missing:  # e.g. a retry of an older post: that account's posts over the whole window
            for account in sorted(a for a in missing if a):
                await puller.pull(None, report, initiator=initiator, ranges=[window], account_id=account)
    if report.complete:
        check.commit(changes)
