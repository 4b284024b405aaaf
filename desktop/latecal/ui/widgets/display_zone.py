"""The zone the calendar is drawn in: the system's IANA zone, else UTC. Views take it as an argument."""

from __future__ import annotations

import os
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimeZone

from latecal.core.zones import is_valid_zone, validate_zone


def _zone_from_os() -> str | None:
    """The IANA id in ``TZ`` or in the ``/etc/localtime`` link (where Qt looks first on Linux and macOS), read
    without starting Qt's time-zone backend (~5-9 ms of start-up); None when neither names a known zone."""
    name = os.environ.get("TZ", "").removeprefix(":")
    if not name:
        try:
            target = os.readlink("/etc/localtime")
        except OSError:  # no such link (Windows, a copied file): ask Qt
            return None
        _, found, name = target.rpartition("/zoneinfo/")
        if not found:
            return None
    return name if is_valid_zone(name) else None


def system_zone() -> ZoneInfo:
    # Qt knows the system's IANA id on every platform (Windows ids are mapped); zoneinfo may not have it.
    name = _zone_from_os() or bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return validate_zone(name) if is_valid_zone(name) else ZoneInfo("UTC")


def resolve_zone(zone: ZoneInfo | str | None) -> ZoneInfo:
    if zone is None:
        return system_zone()
    return zone if isinstance(zone, ZoneInfo) else validate_zone(zone)
