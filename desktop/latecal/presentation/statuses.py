"""The words for Late's statuses and for where a post stands against Late: one table per meaning."""

from __future__ import annotations

from latecal.core.scheduling import Refusal
from latecal.core.status import DELETED_ON_LATE, PostStatus, SyncState, TargetStatus

#: a post's status as the calendar names it, in workflow order (the legend lists them in this order)
STATUS_LABELS: dict[str, str] = {
    PostStatus.DRAFT: "Draft",
    PostStatus.PENDING_APPROVAL: "Awaiting approval",
    PostStatus.SCHEDULED: "Scheduled",
    PostStatus.PUBLISHING: "Publishing",
    PostStatus.PUBLISHED: "Published",
    PostStatus.PARTIAL: "Partly published",
    PostStatus.FAILED: "Failed",
    PostStatus.CANCELLED: "Cancelled",
}

#: the sync marks (ours, not Late's): what each means, and the legend's one word for it; "synced" has none
SYNC_MARK_MEANINGS: dict[str, str] = {
    SyncState.PENDING: "Local changes not yet sent to Late",
    SyncState.CONFLICT: "Changed both here and on Late: both versions are kept",
    SyncState.REJECTED: "Late refused the last change",
}
SYNC_MARK_WORDS: dict[str, str] = {
    SyncState.PENDING: "not sent",
    SyncState.CONFLICT: "conflict",
    SyncState.REJECTED: "rejected",
}
#: the list view's status column adds this after the status
SYNC_SUFFIXES: dict[str, str] = {
    SyncState.PENDING: " · not sent yet",
    SyncState.CONFLICT: " · conflict",
    SyncState.REJECTED: " · rejected by Late",
}

#: why Late takes no new time for a post in this status (after "cannot be moved: ")
_WHY_FIXED: dict[Refusal, str] = {
    Refusal.PUBLISHED: "it has already been published",
    Refusal.PUBLISHING: "it is being published right now",
    Refusal.PARTIAL: "it has already gone out on some platforms (retry the failed ones instead)",
}

#: what Late is doing with a post it no longer lets us change ("Late has already published this post")
_LATE_HOLDS: dict[str, str] = {
    PostStatus.PUBLISHED: "Late has already published {}",
    PostStatus.PUBLISHING: "Late is publishing {}",
    PostStatus.PENDING_APPROVAL: "Late holds {} for approval",
    DELETED_ON_LATE: "Late has deleted {}",
}

#: what Late did while the user was typing in the post's editor ("Late has started publishing this post")
_DONE_WHILE_EDITING: dict[str, str] = {
    PostStatus.PUBLISHING: "started publishing",
    PostStatus.PARTIAL: "partly published",
    PostStatus.PENDING_APPROVAL: "sent for approval",
}

#: a tray notice's outcomes: a post "published", "partly published" or "failed"
OUTCOME_PHRASES: dict[str, str] = {
    PostStatus.PUBLISHED: "published",
    PostStatus.PARTIAL: "partly published",
    PostStatus.FAILED: "failed",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize() or "Unknown")


def target_state(status: str) -> str:
    """A platform's outcome in the editor's results: "Waiting" before Late has tried."""
    return "Waiting" if status == TargetStatus.PENDING else status_label(status)


def sync_mark_meaning(sync_state: str) -> str:
    return SYNC_MARK_MEANINGS.get(sync_state, "")


def why_fixed(refusal: Refusal, status: str) -> str:
    """Why a post in ``status`` takes no new time (``refusal`` from ``core.scheduling.status_refusal``)."""
    return _WHY_FIXED.get(refusal, f"its status is “{status_label(status)}”")


def late_holds(status: str, post: str = "this post") -> str:
    return _LATE_HOLDS.get(status, "Late no longer accepts changes to {}").format(post)


def done_while_editing(status: str) -> str:
    return _DONE_WHILE_EDITING.get(status, status_label(status).lower())


LEGEND_TIP = "Status colours; marks on the right of a post show its state against Late."


def legend_tip(*, words_shown: bool) -> str:
    """The legend's tooltip; when the swatches have no room for their words, it names them in order."""
    if words_shown:
        return LEGEND_TIP
    names = ", ".join(status_label(s) for s in STATUS_LABELS)
    marks = "; ".join(f"{SYNC_MARK_WORDS[state]}: {meaning}" for state, meaning in SYNC_MARK_MEANINGS.items())
    return f"{LEGEND_TIP}\nColours, left to right: {names}.\nMarks: {marks}."
