"""Which platforms of a post cannot be published, because their account cannot post when the post is due.

An account cannot post when Late says so (``canPost`` false, a reconnect needed, the account inactive), or when
its token expires before the moment that matters: the post's time for a scheduled post, now for a retry.
Unknown accounts are not flagged: this computer may simply not have listed them yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from latecal.core.models import Account, Post
from latecal.core.status import PostStatus, TargetStatus

#: statuses whose pending targets Late will still try to publish at the post's time
_WAITING = frozenset({PostStatus.SCHEDULED, PostStatus.PENDING_APPROVAL})
#: a target already decided (published, cancelled) needs no account any more
_DECIDED = frozenset({TargetStatus.PUBLISHED, TargetStatus.CANCELLED})
#: a token expiring within this is worth the user's attention (issue 19: the Problems panel lists such accounts)
EXPIRY_NOTICE = timedelta(days=7)


class Trouble(StrEnum):
    DISCONNECTED = "disconnected"  # a reconnect in Late is needed now
    TOKEN_EXPIRES = "token_expires"  # connected now, but the token lapses before the time that matters
    CANNOT_POST = "cannot_post"  # Late's health check says it cannot post (missing permissions, for example)


@dataclass(frozen=True, slots=True)
class BlockedTarget:
    """One platform of a post whose account cannot post at ``at``."""

    account: Account
    trouble: Trouble
    at: datetime  # the moment the account must be able to post by (the post's time, or now)


def account_trouble(account: Account, at: datetime) -> Trouble | None:
    """Why ``account`` cannot post at ``at``, or None when it can."""
    if not account.is_active or account.needs_reconnection:
        return Trouble.DISCONNECTED
    if not account.can_post:
        return Trouble.CANNOT_POST
    if account.token_expires_at is not None and account.token_expires_at <= at:
        return Trouble.TOKEN_EXPIRES
    return None


def needs_attention(account: Account, now: datetime, within: timedelta = EXPIRY_NOTICE) -> Trouble | None:
    """Why an account needs the user: it cannot post now, or its token expires within ``within``."""
    return account_trouble(account, now + within)


def blocked_targets(post: Post, accounts: Mapping[str, Account], now: datetime) -> list[BlockedTarget]:
    """The platforms of a post still to be published at its time whose account will not be able to."""
    if post.status not in _WAITING or post.scheduled_for is None:
        return []
    return _blocked(post, accounts, lambda t: max(t.scheduled_for or post.scheduled_for, now), skip=_DECIDED)


def blocked_retries(post: Post, accounts: Mapping[str, Account], now: datetime) -> list[BlockedTarget]:
    """The failed platforms of a post that a retry now could not publish: their account cannot post now."""
    return [b for b in _blocked(post, accounts, lambda _t: now, skip=frozenset())
            if (t := post.target_for(b.account.id)) is not None and t.status == TargetStatus.FAILED]


def _blocked(post: Post, accounts: Mapping[str, Account], when, *, skip: frozenset) -> list[BlockedTarget]:
    out = []
    for target in post.targets:
        account = accounts.get(target.account_id)
        if account is None or target.status in skip:
            continue
        at = when(target)
        trouble = account_trouble(account, at)
        if trouble is not None:
            out.append(BlockedTarget(account, trouble, at))
    return out


def retry_can_work(post: Post, accounts: Mapping[str, Account], now: datetime) -> bool:
    """Whether a retry has any failed platform it could publish (one whose account can post now)."""
    failed = [t for t in post.targets if t.status == TargetStatus.FAILED]
    blocked = {b.account.id for b in blocked_retries(post, accounts, now)}
    return not failed or any(t.account_id not in blocked for t in failed)
