"""Selecting several posts in month, week and day with the real mouse and keys, on the sandbox: Ctrl+click,
Shift ranges by time, the rubber band, Ctrl+A (filters respected), Escape; the selection survives a sync and a
switch of views, and the status bar counts it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPointF, Qt

from bulk_support import (
    CTRL,
    SHIFT,
    band,
    berlin,
    click,
    create_on_sandbox,
    highlighted,
    local_ids,
    press_key,
    selected,
    show,
    sync,
    tomorrow,
)
from latecal.core.calendar_geometry import y_for
from latecal.ui.calendar.time_grid_scene import PX_PER_HOUR
from ui_support import BERLIN, flush_events

pytestmark = pytest.mark.asyncio


async def _three_posts(window, bridge, store, server):
    day = tomorrow(server)
    ids = [create_on_sandbox(server, text, berlin(day, hh)) for text, hh in
           (("Morning teaser", 10), ("Launch post", 11), ("Afternoon recap", 14))]
    await sync(bridge)
    return day, local_ids(store, ids)


@pytest.mark.parametrize("mode", ["week", "day"])
async def test_a_rubber_band_on_empty_space_selects_what_it_covers(window, bridge, store, server, qtbot, mode):
    day, (teaser, launch, recap) = await _three_posts(window, bridge, store, server)
    show(window, mode, day)
    scene = window.views.scene()
    scene.views()[0].verticalScrollBar().setValue(int(8 * PX_PER_HOUR))
    x = scene.column_x(scene.column_of(day))
    top = y_for(berlin(day, 9, 40), day, BERLIN, PX_PER_HOUR)  # empty: the first post is at 10:00
    bottom = y_for(berlin(day, 11, 10), day, BERLIN, PX_PER_HOUR)
    band(qtbot, window, QPointF(x + 4, top), QPointF(x + scene.col_w - 4, bottom))
    assert selected(window) == {teaser, launch}
    assert highlighted(window) == {teaser, launch}
    assert not scene.band.isVisible()  # the band goes with the release
    assert window.bulk.count_label.text() == "2 selected" and window.bulk.count_label.isVisible()

    # with Ctrl a second band adds to the selection
    low = y_for(berlin(day, 13, 40), day, BERLIN, PX_PER_HOUR)
    band(qtbot, window, QPointF(x + 4, low), QPointF(x + 20, low + PX_PER_HOUR), mods=CTRL)
    assert selected(window) == {teaser, launch, recap}
    # a click on empty space clears it
    qtbot.mouseClick(scene.views()[0].viewport(), Qt.MouseButton.LeftButton,
                     pos=scene.views()[0].mapFromScene(QPointF(x + 4, top)))
    assert selected(window) == set() and not window.bulk.count_label.isVisible()


async def test_a_rubber_band_in_the_month_selects_the_chips_it_touches(window, bridge, store, server, qtbot):
    day, (teaser, launch, recap) = await _three_posts(window, bridge, store, server)
    other = create_on_sandbox(server, "Two days on", berlin(day + timedelta(days=2), 9))
    await sync(bridge)
    show(window, "month", day)
    scene = window.views.scene()
    cell = scene.cell_rect(day)
    band(qtbot, window, QPointF(cell.left() + 2, cell.top() + 3), QPointF(cell.right() - 2, cell.bottom() - 2))
    assert selected(window) == {teaser, launch, recap}
    assert local_ids(store, [other])[0] not in selected(window)


async def test_ctrl_click_toggles_and_shift_click_takes_the_range_in_time(window, bridge, store, server, qtbot):
    day, (teaser, launch, recap) = await _three_posts(window, bridge, store, server)
    next_day = create_on_sandbox(server, "Next day", berlin(day + timedelta(days=1), 9))
    await sync(bridge)
    later = local_ids(store, [next_day])[0]
    show(window, "month", day)
    click(qtbot, window, teaser)
    assert selected(window) == {teaser}
    click(qtbot, window, recap, CTRL)
    assert selected(window) == {teaser, recap}
    click(qtbot, window, teaser, CTRL)  # out again
    assert selected(window) == {recap} and window.mirror.selected_id == recap
    click(qtbot, window, teaser)  # a plain click: only it, and the start of the range
    click(qtbot, window, later, SHIFT)
    assert selected(window) == {teaser, launch, recap, later}  # every post from 10:00 to the next day's 09:00
    assert highlighted(window) == selected(window)
    click(qtbot, window, launch, SHIFT)  # the range starts where it did
    assert selected(window) == {teaser, launch}
    assert window.bulk.count_label.text() == "2 selected"


async def test_ctrl_a_selects_what_the_view_shows_and_escape_clears(window, bridge, store, server, qtbot):
    day, (teaser, launch, recap) = await _three_posts(window, bridge, store, server)
    show(window, "week", day)
    window.toolbar.search.setText("post")  # the filter shows "Launch post" only
    window.toolbar.flush_search()
    window.focus_calendar()
    flush_events()
    press_key(qtbot, window, Qt.Key.Key_A, CTRL)
    assert selected(window) == {launch}
    window.toolbar.search.setText("")
    window.toolbar.flush_search()
    window.focus_calendar()
    flush_events()
    press_key(qtbot, window, Qt.Key.Key_A, CTRL)
    assert selected(window) == {teaser, launch, recap}
    assert window.bulk.count_label.text() == "3 selected"
    press_key(qtbot, window, Qt.Key.Key_Escape)
    assert selected(window) == set() and highlighted(window) == set()


async def test_the_selection_survives_a_sync_and_a_switch_of_views(window, bridge, store, server, qtbot):
    day, (teaser, _launch, recap) = await _three_posts(window, bridge, store, server)
    show(window, "week", day)
    click(qtbot, window, teaser)
    click(qtbot, window, recap, CTRL)
    before = {i: window.views.scene().items_by_id[i].post for i in (teaser, recap)}
    server.advance(60)
    await sync(bridge)  # Late's versions merged again: new post objects, the same ids
    assert selected(window) == {teaser, recap} and highlighted(window) == {teaser, recap}
    show(window, "month", day)
    assert highlighted(window) == {teaser, recap}
    show(window, "day", day + timedelta(days=3))  # a day without them: still selected, nothing to paint
    assert selected(window) == {teaser, recap}
    show(window, "day", day)
    assert highlighted(window) == {teaser, recap}
    assert window.bulk.count_label.text() == "2 selected"
    assert all(store.get_post(i) is not before[i] for i in before)
