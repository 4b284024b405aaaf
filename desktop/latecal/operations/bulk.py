"""Plans for actions on many posts at once: which posts take part and where each goes, and which stay and why.

Each bulk action is still ONE operation: the runner pushes one command whose redo runs one placing, removal,
copy or retry operation over every post that takes part (one store transaction, one change set). These
plans only decide who takes part, with the same rules (``core.scheduling``) the single-post actions use, so
one notice can say what happened to all of them ("5 moved; 1 published post stays").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from latecal.core.calendar_geometry import local_date, move_keep_time
from latecal.core.models import Post
from latecal.core.scheduling import Refusal, move_refusal, status_refusal
from latecal.core.status import PostStatus, is_deletable, is_retryable
from latecal.core.zones import own_zone
from latecal.operations.placement import Placement


@dataclass(frozen=True, slots=True)
class Shift:
    """How far a selection moves: whole days (each post keeps its time of day in its own zone, as a month drag
    does) and then real minutes (a nudge, or the time a week/day drag moved the dragged post)."""

    days: int = 0
    minutes: int = 0

    def apply(self, post: Post, zone: ZoneInfo, profile_zones: Mapping[str, str]) -> datetime:
        assert post.scheduled_for is not None
        when = post.scheduled_for
        if self.days:
            day = local_date(when, zone) + timedelta(days=self.days)
            when = move_keep_time(when, day, zone, own_zone(post, zone, profile_zones))
        return when + timedelta(minutes=self.minutes)


def shift_between(before: datetime, after: datetime, zone: ZoneInfo) -> Shift:
    """The shift that took a post from ``before`` to ``after`` as the display ``zone`` shows them: whole days
    between their dates, and the difference of their times of day (a drag in the week view)."""
    days = (local_date(after, zone) - local_date(before, zone)).days
    rest = after - move_keep_time(before, local_date(after, zone), zone)
    return Shift(days, round(rest.total_seconds() / 60))


@dataclass(slots=True)
class Plan:
    """Who takes part in a bulk action (``placements`` or ``ids``) and who stays (``refused``, with why)."""

    placements: list[Placement] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    statuses_before: dict[str, str] = field(default_factory=dict)
    refused: dict[str, Refusal] = field(default_factory=dict)


def move_plan(posts: Iterable[Post], shift: Shift, *, now: datetime, zone: ZoneInfo,
              profile_zones: Mapping[str, str], exact: Mapping[str, datetime] | None = None) -> Plan:
    """Every scheduled post moved by ``shift`` (``exact``: the dragged post lands where it was dropped); a post
    whose move the scheduling rules refuse stays where it is. Posts without a time are not part of a move."""
    plan = Plan()
    for post in posts:
        if post.scheduled_for is None:
            continue
        when = (exact or {}).get(post.local_id) or shift.apply(post, zone, profile_zones)
        if when == post.scheduled_for:
            continue
        refusal = move_refusal(post, when, now)
        if refusal is not None:
            plan.refused[post.local_id] = refusal
            continue
        plan.placements.append(Placement(post.local_id, when, post.scheduled_for))
    return plan


def unschedule_plan(posts: Iterable[Post]) -> Plan:
    """Back to the drafts (no time, draft status); a post Late no longer takes a change for stays."""
    plan = Plan()
    for post in posts:
        if post.scheduled_for is None:
            continue  # already a draft without a time
        refusal = status_refusal(post)
        if refusal is not None:
            plan.refused[post.local_id] = refusal
            continue
        plan.placements.append(Placement(post.local_id, None, post.scheduled_for, PostStatus.DRAFT))
        plan.statuses_before[post.local_id] = post.status
    return plan


def delete_plan(posts: Iterable[Post]) -> Plan:
    plan = Plan()
    for post in posts:
        if is_deletable(post.status):
            plan.ids.append(post.local_id)
        else:
            plan.refused[post.local_id] = status_refusal(post) or Refusal.NOT_DELETABLE
    return plan


def retry_plan(posts: Iterable[Post]) -> Plan:
    """Only posts with failed platforms are retried; the rest have nothing to send again."""
    return Plan(ids=[p.local_id for p in posts if is_retryable(p.status)])
