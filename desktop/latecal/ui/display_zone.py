"""The zone the calendar is drawn in: the system's IANA zone, else UTC. Views take it as an argument."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimeZone

from latecal.core.zones import is_valid_zone, validate_zone


def system_zone() -> ZoneInfo:
    # Qt knows the system's IANA id on every platform (Windows ids are mapped); zoneinfo may not have it.
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return validate_zone(name) if is_valid_zone(name) else ZoneInfo("UTC")


def resolve_zone(zone: ZoneInfo | str | None) -> ZoneInfo:
    if zone is None:
        return system_zone()
    return zone if isinstance(zone, ZoneInfo) else validate_zone(zone)
