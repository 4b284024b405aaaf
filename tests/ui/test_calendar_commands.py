"""Keyboard shortcuts, the post context menu and its handlers, and the Sync button following the bridge."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from latecal.core.models import Target
from latecal.core.zones import utc_to_wall
from latecal.ui.app.post_menu import build_post_menu
from ui_support import BERLIN, NOW, PushWatch, at, make_post, run_report

WED = date(2027, 3, 10)


def _key(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.views.currentWidget(), key, modifier)


def test_number_keys_switch_views_and_t_goes_to_today(qtbot, open_window):
    window = open_window(view="month", anchor=date(2027, 6, 1))
    for key, mode in ((Qt.Key.Key_2, "week"), (Qt.Key.Key_3, "day"), (Qt.Key.Key_4, "list"), (Qt.Key.Key_1, "month")):
        _key(qtbot, window, key)
        assert window.mode == mode
    assert window.anchor == date(2027, 6, 1)
    _key(qtbot, window, Qt.Key.Key_T)
    assert window.anchor == WED  # NOW in Berlin


def test_arrow_keys_page_through_time(qtbot, open_window):
    window = open_window(view="week", anchor=WED)
    _key(qtbot, window, Qt.Key.Key_Right)
    assert window.views.week.scene.days[0] == date(2027, 3, 15)
    _key(qtbot, window, Qt.Key.Key_Left)
    _key(qtbot, window, Qt.Key.Key_Left)
    assert window.views.week.scene.days[0] == date(2027, 3, 1)


def test_typing_in_search_does_not_trigger_single_key_shortcuts(qtbot, open_window):
    window = open_window(view="month", anchor=WED)
    _key(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.toolbar.search.hasFocus()
    qtbot.keyClicks(window.toolbar.search, "t2")
    assert window.toolbar.search.text() == "t2"
    assert window.mode == "month"


def test_up_down_move_the_selection_and_enter_opens(qtbot, open_window, store):
    a = store.save_post(make_post("First", at(WED, 9)))
    b = store.save_post(make_post("Second", at(WED, 11)))
    c = store.save_post(make_post("Third", at(WED + timedelta(days=1), 8)))
    window = open_window(view="week", anchor=WED)
    _key(qtbot, window, Qt.Key.Key_Down)
    assert window.mirror.selected_id == a.local_id
    assert window.views.week.scene.items_by_id[a.local_id].selected
    _key(qtbot, window, Qt.Key.Key_Down)
    _key(qtbot, window, Qt.Key.Key_Down)
    assert window.mirror.selected_id == c.local_id
    _key(qtbot, window, Qt.Key.Key_Up)
    assert window.mirror.selected_id == b.local_id
    assert not window.views.week.scene.items_by_id[a.local_id].selected
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        _key(qtbot, window, Qt.Key.Key_Return)
    assert opened.args == [b.local_id]


def test_click_selects_and_double_click_opens(qtbot, open_window, store):
    post = store.save_post(make_post("Click me", at(WED, 10)))
    window = open_window(view="month", anchor=WED)
    view = window.views.month.view
    item = window.views.month.scene.items_by_id[post.local_id]
    point = view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.mirror.selected_id == post.local_id
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened.args == [post.local_id]


def test_n_asks_for_a_new_post_on_the_anchor_day(qtbot, open_window):
    window = open_window(view="day", anchor=WED + timedelta(days=2))
    with qtbot.waitSignal(window.commands.new_post_requested) as requested:
        _key(qtbot, window, Qt.Key.Key_N)
    assert f"{utc_to_wall(requested.args[0], BERLIN):%Y-%m-%d %H:%M}" == "2027-03-12 09:00"
    window.go_today()
    with qtbot.waitSignal(window.commands.new_post_requested) as requested:
        _key(qtbot, window, Qt.Key.Key_N)
    assert requested.args[0] == NOW + timedelta(hours=1)  # the next full hour today


def test_double_click_on_an_empty_slot_asks_for_a_new_post_there(qtbot, open_window):
    window = open_window(view="day", anchor=WED + timedelta(days=1))
    view = window.views.day.view
    scene = window.views.day.scene
    from PySide6.QtCore import QPointF

    point = view.mapFromScene(QPointF(scene.column_x(0) + 100, 14 * 60 + 20))
    with qtbot.waitSignal(window.commands.new_post_requested) as requested:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert f"{utc_to_wall(requested.args[0], BERLIN):%H:%M}" == "14:15"


def test_delete_key_asks_then_deletes(qtbot, open_window, store):
    post = store.save_post(make_post("Delete me", at(WED, 15)))
    window = open_window(view="week", anchor=WED)
    window.mirror.select(post.local_id)
    _key(qtbot, window, Qt.Key.Key_Delete)
    box = window.commands.confirm_box
    assert box is not None
    assert box.isVisible()
    assert store.get_post(post.local_id) is not None  # nothing happens before the answer
    box.button(QMessageBox.StandardButton.Yes).click()
    assert store.get_post(post.local_id) is None
    assert post.local_id not in window.views.week.scene.items_by_id


def test_delete_cancelled_keeps_the_post_and_published_posts_are_not_deletable(qtbot, open_window, store):
    post = store.save_post(make_post("Keep me", at(WED, 15)))
    published = store.save_post(make_post("Out already", at(WED, 8), status="published"))
    window = open_window(view="week", anchor=WED)
    window.commands.request_delete(post.local_id)
    window.commands.confirm_box.button(QMessageBox.StandardButton.Cancel).click()
    assert store.get_post(post.local_id) is not None
    window.commands.confirm_box = None
    window.commands.request_delete(published.local_id)
    assert window.commands.confirm_box is None
    assert "cannot be deleted" in window.message_bar.text


def test_f5_and_ctrl_r_sync_now(qtbot, open_window, sync):
    window = open_window(view="month", anchor=WED, sync=sync)
    _key(qtbot, window, Qt.Key.Key_F5)
    _key(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert sync.sync_requests == 2  # the user's own runs (they also ask for a key again while paused)
    qtbot.mouseClick(window.toolbar.sync_button, Qt.MouseButton.LeftButton)
    assert sync.sync_requests == 3


def test_sync_button_follows_the_bridge(qtbot, open_window, sync):
    window = open_window(view="month", anchor=WED, sync=sync)
    toolbar = window.toolbar
    assert toolbar.sync_button.isEnabled()
    assert toolbar.last_synced_label.text() == "Not synced yet"
    sync.started.emit()
    assert not toolbar.sync_button.isEnabled()
    assert toolbar.sync_button.toolTip() == "Syncing with Late…"
    assert toolbar.progress.isVisible()
    assert toolbar.progress.maximum() == 0  # busy until the first progress report
    sync.progress.emit(3, 10)
    assert (toolbar.progress.value(), toolbar.progress.maximum()) == (3, 10)
    sync.finished.emit(run_report(errors=["Late did not accept the API key"]))  # no sync has succeeded yet
    assert toolbar.last_synced_label.text() == "Not synced yet"
    sync.last_synced = NOW
    sync.finished.emit(run_report())
    assert toolbar.sync_button.isEnabled()
    assert not toolbar.progress.isVisible()
    assert toolbar.last_synced_label.text().startswith("Synced")
    # in the calendar's zone (Berlin), not the machine's: NOW is 11:00 UTC
    assert toolbar.last_synced_label.toolTip() == "Last synced with Late Wed 10 Mar 12:00:00"
    assert not toolbar.offline_label.isVisible()
    sync.online_changed.emit(False)
    assert toolbar.offline_label.isVisible()
    sync.online_changed.emit(True)
    assert not toolbar.offline_label.isVisible()
    sync.finished.emit(run_report(errors=["Late is not reachable"]))
    assert "Late is not reachable" in window.message_bar.text
    sync.auth_failed.emit()
    assert "API key" in window.message_bar.text


def test_views_tell_sync_which_dates_are_on_screen(open_window, sync):
    window = open_window(view="month", anchor=WED, sync=sync)
    start, end = sync.windows[-1]
    assert utc_to_wall(start, BERLIN).date() == date(2027, 3, 1)
    assert utc_to_wall(end, BERLIN).date() == date(2027, 4, 12)
    window.set_view("day")
    start, end = sync.windows[-1]
    assert (utc_to_wall(start, BERLIN).date(), utc_to_wall(end, BERLIN).date()) == (WED, WED + timedelta(days=1))


def test_without_a_bridge_sync_says_so(qtbot, open_window):
    window = open_window(view="month", anchor=WED)
    assert not window.toolbar.sync_button.isEnabled()
    _key(qtbot, window, Qt.Key.Key_F5)
    assert "Not connected" in window.message_bar.text


# -- the context menu and its handlers -----------------------------------------------------------------


def _failed_on_late(store, when):
    post = make_post("Failed launch", when, status="failed", late_id="late-f1", platforms=("twitter", "instagram"))
    post.targets[0].status = "published"
    post.targets[0].platform_post_url = "https://x.com/acme/status/1"
    post.targets[1].status = "failed"
    post.targets[1].error_message = "Token expired"
    post.status = "partial"
    store.upsert_remote(post)
    return store.get_post(post.local_id)


def test_context_menu_entries_follow_the_status(open_window, store):
    scheduled = store.save_post(make_post("Plain", at(WED, 15)))
    partial = _failed_on_late(store, at(WED, 9))
    published = store.save_post(
        make_post(
            "Done",
            at(WED, 8),
            status="published",
            targets=[Target("linkedin", "acc", status="published", platform_post_url="https://linkedin.com/p/1")],
        )
    )
    window = open_window(view="week", anchor=WED)

    def texts(post):
        return [a.text() for a in build_post_menu(window.commands, post, window).actions() if not a.isSeparator()]

    assert texts(scheduled) == ["Open", "Duplicate as draft", "Delete…"]
    assert texts(partial) == [
        "Open",
        "Duplicate as draft",
        "Retry failed platforms",
        "Open published post on X",
        "Delete…",
    ]
    assert texts(published) == ["Open", "Duplicate as draft", "Open published post on LinkedIn"]


def test_duplicate_makes_a_new_draft_at_the_same_time(open_window, store):
    post = store.save_post(make_post("Copy me", at(WED, 15), platforms=("twitter", "linkedin"), tags=["promo"]))
    window = open_window(view="week", anchor=WED)
    copy = window.commands.duplicate_post(post.local_id)
    assert copy.local_id != post.local_id
    stored = store.get_post(copy.local_id)
    assert (stored.content, stored.status, stored.scheduled_for) == ("Copy me", "draft", post.scheduled_for)
    assert stored.platforms == ["twitter", "linkedin"]
    assert stored.late_id is None
    assert stored.idempotency_key != post.idempotency_key
    assert copy.local_id in window.views.week.scene.items_by_id
    assert window.mirror.selected_id == copy.local_id


def test_duplicate_of_a_past_post_has_no_time(open_window, store):
    post = store.save_post(make_post("Old", at(WED - timedelta(days=1), 9), status="published"))
    window = open_window(view="week", anchor=WED)
    copy = window.commands.duplicate_post(post.local_id)
    assert store.get_post(copy.local_id).scheduled_for is None


def test_retry_queues_a_retry_and_syncs(open_window, store, sync):
    post = _failed_on_late(store, at(WED, 9))
    window = open_window(view="week", anchor=WED, sync=sync)
    pushes = PushWatch(store)
    assert window.commands.retry_post(post.local_id)
    assert [e.op for e in store.outbox_entries(post.local_id)] == ["retry"]
    assert pushes.count == 1


def test_retry_of_a_post_never_sent_explains_why(open_window, store):
    post = store.save_post(make_post("Local failure", at(WED, 9), status="failed"))
    window = open_window(view="week", anchor=WED)
    assert not window.commands.retry_post(post.local_id)
    assert "Cannot retry" in window.message_bar.text


def test_open_published_url(open_window, store):
    post = _failed_on_late(store, at(WED, 9))
    window = open_window(view="week", anchor=WED)
    opened = []
    window.commands.url_opener = lambda url: opened.append(url.toString()) or True
    menu = build_post_menu(window.commands, store.get_post(post.local_id), window)
    next(a for a in menu.actions() if a.text().startswith("Open published")).trigger()
    assert opened == ["https://x.com/acme/status/1"]
    assert not window.message_bar.text


def test_open_published_url_without_a_browser_copies_the_link(open_window, store):
    from PySide6.QtGui import QGuiApplication

    _failed_on_late(store, at(WED, 9))
    window = open_window(view="week", anchor=WED)
    window.commands.url_opener = lambda url: False  # QDesktopServices found no browser
    window.commands.open_published_url("https://x.com/acme/status/1")
    assert QGuiApplication.clipboard().text() == "https://x.com/acme/status/1"
    assert "copied to the clipboard" in window.message_bar.text


def test_a_change_late_refused_is_explained_in_the_message_bar(open_window, store, sync):
    post = _failed_on_late(store, at(WED, 9))
    window = open_window(view="week", anchor=WED, sync=sync)
    sync.finished.emit(run_report(rejected={post.local_id: "The threads account is disconnected."}))
    assert "Late refused the change to" in window.message_bar.text
    assert "threads account is disconnected" in window.message_bar.text


def test_open_action_emits_open_post_requested(qtbot, open_window, store):
    post = store.save_post(make_post("Open me", at(WED, 15)))
    window = open_window(view="week", anchor=WED)
    menu = build_post_menu(window.commands, post, window)
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        menu.actions()[0].trigger()
    assert opened.args == [post.local_id]


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")  # offscreen popups
def test_context_menu_pops_up_on_right_click(qtbot, open_window, store):
    post = store.save_post(make_post("Right click", at(WED, 15)))
    window = open_window(view="week", anchor=WED)
    view = window.views.week.view
    item = window.views.week.scene.items_by_id[post.local_id]
    pos = view.mapFromScene(item.sceneBoundingRect().center())
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert window.mirror.selected_id == post.local_id
    assert window.commands.menu is not None
    assert window.commands.menu.isVisible()
    assert window.commands.menu.actions()[0].text() == "Open"
    window.commands.menu.close()


def test_escape_in_search_clears_it_and_gives_the_keyboard_back(open_window, qtbot, store):
    store.save_post(make_post("Findable", at(WED, 10)))
    window = open_window(view="month", anchor=WED)
    window.actions_by_name["search"].trigger()
    qtbot.keyClicks(window.toolbar.search, "zzz")
    window.toolbar.flush_search()
    assert window.mirror.shown_posts() == []
    qtbot.keyClick(window.toolbar.search, Qt.Key.Key_Escape)
    assert window.toolbar.search.text() == ""
    assert [p.content for p in window.mirror.shown_posts()] == ["Findable"]
    assert not window.toolbar.search.hasFocus()
    assert window.views.month.view.hasFocus()


def test_file_quit_closes_the_window(open_window):
    from PySide6.QtGui import QKeySequence

    window = open_window(view="month", anchor=WED)
    assert window.actions_by_name["quit"].shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    window.actions_by_name["quit"].trigger()
    assert not window.isVisible()


def test_every_status_is_in_the_legend_and_the_status_filter(open_window):
    from latecal.core.status import POST_STATUSES
    from latecal.ui.calendar.status_legend import LEGEND_STATUSES

    window = open_window(view="month", anchor=WED)
    box = window.toolbar.status_filter
    assert set(LEGEND_STATUSES) == POST_STATUSES
    assert set(box.actions_by_value) == POST_STATUSES


def test_the_conflict_notice_goes_when_the_last_conflict_is_settled(open_window, store, sync):
    a = store.save_post(make_post("Alpha post", at(WED, 15)))
    b = store.save_post(make_post("Beta post", at(WED, 16)))
    window = open_window(view="month", anchor=WED, sync=sync)
    for post in (a, b):  # two syncs, one new conflict each: two different notices
        store.mark_conflict(post.local_id, make_post(f"{post.content} on Late", post.scheduled_for), "both changed")
        sync.finished.emit(run_report(conflicts=[post.local_id]))
    assert sum("changed on Late" in m for m in window.message_bar.messages) == 1  # the newer replaced the older
    assert window.commands.resolve_conflict(a.local_id, "remote")
    assert any("changed on Late" in m for m in window.message_bar.messages)  # Beta still waits
    store.delete_post(b.local_id)  # settled another way: deleted here
    QApplication.processEvents()
    assert not any("changed on Late" in m for m in window.message_bar.messages)


def test_in_the_list_the_first_arrow_starts_from_the_rows_on_screen(qtbot, open_window, store):
    for weeks in (3, 2, 1):
        store.save_post(make_post(f"Weeks ago {weeks}", at(WED - timedelta(weeks=weeks), 9)))
    today = store.save_post(make_post("Today's", at(WED, 15)))
    for n in range(60):  # rows enough below for the list to scroll today's to the top
        store.save_post(make_post(f"Later {n}", at(WED + timedelta(days=1 + n // 4), 9 + n % 4)))
    window = open_window(view="list", anchor=WED)
    qtbot.waitUntil(lambda: window.views.list.first_visible_id() == today.local_id)  # it opens on the anchor day
    _key(qtbot, window, Qt.Key.Key_Down)
    assert window.mirror.selected_id == today.local_id  # not the first row, weeks back and out of sight


def test_the_last_sync_reads_the_same_in_the_label_and_its_tooltip(qtbot):
    from datetime import UTC, datetime

    from latecal.presentation import time_format
    from latecal.ui.calendar.calendar_toolbar import CalendarToolbar

    toolbar = CalendarToolbar(zone=BERLIN)
    qtbot.addWidget(toolbar)
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    toolbar.set_last_synced(two_hours_ago)
    local = two_hours_ago.astimezone(BERLIN)
    if local.date() == datetime.now(BERLIN).date():
        assert toolbar.last_synced_label.text() == f"Synced at {time_format.clock(local)}"
    assert time_format.clock(local, seconds=True) in toolbar.last_synced_label.toolTip()
    days_ago = datetime.now(UTC) - timedelta(days=2)
    toolbar.set_last_synced(days_ago)
    assert toolbar.last_synced_label.text() == f"Synced on {time_format.day_and_clock(days_ago.astimezone(BERLIN))}"
