"""Per-platform times (Late's platforms[].scheduledFor) in core: the chips a post splits into, a group of platforms
moved alone and put back, the rules checked for each platform's own time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from latecal.core.models import Account, Post, Target
from latecal.core.scheduling import Refusal, move_refusal
from latecal.core.target_times import (
    group_time,
    has_own_times,
    move_targets,
    owner_id,
    slices,
    target_move_refusal,
    time_groups,
)
from latecal.core.validation import validate_post

NOW = datetime(2027, 3, 10, 12, tzinfo=UTC)
T = NOW + timedelta(hours=2)


def _split() -> Post:
    return Post(local_id="abc", content="Launch", scheduled_for=T, status="scheduled",
                targets=[Target("twitter", "x"), Target("linkedin", "li", scheduled_for=T + timedelta(hours=3)),
                         Target("bluesky", "bs")])


def test_a_post_splits_into_one_chip_per_time_the_post_time_first():
    post = _split()
    assert has_own_times(post)
    assert [(when, [t.account_id for t in ts]) for when, ts in time_groups(post)] == [
        (T, ["x", "bs"]), (T + timedelta(hours=3), ["li"])]
    first, second = slices(post)
    assert first.local_id == "abc" and second.local_id == "abc@1" and owner_id(second.local_id) == "abc"
    assert second.scheduled_for == T + timedelta(hours=3) and second.platforms == ["linkedin"]
    assert second.targets[0].scheduled_for is None  # the chip's own time is its time
    single = Post(local_id="one", scheduled_for=T, targets=[Target("twitter", "x")])
    assert slices(single) == [single]


def test_moving_one_group_alone_and_back_keeps_the_post_tidy():
    post = _split()
    moved = move_targets(post, ["x", "bs"], T + timedelta(hours=1))  # the post's own group moves
    assert moved.scheduled_for == T + timedelta(hours=1)  # no platform was left at the old time
    assert [t.scheduled_for for t in moved.targets] == [None, T + timedelta(hours=3), None]
    back = move_targets(moved, ["x", "bs"], T)
    assert back == post
    alone = move_targets(post, ["li"], T)  # onto the post's time: one chip again, the time stated for Late
    assert not has_own_times(alone) and alone.targets[1].scheduled_for == T and len(slices(alone)) == 1
    assert group_time(post, ["li"]) == T + timedelta(hours=3)


def test_each_platform_time_is_checked_like_the_post_time():
    post = _split()
    assert target_move_refusal(post, ["li"], NOW - timedelta(hours=1), NOW) is Refusal.PAST
    published = Post(**{**{f: getattr(post, f) for f in ("local_id", "content", "scheduled_for", "status")},
                        "targets": [Target("twitter", "x"), Target("linkedin", "li", status="published")]})
    assert target_move_refusal(published, ["li"], T, NOW) is Refusal.PUBLISHED
    assert target_move_refusal(published, ["x"], T + timedelta(hours=1), NOW) is None
    # moving the whole post earlier would put LinkedIn's own time in the past
    early = Post(local_id="e", content="x", scheduled_for=T, status="scheduled",
                 targets=[Target("twitter", "x"), Target("linkedin", "li", scheduled_for=NOW + timedelta(minutes=10))])
    assert move_refusal(early, T - timedelta(minutes=30), NOW) is Refusal.PAST
    accounts = {"x": Account("x", "twitter", "p"), "li": Account("li", "linkedin", "p")}
    stale = Post(local_id="s", content="Launch", scheduled_for=T, status="scheduled",
                 targets=[Target("twitter", "x"), Target("linkedin", "li", scheduled_for=NOW - timedelta(hours=1))])
    problems = validate_post(stale, accounts, now=NOW, intent="schedule", zone="UTC")
    assert [p.message for p in problems if p.field == "scheduled_for"] == [
        "The time for LinkedIn, 2027-03-10 11:00 (UTC), is in the past; pick a later time."]
