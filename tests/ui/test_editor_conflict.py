"""The editor and Late: a conflict banner with both ways out, and a status line that follows the post's sync
state (pending, on Late, refused, in conflict). Conflicts and pushes are made through the store's real API."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from editor_support import LI, WED, X
from latecal.core.models import Post, Target
from latecal.ui.editor import PostEditor
from ui_support import BERLIN, NOW, SyncReport, at, make_post

LATER = NOW + timedelta(days=365)


@pytest.fixture
def window(editor_window):
    return editor_window


def _push_ok(store, local_id: str, late_id: str = "late-1") -> None:
    """The sync engine's successful push of the post's pending entry."""
    (entry,) = [e for e in store.pending_entries(LATER) if e.local_id == local_id]
    store.finish_push(store.begin_push(entry), late_id=late_id)


def _conflicted(store, *, mine: str = "My launch text", theirs: str = "Late's launch text, edited by a teammate"):
    """A post synced with Late, then edited here (not sent) while a teammate changed it on Late."""
    post = store.save_post(make_post("Launch text", at(WED, 17), targets=[Target("twitter", X)]))
    _push_ok(store, post.local_id)
    synced = store.get_post(post.local_id)
    store.save_post(replace(synced, content=mine))
    remote = replace(synced, content=theirs, scheduled_for=at(WED, 18),
                     targets=[Target("twitter", X), Target("linkedin", LI)],
                     remote_updated_at=NOW - timedelta(minutes=30))
    store.mark_conflict(post.local_id, remote, "Late changed this post while you had edits that were not sent yet.")
    assert store.get_post(post.local_id).sync_state == "conflict"
    return post.local_id


# -- the banner ----------------------------------------------------------------------------------------


def test_a_post_in_conflict_shows_lates_version_and_the_status_points_at_it(qtbot, window, store):
    local_id = _conflicted(store)
    editor = window.editors.open_post(local_id)
    banner = editor.conflict_banner
    assert banner.isVisible()
    text = banner.text()
    assert "Late has a different version" in text
    assert "changed on Late today at 11:30" in text  # 10:30 UTC, in Berlin
    assert "Late's launch text, edited by a teammate" in text
    assert "Wed 10 Mar 18:00 (Europe/Berlin); yours: Wed 10 Mar 17:00 (Europe/Berlin)" in text
    assert "Posts to: X · acme, LinkedIn · acme-li" in text  # the accounts differ from the version here
    assert banner.keep_button.isEnabled() and banner.take_button.isEnabled()
    assert banner.keep_button.text() == "Keep my version" and banner.take_button.text() == "Take Late's version"
    assert editor.content_edit.toPlainText() == "My launch text"
    status = editor.status_line.text()
    assert "choose a version" in status and "Sending" not in status and "sending" not in status
    editor.close()


def test_keep_my_version_asks_the_window_and_the_banner_goes(qtbot, window, store, sync):
    local_id = _conflicted(store)
    editor = window.editors.open_post(local_id)
    qtbot.mouseClick(editor.conflict_banner.keep_button, Qt.MouseButton.LeftButton)
    stored = store.get_post(local_id)
    assert stored.sync_state == "pending" and stored.content == "My launch text"
    assert [e.op for e in store.pending_entries(LATER)] == ["update"]  # it goes to Late at the next sync
    assert sync.sync_now_calls == 1
    assert not editor.conflict_banner.isVisible()
    assert editor.content_edit.toPlainText() == "My launch text"
    assert "Not sent to Late yet" in editor.status_line.text()
    editor.close()


def test_take_lates_version_refreshes_the_fields_from_the_store(qtbot, window, store):
    local_id = _conflicted(store)
    editor = window.editors.open_post(local_id)
    qtbot.mouseClick(editor.conflict_banner.take_button, Qt.MouseButton.LeftButton)
    assert editor.confirm_box is None  # nothing unsaved here: nothing to ask
    assert store.get_post(local_id).content == "Late's launch text, edited by a teammate"
    assert editor.content_edit.toPlainText() == "Late's launch text, edited by a teammate"
    assert set(editor.picker.selected()) == {("twitter", X), ("linkedin", LI)}
    assert editor.scheduled_utc() == at(WED, 18)
    assert not editor.conflict_banner.isVisible() and not editor.is_dirty()
    assert editor.status_line.text() == "Scheduled for Wed 10 Mar 18:00 (Europe/Berlin) on Late."
    editor.close()


def test_take_lates_version_over_unsaved_changes_asks_first_without_blocking(qtbot, window, store):
    local_id = _conflicted(store)
    editor = window.editors.open_post(local_id)
    editor.content_edit.setPlainText("An idea I have not saved")
    editor.autosave_now()
    assert local_id in store.load_autosaves()

    editor.take_late_version()  # returns at once: the question is window-modal, answered through a signal
    box = editor.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowModality() == Qt.WindowModality.WindowModal
    next(b for b in box.buttons() if b.text() == "Cancel").click()
    assert store.get_post(local_id).sync_state == "conflict"
    assert editor.content_edit.toPlainText() == "An idea I have not saved" and editor.conflict_banner.isVisible()

    editor.take_late_version()
    next(b for b in editor.confirm_box.buttons() if b.text() == "Take Late's version").click()
    assert store.get_post(local_id).sync_state == "synced"
    assert editor.content_edit.toPlainText() == "Late's launch text, edited by a teammate"
    assert not editor.is_dirty() and store.load_autosaves() == {}
    assert not editor.conflict_banner.isVisible()
    editor.close()


def test_the_editor_only_calls_its_handler_and_follows_the_store_when_it_is_resolved(qtbot, store, accounts):
    local_id = _conflicted(store)
    calls = []
    editor = PostEditor(store, store.get_post(local_id), is_new=False, zone=BERLIN, clock=lambda: NOW,
                        conflict_handler=lambda post_id, keep: calls.append((post_id, keep)) or True)
    qtbot.addWidget(editor)
    editor.show()
    editor.conflict_banner.keep_button.click()
    editor.conflict_banner.take_button.click()
    assert calls == [(local_id, "local"), (local_id, "remote")]
    assert store.get_post(local_id).sync_state == "conflict"  # the editor never writes it itself
    assert editor.conflict_banner.isVisible() and editor.content_edit.toPlainText() == "My launch text"

    store.resolve_conflict(local_id, "remote")  # the window settles it later (e.g. after a push in flight)
    assert not editor.conflict_banner.isVisible()
    assert editor.content_edit.toPlainText() == "Late's launch text, edited by a teammate"
    editor.close()


def test_the_banner_comes_and_goes_with_the_stored_conflict(qtbot, window, store):
    post = store.save_post(make_post("Calm post", at(WED, 17), targets=[Target("twitter", X)]))
    _push_ok(store, post.local_id)
    editor = window.editors.open_post(post.local_id)
    assert not editor.conflict_banner.isVisible()
    synced = store.get_post(post.local_id)
    store.save_post(replace(synced, content="Edited here"))
    store.mark_conflict(post.local_id, replace(synced, content="Edited there", remote_updated_at=NOW), "changed")
    assert editor.conflict_banner.isVisible() and "“Edited there”" in editor.conflict_banner.text()
    assert "choose a version" in editor.status_line.text()
    store.resolve_conflict(post.local_id, "local")  # e.g. from the calendar's context menu
    assert not editor.conflict_banner.isVisible()
    assert "choose a version" not in editor.status_line.text()
    editor.close()


def test_without_a_handler_the_choices_are_shown_but_disabled(qtbot, store, accounts):
    local_id = _conflicted(store)
    editor = PostEditor(store, store.get_post(local_id), is_new=False, zone=BERLIN, clock=lambda: NOW)
    qtbot.addWidget(editor)
    assert not editor.conflict_banner.isHidden()
    assert not editor.conflict_banner.keep_button.isEnabled() and not editor.conflict_banner.take_button.isEnabled()
    editor.take_late_version()
    assert store.get_post(local_id).sync_state == "conflict"
    editor.close()


# -- the status line follows the sync state ------------------------------------------------------------


def test_status_line_follows_the_post_from_pending_to_late_to_refused(qtbot, window, store, sync):
    window.editors.new_post(at(WED, 17))
    editor = next(iter(window.editors.editors.values()))
    editor.picker.checks[X].setChecked(True)
    editor.content_edit.setPlainText("Launch day")
    editor.revalidate()
    saved = editor.schedule()
    assert editor.status_line.text() == ("Scheduled for Wed 10 Mar 17:00 (Europe/Berlin). "
                                         "Not sent to Late yet: sending…")

    _push_ok(store, saved.local_id)  # the sync engine's push reached Late
    assert editor.status_line.text() == "Scheduled for Wed 10 Mar 17:00 (Europe/Berlin) on Late."

    editor.content_edit.setPlainText("Launch day, take two")
    editor.schedule()
    assert "Not sent to Late yet" in editor.status_line.text()
    (entry,) = store.pending_entries(LATER)
    store.fail_push(store.begin_push(entry), "Duplicate content for this account.", retry_at=None, rejected=True)
    assert editor.status_line.text() == ("Not on Late: Late refused the last change "
                                         "(Duplicate content for this account.). Fix it and save again.")
    editor.close()


def test_status_line_says_when_the_app_is_offline_after_a_sync_run(qtbot, window, store, sync):
    post = store.save_post(make_post("Offline", at(WED, 17), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    assert editor.status_line.text().endswith("Not sent to Late yet: sending…")
    sync.online = False
    sync.finished.emit(SyncReport())
    assert editor.status_line.text().endswith("Not sent yet: it goes to Late when the connection is back.")
    editor.close()


def test_status_line_without_a_connection_says_the_post_waits_here(qtbot, store, accounts):
    post = store.save_post(make_post("Offline", at(WED, 17), status="draft", targets=[Target("twitter", X)]))
    editor = PostEditor(store, post, is_new=False, zone=BERLIN, clock=lambda: NOW)
    qtbot.addWidget(editor)
    assert editor.status_line.text() == ("Saved as a draft. Not sent yet: kept on this computer until the app is "
                                         "connected to Late.")
    editor.close()


@pytest.mark.parametrize("status", ["published", "failed"])
def test_status_line_names_other_statuses_on_late(qtbot, store, accounts, status):
    post = store.save_post(Post(content="Out", scheduled_for=at(WED, 8), status=status,
                                targets=[Target("twitter", X)]))
    _push_ok(store, post.local_id)
    editor = PostEditor(store, store.get_post(post.local_id), is_new=False, zone=BERLIN, clock=lambda: NOW)
    qtbot.addWidget(editor)
    assert editor.status_line.text() == f"{status.capitalize()} on Late."
    editor.close()
