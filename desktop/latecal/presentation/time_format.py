"""How times read on screen: one app-wide 12/24-hour preference (Settings ▸ 24-hour clock) and the few
formats the views use, so every view writes times the same way."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from latecal.core.zones import utc_to_wall

_clock_24h = True


def set_clock_24h(on: bool) -> None:
    global _clock_24h
    _clock_24h = bool(on)


def clock_24h() -> bool:
    return _clock_24h


def clock(value: datetime | time, *, seconds: bool = False) -> str:
    """14:05 or 2:05 PM (with seconds when asked)."""
    if _clock_24h:
        return value.strftime("%H:%M:%S" if seconds else "%H:%M")
    text = value.strftime("%I:%M:%S %p" if seconds else "%I:%M %p")
    return text.lstrip("0")


def day_and_clock(value: datetime) -> str:
    """Tue 10 Mar 14:05"""
    return f"{value:%a %d %b} {clock(value)}"


def full(value: datetime) -> str:
    """Tue 10 Mar 2026, 14:05"""
    return f"{value:%a %d %b %Y}, {clock(value)}"


def hour_label(text: str) -> str:
    """An "HH:MM" hour label from the calendar geometry, in the preferred clock."""
    return clock(datetime.strptime(text, "%H:%M").time()) if not _clock_24h else text


def qt_time_format() -> str:
    """The display format for QTimeEdit."""
    return "HH:mm" if _clock_24h else "h:mm AP"


def relative_when(instant: datetime, zone: ZoneInfo | str, now: datetime) -> str:
    """"today at 21:17", "yesterday at 9:05 PM", "on Tue 10 Mar at 21:17" (with the year when it is not this
    year's), in ``zone`` and the user's clock format."""
    wall, today = utc_to_wall(instant, zone), utc_to_wall(now, zone).date()
    at = clock(wall)
    days = (today - wall.date()).days
    if days == 0:
        return f"today at {at}"
    if days == 1:
        return f"yesterday at {at}"
    year = f" {wall.year}" if wall.year != today.year else ""
    return f"on {wall:%a} {wall.day} {wall:%b}{year} at {at}"


def at_in(when: datetime, zone: ZoneInfo | str) -> str:
    """A UTC instant as the calendar shows it in ``zone``: "Tue 10 Mar 14:05"."""
    return day_and_clock(utc_to_wall(when, zone))
