"""Drag to reschedule with the mouse on the viewport: time of day kept, 15-minute snap, refusals, undo/redo."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPointF, Qt

from latecal.core.zones import utc_to_wall
from latecal.ui.calendar.time_grid_scene import PX_PER_HOUR
from ui_support import BERLIN, NOW, PushWatch, at, drag, make_post, run_report

WED = date(2027, 3, 10)  # "now" is 12:00 on this day (conftest.NOW)


def _chip_drag_to_day(qtbot, window, item, day):
    scene = window.views.month.scene
    start = item.sceneBoundingRect().center()
    target = scene.cell_rect(day).center()
    drag(qtbot, window.views.month.view, start, target)


def test_month_drag_keeps_the_time_of_day(qtbot, open_window, store):
    post = store.save_post(make_post("Keep my time", at(WED + timedelta(days=1), 14, 30)))
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    item = scene.items_by_id[post.local_id]
    new_day = date(2027, 3, 16)
    _chip_drag_to_day(qtbot, window, item, new_day)
    moved = store.get_post(post.local_id)
    assert utc_to_wall(moved.scheduled_for, BERLIN).date() == new_day
    assert f"{utc_to_wall(moved.scheduled_for, BERLIN):%H:%M}" == "14:30"
    assert moved.sync_state == "pending"  # stored at once, with an outbox entry to push
    assert store.outbox_entries(post.local_id)
    assert scene.cell_rect(new_day).contains(scene.items_by_id[post.local_id].sceneBoundingRect())
    assert "Move" in window.runner.undo_stack.undoText()


def test_month_drag_across_the_dst_change_keeps_wall_time(qtbot, open_window, store):
    post = store.save_post(make_post("Across DST", at(date(2027, 3, 26), 9, 0)))  # CET, UTC+1
    window = open_window(view="month", anchor=WED)
    item = window.views.month.scene.items_by_id[post.local_id]
    _chip_drag_to_day(qtbot, window, item, date(2027, 3, 29))  # CEST, UTC+2
    moved = store.get_post(post.local_id).scheduled_for
    assert f"{utc_to_wall(moved, BERLIN):%Y-%m-%d %H:%M}" == "2027-03-29 09:00"
    assert moved.hour == 7  # the UTC hour changed, the wall time did not


def test_week_drag_snaps_to_15_minutes_and_changes_day(qtbot, open_window, store):
    post = store.save_post(make_post("Snap me", at(WED, 15, 0)))
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    item = scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    # one column right, 1 h 14 min down (60 px per hour): lands on 16:15, not 16:14
    end = start + QPointF(scene.col_w, 74 * PX_PER_HOUR / 60)
    drag(qtbot, window.views.week.view, start, end)
    moved = utc_to_wall(store.get_post(post.local_id).scheduled_for, BERLIN)
    assert moved.date() == WED + timedelta(days=1)
    assert f"{moved:%H:%M}" == "16:15"
    assert moved.minute % 15 == 0
    item = scene.items_by_id[post.local_id]
    assert item.y() == (16 * 60 + 15) * PX_PER_HOUR / 60
    assert item.x() >= scene.column_x(3)


def test_day_drag_snaps_down_to_the_nearest_quarter(qtbot, open_window, store):
    post = store.save_post(make_post("Nudge", at(WED, 18, 0)))
    window = open_window(view="day", anchor=WED)
    item = window.views.day.scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    drag(qtbot, window.views.day.view, start, start + QPointF(0, 37))  # +37 min → 18:30 (nearest quarter)
    assert f"{utc_to_wall(store.get_post(post.local_id).scheduled_for, BERLIN):%H:%M}" == "18:30"


def test_drop_into_the_past_is_refused_and_the_chip_returns(qtbot, open_window, store):
    original = at(WED + timedelta(days=2), 10, 0)
    post = store.save_post(make_post("Not into the past", original))
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    item = scene.items_by_id[post.local_id]
    _chip_drag_to_day(qtbot, window, item, date(2027, 3, 8))
    assert store.get_post(post.local_id).scheduled_for == original
    # back in its own cell (the message bar took some height, so the grid itself re-laid out)
    assert scene.cell_rect(WED + timedelta(days=2)).contains(item.sceneBoundingRect())
    assert not item.dragging
    assert "passed" in window.message_bar.text
    assert window.runner.undo_stack.count() == 0


def test_drop_earlier_today_within_the_grace_minute_is_accepted_but_an_hour_ago_is_not(qtbot, open_window, store):
    post = store.save_post(make_post("Now-ish", at(WED, 14, 0)))
    window = open_window(view="day", anchor=WED, clock=lambda: NOW + timedelta(seconds=30))
    item = window.views.day.scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    drag(qtbot, window.views.day.view, start, start - QPointF(0, 2 * 60))  # 12:00, 30 s ago: within the grace
    assert f"{utc_to_wall(store.get_post(post.local_id).scheduled_for, BERLIN):%H:%M}" == "12:00"
    item = window.views.day.scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    drag(qtbot, window.views.day.view, start, start - QPointF(0, 60))  # 11:00: an hour ago
    assert f"{utc_to_wall(store.get_post(post.local_id).scheduled_for, BERLIN):%H:%M}" == "12:00"
    assert "passed" in window.message_bar.text


def test_a_published_post_cannot_be_moved(qtbot, open_window, store):
    when = at(WED - timedelta(days=1), 9, 0)
    post = store.save_post(make_post("Already out", when, status="published"))
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    item = scene.items_by_id[post.local_id]
    home = item.pos()
    start = item.sceneBoundingRect().center()
    drag(qtbot, window.views.week.view, start, start + QPointF(scene.col_w * 3, 60))
    assert store.get_post(post.local_id).scheduled_for == when
    assert scene.items_by_id[post.local_id].pos() == home
    assert "already been published" in window.message_bar.text


def test_publishing_post_refused_in_month_view(qtbot, open_window, store):
    post = store.save_post(make_post("Going out now", at(WED, 12, 0), status="publishing"))
    window = open_window(view="month", anchor=WED)
    item = window.views.month.scene.items_by_id[post.local_id]
    _chip_drag_to_day(qtbot, window, item, date(2027, 3, 18))
    assert store.get_post(post.local_id).scheduled_for == at(WED, 12, 0)
    assert "being published" in window.message_bar.text


def test_undo_and_redo_restore_and_reapply_the_move(qtbot, open_window, store):
    original = at(WED + timedelta(days=1), 14, 30)
    post = store.save_post(make_post("Undo me", original))
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    _chip_drag_to_day(qtbot, window, scene.items_by_id[post.local_id], date(2027, 3, 19))
    moved = store.get_post(post.local_id).scheduled_for
    assert moved != original

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.get_post(post.local_id).scheduled_for == original
    assert scene.cell_rect(WED + timedelta(days=1)).contains(scene.items_by_id[post.local_id].sceneBoundingRect())

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert store.get_post(post.local_id).scheduled_for == moved
    assert scene.cell_rect(date(2027, 3, 19)).contains(scene.items_by_id[post.local_id].sceneBoundingRect())

    # the Edit menu has the same entries
    undo = window.actions_by_name["undo"]
    assert undo.isEnabled()
    assert undo.text().startswith("&Undo Move")
    undo.trigger()
    assert store.get_post(post.local_id).scheduled_for == original


def test_move_is_one_push_and_reaches_the_view_once(qtbot, open_window, store, sync, monkeypatch):
    post = store.save_post(make_post("Push me", at(WED, 16, 0)))
    window = open_window(view="week", anchor=WED, sync=sync)
    scene = window.views.week.scene
    upserts = []
    original_upsert = scene.upsert_post
    monkeypatch.setattr(scene, "upsert_post", lambda p: (upserts.append(p.local_id), original_upsert(p)))
    item = scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    pushes = PushWatch(store)
    drag(qtbot, window.views.week.view, start, start + QPointF(0, 60))
    assert pushes.count == 1
    assert upserts == [post.local_id]  # applied once, from the one change set the relay carried


def test_late_rejecting_the_last_move_puts_the_post_back(qtbot, open_window, store, sync):
    original = at(WED, 16, 0)
    post = store.save_post(make_post("Late says no", original))
    window = open_window(view="week", anchor=WED, sync=sync)
    scene = window.views.week.scene
    item = scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    drag(qtbot, window.views.week.view, start, start + QPointF(0, 120))
    assert store.get_post(post.local_id).scheduled_for == original + timedelta(hours=2)
    (entry,) = store.pending_entries(NOW)  # what the engine does when Late refuses the move's push
    store.fail_push(store.begin_push(entry), "Instagram needs an image.", retry_at=None, rejected=True)
    sync.finished.emit(run_report(rejected={post.local_id: "Instagram needs an image."}))
    assert store.get_post(post.local_id).scheduled_for == original
    assert scene.items_by_id[post.local_id].y() == 16 * 60
    assert "Instagram needs an image." in window.message_bar.text
    assert not window.runner.undo_stack.canRedo()  # the rejected move is gone, not redoable


def test_rejection_of_another_post_leaves_the_last_move_alone(qtbot, open_window, store, sync):
    post = store.save_post(make_post("Fine", at(WED, 16, 0)))
    window = open_window(view="week", anchor=WED, sync=sync)
    item = window.views.week.scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    drag(qtbot, window.views.week.view, start, start + QPointF(0, 60))
    sync.finished.emit(run_report(rejected={"someone-else": "nope"}))
    assert store.get_post(post.local_id).scheduled_for == at(WED, 17, 0)


def test_a_move_after_an_undo_counts_as_applied(qtbot, open_window, store):
    post = store.save_post(make_post("Twice", at(WED, 14)))
    window = open_window(view="week", anchor=WED)
    assert window.runner.move(post.local_id, at(WED, 15))
    window.runner.undo_stack.undo()
    assert window.runner.move(post.local_id, at(WED, 16))  # replaces the undone move
    assert store.get_post(post.local_id).scheduled_for == at(WED, 16)
    assert window.runner.undo_stack.count() == 1


def test_a_move_takes_the_time_late_gave_one_platform_along(qtbot, open_window, store):
    from latecal.core.models import Target

    post = store.save_post(make_post("Held", at(WED, 14), targets=[
        Target("tiktok", "acc-tiktok", scheduled_for=at(WED, 14, 30)), Target("twitter", "acc-twitter")]))
    window = open_window(view="week", anchor=WED)
    assert window.runner.move(post.local_id, at(WED + timedelta(days=1), 9))
    tiktok, twitter = store.get_post(post.local_id).targets
    assert tiktok.scheduled_for == at(WED + timedelta(days=1), 9, 30)
    assert twitter.scheduled_for is None
    window.runner.undo_stack.undo()
    assert store.get_post(post.local_id).targets[0].scheduled_for == at(WED, 14, 30)


def test_undo_of_a_move_is_refused_once_the_post_was_moved_again_elsewhere(qtbot, open_window, store):
    post = store.save_post(make_post("Moved twice", at(WED, 14)))
    window = open_window(view="week", anchor=WED)
    assert window.runner.move(post.local_id, at(WED + timedelta(days=1), 14))
    from dataclasses import replace

    store.save_post(replace(store.get_post(post.local_id), scheduled_for=at(WED + timedelta(days=1), 16)))  # editor
    window.runner.undo_stack.undo()
    assert store.get_post(post.local_id).scheduled_for == at(WED + timedelta(days=1), 16)  # the newer time stays
    assert "has been changed since" in window.message_bar.text
    assert window.runner.undo_stack.count() == 0  # the stale move left the history: redo cannot revive it


def test_moving_a_post_to_its_own_time_keeps_the_time_late_gave_one_platform():
    from latecal.core.models import Post, Target

    when = at(WED, 14)
    post = Post(content="Held", scheduled_for=when, status="draft",
                targets=[Target("tiktok", "acc-tiktok", scheduled_for=when + timedelta(minutes=30))])
    assert post.moved_to(when, status="scheduled").targets[0].scheduled_for == when + timedelta(minutes=30)
    assert post.moved_to(None).targets[0].scheduled_for is None  # no time: a platform's own would still publish
