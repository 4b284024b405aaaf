"""While a chip is dragged, the scene's drop hint marks where it would land: the day cell in the month (refused
when the drop would be), the snapped 15-minute slot with its time in week and day views. The mark goes on a
drop, on Escape and when the dragged chip disappears mid-drag."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, QPointF, Qt

from latecal.core.zones import utc_to_wall
from latecal.ui.calendar.time_grid_scene import PX_PER_HOUR
from ui_support import BERLIN, at, make_post

WED = date(2027, 3, 10)  # "now" is 12:00 on this day (ui_support.NOW)


def _press_and_move(qtbot, view, start: QPointF, end: QPointF, steps: int = 6) -> None:
    """The first half of ui_support.drag: the button stays down."""
    a, b = view.mapFromScene(start), view.mapFromScene(end)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for i in range(1, steps + 1):
        p = a + (b - a) * i / steps
        qtbot.mouseMove(view.viewport(), QPoint(round(p.x()), round(p.y())))


def _release(qtbot, view, end: QPointF) -> None:
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       view.mapFromScene(end))


def _month(open_window, store, when, **kw):
    post = store.save_post(make_post("Drag me", when, **kw))
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene  # its clock (what is "in the past") is the window's fixed one
    return window, scene, scene.items_by_id[post.local_id], post


def test_month_drag_highlights_the_day_under_the_pointer_until_the_drop(qtbot, open_window, store):
    window, scene, item, post = _month(open_window, store, at(WED + timedelta(days=1), 14, 30))
    view = window.views.month.view
    hint = scene.drop_hint
    assert not hint.isVisible()
    target = date(2027, 3, 16)
    end = scene.cell_rect(target).center()
    _press_and_move(qtbot, view, item.sceneBoundingRect().center(), end)
    assert hint.isVisible() and not hint.refused
    assert hint.rect == scene.cell_rect(target)
    assert utc_to_wall(hint.when, BERLIN).date() == target
    assert scene.day_at(hint.rect.center()) == target
    # it follows the pointer to the next day
    end = scene.cell_rect(target + timedelta(days=1)).center()
    qtbot.mouseMove(view.viewport(), view.mapFromScene(end))
    assert hint.rect == scene.cell_rect(target + timedelta(days=1))
    _release(qtbot, view, end)
    assert not hint.isVisible()
    assert utc_to_wall(store.get_post(post.local_id).scheduled_for, BERLIN).date() == target + timedelta(days=1)


def test_month_highlight_shows_a_past_day_as_refused(qtbot, open_window, store):
    original = at(WED + timedelta(days=2), 10, 0)
    window, scene, item, post = _month(open_window, store, original)
    view = window.views.month.view
    end = scene.cell_rect(date(2027, 3, 8)).center()
    _press_and_move(qtbot, view, item.sceneBoundingRect().center(), end)
    assert scene.drop_hint.isVisible() and scene.drop_hint.refused
    assert scene.drop_hint.rect == scene.cell_rect(date(2027, 3, 8))
    assert item.cursor().shape() == Qt.CursorShape.ForbiddenCursor
    # today is refused too: the chip keeps its 10:00, two hours before "now"
    qtbot.mouseMove(view.viewport(), view.mapFromScene(scene.cell_rect(WED).center()))
    assert scene.drop_hint.refused
    qtbot.mouseMove(view.viewport(), view.mapFromScene(scene.cell_rect(WED + timedelta(days=1)).center()))
    assert not scene.drop_hint.refused and item.cursor().shape() == Qt.CursorShape.ClosedHandCursor
    qtbot.mouseMove(view.viewport(), view.mapFromScene(end))
    _release(qtbot, view, end)
    assert not scene.drop_hint.isVisible()
    assert store.get_post(post.local_id).scheduled_for == original
    assert "passed" in window.message_bar.text


def test_a_published_post_is_refused_on_every_other_day(qtbot, open_window, store):
    window, scene, item, _post = _month(open_window, store, at(WED - timedelta(days=1), 9, 0), status="published")
    view = window.views.month.view
    _press_and_move(qtbot, view, item.sceneBoundingRect().center(), scene.cell_rect(date(2027, 3, 20)).center())
    assert scene.drop_hint.refused
    # back over its own day: dropping there changes nothing, so nothing is refused
    home = scene.cell_rect(WED - timedelta(days=1)).center()
    qtbot.mouseMove(view.viewport(), view.mapFromScene(home))
    assert scene.drop_hint.isVisible() and not scene.drop_hint.refused
    _release(qtbot, view, home)
    assert not scene.drop_hint.isVisible()


def test_escape_cancels_the_drag_and_clears_the_highlight(qtbot, open_window, store):
    original = at(WED + timedelta(days=1), 14, 30)
    window, scene, item, post = _month(open_window, store, original)
    view = window.views.month.view
    end = scene.cell_rect(date(2027, 3, 23)).center()
    _press_and_move(qtbot, view, item.sceneBoundingRect().center(), end)
    assert scene.drop_hint.isVisible() and item.dragging
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not scene.drop_hint.isVisible()
    assert not item.dragging and item.zValue() < 1  # back in its layer (lifted to 10 while dragged)
    assert scene.cell_rect(WED + timedelta(days=1)).contains(item.sceneBoundingRect())  # back home at once
    qtbot.mouseMove(view.viewport(), view.mapFromScene(end + QPointF(0, 30)))
    _release(qtbot, view, end)  # the rest of the gesture does nothing
    assert store.get_post(post.local_id).scheduled_for == original
    assert window.runner.undo_stack.count() == 0
    assert scene.cell_rect(WED + timedelta(days=1)).contains(item.sceneBoundingRect())


def test_the_highlight_goes_when_the_dragged_post_disappears(qtbot, open_window, store):
    window, scene, item, post = _month(open_window, store, at(WED + timedelta(days=1), 14, 30))
    _press_and_move(qtbot, window.views.month.view, item.sceneBoundingRect().center(),
                    scene.cell_rect(date(2027, 3, 23)).center())
    assert scene.drop_hint.isVisible()
    store.delete_post(post.local_id)  # e.g. deleted on Late and pulled by a sync mid-drag
    qtbot.waitUntil(lambda: post.local_id not in scene.items_by_id)
    assert not scene.drop_hint.isVisible() and not item.dragging


def test_the_highlight_goes_when_the_dragged_chip_is_pushed_into_more(qtbot, open_window, store):
    day = WED + timedelta(days=1)
    window, scene, item, _post = _month(open_window, store, at(day, 23, 0))
    _press_and_move(qtbot, window.views.month.view, item.sceneBoundingRect().center(),
                    scene.cell_rect(date(2027, 3, 23)).center())
    assert scene.drop_hint.isVisible()
    for hour in range(8, 8 + scene.capacity() + 1):  # earlier posts fill the cell: the 23:00 chip is hidden
        store.save_post(make_post(f"Earlier {hour}", at(day, hour)))
    qtbot.waitUntil(lambda: not item.isVisible())
    assert not scene.drop_hint.isVisible() and not item.dragging
    assert scene.mouseGrabberItem() is None


def test_week_drag_outlines_the_snapped_slot_with_its_time(qtbot, open_window, store):
    post = store.save_post(make_post("Snap me", at(WED, 15, 0)))
    window = open_window(view="week", anchor=WED)
    scene, view = window.views.week.scene, window.views.week.view
    item = scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    end = start + QPointF(scene.col_w, 74 * PX_PER_HOUR / 60)  # Thursday, 1 h 14 min later: 16:15
    _press_and_move(qtbot, view, start, end)
    hint = scene.drop_hint
    assert hint.isVisible() and not hint.refused
    assert hint.when == at(WED + timedelta(days=1), 16, 15)
    assert hint.label == "Thu 16:15"
    assert hint.rect.left() == scene.column_x(3) and hint.rect.width() == scene.col_w
    assert hint.rect.top() == (16 * 60 + 15) * PX_PER_HOUR / 60
    assert hint.zValue() < item.zValue()  # under the dragged block, whose place it outlines
    _release(qtbot, view, end)
    assert not hint.isVisible()
    assert store.get_post(post.local_id).scheduled_for == at(WED + timedelta(days=1), 16, 15)


def test_day_drag_into_the_past_marks_the_slot_refused(qtbot, open_window, store):
    post = store.save_post(make_post("Not earlier", at(WED, 14, 0)))
    window = open_window(view="day", anchor=WED)
    scene, view = window.views.day.scene, window.views.day.view
    item = scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    _press_and_move(qtbot, view, start, start - QPointF(0, 4 * PX_PER_HOUR))  # 10:00, two hours ago
    assert scene.drop_hint.refused and scene.drop_hint.label == "Wed 10:00"
    qtbot.mouseMove(view.viewport(), view.mapFromScene(start - QPointF(0, PX_PER_HOUR)))  # 13:00: ahead
    assert not scene.drop_hint.refused and scene.drop_hint.label == "Wed 13:00"
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not scene.drop_hint.isVisible()
    assert store.get_post(post.local_id).scheduled_for == at(WED, 14, 0)
    assert item.pos().y() == 14 * PX_PER_HOUR
