from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from latecal.core.calendar_geometry import (
    Lane,
    assign_lanes,
    datetime_for_y,
    day_bounds_utc,
    day_height,
    day_minutes,
    drag_in_grid,
    grid_cell,
    hour_labels,
    lane_geometry,
    local_date,
    minutes_from_midnight,
    month_grid,
    move_keep_time,
    snap,
    snap_datetime,
    time_at,
    week_days,
    weekday_order,
    y_for,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTCZ = ZoneInfo("UTC")

BERLIN_SPRING = date(2026, 3, 29)
BERLIN_FALL = date(2026, 10, 25)
NY_SPRING = date(2026, 3, 8)
NY_FALL = date(2026, 11, 1)


def z(*args):
    return datetime(*args, tzinfo=UTC)


def wall(dt, zone):
    return dt.astimezone(zone).strftime("%H:%M")


# -- month grid ---------------------------------------------------------------------------------------


def test_month_grid_is_always_6_by_7_and_consecutive():
    for year, month in [(2026, 2), (2026, 3), (2026, 8), (2027, 2), (2024, 2)]:
        for ws in range(7):
            grid = month_grid(year, month, ws)
            assert len(grid) == 6
            assert all(len(r) == 7 for r in grid)
            flat = [d for r in grid for d in r]
            assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(flat))
            assert flat[0].weekday() == ws
            assert date(year, month, 1) in grid[0]


def test_february_2026_monday_start_fits_exactly_four_rows_then_padding():
    # 1 Feb 2026 is a Sunday: with Monday weeks the first row is 26 Jan - 1 Feb.
    grid = month_grid(2026, 2, 0)
    assert grid[0][0] == date(2026, 1, 26)
    assert grid[0][6] == date(2026, 2, 1)
    assert grid[5][6] == date(2026, 3, 8)


def test_february_2026_sunday_start_begins_on_the_first():
    grid = month_grid(2026, 2, 6)
    assert grid[0][0] == date(2026, 2, 1)
    assert grid[4][0] == date(2026, 3, 1)


def test_august_2026_needs_all_six_rows_with_sunday_start():
    # 1 Aug 2026 is a Saturday and the month has 31 days: it spans six Sunday-start weeks.
    grid = month_grid(2026, 8, 6)
    assert grid[0][0] == date(2026, 7, 26)
    assert grid[0][6] == date(2026, 8, 1)
    assert grid[5][1] == date(2026, 8, 31)


def test_march_2026_needs_six_rows_with_monday_start():
    grid = month_grid(2026, 3, 0)  # 1 March 2026 is a Sunday
    assert grid[0][6] == date(2026, 3, 1)
    assert grid[5][1] == date(2026, 3, 31)


def test_grid_cell_maps_dates_back():
    assert grid_cell(date(2026, 8, 31), 2026, 8, 6) == (5, 1)
    assert grid_cell(date(2026, 7, 26), 2026, 8, 6) == (0, 0)
    assert grid_cell(date(2026, 9, 30), 2026, 8, 6) is None


def test_week_days_and_header_order():
    assert week_days(date(2026, 3, 4), 0)[0] == date(2026, 3, 2)  # Wednesday → Monday
    assert week_days(date(2026, 3, 4), 6)[0] == date(2026, 3, 1)  # → Sunday
    assert week_days(date(2026, 3, 1), 6)[0] == date(2026, 3, 1)  # a Sunday anchors its own week
    assert weekday_order(6) == [6, 0, 1, 2, 3, 4, 5]


def test_bad_week_start_is_rejected():
    with pytest.raises(ValueError, match="week_start"):
        month_grid(2026, 1, 7)


# -- day bounds and minutes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "zone", "start", "end", "minutes"),
    [
        (BERLIN_SPRING, BERLIN, z(2026, 3, 28, 23), z(2026, 3, 29, 22), 23 * 60),
        (BERLIN_FALL, BERLIN, z(2026, 10, 24, 22), z(2026, 10, 25, 23), 25 * 60),
        (NY_SPRING, NEW_YORK, z(2026, 3, 8, 5), z(2026, 3, 9, 4), 23 * 60),
        (NY_FALL, NEW_YORK, z(2026, 11, 1, 4), z(2026, 11, 2, 5), 25 * 60),
        (date(2026, 6, 1), BERLIN, z(2026, 5, 31, 22), z(2026, 6, 1, 22), 24 * 60),
    ],
)
def test_day_bounds(day, zone, start, end, minutes):
    assert day_bounds_utc(day, zone) == (start, end)
    assert day_minutes(day, zone) == minutes
    assert day_height(day, zone, 60) == minutes


