"""Exporting posts: which posts (a date range in a zone, a profile, a status) and the file's bytes, as CSV in
the import's own format or as iCalendar (RFC 5545, written by ``icalendar``). Reads only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from latecal.core.csv_writing import export_rows, to_csv
from latecal.core.models import Account, Post, Profile
from latecal.core.zones import local_to_utc, zone_of
from latecal.presentation import export_texts as texts
from latecal.store import Store

EVENT_MINUTES = 15  # a post is an instant; a calendar shows it as a short event


@dataclass(frozen=True, slots=True)
class Selection:
    start: date | None = None  # inclusive, in ``zone``
    end: date | None = None  # inclusive
    profile: str | None = None  # a profile's name or id
    statuses: frozenset[str] = frozenset()
    zone: str = "UTC"


def select_posts(store: Store, selection: Selection) -> list[Post]:
    """Live posts with a time in the range (all of them without one), of the profile and statuses asked."""
    zone = zone_of(selection.zone)
    start = local_to_utc(selection.start, time(0), zone) if selection.start else datetime(1970, 1, 1, tzinfo=UTC)
    end = (local_to_utc(selection.end + timedelta(days=1), time(0), zone) if selection.end
           else datetime(9999, 1, 1, tzinfo=UTC))
    posts = store.posts_between(start, end)
    if selection.start is None and selection.end is None:
        posts += store.unscheduled_drafts()
    accounts = {a.id: a for a in store.accounts()}
    if selection.profile:
        wanted = {p.id for p in store.profiles() if selection.profile in (p.id, p.name)} or {selection.profile}
        posts = [p for p in posts if any(accounts.get(t.account_id) and accounts[t.account_id].profile_id in wanted
                                         for t in p.targets)]
    if selection.statuses:
        wanted_statuses = {s.strip().lower() for s in selection.statuses}
        posts = [p for p in posts if p.status in wanted_statuses]
    return posts


def csv_text(posts: Iterable[Post], accounts: Mapping[str, Account], profiles: Sequence[Profile], zone: str) -> str:
    header, rows = export_rows(posts, accounts, profiles, zone)
    return to_csv(header, rows)


def ics_bytes(posts: Iterable[Post], accounts: Mapping[str, Account], zone: str) -> bytes:
    """One event per post, or per distinct time when platforms carry their own; each in the post's zone (with
    its VTIMEZONE); UIDs stable across exports, so a calendar updates an imported event instead of doubling it."""
    import icalendar  # only the export needs it

    cal = icalendar.Calendar()
    cal.add("prodid", texts.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")  # Outlook imports a calendar file only with a method
    stamp = datetime.now(UTC).replace(microsecond=0)
    posts = list(posts)
    for post in posts:
        post_zone = zone_of(post.timezone or zone)
        times = _times(post)
        for when, targets in times:
            event = icalendar.Event()
            event.add("uid", _uid(post, targets if len(times) > 1 else None))
            event.add("dtstamp", stamp)
            start = when.astimezone(post_zone)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=EVENT_MINUTES))
            event.add("summary", texts.summary(post))
            event.add("description", texts.description(post, accounts, targets))
            event.add("categories", [texts.category(post)])
            urls = [t.platform_post_url for t in targets if t.platform_post_url]
            if urls:
                event.add("url", urls[0])
            cal.add_component(event)
    times = [when for post in posts for when, _ in _times(post)]
    if times:  # transitions for the years the posts span (the default spans 1970-2038: a large file)
        cal.add_missing_timezones(first_date=(min(times) - timedelta(days=366)).date(),
                                  last_date=(max(times) + timedelta(days=366)).date())
    return cal.to_ical()


def _times(post: Post) -> list[tuple[datetime, list]]:
    """The post's distinct times, each with the targets publishing then (a draft without a time: none)."""
    groups: dict[datetime, list] = {}
    for t in post.targets:
        when = t.scheduled_for or post.scheduled_for
        if when is not None:
            groups.setdefault(when, []).append(t)
    if not groups and post.scheduled_for is not None:
        groups[post.scheduled_for] = []
    return sorted(groups.items(), key=lambda item: item[0])


def _uid(post: Post, targets: list | None) -> str:
    """The post's local id (it never changes, unlike a time or Late's id before the first push); a post split by
    platform times adds its platforms, so each part keeps its own event when the times move."""
    suffix = "-" + "-".join(sorted({t.platform for t in targets})) if targets else ""
    return f"{post.local_id}{suffix}@latecal"
