"""Push: replay the outbox to Late in order, one coalesced entry per post, never posting anything twice.

Every create carries the post's persisted Idempotency-Key, so a create repeated after a timeout, a 5xx or a
crash returns the post Late already made. Failures are sorted into three kinds:
- transient (network, 5xx, 429, malformed answers): the entry stays and backs off;
- rejected (400/402/403/404/409 duplicate of another post): the edit stays, the post shows Late's message;
- auth (401): the run stops; nothing more is tried until there is a new key.
"""

from __future__ import annotations

import contextlib
import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from latecal.core.backoff import Backoff, Jitter
from latecal.core.missed import is_missed
from latecal.core.models import Post
from latecal.core.recurrence import waits_for_sibling
from latecal.core.status import PostStatus
from latecal.core.validation import NOTHING_TO_SAVE, lacks_content
from latecal.late.client import LateClient
from latecal.late.errors import (
    LateAuthError,
    LateDuplicatePost,
    LateError,
    LateHTTPError,
    LateNetworkError,
    LateNotFound,
    MalformedResponse,
)
from latecal.late.results import CreateOutcome
from latecal.late.wire import post_to_json
from latecal.presentation import sync_texts as words
from latecal.store import Store, StoreError
from latecal.store.records import Op, PushToken
from latecal.sync.outgoing import composed, fingerprint, request_body
from latecal.sync.report import SyncReport
from latecal.sync.retry_clock import RetryClock

log = logging.getLogger(__name__)

#: an entry that keeps failing waits 5 s, 10 s, 20 s … up to 15 minutes, each between half and all of that
PUSH_BACKOFF = Backoff(base=5.0, cap=15 * 60.0, jitter=Jitter.EQUAL)
_NOT_RECREATABLE = frozenset({PostStatus.PARTIAL, PostStatus.PUBLISHING, PostStatus.PUBLISHED})


class AuthFailed(Exception):
    """Late answered 401: stop syncing until the key is replaced."""


def backoff_delay(attempt: int, *, rng: Callable[[], float] = random.random) -> timedelta:
    """The wait before retrying an entry that failed ``attempt`` times in a row (``PUSH_BACKOFF``)."""
    return timedelta(seconds=PUSH_BACKOFF.delay(attempt, rng))


def _is_transient(exc: LateError) -> bool:
    if isinstance(exc, LateNetworkError | MalformedResponse):  # a garbled 2xx is no refusal: try again later
        return True
    status = exc.status
    return status is None or status >= 500 or status == 429 or (status == 409 and exc.code == "idempotency_conflict")


