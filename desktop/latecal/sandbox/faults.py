"""Fault injection rules, set through the control API or command-line flags.

A rule is JSON (camelCase) with a ``kind`` and optional ``route`` scope, ``count`` (next N matching requests;
null = unlimited) and ``probability`` (drawn from the sandbox's seeded RNG):

- ``latency``    ``latencyMs`` added to the request;
- ``rate_limit`` a 429 burst with ``Retry-After: retryAfter`` (seconds, default 1);
- ``status``     an error ``status`` (500/502/503/...); ``processed`` (default false) runs the request first,
                 as when a gateway fails after the server already saved the post;
- ``drop``       the connection is closed; ``phase`` "before_response" (default) or "mid_body";
                 ``processed`` (default true) decides whether the request ran before the drop;
- ``malformed``  the JSON body is truncated (status and headers kept);
- ``slow_body``  the body is sent in ``chunks`` pieces (default 5) ``chunkDelayMs`` apart (default 200).

``route`` is ``"METHOD /path-prefix"`` or ``"/path-prefix"`` relative to ``/api`` (e.g. ``"POST /v1/posts"``).
Faults never apply to the control API.
"""

from __future__ import annotations

import itertools
import random
import threading
from typing import Any

from .errors import invalid

KINDS = ("latency", "rate_limit", "status", "drop", "malformed", "slow_body")
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def _number(rule: dict[str, Any], key: str, default: float, lo: float, hi: float) -> float:
    value = rule.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise invalid(f"{key} must be a number between {lo} and {hi}", param=key)
    return value


def parse_route(route: Any) -> tuple[str, str | None, str]:
    """``"METHOD /prefix"`` or ``"/prefix"`` → (canonical route, method or None, prefix)."""
    if not isinstance(route, str) or not route.strip():
        raise invalid("route must be 'METHOD /prefix' or '/prefix'", param="route")
    parts = route.split(None, 1)
    method, prefix = (parts[0].upper(), parts[1]) if len(parts) == 2 else (None, parts[0])
    if (method is not None and method not in _METHODS) or not prefix.startswith("/"):
        raise invalid("route must be 'METHOD /prefix' or '/prefix'", param="route")
    return (f"{method} {prefix}" if method else prefix), method, prefix


def normalize_rule(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise invalid("a fault rule must be an object")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise invalid(f"kind must be one of {', '.join(KINDS)}", param="kind")
    rule: dict[str, Any] = {"kind": kind}
    if raw.get("route") is not None:
        rule["route"], rule["_method"], rule["_prefix"] = parse_route(raw["route"])
    count = raw.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise invalid("count must be a positive integer or null", param="count")
    rule["count"] = count
    rule["probability"] = _number(raw, "probability", 1.0, 0.0, 1.0)
    if kind == "latency":
        rule["latencyMs"] = int(_number(raw, "latencyMs", 500, 0, 600_000))
    elif kind == "rate_limit":
        rule["retryAfter"] = int(_number(raw, "retryAfter", 1, 0, 86_400))
    elif kind == "status":
        rule["status"] = int(_number(raw, "status", 500, 400, 599))
        rule["processed"] = bool(raw.get("processed", False))
        if "retryAfter" in raw:
            rule["retryAfter"] = int(_number(raw, "retryAfter", 1, 0, 86_400))
    elif kind == "drop":
        phase = raw.get("phase", "before_response")
        if phase not in ("before_response", "mid_body"):
            raise invalid("phase must be before_response or mid_body", param="phase")
        rule["phase"] = phase
        rule["processed"] = bool(raw.get("processed", True))
    elif kind == "slow_body":
        rule["chunks"] = int(_number(raw, "chunks", 5, 1, 1000))
        rule["chunkDelayMs"] = int(_number(raw, "chunkDelayMs", 200, 0, 60_000))
    return rule


class FaultSet:
    def __init__(self, rng: random.Random) -> None:
        self._lock = threading.Lock()
        self._rules: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self.rng = rng
        self.injected: dict[str, int] = {}

    def add(self, raw: Any) -> dict[str, Any]:
        rule = normalize_rule(raw)
        with self._lock:
            rule["id"] = f"fault-{next(self._ids)}"
            self._rules.append(rule)
        return self.public(rule)

    def replace(self, raws: Any) -> list[dict[str, Any]]:
        if not isinstance(raws, list):
            raise invalid("rules must be an array", param="rules")
        rules = [normalize_rule(r) for r in raws]
        with self._lock:
            for rule in rules:
                rule["id"] = f"fault-{next(self._ids)}"
            self._rules = rules
        return self.list()

    def clear(self) -> None:
        with self._lock:
            self._rules = []

    def reset(self, rng: random.Random) -> None:
        """As new: no rules, nothing injected, ids from fault-1 again, drawing from ``rng``."""
        with self._lock:
            self._rules = []
            self._ids = itertools.count(1)
            self.injected = {}
            self.rng = rng

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r["id"] != rule_id]
            return len(self._rules) != before

    @staticmethod
    def public(rule: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in rule.items() if not k.startswith("_")}

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [self.public(r) for r in self._rules]

    def select(self, method: str, path: str) -> dict[str, dict[str, Any]]:
        """The rules that fire for this request, at most one per kind; consumes their counts."""
        fired: dict[str, dict[str, Any]] = {}
        with self._lock:
            for rule in list(self._rules):
                if rule["kind"] in fired:
                    continue
                if rule.get("_method") and rule["_method"] != method:
                    continue
                if rule.get("_prefix") and not path.startswith(rule["_prefix"]):
                    continue
                if rule["probability"] < 1.0 and self.rng.random() >= rule["probability"]:
                    continue
                fired[rule["kind"]] = dict(rule)
                self.injected[rule["kind"]] = self.injected.get(rule["kind"], 0) + 1
                if rule["count"] is not None:
                    rule["count"] -= 1
                    if rule["count"] <= 0:
                        self._rules.remove(rule)
        return fired
