"""Late's post and target statuses, and the rules that depend on them (late-api.md §2.5, §2.8-2.10).

Statuses travel as strings (``PostStatus`` is a StrEnum, so its members are those strings): a status Late adds
tomorrow is kept as it is and treated as read-only, never a crash. Code compares with the enum, never a literal.
"""

from __future__ import annotations

from enum import StrEnum


class PostStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    PARTIAL = "partial"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TargetStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    UPLOADING = "uploading"
    PUBLISHED = "published"
    FAILED = "failed"
    CANCELLED = "cancelled"


class SyncState(StrEnum):
    """Where the local copy of a post stands against Late (ours, not Late's)."""

    SYNCED = "synced"  # local row equals the last state read from or written to Late
    PENDING = "pending"  # unpushed local edits in the outbox
    REJECTED = "rejected"  # Late refused the last push (400/403); the edit is kept with Late's message
    CONFLICT = "conflict"  # Late changed the post while we had unpushed edits; both versions kept


POST_STATUSES: frozenset[str] = frozenset(s.value for s in PostStatus)

EDITABLE: frozenset[str] = frozenset({
    PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.FAILED, PostStatus.PARTIAL, PostStatus.CANCELLED,
})
#: not a Late status: the store's mark on Late's side of a conflict when Late deleted the post meanwhile
DELETED_ON_LATE = "deleted_on_late"
# Deletable is every status except published: an unknown status is not deletable either.
DELETABLE: frozenset[str] = POST_STATUSES - {PostStatus.PUBLISHED}
RETRYABLE: frozenset[str] = frozenset({PostStatus.FAILED, PostStatus.PARTIAL})
# Statuses Late will still act on by itself: the sync engine polls these once they are due.
IN_FLIGHT: frozenset[str] = frozenset({PostStatus.SCHEDULED, PostStatus.PUBLISHING})


def is_known(status: str) -> bool:
    return status in POST_STATUSES


def is_editable(status: str) -> bool:
    """Late accepts PUT only in these states; publishing, published and unknown states are read-only."""
    return status in EDITABLE


def is_deletable(status: str) -> bool:
    return status in DELETABLE


def is_retryable(status: str) -> bool:
    """POST /retry republishes the failed targets of a failed or partial post."""
    return status in RETRYABLE


def is_reschedulable(status: str) -> bool:
    """A post can be dragged to another time when it is editable and has not partly gone out."""
    return status in EDITABLE and status != PostStatus.PARTIAL
