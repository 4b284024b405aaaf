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
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial

from latecal import heap
from latecal.core.models import Post
from latecal.core.status import DELETED_ON_LATE, IN_FLIGHT, SyncState
from latecal.core.store_problem import StoreProblem
from latecal.late.client import LateClient
from latecal.late.errors import LateAuthError, LateError, LateNetworkError, LateNotFound, LateRateLimited
from latecal.late.results import PostPage
from latecal.presentation import sync_texts as words
from latecal.store import Store, problem_of
from latecal.store.codec import PostRow
from latecal.store.errors import PendingEditsError
from latecal.store.records import Op
from latecal.store.remote_merge import LocalCopy, PulledWrites
from latecal.sync.outgoing import fingerprint, keep_local_text, with_shown_title
from latecal.sync.report import SyncReport
from latecal.threads import in_thread

log = logging.getLogger(__name__)

Window = tuple[datetime, datetime]

#: past-due posts closer than this to each other (or to the visible window) are listed in one range
MERGE_GAP = timedelta(days=3)
#: at most this many single GETs to confirm remote deletions per run; more waits for the next run
MAX_CONFIRMATIONS = 25
#: a slice of a page is merged in one store transaction (one change notification), then the loop runs: slices
#: are sized to take about this long (the window applying the slice included), so a sync holds no frame long
SLICE_BUDGET_S = 0.010
FIRST_SLICE = 50
MIN_SLICE = 20
#: a bigger change set is what the calendar takes for an import and re-lays out whole; commits this size already
#: cost little next to the posts' own writing
MAX_SLICE = 200
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
            # their times only, off the loop's thread: a busy store has thousands (decoding them took ~80 ms)
            due = await in_thread(partial(self.store.due_times_on_late, IN_FLIGHT, due_before=self.clock()))
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
        """List Late's posts due in [start, end) and merge them; True when the listing was complete."""
        pages = self.client.iter_posts(from_date=start, to_date=end, sort_by="scheduled-asc", account_id=account_id)
        async with contextlib.aclosing(_one_ahead(pages)) as ahead:  # closed here, even when a merge fails
            async for page in ahead:
                for bad in page.bad:
                    report.bad_posts += 1
                    if bad.late_id:
                        seen.add(bad.late_id)  # unreadable is not deleted
                    log.warning("skipped a post Late sent that could not be read (%s): %s", bad.late_id, bad.error)
                await self._merge_posts(page.posts, report, seen, insert_new=insert_new)
                if self.progress is not None:
                    self.progress(report.inspected, max(report.inspected, page.total or 0))
                if page.last:
                    return True
        return False

    async def _merge_posts(self, posts: list[Post], report: SyncReport, seen: set[str], *, insert_new: bool) -> None:
        """Merge a page in slices, one store transaction each, the event loop running between them: a slice is
        sized to take about ``SLICE_BUDGET_S`` (the window applies each slice's change set in it too)."""
        size, first = FIRST_SLICE, 0
        while first < len(posts):
            if first:
                await asyncio.sleep(0)
            chunk = posts[first:first + size]
            # the loop thread's own CPU time: on a busy machine (or beside threads holding the GIL) the wall clock
            # also counts waiting, which would shrink the slices and multiply the commits for nothing
            started = time.thread_time()
            wrote = self._merge_slice(chunk, report, seen, insert_new=insert_new)
            elapsed = time.thread_time() - started
            first += len(chunk)
            if wrote:
                heap.settle()  # what a slice added lives on (the store's rows, the window's chips)
            size = max(MIN_SLICE, min(MAX_SLICE, int(size * SLICE_BUDGET_S / max(elapsed, 1e-4))))

    def _merge_slice(self, chunk: list[Post], report: SyncReport, seen: set[str], *, insert_new: bool) -> bool:
        """One slice in one transaction: the local copies read in one query, each post decided alone (a post the
        app cannot work with is written down, the others go on), the writes made in two statements. Whether
        anything changed."""
        # never open across an await; not durable: what is lost with the power is pulled again, and an fsync per
        # slice on the UI's thread could stall it on a slow disk
        with self.store.batch(initiator=self._initiator, durable=False) as committed:
            copies = self.store.local_copies(p.late_id for p in chunk if p.late_id)
            writes = PulledWrites()
            staged: dict[str, _Staged] = {}
            twice: list[Post] = []
            for remote in chunk:
                report.inspected += 1
                seen.add(remote.late_id or "")
                if getattr(remote, "read_problems", None):  # kept, marked: some fields were unreadable
                    report.posts_with_read_problems += 1
                if remote.late_id in staged:
                    twice.append(remote)  # listed twice in one slice: merged once the first copy is written
                    continue
                try:
                    self._stage(remote, copies.get(remote.late_id or ""), writes, staged, report,
                                insert_new=insert_new)
                except Exception as exc:
                    self._written_down(remote, exc, report)
            self._write_staged(writes, staged, report, insert_new=insert_new)
            for remote in twice:
                self._merge_isolated(remote, report, insert_new=insert_new)
        return bool(committed.changes)

    def _stage(self, remote: Post, copy: LocalCopy | None, writes: PulledWrites, staged: dict[str, _Staged],
               report: SyncReport, *, insert_new: bool) -> None:
        """Decide one listed post against its local copy: staged for the slice's bulk write (new, or changed on
        Late and unedited here), or handled at once (a conflict, our own lost write), or left alone."""
        shown = with_shown_title(remote)
        late_id = remote.late_id or ""
        if copy is None:
            if insert_new and self.store.stage_pulled(writes, shown, None):
                staged[late_id] = _Staged(remote, shown.local_id, (None, shown.status))
            return
        if copy.deleted:
            return
        if copy.in_conflict:
            theirs = self.store.conflict_version(copy)
            if theirs is not None and theirs.remote_updated_at != shown.remote_updated_at:
                self.store.mark_conflict(copy.local_id, shown, self.store.local_post(copy).sync_error,
                                         initiator=self._initiator)
            return
        if shown.remote_updated_at is not None and shown.remote_updated_at == copy.remote_updated_at:
            return  # unchanged on Late: nothing is read
        if copy.has_entries:
            self._changed_while_edited(self.store.local_post(copy), shown, report)
            return
        if copy.holds_local_text or any(t.custom_content == "" for t in shown.targets):
            local = self.store.local_post(copy)
            merged = _with_local_identity(keep_local_text(shown, local), local)
        else:  # nothing of ours to keep (keep_local_text would return Late's texts): the row is not even read
            merged = _with_local_identity(shown, copy.row)
        if self.store.stage_pulled(writes, merged, copy):
            staged[late_id] = _Staged(remote, copy.local_id,
                                      (copy.status, shown.status) if shown.status != copy.status else None)

    def _write_staged(self, writes: PulledWrites, staged: dict[str, _Staged], report: SyncReport, *,
                      insert_new: bool) -> None:
        if not writes:
            return
        try:
            self.store.write_pulled(writes, initiator=self._initiator)
        except Exception as exc:
            if problem_of(exc) is not StoreProblem.OTHER:
                raise
            # e.g. a row SQLite refuses: the slice's writes rolled back together; one by one, only that post fails
            log.warning("a slice of the pull could not be written at once (%s); merging its posts one by one", exc)
            for entry in staged.values():
                self._merge_isolated(entry.remote, report, insert_new=insert_new)
            return
        for entry in staged.values():
            if entry.change is not None:
                report.changed[entry.local_id] = entry.change

    def _merge_isolated(self, remote: Post, report: SyncReport, *, insert_new: bool) -> None:
        """Merge one post on its own (a confirmation, a post listed twice, a slice that could not be written at
        once); an error of this post's own is written down and the pull goes on (seed 000)."""
        try:
            self._merge(remote, report, insert_new=insert_new)
        except Exception as exc:
            self._written_down(remote, exc, report)

    def _written_down(self, remote: Post, exc: Exception, report: SyncReport) -> None:
        """A failing store (disk full, read-only) is no error of one post: it stops the pull."""
        if problem_of(exc) is not StoreProblem.OTHER:
            raise exc
        log.error("could not merge Late post %s", remote.late_id, exc_info=exc)
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
            self._changed_while_edited(local, remote, report)
            return
        if changes and remote.status != local.status:
            report.changed[local.local_id] = (local.status, remote.status)

    def _changed_while_edited(self, local: Post, remote: Post, report: SyncReport) -> None:
        if fingerprint(remote) in self.store.sent_fingerprints(local.local_id):
            # Late holds what we last sent, its answer lost (crash, dropped connection): our own write,
            # not a remote edit. Take it as the base; the newer local edit is still pushed.
            self.store.adopt_remote_base(local.local_id, remote, initiator=self._initiator)
            return
        self.store.mark_conflict(local.local_id, remote, words.changed_while_edited(remote.status),
                                 initiator=self._initiator)
        report.conflicts.append(local.local_id)

    async def _drop_missing(self, start: datetime, end: datetime, seen: set[str], report: SyncReport) -> None:
        # ids only (no post decoded): a dense window holds thousands, and usually none is missing
        missing = [local_id for local_id, late_id in self.store.late_ids_between(start, end) if late_id not in seen]
        for post in filter(None, map(self.store.get_post, missing[:MAX_CONFIRMATIONS])):
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


