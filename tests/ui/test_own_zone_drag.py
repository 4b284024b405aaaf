"""A post keeps its own zone (issue 19, item 7): a month drag keeps its time of day in the post's zone, not in
the zone the calendar is shown in, and its tooltip names its zone when that differs from the calendar's."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from latecal.core.models import Account, Profile
from latecal.core.zones import profile_zones, utc_to_wall
from latecal.presentation import time_format
from ui_support import BERLIN, at, drag, make_post

NEW_YORK = ZoneInfo("America/New_York")
WED = date(2027, 3, 10)
BEFORE_BERLIN_DST, AFTER_BERLIN_DST = date(2027, 3, 26), date(2027, 3, 29)  # Berlin springs forward on 28 March


def _drag_to_day(qtbot, window, local_id: str, day: date) -> None:
    scene = window.views.month.scene
    item = scene.items_by_id[local_id]
    drag(qtbot, window.views.month.view, item.sceneBoundingRect().center(), scene.cell_rect(day).center())


def test_a_berlin_post_shown_in_new_york_keeps_berlins_time_across_berlins_dst_change(qtbot, open_window, store):
    post = store.save_post(make_post("Doors open", at(BEFORE_BERLIN_DST, 9), timezone="Europe/Berlin"))
    window = open_window(view="month", anchor=WED, zone=NEW_YORK)
    assert f"{utc_to_wall(post.scheduled_for, NEW_YORK):%H:%M}" == "04:00"  # New York is on EDT already
    _drag_to_day(qtbot, window, post.local_id, AFTER_BERLIN_DST)
    moved = store.get_post(post.local_id).scheduled_for
    assert f"{utc_to_wall(moved, BERLIN):%Y-%m-%d %H:%M}" == "2027-03-29 09:00"  # not 10:00 (New York's 04:00)
    assert f"{utc_to_wall(moved, NEW_YORK):%Y-%m-%d %H:%M}" == "2027-03-29 03:00"
    scene = window.views.month.scene
    assert scene.cell_rect(AFTER_BERLIN_DST).contains(scene.items_by_id[post.local_id].sceneBoundingRect())


def test_a_post_without_a_zone_keeps_its_profiles_zone(qtbot, open_window, store):
    store.replace_profiles([Profile("p-acme", "Acme", timezone="Europe/Berlin")])
    store.replace_accounts([Account("acc-twitter", "twitter", "p-acme", username="acme")])
    post = store.save_post(make_post("No zone of its own", at(BEFORE_BERLIN_DST, 9), timezone=None))
    window = open_window(view="month", anchor=WED, zone=NEW_YORK)
    assert window.views.month.scene.profile_zones == profile_zones(store.accounts(), store.profiles())  # wired
    _drag_to_day(qtbot, window, post.local_id, AFTER_BERLIN_DST)
    moved = store.get_post(post.local_id).scheduled_for
    assert f"{utc_to_wall(moved, BERLIN):%Y-%m-%d %H:%M}" == "2027-03-29 09:00"


def test_a_post_in_the_display_zone_keeps_the_display_zones_time(qtbot, open_window, store):
    post = store.save_post(make_post("New York's own", at(BEFORE_BERLIN_DST, 9), timezone="America/New_York"))
    window = open_window(view="month", anchor=WED, zone=NEW_YORK)
    _drag_to_day(qtbot, window, post.local_id, AFTER_BERLIN_DST)
    moved = store.get_post(post.local_id).scheduled_for
    assert f"{utc_to_wall(moved, NEW_YORK):%Y-%m-%d %H:%M}" == "2027-03-29 04:00"


def test_the_tooltip_names_the_posts_zone_only_when_it_is_not_the_calendars(qtbot, open_window, store, monkeypatch):
    monkeypatch.setattr(time_format, "_clock_24h", True)
    berlin = store.save_post(make_post("Berlin's", at(BEFORE_BERLIN_DST, 9), timezone="Europe/Berlin"))
    local = store.save_post(make_post("New York's", at(BEFORE_BERLIN_DST, 10), timezone="America/New_York"))
    window = open_window(view="month", anchor=WED, zone=NEW_YORK)
    items = window.views.month.scene.items_by_id
    assert "09:00 in Berlin (04:00 here)" in items[berlin.local_id].toolTip()
    assert " here)" not in items[local.local_id].toolTip()
