"""Pull: read the visible date window, plus every past-due post Late may have acted on, in about ⌈N/500⌉
list calls (never one call per post), and merge what changed into the store.

Merge rules, per remote post:
- unknown locally → inserted (but not while a create of ours may still be unresolved: it could be that one);
- known, no unpushed edits, Late's ``updatedAt`` unchanged → nothing (so a second run changes nothing);
- known, no unpushed edits, changed → refreshed, keeping the local text where Late holds our own composition;
- known with unpushed edits and changed on Late → a conflict: both versions kept, the UI asks;
- tombstoned locally → skipped (our delete is on its way).
A post missing from a *complete* listing of its window is confirmed with one GET (it may only have moved out
of the window) before it is dropped as deleted on Late.

Every step taken for one post (its due-time range, its merge, its confirmation) is isolated: a post whose fields
the app cannot work with is written down in the report and the pull goes on. Only a failure of the store itself
(a full disk, a read-only folder) stops the pull, since every further post would fail the same way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial

from latecal.core.models import Post
from latecal.core.status import DELETED_ON_LATE, IN_FLIGHT, SyncState
from latecal.core.store_problem import StoreProblem
from latecal.late.client import LateClient
from latecal.late.errors import LateAuthError, LateError, LateNetworkError, LateNotFound, LateRateLimited
from latecal.presentation import sync_texts as words
from latecal.store import Store, problem_of
from latecal.store.errors import PendingEditsError
from latecal.store.records import Op
from latecal.sync.outgoing import fingerprint, keep_local_text, with_shown_title
from latecal.sync.report import SyncReport
from latecal.threads import in_thread

log = logging.getLogger(__name__)

Window = tuple[datetime, datetime]

#: past-due posts closer than this to each other (or to the visible window) are listed in one range
MERGE_GAP = timedelta(days=3)
#: at most this many single GETs to confirm remote deletions per run; more waits for the next run
MAX_CONFIRMATIONS = 25
#: posts merged per store transaction (one change notification each); the loop runs between chunks
MERGE_CHUNK = 25
#: Late did not exist before this: a post due earlier (year 1, say) holds a time that was misread, not one to watch
EARLIEST_DUE = datetime(2000, 1, 1, tzinfo=UTC)
_AROUND_DUE = timedelta(seconds=1)
#: failures that stop the whole run (the engine says why): every further request would meet them too
RUN_STOPPERS = (LateAuthError, LateNetworkError, LateRateLimited)


def _shifted(t: datetime, delta: timedelta) -> datetime:
    """``t + delta``, held at the ends of the calendar instead of overflowing (year 1, year 9999)."""
    try:
        return t + delta
    except OverflowError:
        return (datetime.max if delta > timedelta(0) else datetime.min).replace(tzinfo=t.tzinfo)


def listing_ranges(window: Window | None, due_times: list[datetime]) -> list[Window]:
    """The visible window plus short ranges around past-due posts, merged when they are close. Due times that
    cannot be a real one (naive, before ``EARLIEST_DUE``) are left out: their posts are still listed with the
    dates around them on screen."""
    spans: list[Window] = [window] if window else []
    sane = [t for t in due_times if t.tzinfo is not None and t >= EARLIEST_DUE]
    if len(sane) < len(due_times):
        log.warning("left %d past-due posts with an impossible time out of the pull", len(due_times) - len(sane))
    spans += [(_shifted(t, -_AROUND_DUE), _shifted(t, _AROUND_DUE)) for t in sane]
    spans.sort()
    merged: list[Window] = []
    for start, end in spans:
        if merged and start - merged[-1][1] <= MERGE_GAP:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class Puller:
    def __init__(self, store: Store, client: LateClient, clock: Callable[[], datetime], *,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.store = store
        self.client = client
        self.clock = clock
        self.progress = progress

    async def pull(self, window: Window | None, report: SyncReport, *, initiator: object | None = None,
                   ranges: list[Window] | None = None, account_id: str | None = None) -> None:
        """List ``window`` and the past-due posts; or, for a change check (sync/change_check.py), exactly
        ``ranges``, of one account's posts when ``account_id`` is given (then nothing is inferred deleted: the
        listing holds only that account's)."""
        self._initiator = initiator
        if ranges is None:
            # Off the loop's thread: with thousands of past-due posts, decoding them all blocked the UI for ~80 ms.
            in_flight = await in_thread(partial(self.store.posts_with_status, IN_FLIGHT, due_before=self.clock()))
            due = [p.scheduled_for for p in in_flight if p.late_id and p.scheduled_for is not None]
            ranges = listing_ranges(window, due)
        unresolved_creates = any(
            e.op == Op.CREATE and e.attempts > 0 for e in self.store.outbox_entries()
        )
        seen: set[str] = set()
        for start, end in ranges:
            complete = await self._list_range(start, end, report, seen, insert_new=not unresolved_creates,
                                              account_id=account_id)
            if complete and account_id is None:
                await self._drop_missing(start, end, seen, report)
            elif not complete:
                report.complete = False

    async def _list_range(self, start: datetime, end: datetime, report: SyncReport, seen: set[str], *,
                          insert_new: bool, account_id: str | None = None) -> bool:
        async for page in self.client.iter_posts(from_date=start, to_date=end, sort_by="scheduled-asc",
                                                 account_id=account_id):
            for bad in page.bad:
                report.bad_posts += 1
                if bad.late_id:
                    seen.add(bad.late_id)  # unreadable is not deleted
                log.warning("skipped a post Late sent that could not be read (%s): %s", bad.late_id, bad.error)
            for first in range(0, len(page.posts), MERGE_CHUNK):
                if first:
                    # Let the event loop run between chunks: a 500-post page merged (and applied by the window,
                    # which listens to the store) in one go froze the UI for ~400 ms (tests/bench/ui_bench.py).
                    await asyncio.sleep(0)
                # never open across the await; not durable: what is lost with the power is pulled again, and an
                # fsync per chunk on the UI's thread could stall it on a slow disk
                with self.store.batch(initiator=self._initiator, durable=False):
                    for remote in page.posts[first:first + MERGE_CHUNK]:
                        report.inspected += 1
                        seen.add(remote.late_id or "")
                        if getattr(remote, "read_problems", None):  # kept, marked: some fields were unreadable
                            report.posts_with_read_problems += 1
                        self._merge_isolated(remote, report, insert_new=insert_new)
            if self.progress is not None:
                self.progress(report.inspected, max(report.inspected, page.total or 0))
            if page.last:
                return True
        return False

    def _merge_isolated(self, remote: Post, report: SyncReport, *, insert_new: bool) -> None:
        """Merge one post; an error of this post's own is written down and the pull goes on (seed 000). A failing
        store (disk full, read-only) is no error of one post: it stops the pull."""
        try:
            self._merge(remote, report, insert_new=insert_new)
        except Exception as exc:
            if problem_of(exc) is not StoreProblem.OTHER:
                raise
            log.exception("could not merge Late post %s", remote.late_id)
            report.errors.append(words.could_not_merge(remote.late_id, exc))

    def _merge(self, remote: Post, report: SyncReport, *, insert_new: bool) -> None:
        remote = with_shown_title(remote)
        known = self.store.get_by_late_id(remote.late_id or "", include_deleted=True)
        record = self.store.get_record(known.local_id) if known is not None else None
        if record is None:
            if insert_new:
                for local_id in self.store.upsert_remote(remote, initiator=self._initiator).changed:
                    report.changed[local_id] = (None, remote.status)  # the new post's id, stored as Late has it
            return
        local = record.post
        if record.deleted:
            return
        if record.conflict_remote is not None:
            if record.conflict_remote.remote_updated_at != remote.remote_updated_at:
                self.store.mark_conflict(local.local_id, remote, local.sync_error, initiator=self._initiator)
            return
        if remote.remote_updated_at == local.remote_updated_at and remote.remote_updated_at is not None:
            return
        merged = keep_local_text(remote, local)
        try:
            changes = self.store.upsert_remote(
                _with_local_identity(merged, local), initiator=self._initiator
            )
        except PendingEditsError:
            if fingerprint(remote) in self.store.sent_fingerprints(local.local_id):
                # Late holds what we last sent, its answer lost (crash, dropped connection): our own write,
                # not a remote edit. Take it as the base; the newer local edit is still pushed.
                self.store.adopt_remote_base(local.local_id, remote, initiator=self._initiator)
                return
            self.store.mark_conflict(local.local_id, remote, words.changed_while_edited(remote.status),
                                     initiator=self._initiator)
            report.conflicts.append(local.local_id)
            return
        if changes and remote.status != local.status:
            report.changed[local.local_id] = (local.status, remote.status)

    async def _drop_missing(self, start: datetime, end: datetime, seen: set[str], report: SyncReport) -> None:
        missing: list[Post] = []
        while start < end:  # a day at a time, yielding between: decoding a whole busy window at once stalls the UI
            step = min(_shifted(start, timedelta(days=1)), end)
            missing += [p for p in self.store.posts_between(start, step) if p.late_id and p.late_id not in seen]
            start = step
            await asyncio.sleep(0)
        for post in missing[:MAX_CONFIRMATIONS]:
            try:
                await self._confirm(post, seen, report)
            except RUN_STOPPERS:
                raise
            except Exception as exc:  # e.g. Late's copy of this one post cannot be read: the post stays as it is
                if problem_of(exc) is not StoreProblem.OTHER or (isinstance(exc, LateError) and _server_down(exc)):
                    raise  # no fault of this post: the next ones would fail alike (after the client's own retries)
                log.warning("could not confirm Late post %s", post.late_id, exc_info=True)
                report.errors.append(words.could_not_check(post, exc.plain if isinstance(exc, LateError) else exc))

    async def _confirm(self, post: Post, seen: set[str], report: SyncReport) -> None:
        """One GET for a post missing from its listing: moved out of the window (merged), or deleted on Late."""
        try:
            remote = await self.client.get_post(post.late_id or "")
        except LateNotFound:
            self._gone_on_late(post, report)
            return
        seen.add(remote.late_id or "")
        report.inspected += 1
        self._merge_isolated(remote, report, insert_new=False)

    def _gone_on_late(self, post: Post, report: SyncReport) -> None:
        record = self.store.get_record(post.local_id)
        if record is None or record.deleted:
            return
        if post.sync_state == SyncState.SYNCED:
            self.store.remove_remote_deleted(post.local_id, initiator=self._initiator)
            report.removed.append(post.local_id)
        elif record.conflict_remote is not None and record.conflict_remote.status != DELETED_ON_LATE:
            # in conflict, and now Late's side is gone: the choice becomes "keep mine" or "delete it"
            self.store.mark_conflict(post.local_id, replace(record.conflict_remote, status=DELETED_ON_LATE),
                                     words.DELETED_WHILE_CHANGED,
                                     initiator=self._initiator)
            report.conflicts.append(post.local_id)


def _server_down(exc: LateError) -> bool:
    return exc.status is not None and exc.status >= 500


def _with_local_identity(remote: Post, local: Post) -> Post:
    remote.local_id = local.local_id
    remote.idempotency_key = local.idempotency_key
    if remote.timezone is None:
        remote.timezone = local.timezone
    return remote
