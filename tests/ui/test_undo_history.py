"""The undo history belongs to the store, not to one window: a window rebuilt by a setting keeps it."""

from __future__ import annotations

from datetime import date, timedelta

import shiboken6
from PySide6.QtGui import QUndoStack

from latecal.ui.main_window import MainWindow
from ui_support import BERLIN, NOW, at, make_post

WED = date(2027, 3, 10)


def test_moves_stay_undoable_in_the_window_that_replaces_the_old_one(qtbot, store):
    stack = QUndoStack()
    post = store.save_post(make_post("Move me", at(WED, 15)))
    first = MainWindow(store, zone=BERLIN, clock=lambda: NOW, anchor=WED, undo_stack=stack)
    assert first.reschedule.request_move(post.local_id, at(WED + timedelta(days=1), 11))
    first.close()
    gone = []
    first.destroyed.connect(lambda: gone.append(True))
    first.deleteLater()
    qtbot.waitUntil(lambda: bool(gone))  # the first window and its controller are gone now

    second = MainWindow(store, zone=BERLIN, clock=lambda: NOW, anchor=WED, undo_stack=stack, week_start=6)
    qtbot.addWidget(second)
    assert second.actions_by_name["undo"].isEnabled()
    second.actions_by_name["undo"].trigger()
    assert store.get_post(post.local_id).scheduled_for == at(WED, 15)
    assert second.posts[post.local_id].scheduled_for == at(WED, 15)  # the new window shows it at once
    second.actions_by_name["redo"].trigger()
    assert store.get_post(post.local_id).scheduled_for == at(WED + timedelta(days=1), 11)
    shiboken6.delete(stack)  # as the app does: never left to the garbage collector (see app._drop_undo_history)


def test_a_window_without_a_handed_over_stack_starts_its_own(qtbot, store):
    window = MainWindow(store, zone=BERLIN, clock=lambda: NOW, anchor=WED)
    qtbot.addWidget(window)
    assert window.reschedule.undo_stack.count() == 0
    assert window.reschedule.undo_stack.parent() is window.reschedule
