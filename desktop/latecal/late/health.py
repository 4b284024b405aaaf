"""Late's accounts health check (late-api.md §10, ``GET /v1/accounts/health``), read leniently.

Every field may be missing or of a type we do not expect: such a field says nothing, and the account keeps
what the accounts list said (``isActive``, ``needsReconnection``). Unknown fields are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from latecal.core.models import Account
from latecal.late.wire import parse_time

#: issues quoted per account, each cut to this many characters (Late's text, shown in tooltips)
MAX_ISSUES = 5
ISSUE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class AccountHealth:
    account_id: str
    can_post: bool | None = None
    needs_reconnect: bool | None = None
    token_expires_at: datetime | None = None
    issues: tuple[str, ...] = ()


def health_from_json(body: Any) -> dict[str, AccountHealth]:
    """``{accounts: [...]}`` → account id → its health; entries without an ``accountId`` are skipped."""
    entries = body.get("accounts") if isinstance(body, dict) else None
    out: dict[str, AccountHealth] = {}
    for entry in entries if isinstance(entries, list) else []:
        health = _entry(entry)
        if health is not None:
            out[health.account_id] = health
    return out


def _entry(obj: Any) -> AccountHealth | None:
    if not isinstance(obj, dict) or not isinstance(obj.get("accountId"), str) or not obj["accountId"]:
        return None
    try:
        expires = parse_time(obj.get("tokenExpiresAt"))
    except (ValueError, OverflowError):
        expires = None
    return AccountHealth(
        account_id=obj["accountId"],
        can_post=_bool(obj.get("canPost")),
        needs_reconnect=_bool(obj.get("needsReconnect")),
        token_expires_at=expires,
        issues=_issues(obj.get("issues")),
    )


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _issues(value: Any) -> tuple[str, ...]:
    """Late's issues as sentences: a string, or an object's ``message`` (the schema leaves the item open)."""
    if not isinstance(value, list):
        return ()
    texts = []
    for item in value[:MAX_ISSUES]:
        text = item.get("message") if isinstance(item, dict) else item
        if isinstance(text, str) and text.strip():
            texts.append(text.strip()[:ISSUE_LIMIT])
    return tuple(texts)


def with_health(account: Account, health: AccountHealth | None) -> Account:
    """``account`` with what its health check says; a field the check left out keeps the list's answer."""
    if health is None:
        return account
    return replace(
        account,
        can_post=account.can_post if health.can_post is None else health.can_post,
        needs_reconnection=account.needs_reconnection or health.needs_reconnect is True,
        token_expires_at=health.token_expires_at,
        issues=health.issues,
    )


def keep_health(accounts: list[Account], known: Mapping[str, Account]) -> list[Account]:
    """When the health check could not be read this time: each account keeps the health it had."""
    return [replace(a, can_post=k.can_post, token_expires_at=k.token_expires_at, issues=k.issues)
            if (k := known.get(a.id)) is not None else a for a in accounts]