def test_minutes_are_real_elapsed_time_after_the_berlin_gap():
    # 03:00 CEST is only 120 real minutes after midnight on 29 March.
    assert minutes_from_midnight(z(2026, 3, 29, 1, 0), BERLIN_SPRING, BERLIN) == 120
    assert wall(time_at(BERLIN_SPRING, 120, BERLIN), BERLIN) == "03:00"
    assert wall(time_at(BERLIN_SPRING, 119, BERLIN), BERLIN) == "01:59"
    assert wall(time_at(BERLIN_SPRING, 23 * 60 - 1, BERLIN), BERLIN) == "23:59"


def test_minutes_on_the_berlin_25_hour_day():
    # 02:30 CEST is minute 150, 02:30 CET (the second one) minute 210, 23:00 is minute 1440.
    assert minutes_from_midnight(z(2026, 10, 25, 0, 30), BERLIN_FALL, BERLIN) == 150
    assert minutes_from_midnight(z(2026, 10, 25, 1, 30), BERLIN_FALL, BERLIN) == 210
    assert wall(time_at(BERLIN_FALL, 1440, BERLIN), BERLIN) == "23:00"
    assert time_at(BERLIN_FALL, 1500, BERLIN) == day_bounds_utc(BERLIN_FALL, BERLIN)[1]


def test_minutes_in_new_york_both_ways():
    assert minutes_from_midnight(z(2026, 3, 8, 7, 0), NY_SPRING, NEW_YORK) == 120  # 03:00 EDT
    assert wall(time_at(NY_SPRING, 120, NEW_YORK), NEW_YORK) == "03:00"
    assert minutes_from_midnight(z(2026, 11, 1, 6, 0), NY_FALL, NEW_YORK) == 120  # 01:00 EST, second time
    assert wall(time_at(NY_FALL, 120, NEW_YORK), NEW_YORK) == "01:00"
    assert wall(time_at(NY_FALL, 60, NEW_YORK), NEW_YORK) == "01:00"


def test_minutes_outside_the_day_are_negative_or_past_the_end():
    assert minutes_from_midnight(z(2026, 3, 28, 22, 0), BERLIN_SPRING, BERLIN) == -60
    assert minutes_from_midnight(z(2026, 3, 29, 22, 30), BERLIN_SPRING, BERLIN) == 23 * 60 + 30


@given(
    st.sampled_from([BERLIN_SPRING, BERLIN_FALL, NY_SPRING, NY_FALL, date(2026, 1, 15)]),
    st.integers(min_value=0, max_value=1499 * 60),
)
def test_time_at_and_minutes_round_trip(day, seconds):
    zone = NEW_YORK if day.month in (3, 11) and day.day < 10 else BERLIN
    minutes = seconds / 60
    assert minutes_from_midnight(time_at(day, minutes, zone), day, zone) == pytest.approx(minutes)


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)))
def test_every_instant_lies_inside_its_local_day(instant):
    for zone in (BERLIN, NEW_YORK):
        day = local_date(instant, zone)
        m = minutes_from_midnight(instant, day, zone)
        assert 0 <= m < day_minutes(day, zone)


# -- snapping -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "step", "want"), [(7, 15, 0), (7.5, 15, 15), (22, 15, 15), (23, 15, 30), (-8, 15, -15)]
)
def test_snap(raw, step, want):
    assert snap(raw, step) == want


def test_snap_rejects_a_zero_step():
    with pytest.raises(ValueError, match="step"):
        snap(10, 0)


def test_snapping_across_the_berlin_gap_lands_on_three_oclock():
    # 01:55 CET + 5 minutes is 03:00 CEST: the next quarter-hour row after 01:45.
    snapped = snap_datetime(z(2026, 3, 29, 0, 55), BERLIN)
    assert snapped == z(2026, 3, 29, 1, 0)
    assert wall(snapped, BERLIN) == "03:00"
    assert wall(snap_datetime(z(2026, 3, 29, 0, 50), BERLIN), BERLIN) == "01:45"


