"""The profiles' queues as last read from Late, kept in the store's meta table (one JSON value, no migration): the
week and day views draw queue slots from it at start-up and offline, and the sync's accounts step renews it."""

from __future__ import annotations

import json
from datetime import time

from latecal.core.queue_slots import QueueSchedule, WeeklySlot

META_KEY = "queue_schedules"


def save_queues(store, schedules: list[QueueSchedule]) -> None:
    value = [{"id": s.id, "profile": s.profile_id, "name": s.name, "zone": s.timezone, "active": s.active,
              "default": s.is_default, "slots": [[w.day_of_week, w.wire_time] for w in s.slots]} for s in schedules]
    store.set_meta(META_KEY, json.dumps(value, separators=(",", ":")))


def load_queues(store) -> list[QueueSchedule]:
    """The cached queues; none when nothing (or something unreadable) is cached."""
    raw = store.get_meta(META_KEY)
    if not raw:
        return []
    try:
        return [QueueSchedule(id=q["id"], profile_id=q["profile"], name=q["name"], timezone=q["zone"],
                              active=bool(q["active"]), is_default=bool(q["default"]),
                              slots=tuple(WeeklySlot(d, time.fromisoformat(t)) for d, t in q["slots"]))
                for q in json.loads(raw)]
    except (ValueError, KeyError, TypeError):  # written by another version: read again at the next sync
        return []
