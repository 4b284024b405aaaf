"""Late's posting queues as rules (late-api.md §5): a profile's weekly slots in the queue's own zone.

Slots count ``day_of_week`` 0 = Sunday (Late's convention; Python's ``weekday()`` counts 0 = Monday). A slot is a
wall time in the queue's zone, so a Berlin queue's 09:00 stays 09:00 in Berlin across Europe's DST change and
moves against another zone's clock in the weeks the two zones change on different dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from latecal.core.models import Post, utc
from latecal.core.status import PostStatus
from latecal.core.zones import is_valid_zone, local_to_utc, zone_of


@dataclass(frozen=True, slots=True)
class WeeklySlot:
    day_of_week: int  # 0 = Sunday … 6 = Saturday
    at: time

    @property
    def wire_time(self) -> str:
        return f"{self.at.hour:02d}:{self.at.minute:02d}"


@dataclass(frozen=True, slots=True)
class QueueSchedule:
    id: str
    profile_id: str
    name: str
    timezone: str
    slots: tuple[WeeklySlot, ...] = ()
    active: bool = True
    is_default: bool = False


def late_day_of_week(day: date) -> int:
    """Late's day of week of ``day``: 0 = Sunday."""
    return (day.weekday() + 1) % 7


def slot_times(schedule: QueueSchedule, start: datetime, end: datetime) -> list[datetime]:
    """The queue's slot instants in [start, end), in order, each wall time read in the queue's zone (a wall time
    in a spring-forward gap moves past it, as Late's does; an autumn repeat takes the first)."""
    if not schedule.active or not schedule.slots or not is_valid_zone(schedule.timezone):
        return []
    zone = zone_of(schedule.timezone)
    start, end = utc(start), utc(end)
    by_day: dict[int, list[time]] = {}
    for slot in schedule.slots:
        by_day.setdefault(slot.day_of_week, []).append(slot.at)
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    out = []
    day = first
    while day <= last:
        for at in sorted(by_day.get(late_day_of_week(day), ())):
            when = local_to_utc(day, at, zone)
            if start <= when < end:
                out.append(when)
        day += timedelta(days=1)
    return sorted(set(out))


def filling(posts: Iterable[Post], account_profiles: Mapping[str, str]) -> set[tuple[str, datetime]]:
    """(profile id, instant) of every timed post, by the profiles of its accounts: a queue slot of that profile at
    that instant is filled, which is where Late puts a post queued from that profile."""
    out: set[tuple[str, datetime]] = set()
    for post in posts:
        if post.scheduled_for is None:
            continue
        for account_id in post.account_ids:
            profile = account_profiles.get(account_id)
            if profile is not None:
                out.add((profile, post.scheduled_for))
    return out


def queued_posts(schedule: QueueSchedule, posts: Iterable[Post], account_profiles: Mapping[str, str], now: datetime,
                 horizon_days: int = 400) -> list[Post]:
    """The scheduled posts of the queue's profile that sit on one of its slots from ``now`` on: what Late's
    ``reshuffleExisting`` would move onto new slots."""
    slots = set(slot_times(schedule, now, now + timedelta(days=horizon_days)))
    return [p for p in posts if p.status == PostStatus.SCHEDULED and p.scheduled_for in slots
            and any(account_profiles.get(a) == schedule.profile_id for a in p.account_ids)]
