"""The drafts tray with the real mouse and keys, on the sandbox: a scheduled post dragged onto it goes back to the
drafts (one undo step), the slot a dragged post would land on is named ("Wed 10:45"), and the tray's search and
sort."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from bulk_support import (
    CTRL,
    berlin,
    click,
    create_on_sandbox,
    late_statuses,
    local_ids,
    press_key,
    show,
    sync,
    tomorrow,
)
from latecal.core.calendar_geometry import y_for
from latecal.ui.calendar.time_grid_scene import PX_PER_HOUR
from ui_support import BERLIN, flush_events, make_post

pytestmark = pytest.mark.asyncio

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _over_panel(window, view) -> QPoint:
    """Where the drafts panel is, in the view's coordinates: folded (no drafts yet) it is the slim bar at the
    window's edge, which opens under the pointer."""
    dock = window.drafts_dock
    return view.viewport().mapFromGlobal(dock.mapToGlobal(QPoint(dock.width() - 8, dock.height() // 2)))


def _press_and_move(qtbot, view, start: QPoint, end: QPoint, steps: int = 6) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, steps + 1):
        p = start + (end - start) * i / steps
        qtbot.mouseMove(viewport, QPoint(round(p.x()), round(p.y())))


async def test_dragging_a_post_names_its_slot_then_unschedules_it_on_the_tray(window, bridge, store, server, qtbot):
    day = tomorrow(server)
    late_ids = [create_on_sandbox(server, "Webinar reminder", berlin(day, 10)),
                create_on_sandbox(server, "Webinar replay", berlin(day, 16))]
    await sync(bridge)
    ids = local_ids(store, late_ids)
    show(window, "day", day)
    scene, view, tray = window.views.scene(), window.views.page().view, window.drafts_tray
    view.verticalScrollBar().setValue(int(9 * PX_PER_HOUR))
    item = scene.items_by_id[ids[0]]
    start = view.mapFromScene(item.sceneBoundingRect().center())
    down = QPoint(0, round(y_for(berlin(day, 10, 45), day, BERLIN, PX_PER_HOUR)
                           - y_for(berlin(day, 10), day, BERLIN, PX_PER_HOUR)))
    _press_and_move(qtbot, view, start, start + down)
    assert scene.drop_hint.isVisible() and scene.drop_hint.label == f"{WEEKDAYS[day.weekday()]} 10:45"

    over_tray = _over_panel(window, view)
    assert window.drafts_dock.folded  # no drafts yet: the panel is the slim bar
    for i in range(1, 5):  # on out of the calendar, onto the tray
        p = start + down + (over_tray - start - down) * i / 4
        qtbot.mouseMove(view.viewport(), QPoint(round(p.x()), round(p.y())))
    assert tray.drop_highlight and tray.hint.text() == "Drop to unschedule: back to the drafts"
    assert not window.drafts_dock.folded  # it opened under the pointer to take the drop
    assert not scene.drop_hint.isVisible()  # no slot in the calendar is marked meanwhile
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, over_tray)
    flush_events()

    post = store.get_post(ids[0])
    assert post.scheduled_for is None and post.status == "draft"
    assert ids[0] in tray.post_ids() and ids[0] not in scene.items_by_id
    assert not tray.drop_highlight
    assert store.get_post(ids[1]).scheduled_for == berlin(day, 16)  # only the dragged post
    assert window.runner.undo_stack.count() == 1
    await sync(bridge)
    assert late_statuses(server)["Webinar reminder"] == "draft"

    window.focus_calendar()
    press_key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert store.get_post(ids[0]).scheduled_for == berlin(day, 10)
    assert ids[0] not in tray.post_ids() and ids[0] in scene.items_by_id
    await sync(bridge)
    assert late_statuses(server)["Webinar reminder"] == "scheduled"


async def test_a_selection_dragged_onto_the_tray_goes_back_together(window, bridge, store, server, qtbot):
    day = tomorrow(server)
    late_ids = [create_on_sandbox(server, f"Teaser {n}", berlin(day, 9 + n)) for n in range(3)]
    await sync(bridge)
    ids = local_ids(store, late_ids)
    show(window, "month", day)
    click(qtbot, window, ids[0])
    click(qtbot, window, ids[2], CTRL)
    view = window.views.page().view
    start = view.mapFromScene(window.views.scene().items_by_id[ids[2]].sceneBoundingRect().center())
    over_tray = _over_panel(window, view)
    _press_and_move(qtbot, view, start, over_tray)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, over_tray)
    assert [store.get_post(i).scheduled_for is None for i in ids] == [True, False, True]
    assert window.message_bar.text == "2 back in the drafts."
    assert window.runner.undo_stack.count() == 1


async def test_the_tray_searches_and_sorts_its_drafts(window, bridge, store, server, qtbot):
    made = [store.save_post(make_post(text, None, status="draft")) for text in
            ("Zebra crossing campaign", "Autumn launch teaser", "Mid-week launch recap")]
    await sync(bridge)
    tray = window.drafts_tray
    assert tray.visible_ids()[:3] == [p.local_id for p in reversed(made)]  # most recently edited first
    qtbot.keyClicks(tray.search, "launch")
    assert tray.visible_ids() == [made[2].local_id, made[1].local_id]
    tray.search.clear()
    tray.sort_box.setFocus()
    qtbot.keyClick(tray.sort_box, Qt.Key.Key_Down)  # by first words
    assert tray.sort_box.currentData() == "title"
    assert tray.visible_ids() == [made[1].local_id, made[2].local_id, made[0].local_id]
    qtbot.keyClick(tray.sort_box, Qt.Key.Key_Down)  # oldest edited first
    assert tray.visible_ids() == [p.local_id for p in made]
    later = store.save_post(make_post("Brand new draft", None, status="draft"))
    assert tray.visible_ids()[-1] == later.local_id  # a new draft takes its place in the chosen order
    qtbot.keyClicks(tray.search, "zebra")
    assert tray.visible_ids() == [made[0].local_id]
