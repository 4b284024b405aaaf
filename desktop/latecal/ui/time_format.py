"""How times read on screen: one app-wide 12/24-hour preference (Settings ▸ 24-hour clock) and the few
formats the views use, so every view writes times the same way."""

from __future__ import annotations

from datetime import datetime, time

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
