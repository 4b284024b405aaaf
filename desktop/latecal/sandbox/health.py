"""Late's accounts health check (``GET /v1/accounts/health`` and ``/v1/accounts/{id}/health``), and the control
operation that makes an account unhealthy: disconnected, or with a token that expires at a given time.

A token's expiry is kept on the account as ``__tokenExpiresAt`` (never rendered in the accounts list, which
Late does not put it in). Once the sandbox's clock passes it the account needs a reconnect and cannot post.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .errors import invalid
from .timeutil import UTC_ZONE, iso, parse_client_datetime, parse_iso

EXPIRES_KEY = "__tokenExpiresAt"
#: a token expiring within this is a warning (Late's dashboard warns a week ahead)
EXPIRY_WARNING = timedelta(days=7)


def token_expires(acc: dict[str, Any]) -> datetime | None:
    value = acc.get(EXPIRES_KEY)
    return parse_iso(value) if isinstance(value, str) else None


def disconnected(acc: dict[str, Any]) -> bool:
    return not acc.get("isActive", True) or bool(acc.get("needsReconnection"))


def can_post(acc: dict[str, Any], now: datetime) -> bool:
    expires = token_expires(acc)
    return not disconnected(acc) and (expires is None or expires > now)


def _facts(acc: dict[str, Any], now: datetime) -> tuple[str, bool, list[str], datetime | None]:
    """(status, needs a reconnect, issues, token expiry) of one account at ``now``."""
    expires = token_expires(acc)
    if disconnected(acc):
        return "error", True, ["Account is disconnected. Reconnect it to resume posting."], expires
    if expires is not None and expires <= now:
        return "error", True, ["Access token has expired. Reconnect the account."], expires
    if expires is not None and expires - now <= EXPIRY_WARNING:
        issue = f"Access token expires on {iso(expires)}. Reconnect the account before then."
        return "warning", False, [issue], expires
    return "healthy", False, [], expires


def entry(acc: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One account of the health list."""
    status, needs, issues, expires = _facts(acc, now)
    out = {
        "accountId": acc["_id"], "platform": acc["platform"], "username": acc.get("username", ""),
        "displayName": acc.get("displayName", ""), "profileId": acc.get("profileId"), "status": status,
        "canPost": not needs, "canFetchAnalytics": not needs, "tokenValid": not needs, "needsReconnect": needs,
        "issues": issues,
    }
    if expires is not None:
        out["tokenExpiresAt"] = iso(expires)
    return out


def summary(entries: list[dict[str, Any]]) -> dict[str, int]:
    counts = {s: sum(e["status"] == s for e in entries) for s in ("healthy", "warning", "error")}
    return {"total": len(entries), **counts, "needsReconnect": sum(e["needsReconnect"] for e in entries)}


def detail(acc: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One account's own health check (``/v1/accounts/{id}/health``)."""
    status, needs, issues, expires = _facts(acc, now)
    return {
        "accountId": acc["_id"], "platform": acc["platform"], "username": acc.get("username", ""),
        "displayName": acc.get("displayName", ""), "status": status,
        "tokenStatus": {"valid": not needs, "expiresAt": iso(expires) if expires else None,
                        "expiresIn": None if expires is None else max(0, int((expires - now).total_seconds())),
                        "needsRefresh": needs},
        "permissions": {"posting": [] if needs else ["publish"], "analytics": [], "optional": [],
                        "canPost": not needs, "canFetchAnalytics": not needs,
                        "missingRequired": ["publish"] if needs else []},
        "issues": issues,
        "recommendations": ["Reconnect the account in Late."] if needs else [],
    }


def set_health(acc: dict[str, Any], raw: Any) -> None:
    """The control operation: ``{connected?: bool, tokenExpiresAt?: ISO time | null}``."""
    if not isinstance(raw, dict):
        raise invalid("health body must be an object")
    if "connected" in raw:
        if not isinstance(raw["connected"], bool):
            raise invalid("connected must be true or false", param="connected")
        acc["isActive"] = raw["connected"]
        acc["needsReconnection"] = not raw["connected"]
    if "tokenExpiresAt" in raw:
        value = raw["tokenExpiresAt"]
        if value is None:
            acc.pop(EXPIRES_KEY, None)
        else:
            try:
                acc[EXPIRES_KEY] = iso(parse_client_datetime(value, UTC_ZONE))
            except ValueError:
                raise invalid("tokenExpiresAt must be an ISO time or null", param="tokenExpiresAt") from None
