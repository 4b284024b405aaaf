"""IANA time zones: validation, a picker list, and wall-time ↔ UTC conversion across DST changes.

Wall time → UTC follows RFC 5545 §3.3.5 and PEP 495 with ``fold=0``:
* a wall time in a DST gap (02:30 on a spring-forward night in Berlin) does not exist; it is read with the
  offset before the gap, which shifts it forward by the gap's length (02:30 → 03:30 CEST);
* a wall time in a fold (02:30 on a fall-back night) happens twice; the first occurrence (still summer time)
  is chosen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from latecal.core.models import Account, Post, Profile, utc

# A short list for the zone picker; any other valid IANA name may still be typed in.
COMMON_ZONES: tuple[str, ...] = (
    "UTC",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Atlantic/Reykjavik",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Europe/Kyiv",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Shanghai",
    "Asia/Manila",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
)


@lru_cache(maxsize=256)
def _load(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def validate_zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, or ValueError naming it. Names are case-sensitive, as in Late."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"Time zone name is empty ({name!r}); use an IANA name such as 'Europe/Berlin'.")
    try:
        return _load(name)
    # ZoneInfoNotFoundError for unknown keys, ValueError for malformed ones, OSError for directories.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"Unknown time zone '{name}'; use an IANA name such as 'Europe/Berlin'.") from None


def is_valid_zone(name: str | None) -> bool:
    try:
        validate_zone(name)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


def zone_of(zone: ZoneInfo | str) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else validate_zone(zone)


def common_zones(current: str | None = None) -> list[str]:
    """The picker's list; a valid ``current`` zone that is not in it is put first so it stays selectable."""
    zones = list(COMMON_ZONES)
    if current and current not in zones and is_valid_zone(current):
        zones.insert(0, current)
    return zones


def wall_to_utc(wall: datetime, zone: ZoneInfo | str) -> datetime:
    """A naive wall-clock time in ``zone`` → aware UTC (gap: shifted forward; fold: first occurrence)."""
    if wall.tzinfo is not None:
        raise ValueError(f"wall time {wall.isoformat()} must be naive; it is read in {zone}")
    return wall.replace(tzinfo=zone_of(zone), fold=0).astimezone(UTC)


def local_to_utc(day: date, at: time, zone: ZoneInfo | str) -> datetime:
    return wall_to_utc(datetime.combine(day, at.replace(tzinfo=None)), zone)


def utc_to_wall(dt: datetime, zone: ZoneInfo | str) -> datetime:
    """An aware instant as the aware local datetime in ``zone`` (``fold`` set on the second occurrence)."""
    return utc(dt).astimezone(zone_of(zone))


def is_nonexistent(wall: datetime, zone: ZoneInfo | str) -> bool:
    """True when the naive wall time falls in a DST gap of ``zone``."""
    z = zone_of(zone)
    naive = wall.replace(tzinfo=None)
    return wall_to_utc(naive, z).astimezone(z).replace(tzinfo=None) != naive


def is_ambiguous(wall: datetime, zone: ZoneInfo | str) -> bool:
    """True when the naive wall time happens twice in ``zone`` (a DST fold)."""
    z = zone_of(zone)
    naive = wall.replace(tzinfo=None)
    return naive.replace(tzinfo=z, fold=0).utcoffset() != naive.replace(tzinfo=z, fold=1).utcoffset() and (
        not is_nonexistent(naive, z)
    )


def own_zone(post: Post, display: ZoneInfo, profile_zones: Mapping[str, str] | None = None) -> ZoneInfo:
    """The zone a post's time of day belongs to: its own ``timezone``, else the zone of its first account's
    profile (``profile_zones``: account id → zone; Late reads a post without a zone in it, and the editor
    offers it first), else the zone the calendar is shown in."""
    if post.timezone and is_valid_zone(post.timezone):
        return _load(post.timezone)
    first = post.targets[0].account_id if post.targets else None
    profile_zone = (profile_zones or {}).get(first) if first else None
    return _load(profile_zone) if profile_zone and is_valid_zone(profile_zone) else display


def profile_zones(accounts: Iterable[Account], profiles: Iterable[Profile]) -> dict[str, str]:
    """Each account's profile zone (account id → IANA name), for ``own_zone``; accounts without one are left out."""
    zones = {p.id: p.timezone for p in profiles if p.timezone and is_valid_zone(p.timezone)}
    return {a.id: zones[a.profile_id] for a in accounts if a.profile_id in zones}
