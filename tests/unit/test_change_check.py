"""The logs feed reader (late/logs.py) and the change check's bookkeeping (sync/change_check.py), without a
network: what an entry carries, what counts as new, and which entries a re-listing explains."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from latecal.core.models import Post, Target
from latecal.late.logs import log_page_from_json
from latecal.sync.change_check import OVERLAP, ChangeCheck, due_range, unexplained_accounts
from latecal.sync.pull_plan import BUSY_INTERVAL_S, FULL_EVERY_MAX, FULL_EVERY_MIN, cadence, full_every, watch

T = datetime(2031, 3, 2, 10, 0, tzinfo=UTC)
A, B = "65f1c0a9e2b5af0012ac0001", "65f1c0a9e2b5af0012ac0002"


def _raw(minutes: float, account: object = A, **extra) -> dict:
    return {"type": "publishing", "action": "post.published", "platform": "twitter", "account_id": account,
            "status": "success", "created_at": (T + timedelta(minutes=minutes)).isoformat(), **extra}


def test_the_reader_keeps_what_it_can_and_never_looks_for_a_post_id():
    body = {"logs": [_raw(1), _raw(2, account={"_id": B}), _raw(3, account=None, created_at="yesterday"),
                     "not an entry", {"created_at": 5, "metadata": {"postId": "x"}}],
            "pagination": {"hasMore": True}}
    page = log_page_from_json(body, 100)
    assert [e.account_id for e in page.entries] == [A, B, None, None]
    assert page.entries[0].created_at == T + timedelta(minutes=1)
    assert page.entries[2].created_at is None and page.entries[3].created_at is None
    assert page.has_more
    assert not hasattr(page.entries[0], "post_id")
    assert log_page_from_json({"logs": [_raw(1)]}, 1).has_more  # no pagination: a full page may have more
    assert not log_page_from_json(None, 100).entries and not log_page_from_json([], 100).has_more


def test_entries_count_once_and_only_after_their_re_listing_ended():
    check = ChangeCheck()
    assert not check.ready
    check.restart(T)
    assert check.ready and check.since == T - OVERLAP
    entries = log_page_from_json({"logs": [_raw(1), _raw(2, account=B)]}, 100).entries
    first = check.new_entries(entries, True)
    assert len(first.entries) == 2 and first.accounts == {A, B} and not first.anonymous
    # not committed (the run was cut off): the next check sees them again
    assert len(check.new_entries(entries, True).entries) == 2
    check.commit(first)
    assert check.new_entries(entries, True).entries == []
    assert check.since == T + timedelta(minutes=2) - OVERLAP  # read on from the newest, with the overlap
    later = log_page_from_json({"logs": [_raw(1), _raw(2, account=B), _raw(9)]}, 100).entries
    assert [e.created_at for e in check.new_entries(later, True).entries] == [T + timedelta(minutes=9)]
    assert check.new_entries(log_page_from_json({"logs": [_raw(4, account=None)]}, 100).entries, True).anonymous


def test_entries_well_before_a_full_listing_are_in_it():
    check = ChangeCheck()
    check.restart(T)
    around = log_page_from_json({"logs": [_raw(-1.5), _raw(-0.2)]}, 100).entries  # 90 s and 12 s before it began
    assert [e.created_at for e in check.new_entries(around, True).entries] == [T - timedelta(minutes=0.2)]


def _post(minutes_due: float, account: str, updated_minutes: float | None, status: str = "scheduled") -> Post:
    return Post(content="x", late_id="6" * 24, status=status, scheduled_for=T + timedelta(minutes=minutes_due),
                remote_updated_at=None if updated_minutes is None else T + timedelta(minutes=updated_minutes),
                targets=[Target("twitter", account)])


def test_an_entry_is_explained_by_a_post_of_its_account_updated_no_earlier():
    entries = log_page_from_json({"logs": [_raw(5), _raw(6, account=B), _raw(7, account=None)]}, 100).entries
    listed = [_post(4, A, 5), _post(4, B, 1)]  # B's post was last updated before B's entry
    assert unexplained_accounts(entries, listed) == {B, None}
    assert unexplained_accounts(entries[:1], [_post(4, A, 4.99)]) == set()  # a stamp a moment apart
    assert unexplained_accounts(entries[:1], []) == {A}


def test_the_due_range_covers_the_posts_awaiting_and_the_entries_and_just_past_now():
    now = T + timedelta(minutes=30)
    awaiting = [_post(20, A, None)]
    entries = log_page_from_json({"logs": [_raw(10)]}, 100).entries
    start, end = due_range(awaiting, entries, now)
    assert start < T + timedelta(minutes=5) and end > now
    start, end = due_range(awaiting, [], now)
    assert start <= T + timedelta(minutes=20) and now - start < timedelta(minutes=11)


def test_the_cadence_waits_for_a_due_time_then_polls_and_sizes_full_listings_by_their_cost():
    now = T
    soon = _post(3, A, None)
    assert cadence(watch([soon], now), now, 60.0) == 60.0
    assert cadence(watch([soon], now + timedelta(minutes=2, seconds=30)), now + timedelta(minutes=2, seconds=30),
                   60.0) == 30.0
    after = now + timedelta(minutes=3, seconds=1)
    assert cadence(watch([soon], after), after, 60.0) == BUSY_INTERVAL_S
    long_after = now + timedelta(minutes=30)  # still "scheduled" long after its time: left to the slow cadence
    assert cadence(watch([soon], long_after), long_after, 60.0) == 60.0
    assert full_every(1) == FULL_EVERY_MIN and full_every(10) == timedelta(minutes=10)
    assert full_every(1000) == FULL_EVERY_MAX
