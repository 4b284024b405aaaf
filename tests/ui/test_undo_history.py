"""The undo history (with the operation runner that owns it) belongs to the store, not to one window: a window
rebuilt by a setting keeps it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import shiboken6
from PySide6.QtCore import Qt

from latecal.core.models import Target
from latecal.ui.app.main_window import MainWindow
from latecal.ui.app.operation_runner import OperationRunner
from ui_support import BERLIN, NOW, at, make_post

WED = date(2027, 3, 10)


def test_moves_stay_undoable_in_the_window_that_replaces_the_old_one(qtbot, store):
    runner = OperationRunner(store, zone=BERLIN)  # no parent: it outlives the window, as the app's does
    post = store.save_post(make_post("Move me", at(WED, 15)))
    first = MainWindow(store, zone=BERLIN, clock=lambda: NOW, anchor=WED, runner=runner)
    assert first.runner.move(post.local_id, at(WED + timedelta(days=1), 11))
    first.close()
    gone = []
    first.destroyed.connect(lambda: gone.append(True))
    first.deleteLater()
    qtbot.waitUntil(lambda: bool(gone))  # the first window and everything it owned are gone now

    second = MainWindow(store, zone=BERLIN, clock=lambda: NOW, anchor=WED, runner=runner, week_start=6)
    qtbot.addWidget(second)
    assert second.actions_by_name["undo"].isEnabled()
    second.actions_by_name["undo"].trigger()
    assert store.get_post(post.local_id).scheduled_for == at(WED, 15)
    assert second.mirror.posts[post.local_id].scheduled_for == at(WED, 15)  # the new window shows it at once
    second.actions_by_name["redo"].trigger()
    assert store.get_post(post.local_id).scheduled_for == at(WED + timedelta(days=1), 11)
    shiboken6.delete(runner)  # as the app does: never left to the garbage collector (see app._drop_undo_history)


def test_a_window_without_a_handed_over_stack_starts_its_own(qtbot, store):
    window = MainWindow(store, zone=BERLIN, clock=lambda: NOW, anchor=WED)
    qtbot.addWidget(window)
    assert window.runner.undo_stack.count() == 0
    assert window.runner.undo_stack.parent() is window.runner and window.runner.parent() is window


# -- every user action is in the one history: editor saves too ---------------------------------------------


def _editor_window(open_window, store):
    from editor_support import seed_accounts

    seed_accounts(store)
    return open_window(view="week", anchor=WED)


def test_a_time_changed_in_the_editor_is_put_back_by_ctrl_z_in_the_calendar(qtbot, open_window, store):
    from editor_support import X

    window = _editor_window(open_window, store)
    post = store.save_post(make_post("Launch", at(WED, 15), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    editor.when.set_wall_time(WED, time(17, 0))
    assert editor.save_in_place() is not None  # Ctrl+S: a scheduled post stays scheduled
    assert store.get_post(post.local_id).scheduled_for == at(WED, 17)
    assert window.views.week.scene.items_by_id[post.local_id].post.scheduled_for == at(WED, 17)
    assert window.actions_by_name["undo"].text() == "&Undo Edit “Launch”"

    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # in the calendar, not the editor
    assert store.get_post(post.local_id).scheduled_for == at(WED, 15)
    assert window.views.week.scene.items_by_id[post.local_id].post.scheduled_for == at(WED, 15)
    assert editor.when.scheduled_utc() == at(WED, 15) and not editor.is_dirty()  # the open editor follows

    window.actions_by_name["redo"].trigger()
    assert store.get_post(post.local_id).scheduled_for == at(WED, 17)
    assert editor.when.scheduled_utc() == at(WED, 17)
    editor.close()


def test_undoing_a_new_posts_first_save_removes_it_and_redo_brings_it_back(qtbot, open_window, store):
    from editor_support import X, close_quietly, tick

    window = _editor_window(open_window, store)
    editor = window.editors.new_post(at(WED, 18))
    tick(editor, X)
    editor.content_edit.setPlainText("Brand new")
    saved = editor.schedule()
    assert saved is not None and saved.local_id in window.views.week.scene.items_by_id
    window.runner.undo_stack.undo()
    assert store.get_post(saved.local_id) is None
    assert saved.local_id not in window.views.week.scene.items_by_id
    window.runner.undo_stack.redo()
    back = store.get_post(saved.local_id)
    assert back is not None and back.scheduled_for == at(WED, 18) and back.content == "Brand new"
    assert back.idempotency_key == saved.idempotency_key  # the same post for Late: never created twice
    close_quietly(editor)


def test_an_undo_never_throws_away_a_later_change(qtbot, open_window, store):
    from editor_support import X

    window = _editor_window(open_window, store)
    post = store.save_post(make_post("Launch", at(WED, 15), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("Launch, with a fix")
    editor.save_in_place()
    editor.close()
    later = store.get_post(post.local_id)
    store.save_post(replace(later, content="Launch, changed since"))  # e.g. a teammate's version taken since
    window.runner.undo_stack.undo()
    assert store.get_post(post.local_id).content == "Launch, changed since"
    assert "has been changed since" in window.message_bar.text


def test_publish_now_cannot_be_undone_and_says_so(qtbot, open_window, store):
    from editor_support import X

    window = _editor_window(open_window, store)
    post = store.save_post(make_post("Go", at(WED, 15), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    assert "cannot be undone" in editor.publish_button.toolTip()
    before = window.runner.undo_stack.count()
    assert editor.publish_now() is not None
    assert window.runner.undo_stack.count() == before  # nothing to undo: Late publishes at once
    assert "cannot be undone" in window.actions_by_name["retry"].statusTip()
    editor.close()


def test_undoing_a_new_post_never_deletes_it_once_it_was_published(qtbot, open_window, store):
    from editor_support import X, close_quietly, tick

    window = _editor_window(open_window, store)
    editor = window.editors.new_post(at(WED, 18))
    tick(editor, X)
    editor.content_edit.setPlainText("Going out now")
    saved = editor.save_draft()
    assert editor.publish_now() is not None  # not in the history: Late acts at once
    window.runner.undo_stack.undo()  # would undo the draft's creation: the post has moved on since
    stored = store.get_post(saved.local_id)
    assert stored is not None and stored.status == "scheduled" and stored.scheduled_for == NOW
    assert "has been changed since" in window.message_bar.text
    close_quietly(editor)


def test_a_save_that_changes_nothing_is_no_step_in_the_history(qtbot, open_window, store):
    from editor_support import X

    window = _editor_window(open_window, store)
    post = store.save_post(make_post("Launch", at(WED, 15), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("Launch!")
    editor.save_in_place()
    assert window.runner.undo_stack.count() == 1
    window.runner.undo_stack.undo()
    assert window.runner.undo_stack.canRedo()
    editor.save_in_place()  # Ctrl+S on what is already stored
    assert window.runner.undo_stack.count() == 1 and window.runner.undo_stack.canRedo()  # redo is not lost
    editor.close()
