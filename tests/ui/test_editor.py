"""The post editor against a real store: opening, live validation, actions per state, autosave and closing."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from editor_support import FB, IG, LI, TH, WED, X, close_quietly, png_bytes, tick
from latecal.core.models import MediaItem, Target
from latecal.core.zones import utc_to_wall
from latecal.ui.editor.close_question import DISCARD, SAVE, unsaved_changes_box
from latecal.ui.editor.feedback import AMBER, RED
from latecal.ui.editor.window import PostEditor
from ui_support import NOW, PushWatch, at, make_post, run_report


@pytest.fixture
def window(editor_window):
    return editor_window


def _editor(window) -> PostEditor:
    editors = list(window.editors.editors.values())
    assert len(editors) == 1
    return editors[0]



def _type(qtbot, editor: PostEditor, text: str) -> None:
    editor.content_edit.setFocus()
    qtbot.keyClicks(editor.content_edit, text)



# -- opening ---------------------------------------------------------------------------------------------


def test_n_opens_an_empty_editor_with_the_time_prefilled(qtbot, window):
    qtbot.keyClick(window.views.currentWidget(), "n")
    editor = _editor(window)
    assert editor.isVisible() and editor.is_new
    assert editor.content_edit.toPlainText() == "" and editor.picker.selected() == []
    assert editor.when.scheduled_utc() == NOW.replace(minute=0) + timedelta(hours=1)  # next full hour today
    assert editor.when.zone_combo.currentText() == "Europe/Berlin (the calendar's zone)"
    close_quietly(editor)


def test_an_empty_slot_prefills_its_time_and_reopening_raises_the_same_editor(qtbot, window, store):
    scene = window.views.week.scene
    scene.slot_activated.emit(at(WED, 15, 30))
    editor = _editor(window)
    assert utc_to_wall(editor.when.scheduled_utc(), window.zone).time() == time(15, 30)
    close_quietly(editor)

    post = store.save_post(make_post("Open me", at(WED, 16), targets=[Target("twitter", X)]))
    window.commands.open_post(post.local_id)
    first = window.editors.editors[post.local_id]
    window.commands.open_post(post.local_id)
    assert window.editors.editors[post.local_id] is first and len(window.editors.editors) == 1
    assert first.content_edit.toPlainText() == "Open me" and not first.is_new
    assert first.picker.selected() == [("twitter", X)]
    first.close()
    assert window.editors.editors == {}


def test_duplicate_opens_the_copy_in_an_editor(qtbot, window, store):
    post = store.save_post(make_post("Copy me", at(WED, 18), targets=[Target("twitter", X)]))
    copy = window.commands.duplicate_post(post.local_id)
    editor = window.editors.editors[copy.local_id]
    assert editor.content_edit.toPlainText() == "Copy me" and editor.post.status == "draft"
    editor.close()


# -- live validation: every rule's message reaches the form ------------------------------------------------


def test_each_problem_is_shown_next_to_its_field_and_blocks_schedule(qtbot, window):
    window.editors.new_post(at(WED, 9))  # 09:00 Berlin is two hours before NOW
    editor = _editor(window)
    tick(editor, X, IG)
    qtbot.waitUntil(lambda: not editor._validate_timer.isActive())
    editor.revalidate()
    assert "Write some text, attach media, or give every account its own text." in editor.content_problems.messages
    assert any("in the past" in m for m in editor.when.problems.messages)
    assert "Instagram needs at least one image or video." in editor.media.problems.messages
    assert not editor.schedule_button.isEnabled() and not editor.publish_button.isEnabled()
    assert editor.save_draft_button.isEnabled()
    reasons = editor.reasons_text()
    assert "Cannot schedule yet" in reasons and "in the past" in reasons and "Instagram needs" in reasons
    close_quietly(editor)


def test_x_counter_counts_a_url_as_23_and_turns_amber_then_red(qtbot, window):
    window.editors.new_post(at(WED, 20))
    editor = _editor(window)
    tick(editor, X)
    _type(qtbot, editor, "See https://example.com/a/very/long/path/that/is/much/longer/than/23/chars")
    editor.revalidate()
    label = editor.counters.labels["twitter"]
    assert label.text() == "X 27 / 280" and label.property("level") == "ok"  # "See " + 23
    editor.content_edit.setPlainText("a" * 252)
    editor.revalidate()
    assert label.property("level") == "near" and AMBER in label.styleSheet()
    assert editor.schedule_button.isEnabled()
    editor.content_edit.setPlainText("a" * 281)
    editor.revalidate()
    assert label.property("level") == "over" and RED in label.styleSheet()
    assert "X allows 280 characters; this text has 281." in editor.content_problems.messages
    assert not editor.schedule_button.isEnabled()
    assert "X allows 280 characters" in editor.reasons_text()
    close_quietly(editor)


def test_custom_text_tab_per_selected_account_with_its_own_counter(qtbot, window):
    window.editors.new_post(at(WED, 20))
    editor = _editor(window)
    tick(editor, X, LI)
    assert editor.custom.tabs.count() == 2
    editor.content_edit.setPlainText("b" * 400)  # fine on LinkedIn, too long for X
    editor.custom_edit(X).setPlainText("Short for X")
    editor.revalidate()
    assert "twitter" not in editor.counters.labels and "linkedin" in editor.counters.labels
    assert editor.schedule_button.isEnabled()
    editor.custom_edit(X).setPlainText("c" * 300)
    editor.revalidate()
    x_tab = editor.custom.account_ids().index(X)
    assert editor.custom.current_account() == X and editor.custom.tabs.tabText(x_tab).startswith("⚠ X")
    assert editor.custom.problems.messages == ["X allows 280 characters; this text has 300."]
    assert editor.custom.problems_by_account == {X: ["X allows 280 characters; this text has 300."]}
    assert editor.custom_edit(LI).toPlainText() == ""  # LinkedIn's tab: the main text goes there
    assert editor.custom.problems.messages == [] and editor.custom.counter.labels
    assert editor.custom_edit(X).toPlainText() == "c" * 300
    assert editor.current_post().target_for(X).custom_content == "c" * 300
    close_quietly(editor)


def test_disconnected_account_cannot_be_chosen_and_is_reported_on_a_post_that_has_it(qtbot, window, store):
    window.editors.new_post(at(WED, 20))
    editor = _editor(window)
    check = editor.picker.checks[TH]
    assert not check.isEnabled() and "disconnected" in check.text()
    close_quietly(editor)

    post = store.save_post(make_post("Old post", at(WED, 20), status="draft", targets=[Target("threads", TH)]))
    editor = window.editors.open_post(post.local_id)
    assert editor.picker.checks[TH].isChecked() and editor.picker.checks[TH].isEnabled()
    assert any("disconnected" in m for m in editor.target_problems.messages)
    assert not editor.schedule_button.isEnabled()
    editor.picker.checks[TH].setChecked(False)
    assert not editor.picker.checks[TH].isEnabled()  # once unticked it cannot come back
    close_quietly(editor)


def test_zone_defaults_to_the_first_accounts_profile_and_an_explicit_choice_is_stored(qtbot, window):
    window.editors.new_post(at(WED, 20))
    editor = _editor(window)
    tick(editor, FB)  # Northwind, New York
    assert editor.effective_zone() == "America/New_York"
    assert editor.when.zone_combo.currentText() == "America/New_York (Northwind's zone)"  # the switch says why
    assert editor.when.scheduled_utc() == at(WED, 20)  # the instant from the calendar is kept
    assert editor.current_post().timezone is None
    editor.when.zone_combo.setCurrentIndex(editor.when.zone_combo.findData("Asia/Tokyo"))
    editor.when.zone_combo.activated.emit(editor.when.zone_combo.currentIndex())
    assert editor.current_post().timezone == "Asia/Tokyo"
    tokyo_hour = utc_to_wall(editor.when.scheduled_utc(), "Asia/Tokyo").hour
    assert tokyo_hour == utc_to_wall(at(WED, 20), "America/New_York").hour
    close_quietly(editor)


def test_upload_pending_without_a_connection_blocks_schedule_and_says_why(qtbot, window, tmp_path):
    png = tmp_path / "photo.png"
    png.write_bytes(png_bytes())
    window.editors.new_post(at(WED, 20))
    editor = _editor(window)
    tick(editor, IG)
    _type(qtbot, editor, "Spring")
    editor.media.add_files([str(png)])
    entry = editor.media.entries[0]
    assert entry.state == "failed" and "not connected to Late" in entry.error
    assert not editor.schedule_button.isEnabled()
    assert "photo.png did not upload" in editor.reasons_text()
    close_quietly(editor)


def test_late_rejection_from_the_sync_report_is_shown_like_the_other_problems(qtbot, window, store, sync):
    post = store.save_post(make_post("Rejected", at(WED, 20), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    pushes = PushWatch(store)
    editor.schedule()
    assert pushes.count == 1
    sync.finished.emit(run_report(rejected={post.local_id: "Duplicate content for this account."}))
    assert editor.late_problems.messages == ["Late refused the last save: Duplicate content for this account."]
    editor.close()


# -- actions per state ---------------------------------------------------------------------------------------


def test_schedule_saves_status_and_time_then_syncs_and_shows_on_the_calendar(qtbot, window, store, sync):
    window.editors.new_post(at(WED, 17))
    editor = _editor(window)
    tick(editor, X)
    _type(qtbot, editor, "Launch day")
    editor.hashtags_edit.setText("#launch, spring")
    editor.title_edit.setText("Launch")
    editor.revalidate()
    assert editor.schedule_button.isEnabled()
    pushes = PushWatch(store)
    qtbot.mouseClick(editor.schedule_button, qtbot_left())
    saved = store.get_post(editor.local_id)
    assert saved.status == "scheduled" and saved.scheduled_for == at(WED, 17)
    assert saved.hashtags == ["#launch", "#spring"] and saved.title == "Launch"
    assert saved.timezone is None and saved.targets == [Target("twitter", X)]
    assert pushes.count == 1
    assert saved.local_id in window.views.week.scene.items_by_id
    assert not editor.is_dirty() and store.load_autosaves() == {}
    assert "Scheduled for Wed 10 Mar 17:00" in editor.status_line.text()
    assert editor.to_draft_button.isEnabled() and not editor.save_draft_button.isEnabled()
    editor.move_to_draft()
    assert store.get_post(editor.local_id).status == "draft"
    editor.close()


def test_publish_now_schedules_for_the_clocks_now(qtbot, window, store):
    window.editors.new_post(None)
    editor = _editor(window)
    tick(editor, LI)
    _type(qtbot, editor, "Right now")
    editor.revalidate()
    assert not editor.schedule_button.isEnabled()  # no time picked
    assert editor.publish_button.isEnabled()
    saved = editor.publish_now()
    assert saved.status == "scheduled" and saved.scheduled_for == NOW
    editor.close()


@pytest.mark.parametrize(
    ("status", "enabled"),
    [
        ("draft", {"save_draft", "schedule", "publish", "delete"}),
        ("scheduled", {"schedule", "publish", "delete", "to_draft"}),
        ("failed", {"schedule", "publish", "delete", "retry", "to_draft"}),
        ("partial", {"delete", "retry"}),
        ("published", set()),
        ("publishing", {"delete"}),
    ],
)
def test_actions_follow_the_posts_state(qtbot, window, store, status, enabled):
    post = make_post("Stateful", at(WED, 20), status=status, targets=[Target("linkedin", LI)], late_id="late-1")
    post = store.save_post(post)
    editor = window.editors.open_post(post.local_id)
    buttons = {
        "save_draft": editor.save_draft_button, "schedule": editor.schedule_button,
        "publish": editor.publish_button, "delete": editor.delete_button, "retry": editor.retry_button,
        "to_draft": editor.to_draft_button,
    }
    assert {name for name, b in buttons.items() if b.isEnabled()} == enabled
    editor.close()


def test_published_post_opens_read_only_with_per_platform_links(qtbot, window, store):
    post = make_post("Out there", at(WED, 8), status="published", late_id="late-9", targets=[
        Target("twitter", X, status="published", platform_post_url="https://x.com/acme/status/1"),
        Target("linkedin", LI, status="published", platform_post_url="https://linkedin.com/feed/update/2"),
    ])
    post = store.save_post(post)
    opened = []
    window.commands.url_opener = lambda url: opened.append(url.toString()) or True
    editor = window.editors.open_post(post.local_id)
    assert editor.read_only and editor.content_edit.isReadOnly() and not editor.media.add_button.isEnabled()
    assert not editor.picker.checks[X].isEnabled() and not editor.acceptDrops()
    assert editor.results.isVisible()
    body = editor.results.body.text()
    assert "https://x.com/acme/status/1" in body and "https://linkedin.com/feed/update/2" in body
    editor.results.body.linkActivated.emit("https://x.com/acme/status/1")
    assert opened == ["https://x.com/acme/status/1"]
    assert "published and can no longer be changed" in " ".join(editor.status_problems.messages)
    editor.close()


def test_failed_and_partial_posts_show_each_platforms_error(qtbot, window, store):
    post = make_post("Half", at(WED, 8), status="partial", late_id="late-3", targets=[
        Target("twitter", X, status="published", platform_post_url="https://x.com/acme/status/3"),
        Target("linkedin", LI, status="failed", error_message="LinkedIn token expired; reconnect the account."),
    ])
    editor = window.editors.open_post(store.save_post(post).local_id)
    body = editor.results.body.text()
    assert "LinkedIn token expired; reconnect the account." in body and "Failed" in body
    assert editor.retry_button.isEnabled()
    editor.close()


# -- never lose text -----------------------------------------------------------------------------------------


def test_typing_is_autosaved_after_a_pause_and_a_clean_save_clears_it(qtbot, window, store):
    window.editors.new_post(at(WED, 20))
    editor = _editor(window)
    _type(qtbot, editor, "Half a thought")
    assert store.load_autosaves() == {}  # debounced: nothing written while typing
    qtbot.waitUntil(lambda: store.load_autosaves() != {}, timeout=2000)
    (key, data), = store.load_autosaves().items()
    assert key == f"new:{editor.local_id}" and json.loads(data)["content"] == "Half a thought"
    tick(editor, X)
    editor.save_draft()
    assert store.load_autosaves() == {}
    assert store.get_post(editor.local_id).content == "Half a thought"
    editor.close()


def test_closing_with_unsent_changes_asks_and_follows_the_answer(qtbot, window, store):
    post = store.save_post(make_post("Original", at(WED, 20), status="draft", targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    asked = []
    editor.content_edit.setPlainText("Changed")
    editor.autosave_now()
    assert post.local_id in store.load_autosaves()

    editor.ask_unsaved = lambda e: asked.append("cancel") or "cancel"
    editor.close()
    assert editor.isVisible() and asked == ["cancel"]
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # Escape closes the same way, asking first
    assert editor.isVisible() and asked == ["cancel", "cancel"]

    editor.ask_unsaved = lambda e: asked.append("save") or SAVE
    editor.close()
    assert not editor.isVisible() and store.get_post(post.local_id).content == "Changed"
    assert store.load_autosaves() == {}

    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("Throw away")
    editor.autosave_now()
    editor.ask_unsaved = lambda e: DISCARD
    editor.close()
    assert store.get_post(post.local_id).content == "Changed" and store.load_autosaves() == {}

    editor = window.editors.open_post(post.local_id)
    editor.close()  # nothing changed: no question
    assert not editor.isVisible()


def test_the_default_prompt_is_a_save_discard_cancel_box(qtbot, window, store):
    window.editors.new_post(None)
    editor = _editor(window)
    editor.content_edit.setPlainText("Unsent")
    box = unsaved_changes_box(editor)
    assert [b.text() for b in box.buttons()] == ["Save", "Discard", "Cancel"] or sorted(
        b.text() for b in box.buttons()) == ["Cancel", "Discard", "Save"]

    def click_discard():
        modal = QApplication.activeModalWidget()
        assert isinstance(modal, QMessageBox)
        next(b for b in modal.buttons() if b.text() == "Discard").click()

    QTimer.singleShot(50, click_discard)
    editor.close()  # the real box, exec()'d from closeEvent (a plain slot)
    assert not editor.isVisible() and store.load_autosaves() == {}


def test_a_post_changed_by_sync_updates_an_unchanged_editor(qtbot, window, store):
    post = store.save_post(make_post("Going out", at(WED, 20), targets=[Target("twitter", X)], late_id="late-5"))
    editor = window.editors.open_post(post.local_id)
    published = store.get_post(post.local_id)
    published.status = "published"
    published.targets[0].platform_post_url = "https://x.com/acme/status/5"
    store.save_post(published)  # stands in for the sync engine's write
    assert editor.read_only and "https://x.com/acme/status/5" in editor.results.body.text()
    editor.close()


def test_media_can_be_reordered_removed_and_keeps_its_uploaded_url(qtbot, window, store):
    media = [MediaItem("image", url="https://cdn/1.png", filename="1.png"),
             MediaItem("image", url="https://cdn/2.png", filename="2.png")]
    post = store.save_post(make_post("Two pics", at(WED, 20), status="draft", targets=[Target("instagram", IG)],
                                     media=media))
    editor = window.editors.open_post(post.local_id)
    assert [e.state for e in editor.media.entries] == ["uploaded", "uploaded"]  # nothing is uploaded again
    editor.media.list.rows[1].up.click()
    assert [e.name for e in editor.media.entries] == ["2.png", "1.png"]
    editor.media.list.rows[0].remove.click()
    assert [e.item.url for e in editor.media.entries] == ["https://cdn/1.png"]
    editor.save_draft()
    assert [m.url for m in store.get_post(post.local_id).media] == ["https://cdn/1.png"]
    editor.close()


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton





def test_a_drag_while_the_editor_has_unsaved_text_moves_its_time_and_saving_keeps_both(
        qtbot, editor_window, store):
    window = editor_window
    post = store.save_post(make_post("Launch teaser", at(WED, 14), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("Launch teaser, now with the price")  # typed, not saved
    friday = WED + timedelta(days=2)
    assert window.runner.move(post.local_id, at(friday, 14))  # meanwhile, a drag in the calendar
    assert editor.when.scheduled_utc() == at(friday, 14)  # the form follows the part the user did not touch…
    assert editor.content_edit.toPlainText() == "Launch teaser, now with the price"  # …and keeps what they typed
    assert editor.is_dirty()
    editor.schedule()
    saved = store.get_post(post.local_id)
    assert (saved.content, saved.scheduled_for) == ("Launch teaser, now with the price", at(friday, 14))


def test_a_time_the_user_changed_in_the_editor_wins_over_a_later_drag(qtbot, editor_window, store):
    window = editor_window
    post = store.save_post(make_post("Mine", at(WED, 14), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    editor.when.set_wall_time(WED + timedelta(days=1), time(18, 0))  # typed, not saved
    assert window.runner.move(post.local_id, at(WED + timedelta(days=2), 14))
    assert editor.when.scheduled_utc() == at(WED + timedelta(days=1), 18)


def test_a_time_set_in_the_editor_moves_the_time_late_gave_one_platform_along(qtbot, editor_window, store):
    """Late keeps a per-platform time sent beside a new post time: sending the old one would leave that
    platform publishing at the old time. A time typed in the editor moves it, as a drag does."""
    window = editor_window
    post = store.save_post(make_post("Held", at(WED, 14), targets=[
        Target("linkedin", LI, scheduled_for=at(WED, 14, 30)), Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("Held, with the price")  # text alone moves nothing
    assert [t.scheduled_for for t in editor.current_post().targets] == [at(WED, 14, 30), None]
    editor.when.set_wall_time(WED + timedelta(days=1), time(18, 0))
    editor.schedule()
    saved = store.get_post(post.local_id)
    assert saved.scheduled_for == at(WED + timedelta(days=1), 18)
    assert [t.scheduled_for for t in saved.targets] == [at(WED + timedelta(days=1), 18, 30), None]
    editor.publish_now()  # "now" moves it too: the platform still follows half an hour later
    saved = store.get_post(post.local_id)
    assert [t.scheduled_for for t in saved.targets] == [NOW.replace(microsecond=0) + timedelta(minutes=30), None]
    close_quietly(editor)


def test_seconds_the_form_cannot_show_are_no_new_time_for_a_platforms_own(qtbot, editor_window, store):
    window = editor_window
    post = store.save_post(make_post("From Late, with seconds", at(WED, 14).replace(second=30), targets=[
        Target("linkedin", LI, scheduled_for=at(WED, 14, 30).replace(second=30))]))
    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("From Late, edited")
    editor.schedule()
    assert store.get_post(post.local_id).targets[0].scheduled_for == at(WED, 14, 30).replace(second=30)
    close_quietly(editor)


def test_delete_in_the_editor_asks_on_top_of_the_editor_and_can_be_undone(qtbot, editor_window, store):
    window = editor_window
    post = store.save_post(make_post("Delete from the editor", at(WED, 15), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    box = window.commands.confirm_box
    assert box.parent() is editor and box.isVisible()  # the editor stays in front, under its question
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert editor.isVisible() and store.get_post(post.local_id) is not None
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    window.commands.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    assert store.get_post(post.local_id) is None
    qtbot.waitUntil(lambda: not editor.isVisible())
    window.runner.undo_stack.undo()
    assert store.get_post(post.local_id).content == "Delete from the editor"


def test_ctrl_s_saves_and_keeps_a_scheduled_post_scheduled(qtbot, editor_window, store):
    post = store.save_post(make_post("Before", at(WED, 15), targets=[Target("twitter", X)]))
    editor = editor_window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("After")
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)  # shortcuts reach the active window only
    qtbot.keyClick(editor.content_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = store.get_post(post.local_id)
    assert (saved.content, saved.status) == ("After", "scheduled")
    assert editor.isVisible() and not editor.is_dirty()


def test_the_merge_compares_accounts_in_one_order_whatever_order_late_lists_them(qtbot, editor_window, store):
    window = editor_window
    post = store.save_post(make_post("Launch", at(WED, 14), targets=[Target("twitter", X), Target("linkedin", LI)]))
    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("Launch, typed")
    assert window.runner.move(post.local_id, at(WED + timedelta(days=1), 14))  # a drag meanwhile
    editor.content_edit.setPlainText("Launch")  # typed back
    assert not editor.is_dirty()
    editor.content_edit.setPlainText("Launch, typed again")
    from dataclasses import replace

    store.save_post(replace(store.get_post(post.local_id), targets=[Target("twitter", X)]), initiator=object())
    assert [a for _p, a in editor.picker.selected()] == [X]  # the accounts were left alone here: taken
    editor.save_in_place()
    assert [t.account_id for t in store.get_post(post.local_id).targets] == [X]


def test_an_open_editor_stops_saying_deleted_once_the_delete_is_undone(qtbot, editor_window, store):
    window = editor_window
    post = store.save_post(make_post("Keep me", at(WED, 14), targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("Keep me, edited")
    window.commands.delete_post(post.local_id)
    assert "This post was deleted" in editor.banner.text()
    window.runner.undo_stack.undo()
    assert "was deleted" not in editor.banner.text()
    assert editor.content_edit.toPlainText() == "Keep me, edited"


def test_a_file_named_like_an_image_that_is_none_is_refused_before_any_upload(qtbot, window, tmp_path):
    fake = tmp_path / "broken.png"
    fake.write_bytes(b"\x00\x13random bytes, not a PNG" * 100)
    real = tmp_path / "photo.png"
    real.write_bytes(png_bytes())
    window.editors.new_post(at(WED, 20))
    editor = _editor(window)
    tick(editor, IG)
    added = editor.media.add_files([str(fake), str(real)])
    assert [e.item.filename for e in added] == ["photo.png"]
    assert editor.media.problems.messages[0] == (
        "broken.png was not added: broken.png is not an image that can be read (damaged, or another kind of file).")
    close_quietly(editor)


def test_saving_a_fix_to_a_failed_post_keeps_it_failed_for_a_retry(qtbot, editor_window, store):
    post = store.save_post(make_post("Too long for X", at(WED, 8), status="failed", targets=[Target("twitter", X)]))
    editor = editor_window.editors.open_post(post.local_id)  # its time has passed: it cannot be scheduled as is
    editor.content_edit.setPlainText("Short now")
    assert editor.save_in_place() is not None
    saved = store.get_post(post.local_id)
    assert (saved.content, saved.status, saved.scheduled_for) == ("Short now", "failed", at(WED, 8))
    asked = []
    editor.ask_unsaved = lambda e: asked.append(1) or "save"
    editor.close()
    assert asked == [] and not editor.isVisible()  # nothing left unsaved


def test_ctrl_s_in_the_editor_of_a_deleted_post_saves_the_text_as_a_new_draft(qtbot, editor_window, store):
    window = editor_window
    post = store.save_post(make_post("Old words", at(WED, 8), status="failed", targets=[Target("twitter", X)]))
    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("New words")
    window.commands.delete_post(post.local_id)
    assert "Ctrl+S saves it as a new draft" in editor.banner.text()
    assert editor.save_in_place() is not None
    assert store.get_post(post.local_id) is None  # the deleted post stays deleted
    (copy,) = store.unscheduled_drafts()  # its time has passed: a draft without one
    assert copy.content == "New words" and "saved as the new draft" in editor.banner.text()
    assert not editor.is_dirty()
    close_quietly(editor)
