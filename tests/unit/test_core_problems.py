"""Which posts and accounts need the user (core/problems.py, core/stuck.py): plain rules, no Qt, no store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from latecal.core.models import Account, Post, Target
from latecal.core.problems import (
    AccountIssue,
    ProblemKind,
    account_can_post,
    account_problem,
    may_become_problem,
    problem_of,
    retry_can_work,
)
from latecal.core.stuck import STUCK_AFTER, is_stuck, publishing_since

NOW = datetime(2027, 3, 10, 17, 24, tzinfo=UTC)
DUE = datetime(2027, 3, 10, 17, 8, tzinfo=UTC)  # 16 minutes ago


def post(status="scheduled", sync_state="synced", when=DUE, targets=None) -> Post:
    return Post(content="x", status=status, sync_state=sync_state, scheduled_for=when,
                targets=targets if targets is not None else [Target("twitter", "a1")])


def test_a_post_publishing_past_the_setting_is_stuck_and_not_before():
    p = post("publishing")
    assert publishing_since(p) == DUE
    assert timedelta(minutes=15) == STUCK_AFTER
    assert is_stuck(p, NOW)
    assert not is_stuck(p, DUE + timedelta(minutes=14, seconds=59))
    assert is_stuck(p, DUE + timedelta(minutes=15))
    assert not is_stuck(p, NOW, after=timedelta(minutes=20))  # the user's setting
    assert not is_stuck(post("published"), NOW) and publishing_since(post("published")) is None
    assert not is_stuck(post("publishing", when=None), NOW)


@pytest.mark.parametrize(("status", "sync_state", "when", "kind"), [
    ("scheduled", "conflict", DUE, ProblemKind.CONFLICT),
    ("failed", "conflict", DUE, ProblemKind.CONFLICT),  # a choice waits before anything else about it
    ("scheduled", "rejected", DUE, ProblemKind.REJECTED),
    ("scheduled", "pending", DUE, ProblemKind.MISSED),
    ("publishing", "synced", DUE, ProblemKind.STUCK),
    ("failed", "synced", DUE, ProblemKind.FAILED),
    ("partial", "synced", DUE, ProblemKind.PARTIAL),
    ("scheduled", "synced", DUE, None),  # on Late: Late publishes it
    ("scheduled", "pending", NOW + timedelta(hours=1), None),  # not yet due
    ("scheduled", "pending", NOW - timedelta(seconds=30), None),  # Late's one-minute grace
    ("publishing", "synced", NOW - timedelta(minutes=3), None),
    ("published", "synced", DUE, None),
    ("draft", "pending", None, None),
])
def test_each_post_has_its_most_pressing_problem(status, sync_state, when, kind):
    assert problem_of(post(status, sync_state, when), NOW) == kind


def test_the_clock_alone_can_make_publishing_and_unsent_scheduled_posts_problems():
    assert may_become_problem(post("publishing"))
    assert may_become_problem(post("scheduled", "pending", NOW + timedelta(hours=1)))
    assert not may_become_problem(post("scheduled", "synced"))
    assert not may_become_problem(post("failed"))
    assert not may_become_problem(post("scheduled", "pending", None))


def test_accounts_that_need_reconnecting_or_are_inactive():
    ok = Account("a1", "twitter", "p")
    assert account_problem(ok, NOW) is None and account_can_post(ok, NOW)
    gone = Account("a2", "bluesky", "p", needs_reconnection=True)
    assert account_problem(gone, NOW).issue == AccountIssue.RECONNECT and not account_can_post(gone, NOW)
    off = Account("a3", "threads", "p", is_active=False)
    assert account_problem(off, NOW).issue == AccountIssue.INACTIVE and not account_can_post(off, NOW)
    assert account_can_post(None, NOW)  # unknown here: Late will say


@dataclass
class HealthyAccount(Account):
    """An account with Late's health fields (another change adds them to Account): used when present."""

    can_post: bool = True
    token_expires_at: datetime | None = None


def test_health_fields_are_used_when_the_account_has_them():
    expiring = HealthyAccount("a1", "twitter", "p", token_expires_at=NOW + timedelta(days=3))
    problem = account_problem(expiring, NOW)
    assert problem.issue == AccountIssue.EXPIRING and problem.expires_at == NOW + timedelta(days=3)
    assert account_can_post(expiring, NOW)  # it still posts until then
    assert account_problem(HealthyAccount("a1", "twitter", "p", token_expires_at=NOW + timedelta(days=8)), NOW) is None
    expired = HealthyAccount("a1", "twitter", "p", token_expires_at=NOW - timedelta(minutes=1))
    assert account_problem(expired, NOW).issue == AccountIssue.RECONNECT
    assert account_problem(HealthyAccount("a1", "twitter", "p", can_post=False), NOW).issue == AccountIssue.CANNOT_POST


def test_retry_is_offered_only_when_a_failed_platform_can_post():
    failed = post("failed", targets=[Target("twitter", "a1", status="failed"),
                                     Target("bluesky", "a2", status="failed")])
    accounts = {"a1": Account("a1", "twitter", "p", needs_reconnection=True),
                "a2": Account("a2", "bluesky", "p", needs_reconnection=True)}
    assert not retry_can_work(failed, accounts, NOW)
    accounts["a2"] = Account("a2", "bluesky", "p")
    assert retry_can_work(failed, accounts, NOW)
    partial = post("partial", targets=[Target("twitter", "a2", status="published"),
                                       Target("bluesky", "a1", status="failed")])
    assert not retry_can_work(partial, accounts, NOW)  # the one that failed cannot post
    assert not retry_can_work(post("scheduled"), accounts, NOW)
