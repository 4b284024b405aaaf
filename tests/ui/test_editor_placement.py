"""Where the post editor opens: centred on the calendar window, sized to fit the screen's free area, never past
its edges; a duplicate's editor says it is a copy."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRect, QSize

from latecal.core.models import Target
from latecal.ui.editor import window as editor_module
from latecal.ui.editor.close_question import DISCARD
from latecal.ui.editor.window import DEFAULT_SIZE, SCREEN_MARGIN, TITLE_BAR
from ui_support import at, make_post

WED = date(2027, 3, 10)


@pytest.fixture
def window(open_window):
    window = open_window(view="week", anchor=WED)
    yield window
    for editor in list(window.editors.editors.values()):
        editor.ask_unsaved = lambda _e: DISCARD
        editor.close()


def _available(window) -> QRect:
    return window.screen().availableGeometry()


def _frame(editor) -> QRect:
    """The editor on screen, with the title bar it is placed for (offscreen windows have almost no frame)."""
    frame = editor.frameGeometry()
    return frame.adjusted(0, 0, 0, max(TITLE_BAR - (frame.height() - editor.height()), 0))


def _centre_window_on(qtbot, window, x: int, y: int) -> None:
    # the window is wider than the offscreen screen (800 × 800): only its centre can be put on it
    window.resize(window.minimumSize().width(), 500)
    frame = window.frameGeometry()
    window.move(x - frame.width() // 2, y - frame.height() // 2)
    qtbot.waitUntil(lambda: abs(window.frameGeometry().center().x() - x) <= 1)


def test_the_editor_opens_centred_on_the_window(qtbot, window, monkeypatch):
    # a default size that leaves the small offscreen screen some room, so the centring itself shows
    monkeypatch.setattr(editor_module, "DEFAULT_SIZE", QSize(420, 320))
    available = _available(window)
    _centre_window_on(qtbot, window, available.center().x() - 90, available.center().y() + 60)
    editor = window.editors.new_post(at(WED, 15))
    assert editor.size() == QSize(420, 320)
    centre, target = _frame(editor).center(), window.frameGeometry().center()
    assert abs(centre.x() - target.x()) <= 2 and abs(centre.y() - target.y()) <= 2
    assert available.contains(_frame(editor))


def test_the_default_size_shrinks_to_a_small_screen(qtbot, window):
    available = _available(window)
    assert available.height() < DEFAULT_SIZE.height() + TITLE_BAR  # the offscreen screen is a small one
    _centre_window_on(qtbot, window, available.center().x(), available.center().y())
    editor = window.editors.new_post(at(WED, 15))
    frame = _frame(editor)
    assert available.contains(frame)
    assert editor.width() <= DEFAULT_SIZE.width() and editor.height() < DEFAULT_SIZE.height()
    assert frame.height() >= available.height() - 2 * SCREEN_MARGIN - 8  # as tall as fits, not a token size


def test_a_window_off_centre_keeps_the_editor_on_screen(qtbot, window, monkeypatch):
    monkeypatch.setattr(editor_module, "DEFAULT_SIZE", QSize(420, 320))
    available = _available(window)
    _centre_window_on(qtbot, window, available.right() - 40, available.bottom() - 30)
    editor = window.editors.new_post(at(WED, 15))
    frame = _frame(editor)
    assert available.contains(frame)
    assert frame.right() >= available.right() - SCREEN_MARGIN - 4  # as close to the window as the screen allows
    assert frame.bottom() >= available.bottom() - SCREEN_MARGIN - 4


def test_a_duplicate_opens_with_copy_in_its_title(qtbot, window, store):
    original = store.save_post(make_post("Spring launch", at(WED, 18), targets=[Target("twitter", "acc-twitter")]))
    editor = window.editors.open_post(original.local_id)
    assert editor.windowTitle() == "Edit post: Spring launch"
    copy = window.commands.duplicate_post(original.local_id)
    window.editors.editors[copy.local_id].close()
    # what MainWindow.duplicate_post asks for (see the report): the copy's editor, marked as one
    editor = window.editors.open_post(copy.local_id, is_copy=True)
    assert editor.windowTitle() == "Edit post: Spring launch (copy)"
    editor.content_edit.setPlainText("Spring launch, again")
    editor.save_draft()
    assert editor.windowTitle() == "Edit post: Spring launch, again (copy)"
