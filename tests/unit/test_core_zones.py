from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from latecal.core.models import Account, Post, Profile, Target
from latecal.core.zones import (
    COMMON_ZONES,
    common_zones,
    is_ambiguous,
    is_nonexistent,
    is_valid_zone,
    local_to_utc,
    own_zone,
    profile_zones,
    utc_to_wall,
    validate_zone,
    wall_to_utc,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def test_validate_zone_returns_zoneinfo():
    assert validate_zone("Europe/Berlin") == BERLIN


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "europe/berlin ", "America", "../etc/passwd", "Berlin"])
def test_unknown_zone_is_rejected_with_its_name(name):
    with pytest.raises(ValueError, match="Unknown time zone") as err:
        validate_zone(name)
    assert repr(name)[1:-1] in str(err.value) or name in str(err.value)
    assert not is_valid_zone(name)


@pytest.mark.parametrize("name", ["", "   ", None])
def test_empty_zone_is_rejected(name):
    with pytest.raises(ValueError, match="empty"):
        validate_zone(name)


def test_common_zones_are_all_valid_and_unique():
    assert len(set(COMMON_ZONES)) == len(COMMON_ZONES)
    assert all(is_valid_zone(z) for z in COMMON_ZONES)
    assert "Europe/Berlin" in COMMON_ZONES
    assert "America/New_York" in COMMON_ZONES


def test_common_zones_keeps_the_current_zone_selectable():
    assert common_zones("Pacific/Chatham")[0] == "Pacific/Chatham"
    assert common_zones("Europe/Berlin") == list(COMMON_ZONES)
    assert common_zones("Nope/Nope") == list(COMMON_ZONES)


def test_plain_conversion():
    assert wall_to_utc(datetime(2026, 7, 1, 9, 0), BERLIN) == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert wall_to_utc(datetime(2026, 1, 1, 9, 0), "America/New_York") == datetime(2026, 1, 1, 14, 0, tzinfo=UTC)


def test_gap_shifts_forward_by_the_gap():
    # Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    wall = datetime(2026, 3, 29, 2, 30)
    assert is_nonexistent(wall, BERLIN)
    assert not is_ambiguous(wall, BERLIN)
    got = wall_to_utc(wall, BERLIN)
    assert got == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert utc_to_wall(got, BERLIN).replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)


def test_new_york_gap():
    assert local_to_utc(date(2026, 3, 8), time(2, 15), NEW_YORK) == datetime(2026, 3, 8, 7, 15, tzinfo=UTC)
    assert utc_to_wall(datetime(2026, 3, 8, 7, 15, tzinfo=UTC), NEW_YORK).hour == 3


def test_fold_takes_the_first_occurrence():
    wall = datetime(2026, 10, 25, 2, 30)
    assert is_ambiguous(wall, BERLIN)
    assert not is_nonexistent(wall, BERLIN)
    assert wall_to_utc(wall, BERLIN) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # still CEST (+2)
    ny = wall_to_utc(datetime(2026, 11, 1, 1, 30), NEW_YORK)
    assert ny == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # EDT (-4)


def test_ordinary_time_is_neither_gap_nor_fold():
    assert not is_nonexistent(datetime(2026, 10, 25, 3, 30), BERLIN)
    assert not is_ambiguous(datetime(2026, 10, 25, 3, 30), BERLIN)


def test_wall_to_utc_refuses_aware_input_and_utc_to_wall_naive_input():
    with pytest.raises(ValueError, match="naive"):
        wall_to_utc(datetime(2026, 1, 1, tzinfo=UTC), BERLIN)
    with pytest.raises(ValueError, match="naive"):
        utc_to_wall(datetime(2026, 1, 1), BERLIN)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)))
def test_utc_round_trips_through_wall_time_except_in_the_second_half_of_a_fold(instant):
    for zone in (BERLIN, NEW_YORK):
        wall = utc_to_wall(instant, zone)
        back = wall_to_utc(wall.replace(tzinfo=None), zone)
        assert back == instant or (wall.fold == 1 and back < instant)


def test_own_zone_is_the_posts_then_its_first_accounts_profiles_then_the_display_zone():
    zones = profile_zones([Account("a-ny", "x", "p-ny"), Account("a-none", "x", "p-none"), Account("a-gone", "x", "?")],
                          [Profile("p-ny", "NY", timezone="America/New_York"), Profile("p-none", "None"),
                           Profile("p-bad", "Bad", timezone="Mars/Base")])
    assert zones == {"a-ny": "America/New_York"}
    to_ny = [Target("twitter", "a-ny")]
    tokyo = ZoneInfo("Asia/Tokyo")
    assert own_zone(Post(timezone="Europe/Berlin", targets=to_ny), tokyo, zones) == BERLIN
    assert own_zone(Post(timezone=None, targets=to_ny), tokyo, zones) == NEW_YORK
    assert own_zone(Post(timezone="Nowhere/Town", targets=to_ny), tokyo, zones) == NEW_YORK
    assert own_zone(Post(timezone=None, targets=[Target("twitter", "a-none")]), tokyo, zones) == tokyo
    assert own_zone(Post(timezone=None), tokyo) == tokyo
