"""When a post may get a new time, and which time: the rules behind drags, drops, nudges and "New post".

Every refusal is one ``Refusal`` value; ``latecal.presentation`` words it (``messages``, ``statuses``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from latecal.core.calendar_geometry import local_date, move_keep_time
from latecal.core.models import Post
from latecal.core.status import PostStatus, is_reschedulable
from latecal.core.zones import local_to_utc, utc_to_wall

#: a drop onto "now" is not refused because the drag took a few seconds (Late's own grace is a minute too)
PAST_GRACE = timedelta(seconds=60)
#: a draft dropped on a month day, or a new post on a later day, goes out at 09:00 local
DEFAULT_TIME = time(9, 0)


class Refusal(StrEnum):
    """Why a change to a post is not made."""

    GONE = "gone"  # the post no longer exists
    PUBLISHED = "published"  # Late has published it
    PUBLISHING = "publishing"  # Late is publishing it right now
    PARTIAL = "partial"  # it has gone out on some platforms
    READ_ONLY = "read_only"  # another status Late takes no change in (awaiting approval, unknown)
    UNREADABLE = "unreadable"  # some of what Late sent could not be read: a change would overwrite it
    PAST = "past"  # the new time has passed
    CHANGED_SINCE = "changed_since"  # an undo or redo finds the post moved on since
    INVALID = "invalid"  # the post breaks a platform rule for what was asked (problems say which)
    NOT_DELETABLE = "not_deletable"
    NOT_ON_LATE = "not_on_late"  # a retry of a post Late never got
    ACCOUNT_CANNOT_POST = "account_cannot_post"  # a retry whose every failed platform's account cannot post
    NOT_IN_CONFLICT = "not_in_conflict"  # a conflict choice for a post that is no longer in conflict
    STORE_ERROR = "store_error"  # the local store could not write it (e.g. a full disk)


_STATUS_REFUSALS = {
    PostStatus.PUBLISHED: Refusal.PUBLISHED,
    PostStatus.PUBLISHING: Refusal.PUBLISHING,
    PostStatus.PARTIAL: Refusal.PARTIAL,
}


def status_refusal(post: Post) -> Refusal | None:
    """Why Late no longer takes a new time (or a return to the drafts) for this post; None when it does."""
    if post.read_problems:
        return Refusal.UNREADABLE
    if is_reschedulable(post.status):
        return None
    return _STATUS_REFUSALS.get(post.status, Refusal.READ_ONLY)


def move_refusal(post: Post | None, new_utc: datetime | None, now: datetime) -> Refusal | None:
    """Why ``post`` must not move to ``new_utc`` (None: back to no time); None when it may."""
    if post is None:
        return Refusal.GONE
    if (why := status_refusal(post)) is not None:
        return why
    if new_utc is not None and is_past(new_utc, now):
        return Refusal.PAST
    if new_utc is not None and post.scheduled_for is not None:  # a platform's own time moves by as much
        shift = new_utc - post.scheduled_for
        if any(t.scheduled_for is not None and t.status != "published" and is_past(t.scheduled_for + shift, now)
               for t in post.targets):
            return Refusal.PAST
    return None


def is_past(when: datetime, now: datetime) -> bool:
    """A time that has passed, beyond the grace a drag or a slow click deserves."""
    return when < now - PAST_GRACE


def drop_time(post: Post, day: date, exact: datetime | None, zone: ZoneInfo, own: ZoneInfo | None = None
              ) -> datetime:
    """Where a dropped draft lands: the snapped slot (week/day), else its planned time of day in its ``own`` zone
    (``zones.own_zone``) on ``day``, else the default time."""
    if exact is not None:
        return exact
    if post.scheduled_for is not None:
        return move_keep_time(post.scheduled_for, day, zone, own)
    return local_to_utc(day, DEFAULT_TIME, zone)


def drop_refused_at(day: date, exact: datetime | None, now: datetime, zone: ZoneInfo) -> bool:
    """Whether a drop on ``day`` (at ``exact``) lands in the past: a day already over, or a passed slot."""
    if exact is not None:
        return is_past(exact, now)
    return day < local_date(now, zone)


def new_post_time(day: date, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The time a new post starts with on ``day``: the next full hour today (on the calendar's clock, which in
    a half-hour zone is not UTC's full hour), the default time on a later day, no time on a day gone by."""
    today = local_date(now, zone)
    if day > today:
        return local_to_utc(day, DEFAULT_TIME, zone)
    if day < today:
        return None
    wall = utc_to_wall(now, zone).replace(minute=0, second=0, microsecond=0)
    return (wall + timedelta(hours=1)).astimezone(UTC)
