"""Late's logs feed (late-api.md §10, ``GET /v1/logs?type=publishing``), read leniently.

A publishing log entry says *that* an outcome happened, when, on which platform and for which account; it has no
documented post id (the SDK ships no model for it, and the schema's entry has none), so nothing here looks for
one. Every field may be missing or mistyped: such a field says nothing. An entry is kept even without an account
(it still says "something happened": the reader of the feed re-lists more widely).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from latecal.late.wire import parse_time

#: Late's ceiling for ``limit`` on this endpoint
LOGS_PAGE_LIMIT = 100


@dataclass(frozen=True, slots=True)
class LogEntry:
    created_at: datetime | None
    account_id: str | None
    platform: str | None
    action: str | None
    status: str | None
    #: what tells two entries apart when a check reads an overlap again (there is no documented entry id)
    fingerprint: tuple[object, ...]


@dataclass(frozen=True, slots=True)
class LogPage:
    entries: list[LogEntry]
    #: Late says more entries follow (``pagination.hasMore``), or, failing that, a full page came back
    has_more: bool


def log_page_from_json(body: Any, limit: int) -> LogPage:
    raw = body.get("logs") if isinstance(body, dict) else None
    items = raw if isinstance(raw, list) else []
    entries = [entry for entry in (_entry(item) for item in items) if entry is not None]
    pagination = body.get("pagination") if isinstance(body, dict) else None
    more = pagination.get("hasMore") if isinstance(pagination, dict) else None
    return LogPage(entries=entries, has_more=more if isinstance(more, bool) else len(items) >= limit)


def _entry(obj: Any) -> LogEntry | None:
    if not isinstance(obj, dict):
        return None
    try:
        created = parse_time(obj.get("created_at"))
    except (ValueError, OverflowError):
        created = None
    account = obj.get("account_id")
    if isinstance(account, dict):  # populated, as posts' targets are: the id is inside
        account = account.get("_id")
    fields = ("created_at", "account_id", "platform", "action", "status", "request_id", "metadata")
    return LogEntry(
        created_at=created,
        account_id=_text(account),
        platform=_text(obj.get("platform")),
        action=_text(obj.get("action")),
        status=_text(obj.get("status")),
        fingerprint=tuple(_hashable(obj.get(name)) for name in fields),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _hashable(value: Any) -> object:
    return value if isinstance(value, str | int | float | bool | type(None)) else repr(value)[:200]
