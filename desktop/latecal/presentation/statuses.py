"""The words for Late's statuses and for where a post stands against Late: one table per meaning."""

from __future__ import annotations

from collections.abc import Sequence

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

#: a post status this app does not know (a new one of Late's, or none): one name, its raw value in the tooltip
UNKNOWN_STATUS = "Unknown"

#: a platform's outcome in the editor's results, where Late has tried (or not yet)
TARGET_LABELS: dict[str, str] = {
    TargetStatus.PENDING: "Waiting",
    TargetStatus.PROCESSING: "Processing",
    TargetStatus.UPLOADING: "Uploading",
    TargetStatus.PUBLISHED: "Published",
    TargetStatus.FAILED: "Failed",
    TargetStatus.CANCELLED: "Cancelled",
}

#: Late's field names as a person reads them, for a post some of whose fields could not be read
_FIELD_NAMES: dict[str, str] = {
    "status": "status",
    "title": "title",
    "content": "text",
    "timezone": "time zone",
    "tags": "tags",
    "hashtags": "hashtags",
    "scheduledFor": "scheduled time",
    "publishedAt": "publish time",
    "updatedAt": "last change",
    "platforms": "platforms",
    "mediaItems": "media",
    "platform": "platform",
    "accountId": "account",
    "customContent": "text for one platform",
    "platformSpecificData": "platform settings",
    "platformPostId": "platform post id",
    "platformPostUrl": "published link",
    "errorMessage": "error message",
    "errorCategory": "error category",
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
    Refusal.UNREADABLE: "some of what Late sent for it could not be read, and a change from here would overwrite "
                        "that on Late (change it on Late instead)",
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
    """The calendar's name for a post status: "Unknown" for any it does not know (``late_status_line`` says
    which one Late sent)."""
    return STATUS_LABELS.get(status, UNKNOWN_STATUS)


def late_status_line(status: str) -> str:
    """A tooltip line with Late's own value of a status this app does not know; "" for a known one."""
    if status in STATUS_LABELS:
        return ""
    if not status:
        return "Late sent no status for this post."
    return f"Late's status: “{_first_chars(status, 40)}”"


def read_problem_line(fields: Sequence[str]) -> str:
    """A tooltip line for a post some of whose fields Late sent could not be read (``Post.read_problems``);
    "" when all were read. Names at most three fields, each once, in Late's order."""
    if not fields:
        return ""
    names = list(dict.fromkeys(_field_name(f) for f in fields))
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"Could not read from Late: {shown}. Read-only here: change it on Late."


def _field_name(field: str) -> str:
    """ "platforms[2].scheduledFor" → "scheduled time (platform 3)"; "mediaItems[0]" → "media item 1"."""
    head, _, tail = field.partition(".")
    base, _, index = head.partition("[")
    index = index.rstrip("]")
    if not index.isdigit():
        return _FIELD_NAMES.get(base, "a field")
    item = f"{'platform' if base == 'platforms' else 'media item'} {int(index) + 1}"
    return f"{_FIELD_NAMES.get(tail, 'a field')} ({item})" if tail else item


def _first_chars(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def target_state(status: str) -> str:
    """A platform's outcome in the editor's results: "Waiting" before Late has tried."""
    return TARGET_LABELS.get(status, UNKNOWN_STATUS)


#: a Missed post's mark (``core.missed``), in its tooltip
MISSED_MEANING = "Missed: its time passed before it reached Late, so it was not sent. Right-click to choose."


def sync_mark_meaning(sync_state: str) -> str:
    return SYNC_MARK_MEANINGS.get(sync_state, "")


def why_fixed(refusal: Refusal, status: str) -> str:
    """Why a post in ``status`` takes no new time (``refusal`` from ``core.scheduling.status_refusal``)."""
    return _WHY_FIXED.get(refusal, f"its status is “{status_label(status)}”")


def late_holds(status: str, post: str = "this post") -> str:
    return _LATE_HOLDS.get(status, "Late no longer accepts changes to {}").format(post)


def done_while_editing(status: str) -> str:
    return _DONE_WHILE_EDITING.get(status, status_label(status).lower())


LEGEND_TIP = ("Status colours; marks on the right of a post show its state against Late. A hatched post with a "
              "clock missed its time before it reached Late; an amber triangle: one of its accounts cannot post; a "
              "grey '?': some of what Late sent for it could not be read.")


def legend_tip(*, status_words: bool, mark_words: bool) -> str:
    """The legend's tooltip; what has no room for its words in the status bar, it names in order."""
    lines = [LEGEND_TIP]
    if not status_words:
        lines.append(f"Colours, left to right: {', '.join(status_label(s) for s in STATUS_LABELS)}.")
    if not mark_words:
        marks = "; ".join(f"{SYNC_MARK_WORDS[state]}: {meaning}" for state, meaning in SYNC_MARK_MEANINGS.items())
        lines.append(f"Marks: {marks}.")
    return "\n".join(lines)
