"""A different time per platform in one post (Late's ``platforms[].scheduledFor``): which targets share a time,
how the calendar shows each time as its own chip, and how one group of targets moves alone.

A target without its own time follows the post's. The calendar shows a post once per distinct time: each such
"slice" is a copy of the post holding only the targets of that time, keyed ``<local id>`` for the slice at the
post's own time (so selection and the keyboard keep working on it) and ``<local id>@<n>`` for the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from latecal.core.models import Post, Target
from latecal.core.scheduling import Refusal, is_past, move_refusal
from latecal.core.status import TargetStatus

SLICE_SEP = "@"  # local ids are uuid hex (or Late ids): never contain it


def effective_time(post: Post, target: Target) -> datetime | None:
    """When ``target`` goes out: its own time, else the post's."""
    return target.scheduled_for if target.scheduled_for is not None else post.scheduled_for


def time_groups(post: Post) -> list[tuple[datetime | None, list[Target]]]:
    """The post's targets grouped by the time each goes out; the group at the post's own time first, then by
    time. A post without targets is one group (the post's time, no targets)."""
    groups: dict[datetime | None, list[Target]] = {}
    for target in post.targets:
        groups.setdefault(effective_time(post, target), []).append(target)
    if not groups:
        return [(post.scheduled_for, [])]
    main = post.scheduled_for if post.scheduled_for in groups else None
    later = sorted(t for t in groups if t is not None and t != main)
    order = ([main] if main in groups else []) + [t for t in later if t != main]
    if None in groups and main is not None:
        order.append(None)
    return [(when, groups[when]) for when in order]


def has_own_times(post: Post) -> bool:
    """Whether the post goes out at more than one time."""
    return len({effective_time(post, t) for t in post.targets}) > 1


def slice_key(local_id: str, index: int) -> str:
    return local_id if index == 0 else f"{local_id}{SLICE_SEP}{index}"


def owner_id(key: str) -> str:
    """The post a chip key stands for."""
    return key.split(SLICE_SEP, 1)[0]


def slices(post: Post) -> list[Post]:
    """One copy of the post per distinct time, holding that time's targets (one copy, the post itself, when
    every target goes out together)."""
    if not has_own_times(post):
        return [post]
    out = []
    for index, (when, targets) in enumerate(time_groups(post)):
        own = [replace(t, scheduled_for=None) for t in targets]
        out.append(replace(post, local_id=slice_key(post.local_id, index), scheduled_for=when, targets=own))
    return out


def group_time(post: Post, account_ids: Iterable[str]) -> datetime | None:
    """The time the targets of ``account_ids`` go out (the first one's: a group shares one)."""
    wanted = set(account_ids)
    return next((effective_time(post, t) for t in post.targets if t.account_id in wanted), None)


def move_targets(post: Post, account_ids: Iterable[str], when: datetime) -> Post:
    """A copy where only the targets of ``account_ids`` go out at ``when``. Kept tidy: a target at the post's time
    holds no own time, and when no target is left at the post's time the post takes the earliest one. Once every
    target goes out together again, the moved ones keep their time stated, so Late is told (``wire``)."""
    wanted = set(account_ids)
    targets = [replace(t, scheduled_for=when) if t.account_id in wanted else t for t in post.targets]
    times = [effective_time(post, t) for t in targets]
    main = post.scheduled_for
    if main is not None and main not in times and all(t is not None for t in times):
        main = min(times)  # type: ignore[type-var]
    together = len(set(times)) == 1
    tidy = [replace(t, scheduled_for=None)
            if effective_time(post, t) == main and not (together and t.account_id in wanted) else t
            for t in targets]
    return replace(post, scheduled_for=main, targets=tidy)


def target_move_refusal(post: Post | None, account_ids: Iterable[str], when: datetime, now: datetime
                        ) -> Refusal | None:
    """Why these targets of ``post`` must not go out at ``when``: the post's own rules, and a platform that has
    already gone out stays where it went out."""
    if (why := move_refusal(post, when, now)) is not None:
        return why
    assert post is not None
    wanted = set(account_ids)
    if any(t.account_id in wanted and t.status == TargetStatus.PUBLISHED.value for t in post.targets):
        return Refusal.PUBLISHED
    return None


def past_target_times(post: Post, now: datetime) -> list[Target]:
    """Targets whose own time has passed (checked like the post's time when it is scheduled)."""
    return [t for t in post.targets if t.scheduled_for is not None and is_past(t.scheduled_for, now)
            and t.status != TargetStatus.PUBLISHED.value]
