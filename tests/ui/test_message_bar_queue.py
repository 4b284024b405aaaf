"""The message bar: errors stay, info messages expire (not while the pointer is on the bar), several messages
queue behind "+N more", Dismiss and Escape remove the one on screen."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from latecal.ui.widgets.message_bar import ERROR, INFO, MAX_MESSAGES

WED = date(2027, 3, 10)


@pytest.fixture
def bar(qtbot, open_window):
    window = open_window(view="month", anchor=WED)
    window.message_bar.info_timeout_ms = 80
    # the pointer where an earlier test left it could rest on the bar, and hovering pauses the countdown
    qtbot.mouseMove(window, QPoint(window.width() - 5, window.height() - 5))
    return window.message_bar


def _background(bar) -> str:
    return bar.grab().toImage().pixelColor(bar.width() // 2, 2).name()


def test_show_message_defaults_to_an_error_that_stays(qtbot, bar):
    bar.window().show_message("Sync: Late is not reachable")  # the window's existing call, unchanged
    assert bar.text == "Sync: Late is not reachable" and bar.kind == ERROR
    qtbot.wait(300)  # well past the info timeout (real time on purpose: that nothing expires is no event)
    assert bar.text == "Sync: Late is not reachable"
    assert bar.label.text() == "Sync: Late is not reachable" and bar.isVisible()


def test_an_info_message_hides_itself(qtbot, bar):
    bar.show_info("Deleted “Spring launch”.")
    assert bar.text == "Deleted “Spring launch”." and bar.kind == INFO
    qtbot.waitUntil(lambda: bar.text == "", timeout=2000)
    assert bar.isHidden() and bar.messages == []


def test_info_and_error_look_different(bar):
    bar.show_info("Connected")
    info = _background(bar)
    bar.show_message("Refused")
    error = _background(bar)
    assert info != error
    assert bar.icon.accessibleName() == "Problem"
    bar.dismiss()
    assert bar.icon.accessibleName() == "Information"


def test_the_bar_follows_a_switch_to_a_dark_theme(qtbot, bar):
    bar.show_message("Refused")
    light = QColor(_background(bar))
    app = QApplication.instance()
    old = app.palette()
    dark = QPalette(old)
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#eeeeee")):
        dark.setColor(role, QColor(colour))
    app.setPalette(dark)
    try:
        qtbot.waitUntil(lambda: QColor(_background(bar)).lightness() < 128)
        assert light.lightness() > 128
        assert bar.label.palette().color(QPalette.ColorRole.WindowText).lightness() > 160  # light text on it
    finally:
        app.setPalette(old)
    qtbot.waitUntil(lambda: QColor(_background(bar)).lightness() > 128)


def test_the_countdown_waits_while_the_pointer_is_on_the_bar(qtbot, bar):
    window = bar.window()
    bar.show_message("Late is slow to answer")  # an error that stays: the bar is up before the pointer arrives
    qtbot.mouseMove(bar, QPoint(bar.width() // 2, bar.height() // 2))
    qtbot.waitUntil(lambda: bar.underMouse())
    bar.show_info("Connected to Late; syncing now.")  # arrives while hovered: no countdown yet, however slow
    qtbot.wait(300)  # real time on purpose, past the 80 ms timeout: that nothing expires is no event
    assert bar.text == "Connected to Late; syncing now."
    bar.show_info("A second note while hovering")
    qtbot.wait(200)  # as above
    assert bar.messages == ["A second note while hovering", "Connected to Late; syncing now.", "Late is slow to answer"]
    qtbot.mouseMove(window.views, QPoint(200, 200))
    qtbot.waitUntil(lambda: not bar.underMouse())
    qtbot.waitUntil(lambda: bar.text == "Late is slow to answer", timeout=2000)  # the notes went, the error stays


def test_earlier_messages_stay_reachable_through_more(qtbot, bar):
    bar.show_message("First problem")
    bar.show_message("Second problem")
    bar.show_message("Third problem")
    assert bar.text == "Third problem"  # the newest is on screen
    assert bar.more_button.isVisible() and bar.more_button.text() == "+2 more"
    assert bar.more_button.accessibleName() == "Show the next message"
    qtbot.mouseClick(bar.more_button, Qt.MouseButton.LeftButton)
    assert bar.text == "Second problem"
    qtbot.mouseClick(bar.more_button, Qt.MouseButton.LeftButton)
    assert bar.text == "First problem"
    qtbot.mouseClick(bar.more_button, Qt.MouseButton.LeftButton)
    assert bar.text == "Third problem"  # round again
    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert bar.text == "Second problem" and bar.more_button.text() == "+1 more"
    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert bar.text == "First problem" and not bar.more_button.isVisible()
    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert bar.text == "" and bar.isHidden()


def test_an_expiring_info_message_gives_the_bar_back_to_the_error_under_it(qtbot, bar):
    bar.show_message("Late refused the change")
    bar.show_info("Deleted “Old post”.")
    assert bar.text == "Deleted “Old post”." and bar.more_button.text() == "+1 more"
    qtbot.waitUntil(lambda: bar.text == "Late refused the change", timeout=2000)
    qtbot.wait(200)  # real time on purpose: the error must still be there after the info's timeout
    assert bar.text == "Late refused the change" and not bar.more_button.isVisible()


def test_a_repeated_message_is_not_queued_twice(bar):
    bar.show_message("Sync: Late is not reachable")
    bar.show_message("Something else")
    bar.show_message("Sync: Late is not reachable")  # the next sync run fails the same way
    assert bar.messages == ["Sync: Late is not reachable", "Something else"]
    for n in range(MAX_MESSAGES + 5):
        bar.show_message(f"Problem {n}")
    assert len(bar.messages) == MAX_MESSAGES and bar.messages[0] == f"Problem {MAX_MESSAGES + 4}"


def test_escape_on_the_bar_dismisses(qtbot, bar):
    assert bar.close_button.accessibleName() == "Dismiss message"
    bar.show_message("Older")
    bar.show_message("Newer")
    bar.close_button.setFocus()
    qtbot.waitUntil(bar.close_button.hasFocus)
    qtbot.keyClick(bar.close_button, Qt.Key.Key_Escape)
    assert bar.text == "Older"
    qtbot.keyClick(bar.close_button, Qt.Key.Key_Escape)
    assert bar.text == ""


def test_an_unknown_kind_is_refused(bar):
    with pytest.raises(ValueError, match="warning"):
        bar.show_message("x", kind="warning")


def test_escape_gives_the_keyboard_back_to_the_calendar(qtbot, open_window):
    window = open_window(view="month")
    window.show_message("Something went wrong")
    window.message_bar.close_button.setFocus(Qt.FocusReason.TabFocusReason)
    assert window.message_bar.close_button.hasFocus()
    qtbot.keyClick(window.message_bar.close_button, Qt.Key.Key_Escape)
    assert not window.message_bar.isVisible()
    focus = QApplication.focusWidget()
    assert focus is not None and window.views.isAncestorOf(focus)  # not the drafts list, next in the Tab chain
