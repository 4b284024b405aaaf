"""The list keeps the user's place: it opens on its anchor day even when a sync fills it afterwards, and rows
that come, go or move elsewhere never shift the rows being read."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from ui_support import at, make_post

WED = date(2027, 3, 10)


def _fill_weeks(store, first: date, days: int) -> dict[date, str]:
    """Two posts a day over ``days`` days from ``first``: the local id of each day's first post."""
    ids = {}
    for n in range(days):
        day = first + timedelta(days=n)
        ids[day] = store.save_post(make_post(f"Morning {day}", at(day, 9))).local_id
        store.save_post(make_post(f"Evening {day}", at(day, 18)))
    return ids


def test_an_empty_list_that_a_sync_fills_opens_on_its_anchor_day(qtbot, open_window, store):
    window = open_window(view="list", anchor=WED)  # a first start: nothing in the store yet
    agenda = window.views.list
    first_of_day = _fill_weeks(store, WED - timedelta(days=28), 56)  # arrives after the list opened, as a sync
    qtbot.waitUntil(lambda: agenda.row_count() == 112)
    assert agenda.first_visible_id() == first_of_day[WED]


def test_rows_arriving_above_never_shift_the_rows_being_read(qtbot, open_window, store):
    first_of_day = _fill_weeks(store, WED - timedelta(days=28), 56)
    window = open_window(view="list", anchor=WED)
    agenda = window.views.list
    assert agenda.first_visible_id() == first_of_day[WED]
    agenda.verticalScrollBar().setValue(agenda.verticalScrollBar().value() + 6)  # the user reads on
    reading = agenda.first_visible_id()
    assert reading != first_of_day[WED]
    store.save_post(make_post("Found in last month's pull", at(WED - timedelta(days=20), 12)))
    qtbot.waitUntil(lambda: agenda.row_count() == 113)
    assert agenda.first_visible_id() == reading
    early = store.get_post(first_of_day[WED - timedelta(days=27)])
    moved_to = WED - timedelta(days=26)
    store.save_post(replace(early, scheduled_for=at(moved_to, 7)))  # a move above, elsewhere
    qtbot.waitUntil(lambda: agenda.row_of(early.local_id).text(0).startswith(f"{moved_to:%a %d %b}"))
    assert agenda.first_visible_id() == reading
    store.delete_post(first_of_day[WED - timedelta(days=25)])
    qtbot.waitUntil(lambda: agenda.row_count() == 112)
    assert agenda.first_visible_id() == reading


def test_a_filter_change_keeps_the_place_instead_of_jumping_to_the_top(qtbot, open_window, store):
    first_of_day = _fill_weeks(store, WED - timedelta(days=28), 56)
    store.save_post(make_post("A draft from last month", at(WED - timedelta(days=14), 10), status="draft"))
    window = open_window(view="list", anchor=WED)
    agenda = window.views.list
    assert agenda.first_visible_id() == first_of_day[WED]
    agenda.verticalScrollBar().setValue(agenda.verticalScrollBar().value() + 4)
    reading = agenda.first_visible_id()
    window.toolbar.status_filter.actions_by_value["scheduled"].trigger()
    assert agenda.row_count() == 112  # the draft went
    assert agenda.first_visible_id() == reading
