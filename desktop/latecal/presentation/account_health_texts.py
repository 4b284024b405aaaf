"""What the calendar says about an account that cannot post: on a post's chip tooltip, and where Retry would be."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from latecal.core.account_health import BlockedTarget, Trouble
from latecal.core.platforms import display_name
from latecal.core.text import sentence
from latecal.presentation import time_format

#: Late's own issues quoted after our line, each cut to this many characters
ISSUE_LIMIT = 160


def _who(blocked: BlockedTarget) -> str:
    """"X · acme": the platform and the account's name."""
    account = blocked.account
    return f"{display_name(account.platform)} · {account.label}"


def will_not_post(blocked: BlockedTarget, zone: ZoneInfo) -> str:
    """A scheduled post's tooltip line: "X · acme is disconnected: reconnect it in Late before 18:00"."""
    before = time_format.at_in(blocked.at, zone)
    if blocked.trouble is Trouble.TOKEN_EXPIRES:
        expires = time_format.at_in(blocked.account.token_expires_at, zone)
        return f"{_who(blocked)} loses its access on {expires}: reconnect it in Late before {before}"
    return f"{_who(blocked)} {_state(blocked)}: reconnect it in Late before {before}"


def cannot_retry_on(blocked: BlockedTarget) -> str:
    """Where Retry would be: "X · acme is disconnected: reconnect it in Late, then retry"."""
    return f"{_who(blocked)} {_state(blocked)}: reconnect it in Late, then retry"


def retry_would_fail(blocked: Sequence[BlockedTarget]) -> str:
    """Why Retry is refused: every failed platform's account cannot post."""
    return "; ".join(cannot_retry_on(b) for b in blocked) + "."


def late_says(blocked: BlockedTarget) -> str:
    """Late's first issue with the account, as a sentence ("" when it named none)."""
    issues = blocked.account.issues
    return sentence(issues[0][:ISSUE_LIMIT]) if issues else ""


def _state(blocked: BlockedTarget) -> str:
    if blocked.trouble is Trouble.DISCONNECTED:
        return "is disconnected"
    if blocked.trouble is Trouble.TOKEN_EXPIRES:
        return "has lost its access (the token expired)"
    return "cannot post (Late's health check says so)"