async def _one_ahead(pages: AsyncGenerator[PostPage, None]) -> AsyncIterator[PostPage]:
    """``pages``, the next one already on its way while the caller merges this one: the merge overlaps the
    network's round trip instead of adding to it."""
    ahead: asyncio.Task[PostPage] | None = asyncio.ensure_future(anext(pages))
    try:
        while ahead is not None:
            try:
                page = await ahead
            except StopAsyncIteration:
                return
            ahead = None if page.last else asyncio.ensure_future(anext(pages))
            yield page
    finally:
        if ahead is not None and not ahead.done():
            ahead.cancel()
            with contextlib.suppress(BaseException):
                await ahead
        await pages.aclose()


@dataclass(slots=True)
class _Staged:
    """A post staged in a slice's bulk write: as Late sent it (merged alone should the write fail), its local
    id, and its status change for the report (None: unchanged)."""

    remote: Post
    local_id: str
    change: tuple[str | None, str] | None


def _server_down(exc: LateError) -> bool:
    return exc.status is not None and exc.status >= 500


def _with_local_identity(remote: Post, local: Post | PostRow) -> Post:
    """``remote`` (changed in place) with the local post's identity: its id, its Idempotency-Key, and its zone where
    Late names none."""
    remote.local_id = local.local_id
    remote.idempotency_key = local.idempotency_key
    if remote.timezone is None:
        remote.timezone = local.timezone
    return remote
