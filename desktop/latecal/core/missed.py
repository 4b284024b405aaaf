"""Missed posts: a post whose time passed while its schedule had not reached Late (offline, key refused, rate
limit, app closed). Such a post is never sent with a past time and never published unasked: the user chooses
(publish now, reschedule, keep as draft). Late's own one-minute grace applies."""

from __future__ import annotations

from datetime import datetime

from latecal.core.models import Post
from latecal.core.scheduling import is_past
from latecal.core.status import PostStatus, SyncState


def is_missed(post: Post, now: datetime) -> bool:
    """Scheduled here for a time now past (beyond the grace), with that schedule not yet on Late."""
    return (post.status == PostStatus.SCHEDULED and post.sync_state == SyncState.PENDING
            and post.scheduled_for is not None and is_past(post.scheduled_for, now))
