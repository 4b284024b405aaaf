"""Reading Late's queue answers (late-api.md §5, §10) leniently: a queue whose slots cannot all be read keeps the
ones that can, a queue without an id or zone is skipped, and nothing in an answer is trusted to be well-formed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from latecal.core.queue_slots import QueueSchedule, WeeklySlot
from latecal.core.zones import is_valid_zone
from latecal.late import wire

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True, slots=True)
class QueueUpdate:
    """What ``PUT /v1/queue/slots`` answered: the schedule as Late keeps it, its next slots, how many queued posts
    Late moved (``reshuffleExisting``)."""

    schedule: QueueSchedule | None
    next_slots: tuple[datetime, ...]
    reshuffled: int
    is_new: bool


def _id_of(value: Any) -> str:
    """An id given as a string or as a populated object with ``_id``."""
    if isinstance(value, dict):
        value = value.get("_id")
    return value if isinstance(value, str) else ""


def slot_from_json(value: Any) -> WeeklySlot | None:
    if not isinstance(value, dict):
        return None
    dow, hhmm = value.get("dayOfWeek"), value.get("time")
    if not isinstance(dow, int) or isinstance(dow, bool) or not 0 <= dow <= 6 or not isinstance(hhmm, str):
        return None
    match = _HHMM.match(hhmm.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return WeeklySlot(dow, time(int(match[1]), int(match[2])))


def schedule_from_json(value: Any, profile_id: str = "") -> QueueSchedule | None:
    """A ``QueueSchedule``, or None when it has no id or no zone this machine knows."""
    if not isinstance(value, dict):
        return None
    queue_id = _id_of(value.get("_id"))
    zone = value.get("timezone")
    if not queue_id or not isinstance(zone, str) or not is_valid_zone(zone):
        return None
    raw_slots = value.get("slots")
    slots = [s for s in (slot_from_json(v) for v in raw_slots) if s is not None] if isinstance(raw_slots, list) else []
    name = value.get("name")
    return QueueSchedule(
        id=queue_id, profile_id=_id_of(value.get("profileId")) or profile_id,
        name=name if isinstance(name, str) else "", timezone=zone, slots=tuple(dict.fromkeys(slots)),
        active=value.get("active") is not False, is_default=value.get("isDefault") is True)


def schedules_from_json(body: Any, profile_id: str) -> list[QueueSchedule]:
    """The queues of a ``GET /v1/queue/slots?all=true`` answer ({queues, count}), or of a one-queue answer."""
    if not isinstance(body, dict):
        return []
    if isinstance(body.get("queues"), list):
        items = body["queues"]
    elif body.get("exists") is not False and isinstance(body.get("schedule"), dict):
        items = [body["schedule"]]
    else:
        items = []
    return [s for s in (schedule_from_json(v, profile_id) for v in items) if s is not None]


def times_from_json(value: Any) -> tuple[datetime, ...]:
    out = []
    for item in value if isinstance(value, list) else ():
        try:
            when = wire.parse_time(item)
        except (ValueError, OverflowError):
            continue
        if when is not None:
            out.append(when)
    return tuple(out)


def update_from_json(body: Any, profile_id: str) -> QueueUpdate:
    body = body if isinstance(body, dict) else {}
    count = body.get("reshuffledCount")
    return QueueUpdate(schedule=schedule_from_json(body.get("schedule"), profile_id),
                       next_slots=times_from_json(body.get("nextSlots")),
                       reshuffled=count if isinstance(count, int) and not isinstance(count, bool) else 0,
                       is_new=body.get("isNewQueue") is True)


def slots_to_json(slots: tuple[WeeklySlot, ...] | list[WeeklySlot]) -> list[dict[str, Any]]:
    return [{"dayOfWeek": s.day_of_week, "time": s.wire_time} for s in slots]
