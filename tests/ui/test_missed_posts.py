"""Missed posts in the window (issue 19): their chip wears a mark and a hatch and says why in its tooltip; the
message bar says how many missed their time and offers the choice for all; the post's context menu offers it for
one. Publish now cannot be undone; Keep as draft can; Reschedule opens the post."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from latecal.core.missed import is_missed
from latecal.presentation.missed_texts import KEEP_AS_DRAFT_TIP, MISSED, PUBLISH_NOW_TIP
from latecal.presentation.statuses import MISSED_MEANING
from latecal.ui.app.post_menu import build_post_menu
from latecal.ui.calendar.post_item import PostItem, post_tooltip
from latecal.ui.widgets.palette import MISSED_MARK
from ui_support import BERLIN, NOW, flush_events, make_post, render_item, run_report


def _missed(store, text: str, minutes_ago: int = 10):
    post = store.save_post(make_post(text, NOW - timedelta(minutes=minutes_ago)))
    assert is_missed(post, NOW)  # saved here, never sent: pending, its time past Late's grace
    return post


def _entries(menu) -> dict[str, object]:
    return {a.text(): a for a in menu.actions() if not a.isSeparator()}


class _Host:
    def __init__(self, now) -> None:
        self.clock = lambda: now

    def __getattr__(self, _name):  # the item reports gestures; none happen here
        return lambda *args: None


def _mark_and_hatch(post, now) -> tuple[QColor, set[str]]:
    item = PostItem(post, BERLIN, block=False, host=_Host(now))
    item.set_geometry(0, 0, 200, 18)
    image = render_item(item, Qt.GlobalColor.white)
    mark = image.pixelColor(200 - 4 - 11 + 1, 9)  # inside the mark's left edge, off its white hands
    inside = {image.pixelColor(x, y).name() for x in range(60, 120) for y in range(2, 16)}
    return mark, inside


def test_a_missed_chip_wears_its_mark_and_hatch_and_says_why(qapp, store):
    post = _missed(store, "Doors open in 10 minutes!")
    mark, hatched = _mark_and_hatch(post, NOW)
    assert mark.name() == QColor(MISSED_MARK).name()
    before, plain = _mark_and_hatch(post, NOW - timedelta(minutes=20))  # the same post before its time
    assert before.name() != QColor(MISSED_MARK).name()
    assert len(hatched - plain) > 0  # the hatch's lines are colours the plain chip does not have
    assert MISSED_MEANING in post_tooltip(post, BERLIN, missed=True)
    assert MISSED_MEANING not in post_tooltip(post, BERLIN)


def test_the_context_menu_offers_the_three_choices(open_window, store):
    window = open_window(view="week", anchor=NOW.date())
    post = _missed(store, "Missed one")
    entries = _entries(build_post_menu(window.commands, store.get_post(post.local_id), window))
    assert {"Publish now", "Reschedule…", "Keep as draft"} <= set(entries)
    assert entries["Publish now"].toolTip() == PUBLISH_NOW_TIP
    assert entries["Keep as draft"].toolTip() == KEEP_AS_DRAFT_TIP
    later = store.save_post(make_post("Not missed", NOW + timedelta(hours=2)))
    assert "Publish now" not in _entries(build_post_menu(window.commands, later, window))


def test_publish_now_sends_it_at_once_and_is_not_undoable(open_window, store):
    window = open_window(view="week", anchor=NOW.date())
    post = _missed(store, "Publish me")
    history = window.runner.undo_stack.count()
    _entries(build_post_menu(window.commands, store.get_post(post.local_id), window))["Publish now"].trigger()
    sent = store.get_post(post.local_id)
    assert sent.scheduled_for == NOW and sent.status == "scheduled" and not is_missed(sent, NOW)
    assert window.runner.undo_stack.count() == history
    assert "cannot be undone" in window.message_bar.text


def test_keep_as_draft_keeps_the_planned_time_and_can_be_undone(open_window, store):
    window = open_window(view="week", anchor=NOW.date())
    post = _missed(store, "Keep me")
    _entries(build_post_menu(window.commands, store.get_post(post.local_id), window))["Keep as draft"].trigger()
    kept = store.get_post(post.local_id)
    assert (kept.status, kept.scheduled_for) == ("draft", post.scheduled_for)
    assert window.runner.undo_stack.count() == 1 and window.runner.undo_stack.canUndo()


def test_reschedule_opens_the_post(qtbot, open_window, store):
    window = open_window(view="week", anchor=NOW.date())
    post = _missed(store, "Move me")
    menu = build_post_menu(window.commands, store.get_post(post.local_id), window)
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        _entries(menu)["Reschedule…"].trigger()
    assert opened.args == [post.local_id]


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")  # offscreen popups
def test_the_message_bar_counts_them_and_offers_the_choice_for_all(open_window, store, sync):
    window = open_window(view="week", anchor=NOW.date(), sync=sync)
    first, second = _missed(store, "First"), _missed(store, "Second", minutes_ago=30)
    sync.finished.emit(run_report(offline=True))
    flush_events()
    bar = window.message_bar
    assert bar.holds(MISSED)
    assert bar.text.startswith("2 posts missed their time before reaching Late")
    assert bar.action_button.isVisible() and bar.action_button.text() == "Choose…"
    bar.action_button.click()
    menu = window.commands.menu
    entries = _entries(menu)
    assert {"Publish all 2 now", "Keep all 2 as drafts"} <= set(entries)
    assert sum(1 for a in menu.actions() if a.menu() is not None) == 2  # one submenu per post
    entries["Keep all 2 as drafts"].trigger()
    menu.close()
    flush_events()
    assert {store.get_post(p.local_id).status for p in (first, second)} == {"draft"}
    assert not bar.holds(MISSED)  # settled: the message is taken back


def test_no_message_without_missed_posts(open_window, store, sync):
    window = open_window(view="week", anchor=NOW.date(), sync=sync)
    store.save_post(make_post("Later", NOW + timedelta(hours=1)))
    sync.finished.emit(run_report())
    flush_events()
    assert not window.message_bar.holds(MISSED)


# -- the README's picture ---------------------------------------------------------------------------------------

MISSED_SHOT_TEXTS = ["2 posts missed their time before reaching Late. Nothing was sent: publish now, reschedule "
                     "or keep as draft.", "Choose…"]


def missed_window_for_screenshot(store, *, sync):
    """A week with two posts Missed while offline, a later one still to go, and the window's message about them
    (shared with tests/readme_screenshots.py)."""
    from datetime import UTC, datetime

    from latecal.ui.app.main_window import MainWindow

    now = datetime(2027, 3, 10, 11, 0, tzinfo=UTC)
    for text, minutes in (("Doors open in 10 minutes! Come early for coffee", 40),
                          ("Live from the stage: our spring collection", 100)):
        store.save_post(make_post(text, now - timedelta(minutes=minutes), platforms=("twitter", "linkedin")))
    store.save_post(make_post("Thank you all for coming tonight", now + timedelta(hours=7)))
    window = MainWindow(store, zone=BERLIN, clock=lambda: now, view="week", anchor=now.date(), sync=sync)
    window.resize(1280, 800)
    sync.finished.emit(run_report(offline=True))
    return window


def test_the_readme_picture_shows_the_missed_posts_and_their_choice(qtbot, store, sync):
    from picture_checks import assert_picture, grab

    window = missed_window_for_screenshot(store, sync=sync)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    flush_events()
    assert_picture(window, grab(window), texts=MISSED_SHOT_TEXTS)
