"""Holds: requests to matching routes wait until a test releases them (``/_sandbox/holds``).

A rule is ``{"route": "METHOD /prefix" | "/prefix", "count": N | null}`` (route as in faults.py; null count
holds every matching request until released). A held request waits where a slow Late is slow: after Late took
it (an idempotent create is in flight, a publish-now post is ``publishing``), before the answer is sent. So a
test makes Late "answer later" without guessing a latency: hold, wait until the request is held, act, release.
Releasing removes the rule and lets its waiting requests finish normally.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from typing import Any

from .errors import invalid
from .faults import parse_route


class HoldSet:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._rules: dict[str, dict[str, Any]] = {}
        self._waiting: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]] = {}
        self._ids = itertools.count(1)

    def add(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise invalid("a hold must be an object")
        route, method, prefix = parse_route(raw.get("route"))
        count = raw.get("count", 1)
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
            raise invalid("count must be a positive integer or null", param="count")
        with self._cond:
            rule = {"id": f"hold-{next(self._ids)}", "route": route, "count": count, "held": 0,
                    "_method": method, "_prefix": prefix}
            self._rules[rule["id"]] = rule
            self._waiting[rule["id"]] = []
            return self._public(rule)

    def match(self, method: str, path: str) -> str | None:
        """The id of the first hold that takes this request (consuming its count), or None."""
        with self._cond:
            for rule in self._rules.values():
                if rule["count"] is not None and rule["held"] >= rule["count"]:
                    continue
                if (rule["_method"] and rule["_method"] != method) or not path.startswith(rule["_prefix"]):
                    continue
                rule["held"] += 1
                return rule["id"]
        return None

    async def wait(self, hold_id: str) -> None:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        with self._cond:
            if hold_id not in self._rules:
                return  # released between match and wait
            entry = (loop, fut)
            self._waiting[hold_id].append(entry)
            self._cond.notify_all()
        try:
            await fut
        finally:
            with self._cond:
                if entry in self._waiting.get(hold_id, ()):
                    self._waiting[hold_id].remove(entry)

    def waiting(self, hold_id: str) -> int:
        with self._cond:
            return len(self._waiting.get(hold_id, ()))

    def wait_until_held(self, hold_id: str, n: int = 1, timeout: float = 10.0) -> bool:
        """Block the calling thread until ``n`` requests wait on the hold (never call it on the server's loop)."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self._waiting.get(hold_id, ())) >= n, timeout)

    def release(self, hold_id: str | None = None) -> int:
        """Remove one hold (all when None) and let its waiting requests go on; returns how many were waiting."""
        with self._cond:
            ids = list(self._rules) if hold_id is None else [hold_id] if hold_id in self._rules else []
            woken = []
            for i in ids:
                del self._rules[i]
                woken += self._waiting.pop(i)
            self._cond.notify_all()
        for loop, fut in woken:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_resolve, fut)
        return len(woken)

    def reset(self) -> None:
        self.release()
        with self._cond:
            self._ids = itertools.count(1)

    def list(self) -> list[dict[str, Any]]:
        with self._cond:
            return [self._public(r) for r in self._rules.values()]

    def _public(self, rule: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in rule.items() if not k.startswith("_")}
        out["waiting"] = len(self._waiting.get(rule["id"], ()))
        return out


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)
