"""Posts at one time: up to four side by side, a fifth or more behind "+N" beside three, the same three after
every sync; a crowded time can be limited to fewer places (a post and its "+N" at least)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from latecal.core.slot_groups import group_by_time

TEN = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)


def test_four_at_one_time_sit_side_by_side_and_five_collapse_behind_three():
    four = group_by_time([(f"p{n}", TEN, f"text {n}") for n in range(4)])
    assert [(g.shown, g.hidden, g.columns) for g in four] == [(("p0", "p1", "p2", "p3"), (), 4)]
    (five,) = group_by_time([(f"p{n}", TEN, f"text {n}") for n in reversed(range(5))])
    assert five.shown == ("p0", "p1", "p2") and five.hidden == ("p3", "p4") and five.columns == 4


def test_times_are_grouped_exactly_and_in_order():
    groups = group_by_time([("b", TEN + timedelta(minutes=15), ""), ("a", TEN, ""), ("c", TEN, "")])
    assert [(g.when, g.shown) for g in groups] == [(TEN, ("a", "c")), (TEN + timedelta(minutes=15), ("b",))]


def test_a_crowded_time_limited_to_fewer_places_keeps_one_post_and_its_plus_n():
    (group,) = group_by_time([(f"p{n}", TEN, "") for n in range(6)])
    assert group.limited(3).shown == ("p0", "p1") and group.limited(3).columns == 3
    assert group.limited(1).shown == ("p0",) and len(group.limited(1).hidden) == 5
    assert group.limited(9) is group
