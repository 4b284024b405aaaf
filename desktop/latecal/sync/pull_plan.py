"""Which posts a run of the cadence must read, and when the next run comes (issue 16: requests only on change).

- A *full* run lists the window (± the margin) and the past-due posts, as every run once did: the first run, a
  Sync press, a user's edit, new dates on screen, a clock gap, after a full run that did not end complete, and
  on the slow cadence, ``full_every`` — longer for a window that takes more pages, so that full listings cost
  about ``FULL_RPM`` requests a minute in any view.
- Every other run is a *change check* (sync/change_check.py): one request to Late's logs, and a narrow
  re-listing only when they name outcomes.
- Runs come every ``idle`` seconds; at a post's due time when one is due within ``BUSY_HORIZON``; every
  ``BUSY_INTERVAL_S`` while a post whose time has come awaits its outcome (so a publish recolours within
  ``BUSY_INTERVAL_S`` plus a run of Late finishing it). A post still awaiting ``WATCH_FOR`` after its time is
  left to the slow cadence: polling it every few seconds would spend the budget on a post Late is not moving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from latecal.core.missed import is_missed
from latecal.core.models import Post
from latecal.core.status import PostStatus

BUSY_INTERVAL_S = 10.0
BUSY_HORIZON = timedelta(minutes=5)
WATCH_FOR = timedelta(minutes=10)
#: what full listings may cost on average, in requests a minute
FULL_RPM = 1.0
FULL_EVERY_MIN = timedelta(minutes=5)
FULL_EVERY_MAX = timedelta(minutes=15)


def full_every(requests: int) -> timedelta:
    """How long after a full listing that cost ``requests`` the next one comes."""
    spread = timedelta(minutes=max(requests, 1) / FULL_RPM)
    return min(max(spread, FULL_EVERY_MIN), FULL_EVERY_MAX)


@dataclass(frozen=True, slots=True)
class Watch:
    """The posts Late is about to act on (by the store's knowledge)."""
    #: their time has come, Late's outcome is not in the store yet
    awaiting: list[Post]
    #: the earliest time of a post due within the horizon, not yet come
    next_due: datetime | None


def watch(in_flight: list[Post], now: datetime) -> Watch:
    """``in_flight``: the store's scheduled and publishing posts due before ``now + BUSY_HORIZON``."""
    awaiting: list[Post] = []
    upcoming: list[datetime] = []
    for post in in_flight:
        # (a Missed post is due by its local time only: Late does not have that time, and waits for the user)
        if not post.late_id or is_missed(post, now) or post.scheduled_for is None:
            continue
        if post.scheduled_for > now and post.status != PostStatus.PUBLISHING:
            upcoming.append(post.scheduled_for)
        elif now - post.scheduled_for <= WATCH_FOR:
            awaiting.append(post)
    return Watch(awaiting=awaiting, next_due=min(upcoming, default=None))


def cadence(watching: Watch, now: datetime, idle_s: float) -> float:
    """Seconds to the next run by the posts alone (the engine adds the rate limit, backoff and retries)."""
    if watching.awaiting:
        return min(BUSY_INTERVAL_S, idle_s)
    if watching.next_due is not None:
        return min(max((watching.next_due - now).total_seconds(), 1.0), idle_s)
    return idle_s