def test_snapping_inside_the_fold_keeps_each_occurrence():
    first = snap_datetime(z(2026, 10, 25, 0, 8), BERLIN)  # 02:08 CEST
    second = snap_datetime(z(2026, 10, 25, 1, 8), BERLIN)  # 02:08 CET
    assert (first, second) == (z(2026, 10, 25, 0, 15), z(2026, 10, 25, 1, 15))
    assert wall(first, BERLIN) == wall(second, BERLIN) == "02:15"


def test_snapping_in_new_york_spring_gap():
    assert wall(snap_datetime(z(2026, 3, 8, 6, 58), NEW_YORK), NEW_YORK) == "03:00"


def test_snap_to_midnight_moves_to_the_next_day():
    assert snap_datetime(z(2026, 6, 1, 21, 59), BERLIN) == z(2026, 6, 1, 22, 0)  # 23:59 → 00:00 next day


@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)))
def test_snapped_times_are_on_the_quarter_hour_and_within_7_5_minutes(instant):
    for zone in (BERLIN, NEW_YORK):
        snapped = snap_datetime(instant, zone)
        assert abs(snapped - instant) <= timedelta(minutes=7, seconds=30)
        local = snapped.astimezone(zone)
        assert local.minute % 15 == 0
        assert local.second == 0
        assert local.microsecond == 0


# -- pixels -------------------------------------------------------------------------------------------


def test_y_for_and_back_on_the_25_hour_day():
    px = 48
    y = y_for(z(2026, 10, 25, 1, 30), BERLIN_FALL, BERLIN, px)  # second 02:30 → 210 minutes
    assert y == 210 * px / 60
    assert datetime_for_y(y, BERLIN_FALL, BERLIN, px) == z(2026, 10, 25, 1, 30)
    assert datetime_for_y(y + 5, BERLIN_FALL, BERLIN, px) == z(2026, 10, 25, 1, 30)  # 6 min off snaps back


def test_datetime_for_y_snaps_and_clamps_to_the_day():
    px = 60
    assert datetime_for_y(-50, BERLIN_SPRING, BERLIN, px) == z(2026, 3, 28, 23, 0)
    last = datetime_for_y(10_000, BERLIN_SPRING, BERLIN, px)
    assert wall(last, BERLIN) == "23:45"
    assert local_date(last, BERLIN) == BERLIN_SPRING
    # At 60 px/h a pixel is a real minute: row 120 is 03:00 CEST, the row right after 01:45.
    assert wall(datetime_for_y(125, BERLIN_SPRING, BERLIN, px), BERLIN) == "03:00"
    assert wall(datetime_for_y(112, BERLIN_SPRING, BERLIN, px), BERLIN) == "01:45"
    assert wall(datetime_for_y(113, BERLIN_SPRING, BERLIN, px), BERLIN) == "03:00"
    assert wall(datetime_for_y(181, BERLIN_SPRING, BERLIN, px), BERLIN) == "04:00"


def test_datetime_for_y_rejects_bad_scale():
    with pytest.raises(ValueError, match="px_per_hour"):
        datetime_for_y(10, BERLIN_SPRING, BERLIN, 0)


# -- hour labels --------------------------------------------------------------------------------------


def test_hour_labels_on_the_23_hour_day_skip_two_oclock():
    labels = hour_labels(BERLIN_SPRING, BERLIN)
    texts = [lb.text for lb in labels]
    assert len(labels) == 23
    assert "02:00" not in texts
    assert texts[:3] == ["00:00", "01:00", "03:00"]
    assert labels[2].minutes == 120


def test_hour_labels_on_the_25_hour_day_show_two_oclock_twice():
    labels = hour_labels(BERLIN_FALL, BERLIN)
    texts = [lb.text for lb in labels]
    assert len(labels) == 25
    assert texts.count("02:00") == 2
    assert texts[:5] == ["00:00", "01:00", "02:00", "02:00", "03:00"]
    assert [lb.minutes for lb in labels][-1] == 24 * 60


def test_hour_labels_new_york():
    spring = [lb.text for lb in hour_labels(NY_SPRING, NEW_YORK)]
    fall = [lb.text for lb in hour_labels(NY_FALL, NEW_YORK)]
    assert spring[:3] == ["00:00", "01:00", "03:00"]
    assert len(spring) == 23
    assert fall[:4] == ["00:00", "01:00", "01:00", "02:00"]
    assert len(fall) == 25


