"""The Problems panel on a real window and a real store: each kind of row appears and goes as the store changes
(through the one change relay), the badge counts them, the session's notices stay listed once per text, and a
click on a desktop notification opens its post."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon

from latecal.core.models import Account, Post, Target
from latecal.presentation import messages as say
from latecal.presentation.tray_notices import Notice
from latecal.ui.app.tray import StatusNotifier
from latecal.ui.widgets import settings as S
from latecal.ui.widgets.icons import app_icon
from ui_support import NOW, flush_events, make_post, run_report


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def window(open_window, store, sync, clock):
    store.replace_accounts([Account("acc-twitter", "twitter", "p", username="acme"),
                            Account("acc-bluesky", "bluesky", "p", username="acme.bsky")])
    return open_window(sync=sync, clock=clock)


def remote(text: str, status: str, late_id: str, *, when=NOW - timedelta(minutes=30), targets=None) -> Post:
    return make_post(text, when, status=status, late_id=late_id,
                     targets=targets or [Target("twitter", "acc-twitter", status=status)])


def failed_post(store, text="Weekend sale", reason="Media aspect ratio not supported") -> Post:
    store.upsert_remote(remote(text, "failed", "late-f", targets=[
        Target("twitter", "acc-twitter", status="failed", error_message=reason)]))
    return store.get_by_late_id("late-f")


def rows(window) -> list[str]:
    return window.problems_panel.row_texts()


def test_empty_the_panel_says_nothing_needs_you_and_the_badge_hides(window):
    panel = window.problems_panel
    assert panel.count == 0 and rows(window) == []
    assert not panel.empty_label.isHidden() and panel.empty_label.text() == "Nothing needs you"
    assert window.toolbar.problems_button.isHidden()
    assert window.problems_dock.isHidden()  # until asked for


def test_a_failed_post_is_listed_live_with_its_reason_and_retry_then_goes_when_it_publishes(window, store, qtbot):
    post = failed_post(store)
    flush_events()
    panel = window.problems_panel
    assert rows(window) == ["Failed: “Weekend sale”\nX: Media aspect ratio not supported."]
    assert window.toolbar.problems_button.text() == "⚠ 1" and not window.toolbar.problems_button.isHidden()
    assert panel.empty_label.isHidden()

    qtbot.mouseClick(window.toolbar.problems_button, Qt.MouseButton.LeftButton)  # the badge opens the panel
    assert window.problems_dock.isVisible()
    panel.select(f"post:{post.local_id}")
    assert panel.retry_button.isVisible() and panel.open_button.text() == "Open"
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)  # Enter opens the row's post
    assert opened.args == [post.local_id]

    qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)  # the window's own retry
    assert [e.op for e in store.outbox_entries(post.local_id)] == ["retry"]

    flush_events()
    assert rows(window) == ["Failed: “Weekend sale”\nX: Media aspect ratio not supported.\n"
                            "Sent to Late again: waiting for its answer."]  # until Late answers
    assert panel.retry_button.isHidden()  # not offered twice
    (entry,) = store.outbox_entries(post.local_id)  # Late took the retry and published
    store.finish_push(store.begin_push(entry), remote_post=replace(
        post, status="published", targets=[Target("twitter", "acc-twitter", status="published")]))
    flush_events()
    assert store.get_post(post.local_id).status == "published"
    assert rows(window) == [] and window.toolbar.problems_button.isHidden()
    assert panel.empty_label.isVisible()


def test_retry_is_not_offered_when_the_failed_platform_cannot_post(window, store, sync):
    post = failed_post(store)
    store.replace_accounts([Account("acc-twitter", "twitter", "p", username="acme", needs_reconnection=True)])
    sync.finished.emit(run_report())  # a run refreshed the accounts
    panel = window.problems_panel
    panel.select(f"post:{post.local_id}")
    assert not panel.row_for(f"post:{post.local_id}").retry and panel.retry_button.isHidden()
    assert "X · acme needs reconnecting" in rows(window)[1]


def test_a_conflict_row_resolves_and_goes(window, store, qtbot):
    store.upsert_remote(remote("Launch", "scheduled", "late-c", when=NOW + timedelta(hours=2)))
    post = store.get_by_late_id("late-c")
    store.save_post(replace(post, content="Launch (mine)"))
    store.mark_conflict(post.local_id, replace(post, content="Launch (theirs)"), "Changed on Late too")
    flush_events()
    panel = window.problems_panel
    window.show_problems()
    assert rows(window) == ["Changed here and on Late: “Launch (mine)”\nOpen it to choose your version or Late's."]
    panel.select(f"post:{post.local_id}")
    assert panel.open_button.text() == "Resolve…" and panel.retry_button.isHidden()
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [post.local_id]
    assert window.commands.resolve_conflict(post.local_id, "remote")
    flush_events()
    assert rows(window) == []


def test_a_rejected_edit_shows_lates_reason_until_fixed(window, store):
    store.upsert_remote(remote("Promo", "scheduled", "late-r", when=NOW + timedelta(hours=2)))
    post = store.get_by_late_id("late-r")
    store.save_post(replace(post, content="Promo <b>now</b>"))
    (entry,) = store.outbox_entries(post.local_id)
    store.fail_push(store.begin_push(entry), "Instagram needs an image.", retry_at=None, rejected=True)
    flush_events()
    assert rows(window) == ["Late refused a change: “Promo <b>now</b>”\nLate: Instagram needs an image.\n"
                            "Open it to fix the post and save again."]
    store.save_post(replace(store.get_post(post.local_id), content="Promo, fixed"))  # a new edit: pending again
    flush_events()
    assert rows(window) == []


def test_an_account_needing_reconnection_appears_and_goes_with_the_runs_accounts(window, store, sync):
    store.replace_accounts([Account("acc-twitter", "twitter", "p", username="acme"),
                            Account("acc-bluesky", "bluesky", "p", username="acme.bsky", needs_reconnection=True)])
    assert rows(window) == []  # accounts are read when a run ends
    sync.finished.emit(run_report())
    assert rows(window) == ["Bluesky · acme.bsky needs reconnecting\nIts posts cannot go out until then.\n"
                            "Reconnect it in Late (app.getlate.dev, Connections), then press Sync."]
    assert window.toolbar.problems_button.text() == "⚠ 1"
    store.replace_accounts([Account("acc-bluesky", "bluesky", "p", username="acme.bsky")])
    sync.finished.emit(run_report())
    assert rows(window) == []


def test_sync_errors_stay_until_a_run_that_reached_late_has_none(window, sync):
    sync.finished.emit(run_report(errors=["Reading posts from Late failed: 502 Bad Gateway."], failed=True))
    assert rows(window) == ["Sync problem\nReading posts from Late failed: 502 Bad Gateway."]
    sync.finished.emit(run_report(offline=True))  # proves nothing either way
    assert len(rows(window)) == 1
    sync.finished.emit(run_report())
    assert rows(window) == []


def test_a_post_publishing_too_long_becomes_stuck_with_the_clock_and_goes_when_late_finishes(window, store, clock):
    store.upsert_remote(remote("Doors open", "publishing", "late-s", when=NOW - timedelta(minutes=10), targets=[
        Target("twitter", "acc-twitter", status="processing"), Target("bluesky", "acc-bluesky", status="published")]))
    post = store.get_by_late_id("late-s")
    flush_events()
    panel = window.problems_panel
    assert rows(window) == []  # ten minutes: Late may still be at it
    clock.now = NOW + timedelta(minutes=6)
    panel.tick()  # the minute timer
    assert rows(window) == ["Stuck publishing: “Doors open”\nPublishing since 11:50 (16 min)\nX: Processing\n"
                            "Bluesky: Published"]
    clock.now = NOW + timedelta(minutes=7)
    panel.tick()
    assert "Publishing since 11:50 (17 min)" in rows(window)[0]
    store.upsert_remote(replace(post, status="published", remote_updated_at=NOW, targets=[
        Target("twitter", "acc-twitter", status="published"), Target("bluesky", "acc-bluesky", status="published")]))
    flush_events()
    assert rows(window) == []


def test_the_stuck_setting_moves_the_line(window, store, clock):
    S.Settings().set(S.STUCK_AFTER_MIN, 20)
    store.upsert_remote(remote("Doors open", "publishing", "late-s", when=NOW - timedelta(minutes=16)))
    flush_events()
    assert rows(window) == []
    clock.now = NOW + timedelta(minutes=4)
    window.problems_panel.tick()
    assert rows(window)[0].startswith("Stuck publishing: “Doors open”\nPublishing since 11:44 (20 min)")


def test_a_schedule_that_did_not_reach_late_in_time_becomes_missed(window, store, clock):
    post = store.save_post(make_post("Flash sale", NOW + timedelta(minutes=1),
                                     targets=[Target("twitter", "acc-twitter")]))
    flush_events()
    assert rows(window) == []
    clock.now = NOW + timedelta(minutes=3)
    window.problems_panel.tick()
    assert rows(window) == ["Missed its time: “Flash sale”\nDue Wed 10 Mar 12:01, but its schedule had not reached "
                            "Late.\nOpen it to publish now, reschedule or keep it as a draft."]
    store.delete_post(post.local_id)
    flush_events()
    assert rows(window) == []


def test_rows_stand_in_order_of_urgency(window, store, sync):
    failed_post(store)
    store.upsert_remote(remote("Launch", "scheduled", "late-c", when=NOW + timedelta(hours=2)))
    post = store.get_by_late_id("late-c")
    store.save_post(replace(post, content="Launch (mine)"))
    store.mark_conflict(post.local_id, replace(post, content="Launch (theirs)"), "Changed on Late too")
    sync.finished.emit(run_report(errors=["Sending changes failed."], failed=True))
    firsts = [r.split("\n")[0] for r in rows(window)]
    assert firsts == ["Changed here and on Late: “Launch (mine)”", "Failed: “Weekend sale”", "Sync problem"]
    assert window.toolbar.problems_button.text() == "⚠ 3"


def test_the_problems_key_shows_the_panel_with_the_keyboard_in_its_list(window, store, qtbot):
    failed_post(store)
    flush_events()
    action = window.actions_by_name["problems"]
    assert action.shortcut().toString() == "Ctrl+Shift+P" and action.text() == "&Problems panel"
    action.trigger()
    flush_events()
    assert window.problems_dock.isVisible()
    assert window.problems_panel.list.hasFocus()


def test_notices_stay_listed_once_per_text_with_a_count(window):
    panel = window.problems_panel
    assert panel.notice_texts() == [] and not panel.notices.empty_label.isHidden()
    refusal = say.problem("Late refused the move: the time has passed.")
    window.say(refusal)
    window.show_info("Synced.")
    window.say(refusal)  # the same refusal again: one entry, counted
    assert panel.notice_texts() == ["Late refused the move: the time has passed.  (12:00, ×2)", "Synced.  (12:00)"]
    assert panel.notices.empty_label.isHidden()
    window.message_bar.dismiss()
    window.message_bar.dismiss()
    assert window.message_bar.text == "" and len(panel.notice_texts()) == 2  # gone from the bar, still listed


def test_a_notice_about_a_post_opens_it(window, store, sync, qtbot):
    post = failed_post(store)
    StatusNotifier(window, tray_available=False).attach(sync)
    sync.finished.emit(run_report(changed={post.local_id: ("publishing", "failed")}))
    panel = window.problems_panel
    window.show_problems()
    assert panel.notice_texts()[0].startswith("“Weekend sale” failed.")
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        panel.notices.list.setCurrentRow(0)
        qtbot.keyClick(panel.notices.list, Qt.Key.Key_Return)
    assert opened.args == [post.local_id]


def test_a_click_on_the_desktop_notification_opens_its_post(window, store, qtbot, qtlog):
    post = failed_post(store)
    with qtlog.disabled():  # offscreen's tray stand-in warns about a missing native interface signal
        notifier = StatusNotifier(window, icon=app_icon(), tray_available=True)
    notifier.tray.showMessage = lambda *args: None
    notifier.notify(Notice("Post failed", "“Weekend sale” failed.", True, ("gone-already", post.local_id)))
    # the session keeps it
    assert window.problems_panel.notice_texts()[0] == "Post failed: “Weekend sale” failed.  (12:00)"
    with qtbot.waitSignal(window.commands.open_post_requested) as opened, qtlog.disabled():
        notifier.tray.messageClicked.emit()
    assert opened.args == [post.local_id]  # the first of its posts still here
    assert isinstance(notifier.tray, QSystemTrayIcon)
    notifier.close()


# -- the README's picture ---------------------------------------------------------------------------------


def problems_window_for_screenshot(store):
    """The README's problems.png (also used by tests/readme_screenshots.py): a week window with the panel open on
    one problem of most kinds and a notice."""
    from latecal.ui.app.main_window import MainWindow
    from ui_support import BERLIN, FakeSync

    store.replace_accounts([Account("acc-twitter", "twitter", "p", username="acme"),
                            Account("acc-bluesky", "bluesky", "p", username="acme.bsky", needs_reconnection=True)])
    failed_post(store, "Weekend sale: 20% off everything", "Media aspect ratio not supported")
    store.upsert_remote(remote("Doors open at eight", "publishing", "late-s", when=NOW - timedelta(minutes=16),
                               targets=[Target("twitter", "acc-twitter", status="processing"),
                                        Target("bluesky", "acc-bluesky", status="published")]))
    store.upsert_remote(remote("Product launch", "scheduled", "late-c", when=NOW + timedelta(hours=3)))
    launch = store.get_by_late_id("late-c")
    store.save_post(replace(launch, content="Product launch (new video)"))
    store.mark_conflict(launch.local_id, replace(launch, content="Product launch (edited on Late)"), "Changed on Late")
    sync = FakeSync()
    window = MainWindow(store, zone=BERLIN, clock=lambda: NOW, view="week", anchor=NOW.date(), sync=sync)
    sync.finished.emit(run_report())
    window.say(say.problem("Late refused the move: the time has passed."))
    window.say(say.problem("Late refused the move: the time has passed."))
    window.resize(1280, 800)
    window.show_problems()
    window.resizeDocks([window.problems_dock], [380], Qt.Orientation.Horizontal)
    return window


def test_problems_screenshot(qtbot, store, tmp_path):
    from picture_checks import assert_picture, grab

    window = problems_window_for_screenshot(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    flush_events()
    assert window.problems_panel.count == 4 and window.toolbar.problems_button.text() == "⚠ 4"
    image = grab(window)
    assert_picture(window, image, texts=["⚠ 4", "Problems (4)", "Notices this session"])
    assert image.save(str(tmp_path / "problems.png"))  # never into docs/ during a test run


def test_a_partly_published_post_names_each_failed_platform_and_rows_are_reached_by_keyboard(window, store, qtbot):
    failed_post(store)
    store.upsert_remote(remote("Spring collection", "partial", "late-p", targets=[
        Target("twitter", "acc-twitter", status="published"),
        Target("bluesky", "acc-bluesky", status="failed", error_message="Image too large"),
        Target("bluesky", "acc-bluesky-2", status="failed", error_message="Rate limited by Bluesky")]))
    partial = store.get_by_late_id("late-p")
    flush_events()
    assert rows(window)[1] == ("Partly published: “Spring collection”\nBluesky: Image too large.\n"
                               "Bluesky: Rate limited by Bluesky.")
    window.show_problems()
    panel = window.problems_panel
    qtbot.keyClick(panel.list, Qt.Key.Key_Home)
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    assert panel.retry_button.isVisible()  # one of its failed platforms can post
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert opened.args == [partial.local_id]
