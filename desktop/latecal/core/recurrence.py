"""Repeating posts: the rule, its occurrences in the post's own zone, and whether Late's ``recycling`` can carry it.

Occurrences keep the first post's wall-clock time in its zone across DST changes (09:00 Berlin stays 09:00 in
summer and in winter); a wall time that does not exist on a spring-forward day moves forward by the gap, as
``zones.local_to_utc`` reads it. A monthly rule on a day some months lack (the 31st) skips those months, as
desktop calendars do (RFC 5545).

Occurrence 0 is the first post itself. Text variations rotate over the repeats: occurrence k ≥ 1 uses
``variations[(k - 1) % n]``, which is also the order Late uses for ``contentVariations`` on its recycled copies.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from latecal.core.models import Post, Target
from latecal.core.zones import local_to_utc, utc_to_wall


class Freq(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


#: Late refuses recycling for these platforms (late-api.md §2.6)
NOT_RECYCLABLE = frozenset({"youtube", "tiktok"})
#: Late's limit of active recycling posts per account (§2.6)
MAX_ACTIVE_RECYCLING = 10
#: local occurrences are made this far ahead, and again as time passes
HORIZON = timedelta(weeks=8)
MAX_VARIATIONS = 20


@dataclass(frozen=True, slots=True)
class Rule:
    freq: Freq
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # weekly only, 0 = Monday; empty = the first post's weekday
    until: date | None = None  # last day (in the post's zone) an occurrence may fall on
    count: int | None = None  # occurrences in all, the first post included
    variations: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.interval < 1:
            raise ValueError("interval must be at least 1")
        if self.count is not None and self.count < 1:
            raise ValueError("count must be at least 1")
        if any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")

    def to_json(self) -> str:
        return json.dumps({"freq": self.freq.value, "interval": self.interval, "weekdays": list(self.weekdays),
                           "until": self.until.isoformat() if self.until else None, "count": self.count,
                           "variations": list(self.variations)}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Rule:
        d = json.loads(text)
        return cls(Freq(d["freq"]), int(d["interval"]), tuple(d.get("weekdays") or ()),
                   date.fromisoformat(d["until"]) if d.get("until") else None, d.get("count"),
                   tuple(d.get("variations") or ()))

    def days_of_week(self, first: date) -> tuple[int, ...]:
        return tuple(sorted(set(self.weekdays))) if self.weekdays else (first.weekday(),)


def _local_days(rule: Rule, first: date) -> Iterator[date]:
    """The calendar days of the occurrences, from ``first`` on (``first`` itself always included)."""
    yield first
    if rule.freq is Freq.DAILY:
        day = first
        while True:
            day += timedelta(days=rule.interval)
            yield day
    elif rule.freq is Freq.WEEKLY:
        weekdays = rule.days_of_week(first)
        week_start = first - timedelta(days=first.weekday())
        while True:
            for wd in weekdays:
                day = week_start + timedelta(days=wd)
                if day > first:
                    yield day
            week_start += timedelta(weeks=rule.interval)
    else:
        import calendar  # here: the chips import this module on the first paint, and only months need it

        months = rule.interval
        while True:
            y, m = divmod(first.month - 1 + months, 12)
            year, month = first.year + y, m + 1
            if first.day <= calendar.monthrange(year, month)[1]:
                yield date(year, month, first.day)
            months += rule.interval


def occurrences(rule: Rule, first_utc: datetime, zone: ZoneInfo | str, *, until_utc: datetime) -> Iterator[
        tuple[int, datetime]]:
    """(index, UTC time) of every occurrence up to ``until_utc`` (inclusive) and within the rule's end."""
    wall = utc_to_wall(first_utc, zone)
    for index, day in enumerate(_local_days(rule, wall.date())):
        if rule.count is not None and index >= rule.count:
            return
        if rule.until is not None and day > rule.until:
            return
        when = first_utc if index == 0 else local_to_utc(day, wall.timetz().replace(tzinfo=None), zone)
        if when > until_utc:
            return
        yield index, when


def text_for(rule: Rule, index: int, base: str) -> str:
    """The text of occurrence ``index``: the post's own for the first, else the next variation in turn."""
    if index == 0 or not rule.variations:
        return base
    return rule.variations[(index - 1) % len(rule.variations)]


