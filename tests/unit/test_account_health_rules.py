"""Which platforms of a post cannot be published because their account cannot post by the post's time
(core.account_health), and how Late's health check is read leniently (late.health)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from latecal.core.account_health import (
    Trouble,
    account_trouble,
    blocked_retries,
    blocked_targets,
    needs_attention,
    retry_can_work,
)
from latecal.core.models import Account, Post, Target
from latecal.late.health import health_from_json, keep_health, with_health

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
DUE = NOW + timedelta(hours=6)


def _accounts(**overrides: dict) -> dict[str, Account]:
    base = {"x": Account("x", "twitter", "p", username="acme"), "bsky": Account("bsky", "bluesky", "p")}
    for key, fields in overrides.items():
        base[key] = Account(base[key].id, base[key].platform, "p", **fields)
    return base


def _post(status: str = "scheduled", when: datetime | None = DUE, **target_status: str) -> Post:
    return Post(status=status, scheduled_for=when,
                targets=[Target("twitter", "x", status=target_status.get("x", "pending")),
                         Target("bluesky", "bsky", status=target_status.get("bsky", "pending"))])


def test_a_disconnected_account_blocks_its_platform_of_a_scheduled_post():
    blocked = blocked_targets(_post(), _accounts(bsky={"is_active": False}), NOW)
    assert [(b.account.id, b.trouble, b.at) for b in blocked] == [("bsky", Trouble.DISCONNECTED, DUE)]


def test_a_token_that_expires_before_the_post_counts_and_one_that_expires_after_does_not():
    before = _accounts(x={"token_expires_at": DUE - timedelta(minutes=1)})
    after = _accounts(x={"token_expires_at": DUE + timedelta(minutes=1)})
    assert [b.trouble for b in blocked_targets(_post(), before, NOW)] == [Trouble.TOKEN_EXPIRES]
    assert blocked_targets(_post(), after, NOW) == []


def test_late_saying_cannot_post_or_reconnect_blocks():
    assert account_trouble(Account("a", "x", "p", can_post=False), NOW) is Trouble.CANNOT_POST
    assert account_trouble(Account("a", "x", "p", needs_reconnection=True), NOW) is Trouble.DISCONNECTED
    assert account_trouble(Account("a", "x", "p"), NOW) is None


def test_an_account_needs_attention_when_it_cannot_post_or_its_token_expires_within_a_week():
    assert needs_attention(Account("a", "x", "p", is_active=False), NOW) is Trouble.DISCONNECTED
    def expiring_in(days: float) -> Account:
        return Account("a", "x", "p", token_expires_at=NOW + timedelta(days=days))

    assert needs_attention(expiring_in(6), NOW) is Trouble.TOKEN_EXPIRES
    assert needs_attention(expiring_in(8), NOW) is None
    assert needs_attention(Account("a", "x", "p"), NOW) is None


def test_only_posts_still_to_publish_are_flagged():
    sick = _accounts(bsky={"needs_reconnection": True})
    assert blocked_targets(_post("draft"), sick, NOW) == []
    assert blocked_targets(_post("published"), sick, NOW) == []
    assert blocked_targets(_post(when=None), sick, NOW) == []
    assert blocked_targets(_post(bsky="published"), sick, NOW) == []  # that platform is done already
    assert len(blocked_targets(_post("pending_approval"), sick, NOW)) == 1


def test_an_account_this_computer_does_not_know_is_not_flagged():
    assert blocked_targets(_post(), {}, NOW) == []


def test_retry_works_only_while_some_failed_platform_can_post_now():
    sick = _accounts(bsky={"is_active": False})
    one_failed = _post("partial", when=NOW - timedelta(hours=1), x="published", bsky="failed")
    assert not retry_can_work(one_failed, sick, NOW)
    assert [b.account.id for b in blocked_retries(one_failed, sick, NOW)] == ["bsky"]
    both_failed = _post("failed", when=NOW - timedelta(hours=1), x="failed", bsky="failed")
    assert retry_can_work(both_failed, sick, NOW)
    assert retry_can_work(one_failed, _accounts(), NOW)
    # a token that lapsed an hour ago blocks a retry now
    lapsed = _accounts(bsky={"token_expires_at": NOW - timedelta(hours=1)})
    assert not retry_can_work(one_failed, lapsed, NOW)


def test_health_reader_keeps_what_it_can_read_and_ignores_the_rest():
    body = {"summary": {"total": 4}, "accounts": [
        {"accountId": "a", "canPost": False, "needsReconnect": True, "tokenExpiresAt": "2026-12-08T10:00:00.000Z",
         "issues": ["Token expired", {"message": "Missing scope"}, 7, ""], "brandNew": {"x": 1}},
        {"accountId": "b", "canPost": "yes", "tokenExpiresAt": "not a time", "issues": "nope"},
        {"canPost": False},  # no id: skipped
        "junk",
    ]}
    health = health_from_json(body)
    assert set(health) == {"a", "b"}
    a, b = health["a"], health["b"]
    assert (a.can_post, a.needs_reconnect, a.issues) == (False, True, ("Token expired", "Missing scope"))
    assert a.token_expires_at == datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    assert (b.can_post, b.needs_reconnect, b.token_expires_at, b.issues) == (None, None, None, ())
    assert health_from_json({"accounts": "x"}) == {} == health_from_json(None)


def test_health_applied_to_an_account_keeps_the_lists_answer_where_health_says_nothing():
    listed = Account("b", "bluesky", "p", needs_reconnection=True)
    silent = with_health(listed, health_from_json({"accounts": [{"accountId": "b"}]})["b"])
    assert (silent.can_post, silent.needs_reconnection) == (True, True)
    said = with_health(Account("a", "x", "p"), health_from_json({"accounts": [
        {"accountId": "a", "canPost": False, "issues": ["Reconnect"]}]})["a"])
    assert (said.can_post, said.issues) == (False, ("Reconnect",))
    assert with_health(listed, None) is listed
    kept = keep_health([Account("a", "x", "p")], {"a": said})
    assert (kept[0].can_post, kept[0].issues) == (False, ("Reconnect",))
