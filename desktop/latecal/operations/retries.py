"""Asking Late to publish the failed platforms of posts again (not undoable: Late acts at once)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from latecal.core.account_health import blocked_retries, retry_can_work
from latecal.core.models import Post
from latecal.core.scheduling import Refusal
from latecal.core.status import is_retryable
from latecal.operations.failure import why_failed
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.presentation.account_health_texts import retry_would_fail
from latecal.store import Store, StoreError


def retry_posts(store: Store, local_ids: Sequence[str], *, initiator: object,
                now: datetime | None = None) -> OpResult:
    """Late retries every failed platform of a post; a post none of whose failed platforms' accounts can post
    now is refused and the message says which account to reconnect (Late would only fail it again)."""
    now = now or datetime.now(UTC)
    accounts = {a.id: a for a in store.accounts()}
    refused: dict[str, Refusal] = {}
    cannot_post: list[Post] = []
    failed: list[tuple[Post, Exception]] = []  # Late never got these: nothing to retry there
    retried: list[Post] = []
    try:
        with store.batch(initiator=initiator) as batch:  # read and written in one transaction
            for local_id in local_ids:
                post = store.get_post(local_id)
                if post is None or not is_retryable(post.status):
                    refused[local_id] = Refusal.GONE if post is None else Refusal.READ_ONLY
                    continue
                if not retry_can_work(post, accounts, now):
                    refused[local_id] = Refusal.ACCOUNT_CANNOT_POST
                    cannot_post.append(post)
                    continue
                try:  # each in its own savepoint: one post Late never got does not hold back the others
                    store.request_retry(local_id, initiator=initiator)
                    retried.append(post)
                except StoreError as exc:
                    refused[local_id] = Refusal.NOT_ON_LATE
                    failed.append((post, exc))
    except Exception as exc:  # the transaction itself failed (e.g. a full disk)
        post = next((p for p in retried + [f for f, _e in failed]), None)
        refused.update({p.local_id: Refusal.STORE_ERROR for p in retried})
        message = say.problem(say.cannot_retry(post, why_failed(exc))) if post is not None else None
        return OpResult(message=message, refused=refused)
    fresh = tuple(p for p in (store.get_post(p.local_id) for p in retried) if p is not None)
    if failed:  # say so instead of failing silently
        post, exc = failed[0]
        return OpResult(batch.changes, fresh, say.problem(say.cannot_retry(post, why_failed(exc))), refused)
    if cannot_post:
        post = cannot_post[0]
        reason = retry_would_fail(blocked_retries(post, accounts, now))
        return OpResult(batch.changes, fresh, say.problem(say.cannot_retry(post, reason)), refused)
    message = say.info(say.retrying(retried[0])) if retried else None
    return OpResult(batch.changes, fresh, message, refused)
