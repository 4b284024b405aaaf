"""Simulated publishing on the sandbox clock: scheduled → publishing → published / partial / failed.

Events are processed in time order with their own timestamps, so advancing the clock by an hour gives the
same history as waiting an hour. Outcomes come from forced per-account outcomes first, then a disconnected
account, then the configured failure rate drawn from the state's seedable RNG.
"""

from __future__ import annotations

import heapq
from datetime import datetime, timedelta
from typing import Any

from . import health, logs, recycling
from .platforms import DISCONNECTED_FAILURE, pick_failure, published_ids
from .state import SandboxState
from .timeutil import iso, parse_iso

_ERROR_KEYS = ("errorMessage", "errorCategory", "errorSource", "platformError")


def _stamp(post: dict[str, Any], when: datetime) -> str:
    # updatedAt never moves backwards, even when an overdue event is processed with its own (older) time.
    stamp = iso(when)
    if stamp < post.get("updatedAt", ""):
        stamp = post["updatedAt"]
    post["updatedAt"] = stamp
    return stamp


def due_at(post: dict[str, Any], target: dict[str, Any]) -> str | None:
    """When a target goes out: its own ``scheduledFor`` (§10 per-platform times), else the post's."""
    return target.get("scheduledFor") or post.get("scheduledFor")


def _waiting(post: dict[str, Any], until_s: str) -> list[str]:
    """The distinct times (up to ``until_s``) at which targets of a scheduled post are still to go out."""
    times = {due_at(post, t) for t in post["platforms"] if t.get("status", "pending") == "pending"}
    if not post["platforms"]:
        times = {post.get("scheduledFor")}
    return sorted(t for t in times if t and t <= until_s)


def begin(state: SandboxState, post: dict[str, Any], when: datetime, *, sync: bool, duration_s: float,
          retry: bool = False, due_by: str | None = None) -> None:
    """Move the post to ``publishing``; targets that will be attempted become ``processing`` (with ``due_by``,
    only those whose time has come: a platform with a later own time waits for it)."""
    wanted = ("failed",) if retry else ("pending", "failed", "processing", "uploading")
    for t in post["platforms"]:
        if due_by is not None and (due_at(post, t) or "") > due_by:
            continue
        if t.get("status") in wanted:
            t["status"] = "processing"
            t["publishAttempts"] = (0 if retry else t.get("publishAttempts", 0)) + 1
            for key in _ERROR_KEYS:
                t.pop(key, None)
    post["status"] = "publishing"
    post["__sim"] = {"doneAt": iso(when + timedelta(seconds=max(duration_s, 0.0))), "sync": sync}
    _stamp(post, when)
    state.touch()


def _outcome(state: SandboxState, target: dict[str, Any], fail_rate: float) -> tuple[str, str, str, int | None] | None:
    """None = published, else (message, category, source, platform error code)."""
    acc = state.accounts.get(target["accountId"], {})
    forced = state.outcomes.get(target["accountId"])
    if forced is not None:
        if forced.get("remaining") is not None:
            forced["remaining"] -= 1
            if forced["remaining"] <= 0:
                del state.outcomes[target["accountId"]]
        if forced.get("outcome") == "publish":
            return None
        default = pick_failure(target["platform"], state.rng)
        return (
            forced.get("errorMessage") or default[0],
            forced.get("errorCategory") or default[1],
            forced.get("errorSource") or default[2],
            forced.get("platformErrorCode", default[3]),
        )
    if not acc or not health.can_post(acc, state.now()):  # disconnected, or its token has expired
        return DISCONNECTED_FAILURE
    if fail_rate > 0 and state.rng.random() < fail_rate:
        return pick_failure(target["platform"], state.rng)
    return None


def finish(state: SandboxState, post: dict[str, Any], when: datetime, fail_rate: float) -> None:
    """Decide every in-flight target and derive the post status from all targets."""
    stamp = _stamp(post, when)
    for t in post["platforms"]:
        if t.get("status") not in ("processing", "uploading"):
            continue
        failure = _outcome(state, t, fail_rate)
        if failure is None:
            acc = state.accounts.get(t["accountId"], {})
            t["platformPostId"], t["platformPostUrl"] = published_ids(t["platform"], acc, state.rng)
            t["status"] = "published"
            t["publishedAt"] = stamp
        else:
            message, category, source, code = failure
            t["status"] = "failed"
            t["errorMessage"], t["errorCategory"], t["errorSource"] = message, category, source
            if t["platform"] in ("instagram", "facebook") and code is not None:
                t["platformError"] = {"code": code, "message": message}
        logs.record(state, post, t, when)
    statuses = [t.get("status") for t in post["platforms"] if t.get("status") != "cancelled"]
    published = statuses.count("published")
    if "pending" in statuses:  # a platform with a later own time is still to go out
        post["status"] = "scheduled"
    elif statuses and published == len(statuses):
        post["status"] = "published"
    elif published:
        post["status"] = "partial"
    else:
        post["status"] = "failed"
    if published:
        post["publishedAt"] = max(t["publishedAt"] for t in post["platforms"] if t.get("status") == "published")
    post.pop("__sim", None)
    state.touch()


def run_due(state: SandboxState, until: datetime, *, fail_rate: float, duration_s: float) -> int:
    """Process every event up to ``until`` in time order; returns how many transitions happened."""
    until_s = iso(until)
    events: list[tuple[str, int, str]] = []
    n = 0
    with state.lock:
        recycling.make_due(state, until)  # copies due by now join the events below at their own times
        for post in state.posts.values():
            n += 1
            if post["status"] == "scheduled":
                for at in _waiting(post, until_s):  # one event per time its platforms go out at
                    n += 1
                    events.append((at, n, post["_id"]))
            elif post["status"] == "publishing":
                sim = post.get("__sim") or {}
                if sim.get("sync"):
                    continue  # a request is publishing it right now
                done = sim.get("doneAt") or post.get("updatedAt", until_s)
                if done <= until_s:
                    events.append((done, n, post["_id"]))
        heapq.heapify(events)
        count = 0
        seq = n
        while events:
            at, _, pid = heapq.heappop(events)
            post = state.posts.get(pid)
            if post is None:
                continue
            when = parse_iso(at)
            if post["status"] == "scheduled":
                if not _waiting(post, at):
                    continue  # nothing of it is due by this time (any more)
                begin(state, post, when, sync=False, duration_s=duration_s, due_by=at)
                done = post["__sim"]["doneAt"]
                if done <= until_s:
                    seq += 1
                    heapq.heappush(events, (done, seq, pid))
            elif post["status"] == "publishing" and not (sim := post.get("__sim") or {}).get("sync"):
                if at < sim.get("doneAt", ""):
                    continue  # a later platform's time came while earlier ones are still going out
                finish(state, post, when, fail_rate)
            count += 1
        return count
