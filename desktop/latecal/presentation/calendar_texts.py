"""The calendar's own words: counts of posts out of sight, "+N more", when the last sync was, and why a view
is empty."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from latecal.presentation import time_format

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NOT_SYNCED = "Not synced yet"
FILTERED_OUT = "No posts here match the filters or the search."
OFFLINE_TIP = "Late cannot be reached: changes are kept locally and sent when it is back."


def weekday_and_time(wall: datetime) -> str:
    """A drop hint's tag: "Wed 14:15"."""
    return f"{WEEKDAY_NAMES[wall.weekday()]} {time_format.clock(wall)}"


def day_heading(day: date) -> str:
    """A week column's heading: "Wed 10 Mar"."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {day:%b}"


def hidden_marks(above: int, below: int, fits: Callable[[str], bool]) -> str:
    """Under a day's name: how many of its posts are scrolled out of sight, in words where ``fits`` says the
    column has room, else as bare counts ("▲ 2  ▼ 2"): the counts always read whole."""
    for up, down, gap in (("▲ {} earlier", "▼ {} later", "   "), ("▲ {}", "▼ {}", "  ")):
        text = gap.join(m.format(n) for m, n in ((up, above), (down, below)) if n)
        if fits(text):
            return text
    return text


def show_hidden_tip(above: int, below: int) -> str:
    count, which = (above, "earlier") if above else (below, "later")
    return f"Show the {count} {which} post{'s' if count > 1 else ''} of this day" if count else ""


def more_label(count: int) -> str:
    return f"+{count} more"


def more_tip(count: int, day: date) -> str:
    return f"{count} more posts on {day:%a %d %b}: click to open the day"


def month_day_label(day: date) -> str:
    return f"{day.day}" if day.day != 1 else f"{day.day} {day:%b}"


def synced_ago(then: datetime, now: datetime) -> str:
    """"Synced just now", "Synced 3 min ago", "Synced at 14:05", "Synced on Tue 10 Mar 14:05"."""
    seconds = (now - then).total_seconds()
    if seconds < 60:
        ago = "just now"
    elif seconds < 3600:
        ago = f"{int(seconds // 60)} min ago"
    elif then.date() == now.date():
        ago = f"at {time_format.clock(then)}"
    else:
        ago = f"on {time_format.day_and_clock(then)}"
    return f"Synced {ago}"


NOT_SYNCED_MARK = "⚠ Not synced"
NOT_SYNCED_TIP = "The last sync did not finish: the message above the calendar says why."


def not_synced_since(then: datetime | None, now: datetime) -> str:
    """The toolbar after a run that failed: never "Synced", with when the last good one was."""
    if then is None:
        return NOT_SYNCED_MARK
    return f"{NOT_SYNCED_MARK} · last {synced_ago(then, now).removeprefix('Synced ')}"


def synced_stamp(then: datetime) -> str:
    return f"{then:%a %d %b} {time_format.clock(then, seconds=True)}"


def last_synced_tip(stamp: str) -> str:
    return f"Last synced with Late {stamp}"


def offline_tip(stamp: str) -> str:
    return f"{OFFLINE_TIP} Last synced {stamp}."


def list_span(first: date, last: date) -> str:
    return (f"{first.day} {first:%b}" + (f" {first:%Y}" if first.year != last.year else "")
            + f" and {last.day} {last:%b %Y}")


def empty_list(span: str, *, filtered: bool) -> tuple[str, str]:
    """Why the list is empty, and the way out (a link's words, or a hint)."""
    if filtered:
        return f"No posts between {span} match the filters or the search.", "Clear filters"
    return f"No posts between {span}.", "Press N to write one."


def range_title(mode: str, anchor: date, first: date, last: date, *, short: bool = False) -> str:
    """The dates on screen in words; ``short`` for a narrow window ("Nov 2026", "23 – 29 Nov")."""
    a = anchor
    if mode == "month":
        return f"{a:%b %Y}" if short else f"{a:%B %Y}"
    if mode == "day":
        return f"{a:%a} {a.day} {a:%b}" if short else f"{a:%A} {a.day} {a:%B %Y}"
    if first.year != last.year:
        if short:
            return f"{first.day} {first:%b} – {last.day} {last:%b}"
        return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"
    if first.month != last.month:
        return f"{first.day} {first:%b} – {last.day} {last:%b}" + ("" if short else f" {last:%Y}")
    return f"{first.day} – {last.day} {last:%b}" + ("" if short else f" {last:%Y}")


def zone_label(zone: str) -> str:
    return f"Times in {zone}"


def store_tip(path: object) -> str:
    return f"Local store: {path}"


def next_message_tip(position: int, count: int) -> str:
    return f"Message {position} of {count}: show the next one"
