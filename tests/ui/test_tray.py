"""Tray notifications: the summary (a plain function) and the notifier, with and without a system tray."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QSystemTrayIcon

from latecal.core.models import Post, Target
from latecal.presentation.tray_notices import Notice, summarise
from latecal.ui.app.tray import StatusNotifier
from latecal.ui.widgets.icons import app_icon
from ui_support import NOW, make_post, run_report


def _posts(*texts: str) -> dict[str, Post]:
    return {f"id{i}": Post(content=t, local_id=f"id{i}") for i, t in enumerate(texts)}


def test_one_published_post_is_named():
    posts = _posts("Launch day! Our new spring collection is live")
    notice = summarise({"id0": ("scheduled", "published")}, posts.get)
    assert notice == Notice("Post published", "“Launch day! Our new spring collection is live” published.", False,
                            ("id0",))


def test_one_failure_names_the_reason():
    post = Post(content="Weekend sale", local_id="f", targets=[
        Target("instagram", "a1", status="failed", error_message="Media aspect ratio not supported")])
    notice = summarise({"f": ("publishing", "failed")}, {"f": post}.get)
    assert notice.title == "Post failed" and notice.warning
    assert notice.body == "“Weekend sale” failed. Instagram: Media aspect ratio not supported."


def test_many_changes_are_summarised_with_at_most_three_titles_failures_first():
    posts = _posts(*(f"Published post number {i}" for i in range(5)), "The one that failed")
    changed = {f"id{i}": ("scheduled", "published") for i in range(5)} | {"id5": ("publishing", "failed")}
    notice = summarise(changed, posts.get)
    assert notice.title == "1 post failed, 5 published"
    assert notice.warning
    assert notice.body == ("Failed: “The one that failed”. "
                           "Published: “Published post number 0”, “Published post number 1” and 3 more.")
    assert notice.local_ids[0] == "id5" and len(notice.local_ids) == 6


def test_partial_and_singular_counts():
    posts = _posts("a", "b", "c")
    changed = {"id0": ("scheduled", "published"), "id1": ("publishing", "partial"), "id2": ("scheduled", "partial")}
    notice = summarise(changed, posts.get)
    assert notice.title == "2 posts partly published, 1 published"
    assert notice.body == "Partly published: “b”, “c”. Published: “a”."


def test_first_sight_and_non_outcomes_announce_nothing():
    posts = _posts("history", "moved", "same")
    changed = {"id0": (None, "published"), "id1": ("draft", "scheduled"), "id2": ("published", "published")}
    assert summarise(changed, posts.get) is None
    assert summarise({}, posts.get) is None


def test_a_post_gone_from_the_store_is_still_counted():
    notice = summarise({"x": ("scheduled", "published"), "y": ("scheduled", "published")}, lambda _i: None)
    assert notice.title == "2 posts published" and notice.body == "2 posts."


# -- the notifier on a real window --------------------------------------------------------------------------


@pytest.fixture
def window_with_post(open_window, store, sync):
    post = store.upsert_remote(make_post("Webinar reminder — tomorrow 3pm", NOW - timedelta(minutes=5),
                                         status="published", late_id="late-1"))
    assert post
    window = open_window(sync=sync)
    (local_id,) = window.mirror.posts
    return window, local_id


def test_without_a_tray_the_notice_goes_to_the_message_bar(window_with_post, sync):
    window, local_id = window_with_post
    notifier = StatusNotifier(window, tray_available=False)
    notifier.attach(sync)
    assert notifier.tray is None and not notifier.uses_tray
    sync.finished.emit(run_report(changed={local_id: ("publishing", "published")}))
    assert window.message_bar.text == "“Webinar reminder — tomorrow 3pm” published."
    assert window.message_bar.kind == "info"  # news, not a problem: it hides itself
    assert notifier.last_notice.local_ids == (local_id,)
    sync.finished.emit(run_report(changed={local_id: ("published", "failed")}))
    assert window.message_bar.text == "“Webinar reminder — tomorrow 3pm” failed."
    assert window.message_bar.kind == "error"  # a failure stays until dismissed


def test_disabled_notifications_stay_quiet(window_with_post, sync):
    window, local_id = window_with_post
    notifier = StatusNotifier(window, tray_available=False)
    notifier.attach(sync)
    notifier.notify_action.setChecked(False)  # the menu's toggle drives the flag
    assert notifier.notifications_enabled is False
    sync.finished.emit(run_report(changed={local_id: ("publishing", "published")}))
    assert window.message_bar.text == "" and notifier.last_notice is None
    sync.finished.emit(run_report(changed={local_id: ("scheduled", "scheduled")}))
    assert window.message_bar.text == ""


def test_menu_actions_show_sync_and_quit(window_with_post, sync, qtbot, qtlog):
    window, _ = window_with_post
    notifier = StatusNotifier(window, tray_available=False)
    labels = [a.text() for a in notifier.menu.actions() if not a.isSeparator()]
    assert labels == ["Show window", "Sync now", "Notify when posts publish or fail", "Quit"]
    notifier.sync_action.trigger()
    assert sync.sync_requests == 1  # the user's own run
    window.showMinimized()
    with qtlog.disabled():  # offscreen: "This plugin does not support raise()"
        notifier.show_action.trigger()
    assert not window.isMinimized()
    with qtbot.waitSignal(window.closed, timeout=1000):
        notifier.quit_action.trigger()


def test_with_a_tray_the_notice_is_a_tray_message(window_with_post, sync, qtlog):
    window, local_id = window_with_post
    with qtlog.disabled():  # offscreen's tray stand-in warns about a missing native interface signal
        notifier = StatusNotifier(window, icon=app_icon(), tray_available=True)
    shown = []
    notifier.tray.showMessage = lambda *args: shown.append(args)
    notifier.attach(sync)
    assert notifier.tray.contextMenu() is notifier.menu and not notifier.tray.icon().isNull()
    sync.finished.emit(run_report(changed={local_id: ("publishing", "failed")}))
    assert shown and shown[0][0] == "Post failed"
    assert shown[0][2] == QSystemTrayIcon.MessageIcon.Warning
    assert window.message_bar.text == ""  # the tray said it; the bar stays free for errors
    notifier.close()


def test_app_wires_the_notifier_to_the_notifications_setting_both_ways(qtbot, store):
    from PySide6.QtCore import QObject, Signal

    from latecal.app import _start_notifier
    from latecal.ui.app.main_window import MainWindow
    from latecal.ui.widgets import settings as S

    class Connection(QObject):
        connected = Signal()
        bridge = None

    window = MainWindow(store)
    qtbot.addWidget(window)
    settings = S.Settings()
    settings.set(S.NOTIFICATIONS, False)
    notifier = _start_notifier(window, None, settings, Connection())
    assert not notifier.notifications_enabled
    notifier.notify_action.setChecked(True)  # the tray menu's checkbox
    assert settings.get(S.NOTIFICATIONS) is True
    settings.set(S.NOTIFICATIONS, False)  # the settings dialog
    assert not notifier.notify_action.isChecked()
    assert not notifier.notifications_enabled
    notifier.close()
