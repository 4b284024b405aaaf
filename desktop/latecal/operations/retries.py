"""Asking Late to publish the failed platforms of posts again (not undoable: Late acts at once)."""

from __future__ import annotations

from collections.abc import Sequence

from latecal.core.models import Post
from latecal.core.scheduling import Refusal
from latecal.core.status import is_retryable
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.store import Store, StoreError
from latecal.store.records import ChangeSet


def retry_posts(store: Store, local_ids: Sequence[str], *, initiator: object) -> OpResult:
    posts = [p for i in local_ids if (p := store.get_post(i)) is not None and is_retryable(p.status)]
    refused = {i: Refusal.READ_ONLY for i in local_ids if i not in {p.local_id for p in posts}}
    if not posts:
        return OpResult(refused=refused)
    failed: list[tuple[Post, Exception]] = []
    changes = ChangeSet()
    try:
        with store.batch(initiator=initiator) as batch:
            for post in posts:
                try:  # each in its own savepoint: one post Late never got does not hold back the others
                    store.request_retry(post.local_id, initiator=initiator)
                except StoreError as exc:
                    failed.append((post, exc))
        changes = batch.changes
    except Exception as exc:  # the transaction itself failed (e.g. a full disk)
        failed = [(p, exc) for p in posts]
    refused.update({post.local_id: Refusal.NOT_ON_LATE for post, _exc in failed})
    retried = tuple(p for p in (store.get_post(p.local_id) for p in posts if p.local_id not in refused) if p)
    if failed:  # say so instead of failing silently
        post, exc = failed[0]
        return OpResult(changes, retried, say.problem(say.cannot_retry(post, str(exc))), refused)
    return OpResult(changes, retried, say.info(say.retrying(posts[0])), refused)
