"""Late's posting queues (late-api.md §5, §10): named weekly slot schedules per profile, in the queue's zone.

A profile starts with one default queue (weekday 09:00 / 12:30 / 17:00, weekend 11:00, in the profile's zone)
until its queues are changed; slots count dayOfWeek 0 = Sunday. A post created or promoted with
``queuedFromProfile`` (and no time) takes the queue's next free slot; that happens under the state lock, so two
creates never get one slot (Late's "slot locking"). Queues live in ``state.queues`` (profile id → queues).
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, time, timedelta
from typing import Any

from .errors import ApiError, invalid
from .state import SandboxState
from .timeutil import iso, zone

WEEKDAY_SLOTS = ("09:00", "12:30", "17:00")
WEEKEND_SLOTS = ("11:00",)
QUEUE_NAME = "Default queue"
_HORIZON_DAYS = 400
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_PREVIEW = 100


# -- the queues -----------------------------------------------------------------------------------------------

def _default_slots() -> list[dict[str, Any]]:
    return [{"dayOfWeek": dow, "time": hhmm}
            for dow in range(7)  # 0 = Sunday, as Late counts
            for hhmm in (WEEKEND_SLOTS if dow in (0, 6) else WEEKDAY_SLOTS)]


def queues_of(state: SandboxState, profile: dict[str, Any]) -> list[dict[str, Any]]:
    """The profile's queues, the default first (made on first use for a profile that never had any)."""
    queues = state.queues.get(profile["_id"])
    if queues is None:
        made = profile.get("createdAt") or state.now_iso()
        queues = state.queues[profile["_id"]] = [{
            "_id": profile["_id"][:-6] + "0000aa",  # stable per profile, 24 hex like every Late id
            "profileId": profile["_id"], "name": QUEUE_NAME, "timezone": profile.get("timezone") or "UTC",
            "slots": _default_slots(), "active": True, "isDefault": True, "createdAt": made, "updatedAt": made,
        }]
    return sorted(queues, key=lambda q: (not q.get("isDefault"), q["createdAt"], q["_id"]))


def find_queue(state: SandboxState, profile: dict[str, Any], queue_id: Any = None) -> dict[str, Any] | None:
    """``queue_id``'s queue of the profile, or its default; None when there is none."""
    queues = queues_of(state, profile)
    if queue_id:
        return next((q for q in queues if q["_id"] == queue_id), None)
    return next((q for q in queues if q.get("isDefault")), queues[0] if queues else None)


def render(queue: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(queue)


def checked_slots(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise invalid("slots must be a list of {dayOfWeek, time}", code="missing_required_field", param="slots")
    out = []
    for slot in value:
        dow = slot.get("dayOfWeek") if isinstance(slot, dict) else None
        hhmm = slot.get("time") if isinstance(slot, dict) else None
        if not isinstance(dow, int) or isinstance(dow, bool) or not 0 <= dow <= 6:
            raise invalid("dayOfWeek must be 0 (Sunday) to 6 (Saturday)", param="slots")
        if not isinstance(hhmm, str) or not _TIME.match(hhmm):
            raise invalid('time must be "HH:mm" (24-hour)', param="slots")
        if {"dayOfWeek": dow, "time": hhmm} not in out:
            out.append({"dayOfWeek": dow, "time": hhmm})
    return sorted(out, key=lambda s: (s["dayOfWeek"], s["time"]))


def checked_zone(value: Any) -> str:
    if not isinstance(value, str) or zone(value) is None:
        raise invalid("timezone must be an IANA zone name", param="timezone")
    return value


# -- slots in time ------------------------------------------------------------------------------------------------

def _slot_times(queue: dict[str, Any], after: datetime):
    """Every slot instant of the queue strictly after ``after``, in order (DST-correct in the queue's zone)."""
    tz = zone(queue.get("timezone")) or UTC
    by_dow: dict[int, list[time]] = {}
    for slot in queue.get("slots", []):
        hh, mm = map(int, slot["time"].split(":"))
        by_dow.setdefault(slot["dayOfWeek"], []).append(time(hh, mm))
    if not by_dow or not queue.get("active", True):
        return
    start = after.astimezone(tz).date() - timedelta(days=1)
    for offset in range(_HORIZON_DAYS):
        day = start + timedelta(days=offset)
        for at in sorted(by_dow.get((day.weekday() + 1) % 7, [])):
            local = datetime.combine(day, at, tzinfo=tz)
            # a wall time in a spring-forward gap does not exist: Late moves it past the gap, as zoneinfo does
            slot = local.astimezone(UTC)
            if slot > after:
                yield slot


def _taken(state: SandboxState, profile: dict[str, Any], queue: dict[str, Any], but: str | None = None) -> set[str]:
    return {p.get("scheduledFor") for p in state.posts.values()
            if p.get("queuedFromProfile") == profile["_id"] and p.get("queueId") == queue["_id"]
            and p["status"] not in ("draft", "cancelled") and p["_id"] != but}


def upcoming(state: SandboxState, profile: dict[str, Any], after: datetime, count: int = 1,
             queue: dict[str, Any] | None = None) -> list[datetime]:
    """The next ``count`` free slots of the queue (default: the profile's default) strictly after ``after``."""
    queue = queue or find_queue(state, profile)
    if queue is None:
        return []
    taken = _taken(state, profile, queue)
    out: list[datetime] = []
    for slot in _slot_times(queue, after):
        if iso(slot) not in taken:
            out.append(slot)
            if len(out) >= count:
                break
    return out


def assign(state: SandboxState, profile: dict[str, Any], wanted_queue: Any) -> tuple[str, str]:
    """(scheduledFor, queueId) of the next free slot for a post queued from ``profile``: call under the lock."""
    queue = find_queue(state, profile, wanted_queue)
    if queue is None:
        raise ApiError(404, "Queue not found", type="not_found", param="queueId")
    slots = upcoming(state, profile, state.now(), queue=queue)
    if not slots:
        raise invalid("The queue has no free slot", code="queue_empty", param="queuedFromProfile")
    return iso(slots[0]), queue["_id"]


def conflict(state: SandboxState, post: dict[str, Any], new_time: str | None) -> bool:
    """Whether moving a queued post to ``new_time`` collides with another post of its queue (409)."""
    profile = state.profiles.get(post.get("queuedFromProfile") or "")
    if profile is None or not post.get("queueId") or new_time is None:
        return False
    queue = find_queue(state, profile, post["queueId"])
    return queue is not None and new_time in _taken(state, profile, queue, but=post["_id"])


def reshuffle(state: SandboxState, profile: dict[str, Any], queue: dict[str, Any]) -> int:
    """Move the queue's future posts onto its (new) slots, in their order; how many moved."""
    now = state.now()
    queued = sorted((p for p in state.posts.values()
                     if p.get("queuedFromProfile") == profile["_id"] and p.get("queueId") == queue["_id"]
                     and p["status"] == "scheduled" and p.get("scheduledFor", "") > iso(now)),
                    key=lambda p: (p["scheduledFor"], p["_id"]))
    moved = 0
    slots = _slot_times(queue, now)
    for post in queued:
        slot = next(slots, None)
        if slot is None:
            break
        if post["scheduledFor"] != iso(slot):
            post["scheduledFor"] = iso(slot)
            post["updatedAt"] = state.now_iso()
            moved += 1
    return moved
