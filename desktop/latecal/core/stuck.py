"""Stuck publishing: Late normally finishes a post within seconds of its time. One still ``publishing`` long after
(15 minutes unless the user set otherwise) is flagged until Late finishes it, so the user can look into it."""

from __future__ import annotations

from datetime import datetime, timedelta

from latecal.core.models import Post
from latecal.core.status import PostStatus

STUCK_AFTER = timedelta(minutes=15)


def publishing_since(post: Post) -> datetime | None:
    """When the post began publishing as far as we know: its time (Late starts at the time it was given)."""
    return post.scheduled_for if post.status == PostStatus.PUBLISHING else None


def is_stuck(post: Post, now: datetime, after: timedelta = STUCK_AFTER) -> bool:
    since = publishing_since(post)
    return since is not None and now - since >= after
