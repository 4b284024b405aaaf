"""The words for Missed posts: posts whose time passed before their schedule reached Late (offline, the key
refused, Late's rate limit, the app closed). Nothing was sent; the user chooses what happens to each."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from latecal.core.models import Post
from latecal.presentation import time_format
from latecal.presentation.messages import Message, info, problem
from latecal.presentation.posts import quoted

#: the message bar's key for "N posts missed their time"
MISSED = "missed"
#: the message bar's key for the queue slot offered on Reschedule
QUEUE_SLOT = "missed-queue-slot"

PUBLISH_NOW_TIP = "Late publishes it at once: this cannot be undone."
RESCHEDULE_TIP = "Opens the post to give it a new time."
KEEP_AS_DRAFT_TIP = "Makes it a draft that stays at its planned time: drag it to a new time to schedule it again."


def missed_their_time(count: int) -> Message:
    """The window's one message about every Missed post; it stays until they are settled."""
    posts = "1 post missed its time" if count == 1 else f"{count:,} posts missed their time"
    # (offline, a refused key, Late's rate limit or the app closed: the message does not guess which)
    return problem(f"{posts} before reaching Late. Nothing was sent: publish now, reschedule or keep as draft.",
                   MISSED)


def publish_all_label(count: int) -> str:
    return "Publish now" if count == 1 else f"Publish all {count:,} now"


def keep_all_label(count: int) -> str:
    return "Keep as draft" if count == 1 else f"Keep all {count:,} as drafts"


def queue_slot_offer(post: Post, when: datetime, zone: ZoneInfo) -> Message:
    """Reschedule's offer of Late's next free queue slot for the post's profile (beside its open editor)."""
    return info(f"Late's queue has a free slot for {quoted(post)} at {time_format.at_in(when, zone)}.", QUEUE_SLOT)


def publishing_now(posts: list[Post]) -> Message:
    what = quoted(posts[0]) if len(posts) == 1 else f"{len(posts):,} posts"
    return info(f"Publishing {what} now (this cannot be undone).")


def kept_as_drafts(posts: list[Post]) -> str:
    """The undo history's name for Keep as draft."""
    return f"Keep {quoted(posts[0], 30)} as a draft" if len(posts) == 1 else f"Keep {len(posts):,} posts as drafts"


def no_longer_missed(post: Post | None) -> str:
    """A choice for a post that is no longer Missed (sent, changed or deleted meanwhile)."""
    if post is None:
        return "That post no longer exists."
    return f"{quoted(post)} is no longer waiting for a choice: it was changed meanwhile."