def test_hour_labels_on_an_ordinary_day():
    assert [lb.text for lb in hour_labels(date(2026, 6, 1), UTCZ)] == [f"{h:02d}:00" for h in range(24)]


# -- lanes --------------------------------------------------------------------------------------------


def test_non_overlapping_items_each_get_the_full_width():
    items = [("a", z(2026, 5, 1, 9), None), ("b", z(2026, 5, 1, 10), None), ("c", z(2026, 5, 1, 9, 30), None)]
    assert assign_lanes(items) == {"a": Lane(0, 1), "b": Lane(0, 1), "c": Lane(0, 1)}  # 30-min boxes just touch


def test_overlapping_items_share_a_cluster():
    items = [("a", z(2026, 5, 1, 9), None), ("b", z(2026, 5, 1, 9, 10), None), ("c", z(2026, 5, 1, 9, 20), None)]
    assert assign_lanes(items) == {"a": Lane(0, 3), "b": Lane(1, 3), "c": Lane(2, 3)}


def test_a_freed_lane_is_reused_and_the_cluster_keeps_its_width():
    # a 9:00-9:30, b 9:15-9:45, c 9:30-10:00 (reuses a's lane), d 11:00 alone.
    items = [
        ("a", z(2026, 5, 1, 9), None),
        ("b", z(2026, 5, 1, 9, 15), None),
        ("c", z(2026, 5, 1, 9, 30), None),
        ("d", z(2026, 5, 1, 11), None),
    ]
    assert assign_lanes(items) == {"a": Lane(0, 2), "b": Lane(1, 2), "c": Lane(0, 2), "d": Lane(0, 1)}


def test_an_item_starting_when_the_cluster_ends_starts_a_new_cluster():
    # a 9:00-9:30 and b 9:15-9:45 overlap; c at 9:45 only touches b, so it gets the full width.
    items = [("a", z(2026, 5, 1, 9), None), ("b", z(2026, 5, 1, 9, 15), None), ("c", z(2026, 5, 1, 9, 45), None)]
    assert assign_lanes(items) == {"a": Lane(0, 2), "b": Lane(1, 2), "c": Lane(0, 1)}


def test_explicit_end_and_custom_duration():
    items = [("long", z(2026, 5, 1, 9), z(2026, 5, 1, 12)), ("later", z(2026, 5, 1, 11), None)]
    assert assign_lanes(items) == {"long": Lane(0, 2), "later": Lane(1, 2)}
    same = [("a", z(2026, 5, 1, 9), None), ("b", z(2026, 5, 1, 9, 5), None)]
    assert assign_lanes(same, duration=timedelta(minutes=5)) == {"a": Lane(0, 1), "b": Lane(0, 1)}


def test_identical_instants_keep_input_order():
    t = z(2026, 5, 1, 9)
    assert assign_lanes([("x", t, None), ("y", t, None)]) == {"x": Lane(0, 2), "y": Lane(1, 2)}


def test_lanes_of_nothing():
    assert assign_lanes([]) == {}


def test_lane_geometry():
    assert lane_geometry(Lane(1, 4), 100, 200) == (150, 50)


@given(st.lists(st.tuples(st.integers(0, 600), st.integers(0, 120)), max_size=25))
def test_lanes_never_overlap_and_clusters_agree(specs):
    base = z(2026, 5, 1)
    items = [(i, base + timedelta(minutes=s), base + timedelta(minutes=s + d)) for i, (s, d) in enumerate(specs)]
    lanes = assign_lanes(items)
    assert set(lanes) == {i for i, *_ in items}

    def span(item):
        _, s, e = item
        return s, max(e, s + timedelta(minutes=30))

    for a in items:
        la = lanes[a[0]]
        assert 0 <= la.lane < la.lane_count
        for b in items:
            if a[0] >= b[0]:
                continue
            (sa, ea), (sb, eb) = span(a), span(b)
            if sa < eb and sb < ea:  # overlap: same cluster, different lanes
                assert la.lane != lanes[b[0]].lane
                assert la.lane_count == lanes[b[0]].lane_count


# -- moving between days ------------------------------------------------------------------------------


def test_move_keep_time_across_the_berlin_spring_change():
    # 09:00 CET on 28 March (08:00Z) → 09:00 CEST on 29 March (07:00Z).
    moved = move_keep_time(z(2026, 3, 28, 8), BERLIN_SPRING, BERLIN)
    assert moved == z(2026, 3, 29, 7)
    assert wall(moved, BERLIN) == "09:00"


