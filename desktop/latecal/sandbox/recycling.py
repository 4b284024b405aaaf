"""Late's post recycling (late-api.md §2.4 RecyclingState, §2.6): a post repeated by copies Late makes itself.

Settings are checked as Late does (gap ≥ 1, gapFreq week|month, expireCount ≥ 1, 2-20 contentVariations, at
most 10 active recycling posts per account, no YouTube or TikTok). Copies are made on the sandbox clock when it
reaches ``nextRecycleAt``: a new scheduled post at that time with ``recycledFromPostId``, the next content
variation in turn, and the counters (recycleCount, lastRecycledAt, nextRecycleAt) moved on. A gap is counted in
the post's own zone, so a weekly 09:00 post stays at 09:00 across a DST change.
"""

from __future__ import annotations

import calendar
import copy
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .errors import invalid
from .state import SandboxState
from .timeutil import iso, parse_iso

EXCLUDED = ("youtube", "tiktok")
MAX_ACTIVE = 10
_TARGET_OUTCOMES = ("platformPostId", "platformPostUrl", "publishedAt", "errorMessage", "errorCategory",
                    "errorSource", "platformError", "publishAttempts")


def _zone(post: dict[str, Any]) -> ZoneInfo:
    try:
        return ZoneInfo(post.get("timezone") or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def after_gap(when: datetime, gap: int, freq: str, zone: ZoneInfo) -> datetime:
    wall = when.astimezone(zone).replace(tzinfo=None)
    if freq == "week":
        wall += timedelta(weeks=gap)
    else:
        y, m = divmod(wall.month - 1 + gap, 12)
        year, month = wall.year + y, m + 1
        wall = wall.replace(year=year, month=month, day=min(wall.day, calendar.monthrange(year, month)[1]))
    return wall.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _is_active(post: dict[str, Any]) -> bool:
    r = post.get("recycling")
    return isinstance(r, dict) and bool(r.get("enabled"))


def _time(value: Any, param: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_iso(value)
    except (TypeError, ValueError):
        raise invalid(f"{param} must be an ISO-8601 date-time", param=param) from None


def apply(state: SandboxState, post: dict[str, Any], given: Any) -> None:
    """Check and store ``recycling`` from a create or update body on ``post`` (settings merged over what it had)."""
    if not isinstance(given, dict):
        raise invalid("recycling must be an object", param="recycling")
    previous = post.get("recycling") if isinstance(post.get("recycling"), dict) else {}
    r = {**previous, **given}
    if r.get("enabled") is False:
        post["recycling"] = {k: v for k, v in r.items() if k != "nextRecycleAt" and v is not None} | {
            "enabled": False}
        return
    gap, freq = r.get("gap"), r.get("gapFreq") or "month"
    if not isinstance(gap, int) or isinstance(gap, bool) or gap < 1:
        raise invalid("recycling.gap must be an integer of at least 1", param="recycling.gap")
    if freq not in ("week", "month"):
        raise invalid("recycling.gapFreq must be 'week' or 'month'", param="recycling.gapFreq")
    count = r.get("expireCount")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
        raise invalid("recycling.expireCount must be at least 1", param="recycling.expireCount")
    variations = r.get("contentVariations")
    if variations is not None and variations != [] and (
            not isinstance(variations, list) or not 2 <= len(variations) <= 20
            or not all(isinstance(v, str) and v.strip() for v in variations)):
        raise invalid("recycling.contentVariations needs 2 to 20 texts", param="recycling.contentVariations")
    excluded = sorted({t["platform"] for t in post["platforms"] if t.get("platform") in EXCLUDED})
    if excluded:
        raise invalid(f"Recycling is not available for {', '.join(excluded)} posts",
                      code="recycling_not_supported", param="recycling")
    accounts = {t["accountId"] for t in post["platforms"]}
    counts: dict[str, int] = {}
    for other in state.posts.values():
        if other["_id"] != post["_id"] and _is_active(other):
            for t in other.get("platforms") or []:
                counts[t["accountId"]] = counts.get(t["accountId"], 0) + 1
    full = sorted(a for a in accounts if counts.get(a, 0) >= MAX_ACTIVE)
    if full:
        raise invalid(f"Maximum of {MAX_ACTIVE} active recycling posts per account reached",
                      code="recycling_limit_reached", param="recycling")
    start = _time(r.get("startDate"), "recycling.startDate") or _time(post.get("scheduledFor"), "scheduledFor")
    if start is None:
        start = state.now()
    _time(r.get("expireDate"), "recycling.expireDate")
    made = int(previous.get("recycleCount") or 0)
    nxt = start
    for _ in range(made + 1):
        nxt = after_gap(nxt, gap, freq, _zone(post))
    state_ = {
        "enabled": True, "gap": gap, "gapFreq": freq, "startDate": iso(start), "expireCount": count,
        "expireDate": r.get("expireDate"), "contentVariations": variations or [],
        "contentVariationIndex": int(previous.get("contentVariationIndex") or 0), "recycleCount": made,
        "nextRecycleAt": iso(nxt), "lastRecycledAt": previous.get("lastRecycledAt"),
    }
    _expire_if_done(state_)
    # Late leaves a field without a value out rather than sending null
    post["recycling"] = {k: v for k, v in state_.items() if v is not None}


def _expire_if_done(r: dict[str, Any]) -> None:
    over_count = r.get("expireCount") is not None and r["recycleCount"] >= r["expireCount"]
    over_date = r.get("expireDate") and r.get("nextRecycleAt") and r["nextRecycleAt"] > iso(parse_iso(r["expireDate"]))
    if over_count or over_date:
        r["enabled"] = False
        r.pop("nextRecycleAt", None)


def _copy_of(state: SandboxState, post: dict[str, Any], when: datetime) -> dict[str, Any]:
    r = post["recycling"]
    clone = copy.deepcopy({k: v for k, v in post.items() if k not in ("recycling", "__sim", "publishedAt")})
    variations = r.get("contentVariations") or []
    if variations:
        clone["content"] = variations[r["contentVariationIndex"] % len(variations)]
        r["contentVariationIndex"] += 1
    for t in clone["platforms"]:
        t["status"] = "pending"
        t.pop("scheduledFor", None)
        for key in _TARGET_OUTCOMES:
            t.pop(key, None)
    stamp = iso(when)
    clone.update(_id=state.new_id(), status="scheduled", scheduledFor=stamp, createdAt=stamp, updatedAt=stamp,
                 recycledFromPostId=post["_id"])
    return clone


def make_due(state: SandboxState, until: datetime) -> int:
    """Make every copy due by ``until``, each at its own time (call with the state's lock held)."""
    made = 0
    until_s = iso(until)
    for post in list(state.posts.values()):
        r = post.get("recycling")
        if not isinstance(r, dict) or not r.get("enabled") or post.get("status") in ("draft", "failed", "cancelled"):
            continue
        while r.get("enabled") and r.get("nextRecycleAt") and r["nextRecycleAt"] <= until_s:
            when = parse_iso(r["nextRecycleAt"])
            clone = _copy_of(state, post, when)
            state.posts[clone["_id"]] = clone
            r["recycleCount"] += 1
            r["lastRecycledAt"] = iso(when)
            r["nextRecycleAt"] = iso(after_gap(when, r["gap"], r["gapFreq"], _zone(post)))
            _expire_if_done(r)
            post["updatedAt"] = max(post.get("updatedAt", ""), iso(when))
            made += 1
    if made:
        state.touch()
    return made
