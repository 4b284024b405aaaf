"""A default posting queue per profile: weekday 09:00 / 12:30 / 17:00 and weekend 11:00 in the profile's zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from .state import SandboxState
from .timeutil import iso, zone

WEEKDAY_SLOTS = ("09:00", "12:30", "17:00")
WEEKEND_SLOTS = ("11:00",)
QUEUE_NAME = "Default queue"
_HORIZON_DAYS = 400


def queue_id(profile: dict[str, Any]) -> str:
    # Stable per profile and 24-hex like every Late id: derived from the profile id.
    return profile["_id"][:-6] + "0000aa"


def slots_schedule(profile: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for dow in range(7):  # 0 = Sunday, as Late counts
        for hhmm in WEEKEND_SLOTS if dow in (0, 6) else WEEKDAY_SLOTS:
            out.append({"dayOfWeek": dow, "time": hhmm})
    return out


def upcoming(state: SandboxState, profile: dict[str, Any], after: datetime, count: int = 1) -> list[datetime]:
    """The next ``count`` free slots strictly after ``after`` (a slot is taken by a queued post at that time)."""
    tz = zone(profile.get("timezone")) or UTC
    taken = {
        p.get("scheduledFor") for p in state.posts.values()
        if p.get("queuedFromProfile") == profile["_id"] and p["status"] != "draft"
    }
    local = after.astimezone(tz)
    out: list[datetime] = []
    for day_offset in range(_HORIZON_DAYS):
        day = local.date() + timedelta(days=day_offset)
        dow = (day.weekday() + 1) % 7
        for hhmm in WEEKEND_SLOTS if dow in (0, 6) else WEEKDAY_SLOTS:
            hh, mm = map(int, hhmm.split(":"))
            slot = datetime.combine(day, time(hh, mm), tzinfo=tz).astimezone(UTC)
            if slot > after and iso(slot) not in taken:
                out.append(slot)
                if len(out) >= count:
                    return out
    return out