def ended_before(rule: Rule, index: int, day: date) -> Rule:
    """The rule of a series cut so that its last occurrence comes before occurrence ``index`` on ``day`` (the
    first half of a "this and following" split)."""
    return replace(rule, until=day - timedelta(days=1), count=min(rule.count, index) if rule.count else None)


def continued_from(rule: Rule, index: int) -> Rule:
    """The rule of the series that carries on from occurrence ``index`` (the second half of a split): the count
    left, and the text variations turned so that the rotation carries on where it was."""
    turn = index % len(rule.variations) if rule.variations else 0
    return replace(rule, count=rule.count - index if rule.count else None,
                   variations=rule.variations[turn:] + rule.variations[:turn])


# --------------------------------------------------------------------------------------------- Late's recycling


class LocalReason(StrEnum):
    """Why a series is made of local occurrences instead of Late's recycling."""

    RULE = "rule"  # daily, several weekdays, a month day some months lack, one occurrence
    PLATFORM = "platform"  # YouTube or TikTok among the targets
    LIMIT = "limit"  # an account already has 10 active recycling posts
    NO_TIME = "no_time"


def local_reason(rule: Rule, first_utc: datetime | None, zone: ZoneInfo | str, platforms: Iterable[str],
                 active: Mapping[str, int], account_ids: Iterable[str]) -> LocalReason | None:
    """None when Late's ``recycling`` expresses the rule for this post; else why local occurrences are used."""
    if first_utc is None:
        return LocalReason.NO_TIME
    first = utc_to_wall(first_utc, zone).date()
    if rule.freq is Freq.DAILY or (rule.freq is Freq.WEEKLY and rule.days_of_week(first) != (first.weekday(),)):
        return LocalReason.RULE
    if rule.freq is Freq.MONTHLY and first.day > 28:
        return LocalReason.RULE  # how Late adds a month to the 31st is not documented
    if rule.count == 1 or (rule.variations and not 2 <= len(rule.variations) <= MAX_VARIATIONS):
        return LocalReason.RULE  # expireCount ≥ 1 copy; contentVariations needs 2-20 entries
    if NOT_RECYCLABLE & set(platforms):
        return LocalReason.PLATFORM
    if any(active.get(a, 0) >= MAX_ACTIVE_RECYCLING for a in account_ids):
        return LocalReason.LIMIT
    return None


def _iso(dt: datetime) -> str:
    return dt.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def recycling_body(rule: Rule, first_utc: datetime, zone: ZoneInfo | str) -> dict:
    """Late's ``recycling`` for a rule ``local_reason`` accepted: copies are counted apart from the post itself."""
    body: dict = {"enabled": True, "gap": rule.interval,
                  "gapFreq": "week" if rule.freq is Freq.WEEKLY else "month", "startDate": _iso(first_utc)}
    if rule.count is not None:
        body["expireCount"] = rule.count - 1
    if rule.until is not None:  # the end of that day in the post's zone
        body["expireDate"] = _iso(local_to_utc(rule.until + timedelta(days=1), datetime.min.time(), zone)
                                  - timedelta(seconds=1))
    if rule.variations:
        body["contentVariations"] = list(rule.variations)
    return body


def rule_of_recycling(recycling: Mapping) -> Rule | None:
    """The rule a post's ``recycling`` from Late stands for (a series made elsewhere, or by us)."""
    gap = recycling.get("gap")
    if not recycling.get("enabled") or not isinstance(gap, int) or gap < 1:
        return None
    freq = Freq.WEEKLY if recycling.get("gapFreq") == "week" else Freq.MONTHLY
    count = recycling.get("expireCount")
    return Rule(freq, gap, count=count + 1 if isinstance(count, int) and count >= 1 else None,
                variations=tuple(v for v in recycling.get("contentVariations") or () if isinstance(v, str)))


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else None


def projected_copies(recycling: Mapping, scheduled_for: datetime | None, zone: ZoneInfo | str, *,
                     until_utc: datetime) -> list[datetime]:
    """When Late will make the copies it has not made yet (drawn as lighter chips), from ``nextRecycleAt`` (or
    the start, before the first copy) by the gap, within ``expireCount``/``expireDate``."""
    rule = rule_of_recycling(recycling)
    start = _time(recycling.get("startDate")) or scheduled_for
    if rule is None or start is None:
        return []
    made = recycling.get("recycleCount") if isinstance(recycling.get("recycleCount"), int) else 0
    expire = _time(recycling.get("expireDate"))
    out = []
    for index, when in occurrences(rule, start, zone, until_utc=until_utc):
        if index <= made or (expire is not None and when > expire):
            continue
        out.append(when)
    return out


