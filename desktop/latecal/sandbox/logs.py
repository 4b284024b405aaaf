"""``GET /v1/logs`` (late-api.md §10): the publishing outcomes the simulated publisher records, newest first.

One entry per target the publisher decides (``post.published`` / ``post.failed``), with Late's snake_case
fields. Like Late's, an entry names the account and platform but carries no post id: a client that wants the
post has to list the account's posts. Entries live in time order, so a ``from``/``to`` page is found by bisection.
Other log types (connections, webhooks, API requests…) exist on Late; the sandbox records none of them.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from .errors import invalid
from .platforms import PLATFORMS
from .state import SandboxState
from .timeutil import iso, parse_filter_date

TYPES = ("all", "publishing", "connections", "webhooks", "messaging", "workflow_event", "api_request")
STATUSES = ("success", "failed", "pending", "skipped", "all")
RETENTION = timedelta(days=90)
#: query names and their legacy aliases (Late accepts both)
ALIASES = {"account_id": "accountId", "request_id": "requestId", "status_code": "statusCode",
           "api_key_id": "apiKeyId", "include_read_receipts": "includeReadReceipts"}
ALLOWED = {"type", "status", "platform", "action", "search", "days", "limit", "skip", "accountId", "event",
           "requestId", "from", "to", "statusCode", "apiKeyId", "profileId", "includeReadReceipts", *ALIASES}
_INT = re.compile(r"^[0-9]{1,9}$")


def record(state: SandboxState, post: dict[str, Any], target: dict[str, Any], when: datetime) -> None:
    """The publisher decided ``target`` of ``post`` at ``when``: write its outcome (under ``state.lock``)."""
    ok = target.get("status") == "published"
    account = state.accounts.get(target["accountId"], {})
    entry = {
        "type": "publishing",
        "action": "post.published" if ok else "post.failed",
        "platform": target.get("platform"),
        "account_id": target["accountId"],
        "profile_id": account.get("profileId"),
        "status": "success" if ok else "failed",
        "status_code": 200 if ok else 400,
        "error_message": None if ok else target.get("errorMessage"),
        "error_code": None if ok else target.get("errorCategory"),
        "endpoint": None,
        "request_body": None,
        "response_body": None,
        "created_at": iso(when),
        "metadata": json.dumps({"attempt": target.get("publishAttempts", 1),
                                "platformPostUrl": target.get("platformPostUrl")}),
        "request_id": None,
        "method": None,
        "path": None,
    }
    state.log_seq += 1
    bisect.insort(state.logs, (entry["created_at"], state.log_seq, entry))
    _expire(state, when)


def _expire(state: SandboxState, now: datetime) -> None:
    cut = bisect.bisect_left(state.logs, (iso(now - RETENTION),))
    if cut:
        del state.logs[:cut]


def _int(q: dict[str, str], name: str, default: int, lo: int, hi: int | None) -> int:
    if name not in q:
        return default
    value = q[name]
    if not _INT.match(value) or int(value) < lo or (hi is not None and int(value) > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise invalid(f"{name} must be an integer {bound}", param=name)
    return int(value)


def _instant(q: dict[str, str], name: str, *, end: bool) -> str | None:
    if not q.get(name):
        return None
    try:
        return iso(parse_filter_date(q[name], end=end))
    except ValueError:
        raise invalid(f"{name} must be an ISO-8601 instant", code="invalid_date", param=name) from None


def list_logs(state: SandboxState, params: Iterable[tuple[str, str]]) -> dict[str, Any]:
    params = list(params)
    unknown = sorted({k for k, _ in params} - ALLOWED)
    if unknown:
        raise invalid(f"Unknown query parameter(s): {', '.join(unknown)}", code="unknown_parameter",
                      param=unknown[0])
    q = {ALIASES.get(k, k): v for k, v in params}
    kind = q.get("type") or "publishing"
    if kind not in TYPES:
        raise invalid(f"type must be one of {', '.join(TYPES)}", param="type")
    status = q.get("status") or "all"
    if status not in STATUSES:
        raise invalid(f"status must be one of {', '.join(STATUSES)}", param="status")
    platform = q.get("platform")
    if platform is not None and platform != "all" and platform not in PLATFORMS:
        raise invalid("platform is not a supported platform", param="platform")
    days = _int(q, "days", 90, 1, 90)
    limit = _int(q, "limit", 50, 1, 100)
    skip = _int(q, "skip", 0, 0, None)
    since, until = _instant(q, "from", end=False), _instant(q, "to", end=True)
    search = (q.get("search") or "").lower()
    with state.lock:
        floor = iso(state.now() - timedelta(days=days))
        since = max(since or floor, floor)
        lo = bisect.bisect_left(state.logs, (since,))
        hi = len(state.logs) if until is None else bisect.bisect_right(state.logs, (until, math.inf))
        window = state.logs[lo:hi] if kind in ("all", "publishing") else []

        def wanted(entry: dict[str, Any]) -> bool:
            return ((status == "all" or entry["status"] == status)
                    and (platform in (None, "all") or entry["platform"] == platform)
                    and (not q.get("action") or entry["action"] == q["action"])
                    and (not q.get("accountId") or entry["account_id"] == q["accountId"])
                    and (not q.get("profileId") or entry["profile_id"] == q["profileId"])
                    and (not search or search in json.dumps(entry).lower()))

        filtered = any(q.get(k) for k in ("action", "accountId", "profileId", "search")) or status != "all" or (
            platform not in (None, "all"))
        if filtered:
            window = [item for item in window if wanted(item[2])]
        total = len(window)
        # newest first: the page is counted from the end
        page = window[max(0, total - skip - limit):max(0, total - skip)]
        logs = [dict(item[2]) for item in reversed(page)]
        return {
            "logs": logs,
            "pagination": {"total": total, "limit": limit, "skip": skip, "pages": math.ceil(total / limit),
                           "hasMore": skip + len(logs) < total},
        }
