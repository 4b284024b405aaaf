"""Posts at one time in the week and day views: they share the column side by side, up to four; a fifth or
more collapse into "+N" beside the first three, so a crowded slot stays readable and costs four blocks to paint
however many posts it holds."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

#: this many posts at one time still sit side by side; more collapse
MAX_SIDE_BY_SIDE = 4
#: posts shown beside the "+N" of a collapsed time
SHOWN_WHEN_COLLAPSED = MAX_SIDE_BY_SIDE - 1


@dataclass(frozen=True, slots=True)
class SlotGroup:
    """The posts of one exact time, in the order they are shown; ``hidden`` sit behind the "+N"."""

    when: datetime
    shown: tuple[Hashable, ...]
    hidden: tuple[Hashable, ...] = ()

    @property
    def columns(self) -> int:
        """How many side-by-side places the time takes: its shown posts and its "+N"."""
        return len(self.shown) + (1 if self.hidden else 0)

    @property
    def everyone(self) -> tuple[Hashable, ...]:
        return self.shown + self.hidden

    def limited(self, places: int) -> SlotGroup:
        """The group in at most ``places`` places, the last of them its "+N" (never fewer than one post)."""
        if self.columns <= places:
            return self
        keep = max(places - 1, 1)
        everyone = self.everyone
        return SlotGroup(self.when, everyone[:keep], everyone[keep:])


def group_by_time(posts: Iterable[tuple[Hashable, datetime, str]]) -> list[SlotGroup]:
    """``(key, time, order)`` → one group per exact time, earliest first; within a time posts are ordered by
    ``order`` (e.g. their first words) then key, so a sync that brings the same posts shows the same three."""
    by_time: dict[datetime, list[tuple[str, str, Hashable]]] = {}
    for key, when, order in posts:
        by_time.setdefault(when, []).append((order, str(key), key))
    groups = []
    for when in sorted(by_time):
        keys = tuple(k for _o, _s, k in sorted(by_time[when], key=lambda e: (e[0], e[1])))
        if len(keys) <= MAX_SIDE_BY_SIDE:
            groups.append(SlotGroup(when, keys))
        else:
            groups.append(SlotGroup(when, keys[:SHOWN_WHEN_COLLAPSED], keys[SHOWN_WHEN_COLLAPSED:]))
    return groups
