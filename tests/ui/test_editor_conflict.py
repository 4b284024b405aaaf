"""The editor and Late: a conflict banner with both ways out, and a status line that follows the post's sync
state (pending, on Late, refused, in conflict). Conflicts and pushes are made through the store's real API."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from editor_support import FB, IG, LI, WED, X, standalone_editor
from latecal.core.models import Post, Target
from ui_support import BERLIN, NOW, PushWatch, at, make_post, run_report

LATER = NOW + timedelta(days=365)


@pytest.fixture
def window(editor_window):
    return editor_window


def _push_ok(store, local_id: str, late_id: str = "late-1") -> None:
    """The sync engine's successful push of the post's pending entry."""
    (entry,) = [e for e in store.pending_entries(LATER) if e.local_id == local_id]
    store.finish_push(store.begin_push(entry), late_id=late_id)


def _conflicted(store, *, mine: str = "My launch text", theirs: str = "Late's launch text, edited by a teammate",
                when=None, account: Target | None = None, late_status: str = "scheduled"):
    """A post synced with Late, then edited here (not sent) while a teammate changed it on Late (or Late
    published it: ``late_status``)."""
    account = account or Target("twitter", X)
    post = store.save_post(make_post("Launch text", when or at(WED, 17), targets=[account]))
    _push_ok(store, post.local_id)
    synced = store.get_post(post.local_id)
    store.save_post(replace(synced, content=mine))
    remote = replace(synced, content=theirs, scheduled_for=at(WED, 18), status=late_status,
                     targets=[account, Target("linkedin", LI)],
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
    assert "changed on Late today at 11:30 (Europe/Berlin)" in text  # 10:30 UTC, in Berlin, named as in Time
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
    pushes = PushWatch(store)
    qtbot.mouseClick(editor.conflict_banner.keep_button, Qt.MouseButton.LeftButton)
    stored = store.get_post(local_id)
    assert stored.sync_state == "pending" and stored.content == "My launch text"
    assert [e.op for e in store.pending_entries(LATER)] == ["update"]  # it goes to Late at the next sync
    assert pushes.count == 1
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
    assert editor.when.scheduled_utc() == at(WED, 18)
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
    editor = standalone_editor(store, store.get_post(local_id), is_new=False, zone=BERLIN, clock=lambda: NOW,
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


def test_the_banner_names_the_zone_of_its_times_the_profiles_not_the_calendars(qtbot, window, store):
    local_id = _conflicted(store, account=Target("facebook", FB))  # Northwind's profile is in New York
    editor = window.editors.open_post(local_id)
    text = editor.conflict_banner.text()
    assert "changed on Late today at 05:30 (America/New_York)" in text  # 10:30 UTC; the calendar is in Berlin
    assert "Wed 10 Mar 12:00 (America/New_York); yours: Wed 10 Mar 11:00 (America/New_York)" in text
    editor.close()


# -- Late has already published its version -----------------------------------------------------------


def _handler_editor(qtbot, store, local_id):
    """An editor whose conflict handler only records its calls, with the stored post at each call."""
    calls = []

    def handler(post_id, keep):
        calls.append((post_id, keep, store.get_post(post_id)))
        return True

    editor = standalone_editor(store, store.get_post(local_id), is_new=False, zone=BERLIN, clock=lambda: NOW,
                        conflict_handler=handler)
    qtbot.addWidget(editor)
    editor.ask_unsaved = lambda _e: "discard"  # a failed test must not leave a modal question behind
    editor.show()
    return editor, calls


@pytest.mark.parametrize(("late_status", "title"), [
    ("published", "Late has already published this post:"),
    ("publishing", "Late is publishing this post:"),
    ("pending_approval", "Late holds this post for approval:"),
])
def test_when_late_takes_no_more_changes_keeping_mine_makes_a_new_draft(qtbot, store, accounts, late_status, title):
    local_id = _conflicted(store, late_status=late_status)
    editor, calls = _handler_editor(qtbot, store, local_id)
    banner = editor.conflict_banner
    assert f"{title} your changes cannot be applied to it" in banner.text()
    assert banner.keep_button.text() == "Keep mine as a new draft"
    assert "new draft" in banner.keep_button.toolTip()
    assert "the post stays as Late has it" in banner.keep_button.toolTip()
    assert banner.take_button.text() == "Take Late's version"
    banner.keep_button.click()
    assert [(post_id, keep) for post_id, keep, _stored in calls] == [(local_id, "local")]  # the window copies it
    editor.close()


def test_once_kept_as_a_new_draft_the_editor_shows_lates_post_and_says_where_the_text_went(qtbot, store, accounts):
    local_id = _conflicted(store, late_status="published")

    def window_keeps_a_copy(post_id, keep):  # what the window does for keep="local" here (MainWindow.resolve_conflict)
        store.save_post(make_post(store.get_post(post_id).content, None, status="draft"))
        store.resolve_conflict(post_id, "remote")
        return True

    editor = standalone_editor(store, store.get_post(local_id), is_new=False, zone=BERLIN, clock=lambda: NOW,
                        conflict_handler=window_keeps_a_copy)
    qtbot.addWidget(editor)
    editor.show()
    editor.content_edit.setPlainText("My launch text, typo fixed")
    editor.conflict_banner.keep_button.click()
    assert not editor.conflict_banner.isVisible() and editor.read_only
    assert editor.content_edit.toPlainText() == "Late's launch text, edited by a teammate"
    assert editor.banner.isVisible() and "saved as a new draft" in editor.banner.text()
    editor.close()


def test_a_conflict_late_has_not_published_keeps_the_plain_choice(qtbot, store, accounts):
    local_id = _conflicted(store, late_status="scheduled")
    editor, _calls = _handler_editor(qtbot, store, local_id)
    assert editor.conflict_banner.keep_button.text() == "Keep my version"
    assert "already published" not in editor.conflict_banner.text()
    editor.close()


# -- what is kept is what is on screen -----------------------------------------------------------------


def test_keep_my_version_saves_the_unsaved_text_first(qtbot, window, store, sync):
    local_id = _conflicted(store)
    editor = window.editors.open_post(local_id)
    editor.content_edit.setPlainText("My launch text, and one more line")
    assert editor.is_dirty()
    qtbot.mouseClick(editor.conflict_banner.keep_button, Qt.MouseButton.LeftButton)
    stored = store.get_post(local_id)
    assert stored.sync_state == "pending" and stored.content == "My launch text, and one more line"
    assert stored.status == "scheduled"  # saved as Save does: a scheduled post stays scheduled
    assert [e.op for e in store.pending_entries(LATER)] == ["update"]
    assert not editor.is_dirty() and not editor.conflict_banner.isVisible()
    assert store.load_autosaves() == {}
    editor.close()


def test_keep_saves_before_it_asks_the_window(qtbot, store, accounts):
    local_id = _conflicted(store)
    editor, calls = _handler_editor(qtbot, store, local_id)
    qtbot.keyClicks(editor.title_edit, "Typed, not saved")
    editor.conflict_banner.keep_button.click()
    ((_post_id, keep, stored),) = calls
    assert keep == "local" and stored.title == "Typed, not saved"
    editor.close()


def test_keep_with_unsaved_text_that_cannot_be_saved_says_why_and_keeps_nothing(qtbot, store, accounts):
    local_id = _conflicted(store, when=at(WED, 11))  # its time has passed: it cannot stay scheduled
    editor, calls = _handler_editor(qtbot, store, local_id)
    editor.content_edit.setPlainText("My launch text!")
    editor.conflict_banner.keep_button.click()
    assert calls == []
    note = editor.conflict_banner.note
    assert note.isVisible() and "Nothing was kept" in note.text() and "in the past" in note.text()
    assert "Nothing was kept" in editor.conflict_banner.text()
    stored = store.get_post(local_id)
    assert stored.sync_state == "conflict" and stored.content == "My launch text"
    assert editor.content_edit.toPlainText() == "My launch text!" and editor.is_dirty()

    editor.when.set_wall_time(WED, at(WED, 19).astimezone(BERLIN).time())  # fixed: now it can be kept
    editor.conflict_banner.keep_button.click()
    assert [keep for _id, keep, _stored in calls] == ["local"]
    assert calls[0][2].content == "My launch text!" and calls[0][2].scheduled_for == at(WED, 19)
    assert not editor.conflict_banner.note.isVisible()
    editor.close()


def test_keep_as_a_new_draft_saves_the_unsaved_text_by_a_drafts_rules(qtbot, store, accounts):
    # Late published it at its time, which has passed: as a draft copy it need not be schedulable
    local_id = _conflicted(store, when=at(WED, 11), late_status="published")
    editor, calls = _handler_editor(qtbot, store, local_id)
    editor.content_edit.setPlainText("My launch text, typo fixed")
    editor.conflict_banner.keep_button.click()
    ((_post_id, keep, stored),) = calls
    assert keep == "local" and stored.content == "My launch text, typo fixed"
    assert stored.status == "scheduled"  # left for the window, which copies it as a draft
    assert not editor.conflict_banner.note.isVisible()
    editor.close()


# -- a conflict settled elsewhere ----------------------------------------------------------------------


def test_a_take_question_left_open_closes_when_the_conflict_is_settled_elsewhere(qtbot, window, store):
    local_id = _conflicted(store)
    editor = window.editors.open_post(local_id)
    editor.ask_unsaved = lambda _e: "discard"
    editor.content_edit.setPlainText("An idea I have not saved")
    editor.take_late_version()
    box = editor.confirm_box
    assert box is not None and box.isVisible()

    window.commands.resolve_conflict(local_id, "local")  # e.g. from the calendar's context menu
    assert not box.isVisible() and editor.confirm_box is None
    assert not editor.conflict_banner.isVisible()
    assert editor.content_edit.toPlainText() == "An idea I have not saved"  # the form is still the user's
    editor.close()


def test_without_a_handler_the_choices_are_shown_but_disabled(qtbot, store, accounts):
    local_id = _conflicted(store)
    editor = standalone_editor(store, store.get_post(local_id), is_new=False, zone=BERLIN, clock=lambda: NOW)
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
    assert editor.status_line.text() == ("Late refused your last change (Duplicate content for this account) "
                                         "and still has the earlier version. Fix it and save again.")
    editor.close()


def test_status_line_for_a_new_post_late_refused(qtbot, window, store):
    window.editors.new_post(at(WED, 17))
    editor = next(iter(window.editors.editors.values()))
    editor.picker.checks[X].setChecked(True)
    editor.content_edit.setPlainText("Never made it")
    editor.revalidate()
    editor.schedule()
    (entry,) = store.pending_entries(LATER)
    store.fail_push(store.begin_push(entry), "Account is disconnected.", retry_at=None, rejected=True)
    assert editor.status_line.text() == ("Not on Late yet: Late refused the post (Account is disconnected). "
                                         "Fix it and save again.")
    editor.close()


def test_status_line_says_when_the_app_is_offline_after_a_sync_run(qtbot, window, store, sync):
    post = store.save_post(make_post("Offline", at(WED, 17), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    assert editor.status_line.text().endswith("Not sent to Late yet: sending…")
    sync.online = False
    sync.finished.emit(run_report())
    assert editor.status_line.text().endswith("Not sent yet: it goes to Late when the connection is back.")
    editor.close()


def test_status_line_without_a_connection_says_the_post_waits_here(qtbot, store, accounts):
    post = store.save_post(make_post("Offline", at(WED, 17), status="draft", targets=[Target("twitter", X)]))
    editor = standalone_editor(store, post, is_new=False, zone=BERLIN, clock=lambda: NOW)
    qtbot.addWidget(editor)
    assert editor.status_line.text() == ("Saved as a draft. Not sent yet: kept on this computer until the app is "
                                         "connected to Late.")
    editor.close()


@pytest.mark.parametrize("status", ["published", "failed"])
def test_status_line_names_other_statuses_on_late(qtbot, store, accounts, status):
    post = store.save_post(Post(content="Out", scheduled_for=at(WED, 8), status=status,
                                targets=[Target("twitter", X)]))
    _push_ok(store, post.local_id)
    editor = standalone_editor(store, store.get_post(post.local_id), is_new=False, zone=BERLIN, clock=lambda: NOW)
    qtbot.addWidget(editor)
    assert editor.status_line.text() == f"{status.capitalize()} on Late."
    editor.close()


def test_status_line_of_a_failed_post_says_why_at_once(qtbot, store, accounts):
    post = store.save_post(Post(content="Out", scheduled_for=at(WED, 8), status="failed", targets=[
        Target("twitter", X, status="failed", error_message="Duplicate content"),
        Target("instagram", IG, status="failed", error_message="Media aspect ratio not supported.")]))
    _push_ok(store, post.local_id)
    editor = standalone_editor(store, store.get_post(post.local_id), is_new=False, zone=BERLIN, clock=lambda: NOW)
    qtbot.addWidget(editor)
    assert editor.status_line.text() == ("Failed on Late. X: Duplicate content. "
                                         "Instagram: Media aspect ratio not supported.")
    editor.close()


def test_a_partly_published_post_can_still_take_my_version(qtbot, store, accounts):
    """Late accepts updates to partial posts (late-api.md): the ordinary choice, no copy."""
    local_id = _conflicted(store, late_status="partial")
    editor, _calls = _handler_editor(qtbot, store, local_id)
    assert editor.conflict_banner.keep_button.text() == "Keep my version"
    editor.close()


def test_keeping_unsaved_text_over_a_published_post_makes_a_draft_of_what_is_on_screen(qtbot, window, store):
    """The real window's choice, through the banner: what the user typed (not saved yet) is the new draft."""
    local_id = _conflicted(store, late_status="published")
    editor = window.editors.open_post(local_id)
    editor.content_edit.setPlainText("Typed here, never saved")
    assert editor.is_dirty()
    editor.conflict_banner.keep_button.click()
    drafts = [p for p in store.unscheduled_drafts() + store.posts_between(at(WED, 0), at(WED, 23))
              if p.content == "Typed here, never saved" and p.local_id != local_id]
    assert len(drafts) == 1 and drafts[0].status == "draft" and drafts[0].late_id is None
    original = store.get_post(local_id)
    assert original.sync_state == "synced" and original.content == "Late's launch text, edited by a teammate"
    editor.close()


def test_the_banner_when_late_deleted_the_post(qtbot, window, store):
    from latecal.core.status import DELETED_ON_LATE

    local_id = _conflicted(store, late_status=DELETED_ON_LATE)
    editor = window.editors.open_post(local_id)
    banner = editor.conflict_banner
    assert banner.text().startswith("Late has deleted this post: your changes cannot be applied to it any more.")
    assert banner.keep_button.text() == "Keep mine as a new draft"
    assert banner.take_button.text() == "Delete it here too"
    assert not banner.details.isVisible()  # no "Late's version" left to show
    editor.close()