def test_move_keep_time_into_the_gap_shifts_forward():
    moved = move_keep_time(z(2026, 3, 28, 1, 30), BERLIN_SPRING, BERLIN)  # 02:30 CET
    assert wall(moved, BERLIN) == "03:30"
    assert local_date(moved, BERLIN) == BERLIN_SPRING


def test_move_keep_time_into_the_fold_takes_the_first():
    moved = move_keep_time(z(2026, 10, 24, 0, 30), BERLIN_FALL, BERLIN)  # 02:30 CEST on the 24th
    assert moved == z(2026, 10, 25, 0, 30)


def test_move_keep_time_across_new_york_fall_back():
    moved = move_keep_time(z(2026, 10, 30, 13, 0), date(2026, 11, 2), NEW_YORK)  # 09:00 EDT → 09:00 EST
    assert moved == z(2026, 11, 2, 14, 0)


def test_move_keep_time_keeps_the_posts_own_zone_across_its_dst_change():
    # Berlin 09:00 CET on Fri 26 March 2027, shown in New York (already on EDT) at 04:00; moved three New York
    # days on, across Berlin's change of 28 March: still 09:00 in Berlin (07:00Z), now 03:00 in New York
    moved = move_keep_time(z(2027, 3, 26, 8), date(2027, 3, 29), NEW_YORK, BERLIN)
    assert moved == z(2027, 3, 29, 7)
    assert wall(moved, BERLIN) == "09:00"
    # the display's own wall time would have made it 10:00 in Berlin
    assert wall(move_keep_time(z(2027, 3, 26, 8), date(2027, 3, 29), NEW_YORK), BERLIN) == "10:00"


def test_move_keep_time_in_the_own_zone_moves_by_the_days_dragged():
    # Berlin 03:00 on 26 March 2027 is 22:00 on the 25th in New York: dropped on the 29th there, it lands on
    # the 30th in Berlin at 03:00, which New York shows on the 29th, the day it was dropped on
    moved = move_keep_time(z(2027, 3, 26, 2), date(2027, 3, 29), NEW_YORK, BERLIN)
    assert wall(moved, BERLIN) == "03:00" and local_date(moved, BERLIN) == date(2027, 3, 30)
    assert local_date(moved, NEW_YORK) == date(2027, 3, 29)


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)),
       st.integers(min_value=-60, max_value=60))
def test_move_keep_time_in_the_display_zone_when_the_post_has_none(naive, days):
    instant = naive.replace(tzinfo=UTC)
    day = local_date(instant, BERLIN) + timedelta(days=days)
    assert move_keep_time(instant, day, BERLIN) == move_keep_time(instant, day, BERLIN, BERLIN)


def test_local_date_depends_on_zone():
    instant = z(2026, 5, 1, 23, 30)
    assert local_date(instant, BERLIN) == date(2026, 5, 2)
    assert local_date(instant, NEW_YORK) == date(2026, 5, 1)


@pytest.mark.parametrize(("old_wall", "new_day", "delta", "expected_wall"), [
    (datetime(2026, 3, 28, 9, 0), BERLIN_SPRING, 0, datetime(2026, 3, 29, 9, 0)),  # into a 23-hour day
    (datetime(2026, 10, 24, 9, 0), BERLIN_FALL, 0, datetime(2026, 10, 25, 9, 0)),  # into a 25-hour day
    (datetime(2026, 3, 28, 23, 45), BERLIN_SPRING, 0, datetime(2026, 3, 29, 23, 45)),  # the day's last slot
    (datetime(2026, 3, 28, 23, 45), BERLIN_SPRING, 60, datetime(2026, 3, 29, 23, 45)),  # clamped to the day
    (datetime(2026, 3, 28, 9, 0), BERLIN_SPRING, 37, datetime(2026, 3, 29, 9, 30)),  # snapped to 15 minutes
    (datetime(2026, 3, 28, 0, 10), BERLIN_SPRING, -30, datetime(2026, 3, 29, 0, 0)),
])
def test_a_block_dragged_straight_across_keeps_its_time_of_day(old_wall, new_day, delta, expected_wall):
    old = old_wall.replace(tzinfo=BERLIN).astimezone(UTC)
    assert drag_in_grid(old, new_day, delta, BERLIN) == expected_wall.replace(tzinfo=BERLIN).astimezone(UTC)