class Pusher:
    def __init__(self, store: Store, client: LateClient, clock: Callable[[], datetime],
                 retry_clock: RetryClock | None = None,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.store = store
        #: (the entry being sent, entries ready in this run), so many changes show "Sending 120 of 500"
        self.progress = progress
        self.client = client
        self.clock = clock
        #: the engine's, shared by its runs; a pusher of its own measures only its own run's waits
        self.retry_clock = retry_clock or RetryClock()

    async def push_all(self, report: SyncReport, *, initiator: object | None = None) -> None:
        """Push every ready entry. Stops early when Late is unreachable (the rest would fail the same way)."""
        self._initiator = initiator
        entries = self.store.pending_entries(None)
        for done, entry in enumerate(entries):
            if self.progress is not None:
                self.progress(done + 1, len(entries))  # the one being sent now
            if not self.retry_clock.is_ready(entry, self.clock()):
                continue
            if entry.op in (Op.CREATE, Op.UPDATE) and self._missed(entry.local_id):
                # its time passed before it reached Late: sent now, Late would publish it at once, unasked.
                # The entry stays as it is (not begun, not dropped) until the user chooses what to do.
                report.missed.append(entry.local_id)
                continue
            if entry.op == Op.CREATE and self._waits_for_sibling(entry.local_id):
                continue  # a repeat of a text Late created less than a day ago: Late would refuse it until then
            if entry.op == Op.RETRY and any(e.op != Op.RETRY for e in self.store.outbox_entries(entry.local_id)):
                # the post's change (a fix) is not on Late yet (deferred, refused, or behind it in this run):
                # a retry now would publish Late's old version; it waits until the change has gone through
                continue
            try:
                token = self.store.begin_push(entry)
            except StoreError:  # changed since the list was read (e.g. a never-sent post deleted): not ours now
                continue
            try:
                await self._push(token, report)
            except LateAuthError as exc:
                self.store.fail_push(token, exc.plain, retry_at=self.clock(), rejected=False)
                self.retry_clock.defer(token.seq, token.attempt, timedelta(0))
                raise AuthFailed(exc.plain) from exc
            except LateError as exc:
                if _is_transient(exc):
                    delay = backoff_delay(token.attempt)
                    if exc.retry_after:  # Late said when (a 429 longer than the client waits itself): not before
                        delay = max(delay, timedelta(seconds=exc.retry_after))
                    retry_at = self.clock() + delay
                    self.store.fail_push(token, exc.plain, retry_at=retry_at, rejected=False, initiator=initiator)
                    self.retry_clock.defer(token.seq, token.attempt, delay)
                    log.info("push of %s deferred (%s), retry at %s", token.local_id, exc, retry_at)
                    if isinstance(exc, LateNetworkError):
                        report.offline = True
                        return
                    if exc.status == 429:
                        report.rate_limited(retry_at)
                        return  # the other entries would hit the same limit: they wait for the next run
                elif not self._made_local(token, exc):
                    self._reject(token, exc.plain, report)
            except Exception as exc:  # bad data or a bug in one post must not hold up every post queued behind it
                log.exception("push of %s failed", token.local_id)
                message = words.could_not_send(type(exc).__name__)
                if token.op == Op.DELETE:  # refusing a delete could forget a draft its replayed create made
                    delay = backoff_delay(token.attempt)
                    self.store.fail_push(token, message, retry_at=self.clock() + delay, rejected=False,
                                         initiator=initiator)
                    self.retry_clock.defer(token.seq, token.attempt, delay)
                    report.errors.append(message)
                else:
                    self._reject(token, message, report)
            else:
                if token.local_id not in report.rejected and token.local_id not in report.conflicts:
                    report.pushed += 1  # (a refusal or a conflict found inside the push returns normally)

    def note_waiting(self, report: SyncReport) -> None:
        """Write into ``report`` the changes that failed without a refusal (a 5xx, a garbled answer) and wait to be
        tried again, so the window says so with the time instead of retrying in silence."""
        now = self.clock()
        waits = sorted(((wait, e) for e in self.store.outbox_entries()
                        if not e.parked and e.attempts and (wait := self.retry_clock.remaining(e, now))),
                       key=lambda pair: pair[0])
        if waits:
            report.unsent = len(waits)
            report.unsent_reason = waits[0][1].last_error
            report.unsent_retry_at = self.retry_clock.retry_at(waits[0][1], now)

    def _missed(self, local_id: str) -> bool:
        post = self.store.get_post(local_id)
        return post is not None and is_missed(post, self.clock())

    def _made_local(self, token: PushToken, exc: LateError) -> bool:
        """Late refused a repeating post's ``recycling`` (e.g. its own count of 10 includes posts never pulled
        here): the series becomes local occurrences and the post goes again without it (next run)."""
        post = self.store.get_post(token.local_id)
        series = self.store.get_series(post.series_id) if post is not None and post.series_id else None
        about_recycling = (exc.param or "").startswith("recycling") or "recycl" in exc.plain.lower()
        if series is None or not series.on_late or not about_recycling:
            return False
        self.store.fail_push(token, exc.plain, retry_at=None, rejected=True, initiator=self._initiator)
        made = self.store.series_to_local(series.id, self.clock(), initiator=self._initiator)
        log.info("Late will not repeat %s (%s): %d local occurrences made", token.local_id, exc, len(made))
        return True

    def _waits_for_sibling(self, local_id: str) -> bool:
        post = self.store.get_post(local_id)
        return post is not None and bool(post.series_id) and waits_for_sibling(
            post, self.store.series_posts_on_late_with(post.series_id, post.content), self.clock())

    def _reject(self, token: PushToken, message: str, report: SyncReport, late_id: str | None = None) -> None:
        log.info("Late refused %s of %s: %s", token.op, token.local_id, message)
        self.store.fail_push(token, message, retry_at=None, rejected=True, late_id=late_id, initiator=self._initiator)
        report.rejected[token.local_id] = message

    async def _push(self, token: PushToken, report: SyncReport) -> None:
        record = self.store.get_record(token.local_id)
        if record is None:
            return
        post = record.post
        if token.op in (Op.CREATE, Op.UPDATE) and post.status != PostStatus.DRAFT and (
                missing := next((m for m in post.media if not m.uploaded), None)):
            # Late gets only uploaded files: sent now, the post would publish without this one
            self._reject(token, words.never_uploaded(missing.filename), report)
            return
        if token.op in (Op.CREATE, Op.UPDATE) and lacks_content(post):  # saved by an older version: Late refuses it
            self._reject(token, NOTHING_TO_SAVE, report)
            return
        if token.op == Op.CREATE:
            await self._create(token, post, report)
        elif token.op == Op.UPDATE:
            accounts_changed = record.remote_account_ids is not None and sorted(record.remote_account_ids) != sorted(
                post.account_ids
            )
            if accounts_changed:
                await self._recreate(token, post, report)
            else:
                await self._update(token, post, report)
        elif token.op == Op.DELETE:
            await self._delete(token, post, report)
        elif token.op == Op.RETRY:
            result = await self.client.retry_post(post.late_id or "")
            self._finish(token, post, result.post, report)

    def _finish(self, token: PushToken, before: Post, remote: Post | None, report: SyncReport,
                late_id: str | None = None) -> None:
        self.store.finish_push(
            token,
            late_id=late_id,
            remote_post=remote,
            remote_account_ids=remote.account_ids if remote is not None else before.account_ids,
            initiator=self._initiator,
        )
        after = self.store.get_post(token.local_id)
        if after is not None and after.status != before.status:
            report.changed[token.local_id] = (before.status, after.status)

    async def _create(self, token: PushToken, post: Post, report: SyncReport) -> None:
        body = request_body(post)
        sent = fingerprint(composed(post))
        earlier = self.store.sent_fingerprints(post.local_id)  # what attempts whose answers were lost sent
        self.store.note_sent(token, sent)
        try:
            result = await self.client.create_post(body, idempotency_key=post.idempotency_key)
        except LateDuplicatePost as exc:
            await self._adopt_duplicate(token, post, exc, report)
            return
        remote = result.post
        if result.outcome is CreateOutcome.REPLAYED and remote is not None and result.post_id \
                and fingerprint(remote) != sent:
            if earlier and fingerprint(remote) not in earlier:
                # Late's copy is none of the versions we sent: someone changed it on Late in between. Both
                # versions are kept for the user to choose, as for any other remote change.
                self._conflict(token, remote, result.post_id, report)
                return
            # Late answers a repeated key with the post of the first attempt, whatever the body: the user
            # edited it since (e.g. after a crash mid-create), so the newer content still has to go.
            remote = (await self.client.update_post(result.post_id, body)).post
        self._finish(token, post, remote, report, late_id=result.post_id)

    async def _adopt_duplicate(self, token: PushToken, post: Post, exc: LateDuplicatePost, report: SyncReport) -> None:
        """Late already has this exact post (e.g. created before a crash without a key): adopt it, unless it
        belongs to another local post — then it is a real duplicate the user has to change."""
        existing = exc.existing_post_id
        owner = self.store.get_by_late_id(existing, include_deleted=True) if existing else None
        if not existing or (owner is not None and owner.local_id != post.local_id):
            self._reject(token, words.same_text_within_a_day(owner), report)
            return
        remote = await self.client.get_post(existing)
        self._finish(token, post, remote, report, late_id=existing)

    def _conflict(self, token: PushToken, remote: Post, late_id: str, report: SyncReport) -> None:
        if self.store.conflict_in_push(token, remote, words.CONFLICT_WHILE_SENDING, late_id=late_id,
                                       initiator=self._initiator):
            report.conflicts.append(token.local_id)  # (none when the user deleted the post meanwhile)

    async def _changed_on_late_meanwhile(self, token: PushToken, post: Post) -> Post | None:
        """Late's copy when someone changed it there since an earlier attempt of this update failed, else None.
        An update is not resent blindly (Late has no conditional PUT): the pull sees such a change only in the
        dates it lists, and an earlier attempt may have been saved by Late although it failed here."""
        if token.attempt <= 1 or not post.late_id:
            return None
        try:
            remote = await self.client.get_post(post.late_id)
        except LateNotFound:
            return None  # the update meets the 404 itself and posts the edit anew
        if remote.remote_updated_at == post.remote_updated_at:
            return None
        return None if fingerprint(remote) in self.store.sent_fingerprints(post.local_id) else remote

    async def _update(self, token: PushToken, post: Post, report: SyncReport) -> None:
        remote = await self._changed_on_late_meanwhile(token, post)
        if remote is not None:
            self._conflict(token, remote, post.late_id or "", report)
            return
        self.store.note_sent(token, fingerprint(composed(post)))
        try:
            result = await self.client.update_post(post.late_id or "", request_body(post))
        except LateNotFound:
            # Deleted on Late while this edit waited: the user's edit is the newer intent, so post it anew.
            log.info("post %s vanished from Late; creating it again from the local edit", post.local_id)
            report.errors.append(words.sent_again_after_deletion(post))
            await self._recreate(token, post, report, already_deleted=True)
            return
        self._finish(token, post, result.post, report)

    async def _recreate(self, token: PushToken, post: Post, report: SyncReport, *, already_deleted: bool = False
                        ) -> None:
        """Late binds a post to its accounts: a change of accounts deletes the Late post and creates a new one
        (seed 001) with a new Idempotency-Key, minted and stored before the create is sent."""
        if post.status in _NOT_RECREATABLE and not already_deleted:
            self._reject(token, "The accounts of a post that has started publishing cannot be changed.", report)
            return
        if not already_deleted and post.late_id:
            # A 404 is fine: e.g. an attempt interrupted (a crash) after Late deleted it.
            with contextlib.suppress(LateNotFound):
                await self.client.delete_post(post.late_id)
        create_token = self.store.detach_for_recreate(token)
        fresh = self.store.get_post(post.local_id)
        if create_token is None or fresh is None:
            return  # deleted here meanwhile: with its Late post gone, nothing is left to do
        await self._create(create_token, fresh, report)

    async def _delete(self, token: PushToken, post: Post, report: SyncReport) -> None:
        late_id = post.late_id
        if late_id is None:
            # The create was attempted and may have reached Late: replaying it with the same key returns the
            # Late post if it exists (Late matches on the key alone, §2.7), or makes it right before we delete
            # it: as a draft, because a scheduled post whose time passed meanwhile would be published at once.
            body = post_to_json(composed(post), intent="draft")
            result = await self.client.create_post(body, idempotency_key=post.idempotency_key)
            late_id = result.post_id
            if late_id:
                # kept before the DELETE goes: after a crash between the two, the next attempt deletes this
                # Late post by its id instead of replaying the create (which could make it anew)
                self.store.learn_late_id(token, late_id)
        try:
            await self.client.delete_post(late_id or "")
        except LateNotFound:
            pass  # not on Late (any more): what the user wanted; e.g. an earlier attempt deleted it, then a crash
        except LateHTTPError as exc:
            if _is_transient(exc) or isinstance(exc, LateAuthError):
                raise
            self._reject(token, exc.plain, report, late_id=late_id)  # e.g. published posts stay
            return
        self.store.finish_push(token, late_id=late_id, initiator=self._initiator)


