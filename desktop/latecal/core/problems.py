"""What needs the user: which posts are problems and of which kind, and which accounts need attention.

One kind per post, the most pressing first: a post in conflict or refused by Late waits for a choice before
anything else about it matters. Time makes some posts problems without any change to them (a schedule that
did not reach Late before its time, a post publishing for too long): ``may_become_problem`` names the posts
to look at again as the clock moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from latecal.core.missed import is_missed
from latecal.core.models import Account, Post
from latecal.core.status import PostStatus, SyncState, TargetStatus, is_retryable
from latecal.core.stuck import STUCK_AFTER, is_stuck

#: a token that expires within this is flagged before it stops the account posting
TOKEN_WARNING = timedelta(days=7)


class ProblemKind(StrEnum):
    CONFLICT = "conflict"
    REJECTED = "rejected"
    MISSED = "missed"
    STUCK = "stuck"
    FAILED = "failed"
    PARTIAL = "partial"


def problem_of(post: Post, now: datetime, stuck_after: timedelta = STUCK_AFTER) -> ProblemKind | None:
    """The post's most pressing problem, or None."""
    if post.sync_state == SyncState.CONFLICT:
        return ProblemKind.CONFLICT
    if post.sync_state == SyncState.REJECTED:
        return ProblemKind.REJECTED
    if is_missed(post, now):
        return ProblemKind.MISSED
    if is_stuck(post, now, stuck_after):
        return ProblemKind.STUCK
    if post.status == PostStatus.FAILED:
        return ProblemKind.FAILED
    if post.status == PostStatus.PARTIAL:
        return ProblemKind.PARTIAL
    return None


def may_become_problem(post: Post) -> bool:
    """A post that the clock alone can make a problem (missed, stuck): worth looking at again each minute."""
    if post.scheduled_for is None:
        return False
    return post.status == PostStatus.PUBLISHING or (
        post.status == PostStatus.SCHEDULED and post.sync_state == SyncState.PENDING)


class AccountIssue(StrEnum):
    RECONNECT = "reconnect"  # Late says the account must be reconnected (or its token has expired)
    CANNOT_POST = "cannot_post"  # Late's health check says it cannot post
    INACTIVE = "inactive"
    EXPIRING = "expiring"  # its token expires soon: it still posts, until then


@dataclass(frozen=True, slots=True)
class AccountProblem:
    account: Account
    issue: AccountIssue
    expires_at: datetime | None = None


def account_problem(account: Account, now: datetime, warn_within: timedelta = TOKEN_WARNING) -> AccountProblem | None:
    """What is wrong with an account, if anything. Health fields (``can_post``, ``token_expires_at``) are used
    when the account carries them; without them ``is_active`` and ``needs_reconnection`` decide."""
    expires_at: datetime | None = getattr(account, "token_expires_at", None)
    if account.needs_reconnection or (expires_at is not None and expires_at <= now):
        return AccountProblem(account, AccountIssue.RECONNECT, expires_at)
    if getattr(account, "can_post", True) is False:
        return AccountProblem(account, AccountIssue.CANNOT_POST, expires_at)
    if not account.is_active:
        return AccountProblem(account, AccountIssue.INACTIVE, expires_at)
    if expires_at is not None and expires_at - now <= warn_within:
        return AccountProblem(account, AccountIssue.EXPIRING, expires_at)
    return None


def account_can_post(account: Account | None, now: datetime) -> bool:
    """Whether a retry through this account can work (an unknown account is given the benefit of the doubt:
    Late will say)."""
    if account is None:
        return True
    problem = account_problem(account, now)
    return problem is None or problem.issue == AccountIssue.EXPIRING


def retry_can_work(post: Post, accounts: dict[str, Account], now: datetime) -> bool:
    """A retry republishes the failed platforms: offered when one of them has an account that can post."""
    if not is_retryable(post.status):
        return False
    return any(account_can_post(accounts.get(t.account_id), now)
               for t in post.targets if t.status == TargetStatus.FAILED)
