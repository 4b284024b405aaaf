"""Who takes part in a bulk action and where each post goes (operations/bulk.py), and the one notice for it
(presentation/bulk_texts.py). The window-level behaviour is driven on the sandbox (tests/ui/on_sandbox)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from latecal.core.models import Post, Target
from latecal.core.scheduling import Refusal
from latecal.operations.bulk import Shift, delete_plan, move_plan, retry_plan, shift_between, unschedule_plan
from latecal.presentation.bulk_texts import group_hint, outcome, selected_count, sending

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2027, 3, 10, 11, 0, tzinfo=UTC)


def _post(text: str, when: datetime | None, status: str = "scheduled", zone: str | None = None) -> Post:
    return Post(content=text, scheduled_for=when, status=status, timezone=zone,
                targets=[Target("twitter", "acc-twitter")])


def _wall(when: datetime, zone: ZoneInfo) -> str:
    return when.astimezone(zone).strftime("%a %d %H:%M")


def test_a_day_shift_keeps_each_posts_time_of_day_in_its_own_zone_across_a_dst_change():
    # New York springs forward on Sunday 14 March 2027, Berlin two weeks later: shown in Berlin, the New York post
    # must stay at 09:00 New York time (15:00 in Berlin before the change, 14:00 after it)
    ny = _post("New York launch", datetime(2027, 3, 12, 14, 0, tzinfo=UTC), zone="America/New_York")
    berlin = _post("Berlin teaser", datetime(2027, 3, 12, 9, 0, tzinfo=UTC), zone="Europe/Berlin")
    plan = move_plan([ny, berlin], Shift(days=3), now=NOW, zone=BERLIN, profile_zones={})
    moved = {p.local_id: p.when for p in plan.placements}
    assert _wall(moved[ny.local_id], NEW_YORK) == "Mon 15 09:00"
    assert _wall(moved[ny.local_id], BERLIN) == "Mon 15 14:00"
    assert _wall(moved[berlin.local_id], BERLIN) == "Mon 15 10:00"
    assert not plan.refused


def test_minutes_move_real_time_and_the_dragged_post_lands_exactly_where_dropped():
    a = _post("A", datetime(2027, 3, 12, 9, 0, tzinfo=UTC))
    b = _post("B", datetime(2027, 3, 12, 10, 0, tzinfo=UTC))
    dropped = datetime(2027, 3, 13, 9, 45, tzinfo=UTC)
    shift = shift_between(a.scheduled_for, dropped, BERLIN)
    assert shift == Shift(days=1, minutes=45)
    plan = move_plan([a, b], shift, now=NOW, zone=BERLIN, profile_zones={}, exact={a.local_id: dropped})
    assert [p.when for p in plan.placements] == [dropped, datetime(2027, 3, 13, 10, 45, tzinfo=UTC)]


def test_refusals_are_per_post_and_drafts_without_a_time_are_not_part_of_a_move():
    ok = _post("Ahead", NOW + timedelta(days=2))
    out = _post("Out", NOW - timedelta(days=1), status="published")
    soon = _post("Soon", NOW + timedelta(minutes=5))
    draft = _post("No time", None, status="draft")
    plan = move_plan([ok, out, soon, draft], Shift(minutes=-15), now=NOW, zone=BERLIN, profile_zones={})
    assert [p.local_id for p in plan.placements] == [ok.local_id]
    assert plan.refused == {out.local_id: Refusal.PUBLISHED, soon.local_id: Refusal.PAST}


def test_back_to_drafts_delete_and_retry_take_only_the_posts_their_rules_allow():
    ok = _post("Ahead", NOW + timedelta(days=2))
    out = _post("Out", NOW - timedelta(days=1), status="published")
    failed = _post("Failed", NOW - timedelta(hours=1), status="failed")
    unschedule = unschedule_plan([ok, out])
    assert [(p.local_id, p.when, p.status) for p in unschedule.placements] == [(ok.local_id, None, "draft")]
    assert unschedule.statuses_before == {ok.local_id: "scheduled"}
    assert unschedule.refused == {out.local_id: Refusal.PUBLISHED}
    deleting = delete_plan([ok, out, failed])
    assert deleting.ids == [ok.local_id, failed.local_id] and deleting.refused == {out.local_id: Refusal.PUBLISHED}
    assert retry_plan([ok, out, failed]).ids == [failed.local_id]


def test_one_notice_says_what_happened():
    assert outcome("moved", 5, {"x": Refusal.PUBLISHED}).text == "5 moved; 1 published post stays."
    two = outcome("moved", 3, {"x": Refusal.PUBLISHED, "y": Refusal.PUBLISHED, "z": Refusal.PAST})
    assert two.text == "3 moved; 2 published posts stay; 1 post whose new time has passed stays."
    assert not two.problem
    nothing = outcome("moved", 0, {"x": Refusal.PARTIAL})
    assert nothing.problem and nothing.text == "0 moved; 1 partly published post stays."
    assert outcome("moved", 1, {}) is None  # one post: its own change speaks for itself
    assert outcome("deleted", 3, {}).text == "3 deleted."
    assert (selected_count(12), selected_count(1)) == ("12 selected", "")
    assert sending(120, 500) == "Sending 120 of 500"
    assert (group_hint("Wed 10:45", 5), group_hint("", 2), group_hint("Wed 10:45", 1)) == (
        "Wed 10:45 · 5 posts", "2 posts", "Wed 10:45")
