"""Value objects the store hands out: change sets, outbox entries, push tokens and full post records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from latecal.core.models import Post


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Which posts a store operation touched, so views refresh only those.

    ``removed`` holds posts that left every view (deleted, tombstoned, merged away); an id is never in both.
    """

    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    #: the changed posts as stored after the commit (filled by the store when it announces the change set)
    posts: Mapping[str, Post] = field(default_factory=dict, compare=False)

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed)

    def merge(self, other: ChangeSet) -> ChangeSet:
        removed = self.removed | other.removed
        # a later change wins over an earlier removal (e.g. a delete undone in the same batch), and vice versa
        changed = (self.changed - other.removed) | other.changed
        return ChangeSet(changed=frozenset(changed), removed=frozenset(removed - other.changed))

    @staticmethod
    def of(changed: tuple[str, ...] | frozenset[str] = (), removed: tuple[str, ...] | frozenset[str] = ()) -> ChangeSet:
        return ChangeSet(frozenset(changed), frozenset(removed))


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
