"""Undoing a delete (Ctrl+Z): the post comes back as it was while the delete waits in the outbox; once the
delete may have reached Late, as it was only when Late may create it again, else as a new draft."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from latecal.store import Store
from ui_support import NOW, at, make_post

WED = date(2027, 3, 10)
CTRL = Qt.KeyboardModifier.ControlModifier


def _delete_with_keys(qtbot, window, local_id: str) -> None:
    window.mirror.select(local_id)
    qtbot.keyClick(window.views.currentWidget(), Qt.Key.Key_Delete)
    window.commands.confirm_box.button(QMessageBox.StandardButton.Yes).click()


def _push_everything(store: Store) -> dict[str, str]:
    """What the sync engine does when Late accepts every queued push; returns the Late ids it gave."""
    given = {}
    for entry in store.pending_entries(NOW + timedelta(days=3650)):
        token = store.begin_push(entry)
        record = store.get_record(entry.local_id)
        late_id = record.post.late_id or f"late-{entry.local_id[:8]}"
        store.finish_push(token, late_id=late_id)
        given[entry.local_id] = late_id
    return given


def test_ctrl_z_brings_a_deleted_post_back_and_ctrl_shift_z_deletes_it_again(qtbot, open_window, store):
    post = store.save_post(make_post("Spring launch teaser", at(WED, 15)))
    _push_everything(store)  # on Late, nothing queued
    post = store.get_post(post.local_id)
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene

    _delete_with_keys(qtbot, window, post.local_id)
    assert store.get_post(post.local_id) is None
    assert post.local_id not in scene.items_by_id
    assert window.message_bar.text == "Deleted “Spring launch teaser”."
    assert window.message_bar.action_button.isVisible() and window.message_bar.action_button.text() == "Undo"
    assert window.actions_by_name["undo"].text().startswith("&Undo Delete “Spring launch teaser”")

    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    back = store.get_post(post.local_id)
    assert back == post  # as it was, Late id and all
    assert back.sync_state == "synced"
    assert store.outbox_entries() == []  # the delete never went out: nothing at all is sent
    assert post.local_id in scene.items_by_id
    assert window.mirror.selected_id == post.local_id
    assert "is back" in window.message_bar.text

    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert store.get_post(post.local_id) is None
    assert post.local_id not in scene.items_by_id
    assert not window.message_bar.holds("restored")  # "… is back" is no longer true
    assert [e.op for e in store.outbox_entries()] == ["delete"]


def test_a_new_post_deleted_before_it_was_sent_comes_back_with_its_key(qtbot, open_window, store):
    post = store.save_post(make_post("Never sent", at(WED, 16)))
    window = open_window(view="month", anchor=WED)
    window.commands.delete_post(post.local_id)
    assert store.count(include_deleted=True) == 0
    window.runner.undo_stack.undo()
    back = store.get_post(post.local_id)
    assert back.idempotency_key == post.idempotency_key  # still one post on Late, whatever happened before
    assert [e.op for e in store.outbox_entries()] == ["create"]
    assert post.local_id in window.views.month.scene.items_by_id


def test_a_scheduled_post_late_already_deleted_is_created_again(qtbot, open_window, store):
    post = store.save_post(make_post("Still ahead", at(WED + timedelta(days=2), 10)))
    _push_everything(store)
    post = store.get_post(post.local_id)
    window = open_window(view="week", anchor=WED)
    window.commands.delete_post(post.local_id)
    _push_everything(store)  # the delete reached Late
    assert store.get_record(post.local_id) is None
    window.runner.undo_stack.undo()
    back = store.get_post(post.local_id)
    assert back.status == "scheduled" and back.scheduled_for == post.scheduled_for
    assert back.late_id is None
    assert back.idempotency_key != post.idempotency_key  # the old key belongs to the deleted Late post
    assert [e.op for e in store.outbox_entries()] == ["create"]
    assert post.local_id in window.views.week.scene.items_by_id


def test_a_failed_post_late_already_deleted_comes_back_as_a_new_draft(qtbot, open_window, store):
    post = store.save_post(make_post("Went wrong", at(WED, 8), status="failed"))  # its time has passed
    _push_everything(store)
    window = open_window(view="week", anchor=WED)
    window.commands.delete_post(post.local_id)
    (entry,) = store.pending_entries(NOW)
    token = store.begin_push(entry)  # the delete is on its way: it may reach Late any moment
    window.runner.undo_stack.undo()

    assert store.get_record(post.local_id).deleted  # the delete goes on…
    (copy,) = store.unscheduled_drafts()  # …and the text is back as a draft without a time (its time passed)
    assert (copy.content, copy.status, copy.late_id) == ("Went wrong", "draft", None)
    assert copy.local_id != post.local_id
    assert "came back as a new draft" in window.message_bar.text
    assert window.drafts_tray.post_ids() == [copy.local_id]

    store.finish_push(token)
    window.runner.undo_stack.redo()  # deleting again deletes the copy
    assert store.get_post(copy.local_id) is None
    window.runner.undo_stack.undo()
    assert store.get_post(copy.local_id).content == "Went wrong"  # never sent: back as it was
    assert store.count() == 1


def test_an_editor_left_open_on_a_post_that_comes_back_as_a_draft_copy_edits_the_copy(
        qtbot, open_window, store):
    post = store.save_post(make_post("Went wrong", at(WED, 8), status="failed"))
    _push_everything(store)
    window = open_window(view="week", anchor=WED)
    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("Went wrong, fixed")  # typed, not saved
    window.commands.delete_post(post.local_id)
    assert editor.isVisible()  # it keeps the unsaved text, with a note
    (entry,) = store.pending_entries(NOW)
    store.begin_push(entry)  # the delete may reach Late any moment: the undo can only make a copy
    window.runner.undo_stack.undo()
    (copy,) = store.unscheduled_drafts()
    assert window.editors.editors == {copy.local_id: editor}
    assert editor.post.local_id == copy.local_id and not editor.read_only
    assert "came back as a new draft" in editor.banner.text()
    assert editor.content_edit.toPlainText() == "Went wrong, fixed"
    assert editor.when.scheduled_utc() is None  # the part left alone follows the copy: its time had passed
    assert set(store.load_autosaves()) == {editor.key}  # a crash now restores the text onto the copy
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)  # shortcuts reach the active window only
    qtbot.keyClick(editor.content_edit, Qt.Key.Key_S, CTRL)
    assert [(d.local_id, d.content) for d in store.unscheduled_drafts()] == [(copy.local_id, "Went wrong, fixed")]
    assert not editor.is_dirty() and store.load_autosaves() == {}
    editor.close()
    qtbot.waitUntil(lambda: window.editors.editors == {})


def test_undo_after_the_editor_brought_the_post_back_changes_nothing(qtbot, open_window, store):
    post = store.save_post(make_post("Saved again", at(WED, 17)))
    window = open_window(view="week", anchor=WED)
    window.commands.delete_post(post.local_id)
    store.save_post(post)  # e.g. its editor, still open, saved it
    entries = store.outbox_entries()
    window.runner.undo_stack.undo()
    assert store.outbox_entries() == entries
    assert store.count() == 1


def test_the_undo_button_of_the_deleted_message_brings_the_post_back(qtbot, open_window, store):
    post = store.save_post(make_post("Undo by mouse", at(WED, 15)))
    other = store.save_post(make_post("Moved later", at(WED, 9)))
    window = open_window(view="week", anchor=WED)
    window.commands.delete_post(post.local_id)
    qtbot.mouseClick(window.message_bar.action_button, Qt.MouseButton.LeftButton)
    assert store.get_post(post.local_id) is not None
    assert "Undo by mouse" in window.message_bar.text and "is back" in window.message_bar.text
    assert not window.message_bar.action_button.isVisible()

    window.commands.delete_post(post.local_id)
    assert window.message_bar.holds("deleted")
    window.runner.move(other.local_id, at(WED, 16))  # a later change: Undo would undo that instead
    assert not window.message_bar.holds("deleted")  # so the button goes with its message
    assert store.get_post(post.local_id) is None


def test_undo_of_a_delete_made_while_the_create_was_in_flight_keeps_the_store_consistent(open_window, store):
    post = store.save_post(make_post("In flight", at(WED, 15)))
    window = open_window(view="week", anchor=WED)
    (entry,) = store.pending_entries(NOW)
    token = store.begin_push(entry)  # the create is on its way…
    window.commands.delete_post(post.local_id)  # …the user deletes meanwhile…
    store.finish_push(token, late_id="late-in-flight")  # …and Late's answer arrives
    window.runner.undo_stack.undo()
    assert store.get_post(post.local_id).late_id == "late-in-flight"
    assert [e.op for e in store.outbox_entries()] == ["update"]
    assert store.check_integrity() == []


def test_undoing_a_delete_the_filters_would_hide_says_so_and_selects_nothing_hidden(qtbot, open_window, store):
    post = store.save_post(make_post("Hidden by search", at(WED, 15)))
    window = open_window(view="week", anchor=WED)
    window.commands.delete_post(post.local_id)
    window.toolbar.search.setText("something else")
    window.toolbar.flush_search()
    window.runner.undo_stack.undo()
    assert window.message_bar.text == "“Hidden by search” is back, but the filters hide it."
    assert window.mirror.selected_id is None
    window.mirror.select(post.local_id)  # even if something selects it, Delete does not ask about an unseen post
    window.commands.delete_selected()
    assert window.commands.confirm_box is None
    qtbot.mouseClick(window.message_bar.action_button, Qt.MouseButton.LeftButton)  # "Clear filters"
    assert post.local_id in window.views.week.scene.items_by_id