PROJECTED = "r"  # the mark of a chip key standing for a copy Late has not made yet: ``<id>@r<n>``


def projected_posts(post: Post, zone: ZoneInfo | str, *, start_utc: datetime, end_utc: datetime) -> list[Post]:
    """The copies Late will make of a post it recycles, between ``start_utc`` and ``end_utc``, as chips to draw
    (lighter: ``is_future_repeat``); keyed ``<id>@r<n>`` so a click on one opens the series' post."""
    if not post.recycling or post.scheduled_for is None:
        return []
    times = projected_copies(post.recycling, post.scheduled_for, post.timezone or zone, until_utc=end_utc)
    return [replace(post, local_id=f"{post.local_id}@{PROJECTED}{n}", scheduled_for=when, status="scheduled",
                    recycled_from=post.late_id or post.local_id, occurrence=0,
                    targets=[replace(t, scheduled_for=None) for t in post.targets])
            for n, when in enumerate(times, start=1) if when >= start_utc and when != post.scheduled_for]


def is_projected(key: str) -> bool:
    """Whether a chip key stands for a copy Late has not made yet (it moves only with its series)."""
    _owner, _sep, tail = key.partition("@")
    return tail.startswith(PROJECTED)


# ------------------------------------------------------------------------------------------------- local series


@dataclass(frozen=True, slots=True)
class Series:
    """A repeating post: its rule, the post each occurrence copies (``template``, occurrence 0's content), and
    how far ahead its occurrences exist. ``on_late``: one post carrying Late's ``recycling`` instead."""

    id: str
    rule: Rule
    zone: str
    first_utc: datetime
    template: Post
    on_late: bool
    made_until: datetime


def occurrence_post(series: Series, index: int, when: datetime) -> Post:
    """A new local post for occurrence ``index`` at ``when``: the template's content, its text rotated."""
    t = series.template
    return Post(
        title=t.title, content=text_for(series.rule, index, t.content), hashtags=list(t.hashtags),
        tags=list(t.tags), media=[replace(m) for m in t.media],
        targets=[Target(x.platform, x.account_id, custom_content=x.custom_content,
                        platform_specific_data=copy.deepcopy(x.platform_specific_data)) for x in t.targets],
        scheduled_for=when, timezone=t.timezone, status=t.status, series_id=series.id, occurrence=index,
    )


def occurrences_due(series: Series, *, until_utc: datetime, now: datetime, skipped: Iterable[int] = ()) -> list[
        tuple[int, datetime]]:
    """The occurrences to make now: after what exists (``made_until``), up to ``until_utc``, never one whose time
    has passed (a series never publishes late) and none the user skipped."""
    skip = set(skipped)
    return [(i, when) for i, when in occurrences(series.rule, series.first_utc, series.zone, until_utc=until_utc)
            if when > series.made_until and when > now and i not in skip]


#: Late refuses the same text and media to an account within 24 hours of creating it (late-api.md §2.7 rule 3);
#: a few minutes more allow for the gap between our clock and Late's
SAME_TEXT_GAP = timedelta(hours=24, minutes=5)


def waits_for_sibling(post: Post, siblings: Iterable[Post], now: datetime) -> bool:
    """Whether an occurrence not yet on Late waits for an occurrence with the same text that Late created less than
    a day ago (its ``updatedAt``, never earlier than its creation): sent now, Late would refuse it as a duplicate.
    If its time passes while it waits, it is held as Missed like any post."""
    if not post.series_id or post.late_id is not None:
        return False
    return any(s.local_id != post.local_id and s.late_id and s.content == post.content and s.media == post.media
               and s.remote_updated_at is not None and now - s.remote_updated_at < SAME_TEXT_GAP for s in siblings)


def is_future_repeat(post: Post) -> bool:
    """A repeat not gone out yet (a local occurrence after the first, or a copy Late made): drawn lighter."""
    repeat = post.occurrence > 0 or bool(post.recycled_from)
    return repeat and post.status in ("scheduled", "draft")
