"""Value objects the store hands out: change sets, outbox entries, push tokens and full post records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from latecal.core.models import Post


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Which posts a store transaction touched, so views refresh only those.

    ``removed`` holds posts that left every view (deleted, tombstoned, merged away); an id is never in both.
    ``posts``: in the change set listeners get, the post of every id in ``changed`` as the transaction stored it,
    read by the store in one query before the listeners run (shared by every listener: do not mutate). Empty in
    the change set a store call returns. ``queued``: a user's change in the transaction wrote an outbox entry, i.e. a
    push waits (save_post, delete_post of a post Late may have, cancel_delete, request_retry, resolve_conflict keeping
    ours); pulls and push bookkeeping never set it.
    """

    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    posts: Mapping[str, Post] = field(default_factory=lambda: _NO_POSTS, hash=False)
    queued: bool = False

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed)

    def updates(self) -> Iterator[tuple[str, Post | None]]:
        """(local id, its post as stored) for every id the change set touched; None: the post is gone (removed, or
        not carried). What every view that follows the store walks."""
        for local_id in self.removed:
            yield local_id, None
        for local_id in self.changed:
            yield local_id, self.posts.get(local_id)

    def merge(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet.combine((self, other))

    def pieces(self, size: int) -> list[ChangeSet]:
        """The same change in pieces of at most ``size`` posts (removals first), for a view that takes thousands
        better a few hundred at a time; ``queued`` rides on the first."""
        ids = [(i, True) for i in sorted(self.removed)] + [(i, False) for i in sorted(self.changed)]
        if len(ids) <= size:
            return [self]
        out = []
        for first in range(0, len(ids), size):
            chunk = ids[first:first + size]
            changed = frozenset(i for i, gone in chunk if not gone)
            out.append(ChangeSet(changed=changed, removed=frozenset(i for i, gone in chunk if gone),
                                 posts=MappingProxyType({i: self.posts[i] for i in changed if i in self.posts}),
                                 queued=self.queued and not first))
        return out

    @staticmethod
    def combine(changes: Iterable[ChangeSet]) -> ChangeSet:
        """``a.merge(b).merge(c)…`` in one pass: a later change wins over an earlier removal, and vice versa; a
        post carried by an earlier change set is dropped when a later one changes or removes it."""
        changed: set[str] = set()
        removed: set[str] = set()
        posts: dict[str, Post] = {}
        queued = False
        for c in changes:
            changed -= c.removed
            changed |= c.changed
            removed |= c.removed
            removed -= c.changed
            if posts:
                for local_id in c.changed | c.removed:
                    posts.pop(local_id, None)
            posts.update(c.posts)
            queued = queued or c.queued
        return ChangeSet(frozenset(changed), frozenset(removed), MappingProxyType(posts) if posts else _NO_POSTS,
                         queued)

    @staticmethod
    def of(changed: tuple[str, ...] | frozenset[str] = (), removed: tuple[str, ...] | frozenset[str] = (), *,
           queued: bool = False) -> ChangeSet:
        return ChangeSet(frozenset(changed), frozenset(removed), queued=queued)


_NO_POSTS: Mapping[str, Post] = MappingProxyType({})


class Op(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RETRY = "retry"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One pending push. ``edits`` counts the user edits coalesced into it; ``parked`` means rejected by
    Late and waiting for the user. A delete entry whose post has no late_id means the create was attempted
    and may exist on Late: replay the create with the post's Idempotency-Key first, then delete."""

    seq: int
    op: str
    local_id: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    edits: int
    parked: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PushToken:
    """Proof of a begun push: which entry, which op, and the edit counter the pushed content had."""

    seq: int
    local_id: str
    op: str
    edits: int
    attempt: int  # 1 for the first attempt of this entry


@dataclass(frozen=True, slots=True)
class StoredPost:
    """A post plus the store-side columns the sync engine needs."""

    post: Post
    deleted: bool
    remote_account_ids: list[str] | None  # accounts the Late post has now; None when never pushed/pulled
    conflict_remote: Post | None  # Late's version while in conflict
    local_updated_at: datetime
