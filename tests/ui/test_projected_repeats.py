"""A series Late repeats (its ``recycling``) shows the copies Late has not made yet as lighter chips ahead; they
open the series' post, and a drag of one moves nothing and says why."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPointF, Qt

from editor_support import WED
from latecal.core.recurrence import is_future_repeat, is_projected
from ui_support import at, flush_events, make_post


def _series(store):
    first = at(WED + timedelta(days=1), 10)
    post = make_post("Weekly tip", first, late_id="late-series",
                     recycling={"enabled": True, "gap": 1, "gapFreq": "week",
                                "startDate": first.isoformat().replace("+00:00", "Z"), "expireCount": 3})
    store.upsert_remote(post)
    return store.get_by_late_id("late-series"), first


def test_the_copies_late_will_make_show_lighter_ahead_and_stay_put(qtbot, open_window, store):
    series, first = _series(store)
    window = open_window(view="month", anchor=WED)
    scene = window.views.scene("month")
    projected = sorted((k for k in scene.items_by_id if is_projected(k)),
                       key=lambda k: scene.items_by_id[k].post.scheduled_for)
    times = [scene.items_by_id[k].post.scheduled_for for k in projected]
    # Late makes three copies (expireCount), a week apart at the same wall time (across the DST change of 28 March)
    assert times == [at(WED + timedelta(days=1 + 7 * n), 10) for n in (1, 2, 3)]
    assert all(is_future_repeat(scene.items_by_id[k].post) for k in projected)
    assert not is_future_repeat(scene.items_by_id[series.local_id].post)

    item = scene.items_by_id[projected[0]]
    view = window.views.page().view
    start = view.mapFromScene(item.sceneBoundingRect().center())
    target = view.mapFromScene(item.sceneBoundingRect().center() + QPointF(0, scene.cell_rect(WED).height()))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, 5):
        qtbot.mouseMove(view.viewport(), start + (target - start) * i / 4)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)
    flush_events()
    assert store.get_post(series.local_id).scheduled_for == first  # the series did not move
    assert "Late makes this repeat from its series" in window.message_bar.text
    assert window.runner.undo_stack.count() == 0

    point = view.mapFromScene(scene.items_by_id[projected[1]].sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.mirror.selected_id == series.local_id  # a copy to come selects its series' post
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened.args[0] == series.local_id
