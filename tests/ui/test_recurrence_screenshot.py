"""The README's pictures of a recurring series: the editor's Repeat row on an occurrence, and a month whose repeats
still to come are drawn lighter. Pictures go to tmp_path only; tests/readme_screenshots.py writes the same scenes
into docs/screenshots on purpose."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QScrollArea
from test_editor_screenshots import SIZE, seed_accounts

from editor_support import standalone_editor
from latecal.core.models import Post, Target
from latecal.core.recurrence import Freq, Rule
from latecal.operations import recurring
from latecal.ui.app.main_window import MainWindow
from picture_checks import assert_picture, grab
from ui_support import BERLIN, NOW, at, flush_events

REPEAT_TEXTS = ["Repeat", "Every week", "Skip this occurrence", "Mon", "Thu"]


def _series(store) -> str:
    """A weekly series on Mondays and Thursdays at 09:00, six times, with text variations (local occurrences:
    two weekdays are more than Late's recycling says), and a monthly one Late repeats."""
    seed_accounts(store)
    first = store.save_post(Post(content="Monday tip: grind just before you brew.", status="scheduled",
                                 scheduled_for=at(NOW.date() + timedelta(days=5), 9), timezone="Europe/Berlin",
                                 targets=[Target("twitter", "x1"), Target("linkedin", "li1")]))
    rule = Rule(Freq.WEEKLY, weekdays=(0, 3), count=6,
                variations=("Thursday tip: water just off the boil.", "Monday tip: weigh, don't scoop.",
                            "Thursday tip: bloom for 30 seconds.", "Monday tip: clean the grinder weekly.",
                            "Thursday tip: store beans airtight."))
    recurring.make_recurring(store, first.local_id, rule, zone="Europe/Berlin", now=NOW, initiator=None)
    monthly = store.save_post(Post(content="Our roaster's monthly pick", status="scheduled",
                                   scheduled_for=at(NOW.date() + timedelta(days=1), 16), timezone="Europe/Berlin",
                                   targets=[Target("twitter", "x1")]))
    recurring.make_recurring(store, monthly.local_id, Rule(Freq.MONTHLY, count=12), zone="Europe/Berlin", now=NOW,
                             initiator=None)
    return first.local_id


def repeat_editor_for_screenshot(store):
    local_id = _series(store)
    editor = standalone_editor(store, store.get_post(local_id), is_new=False, zone=BERLIN, clock=lambda: NOW)
    editor.ask_unsaved = lambda _e: "discard"
    editor.resize(*SIZE)
    return editor


def repeat_month_for_screenshot(store):
    _series(store)
    window = MainWindow(store, zone=BERLIN, clock=lambda: NOW, view="month", anchor=NOW.date())
    window.resize(1280, 800)
    return window


def scroll_to_repeat(widget) -> None:
    """An editor shows its Repeat row, as Tab to it does (a window: nothing to do)."""
    scroll = widget.findChild(QScrollArea) if hasattr(widget, "repeat") else None
    if scroll is not None:
        flush_events()
        scroll.ensureWidgetVisible(widget.repeat)
    flush_events()


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    flush_events()


def test_the_editor_picture_shows_the_repeat_row(qtbot, store, tmp_path):
    editor = repeat_editor_for_screenshot(store)
    _show(qtbot, editor)
    scroll_to_repeat(editor)
    image = grab(editor)
    assert image.save(str(tmp_path / "editor-repeat.png"))
    assert_picture(editor, image, texts=REPEAT_TEXTS)
    editor.close()


def test_the_month_picture_draws_the_repeats_lighter(qtbot, store, tmp_path):
    window = repeat_month_for_screenshot(store)
    _show(qtbot, window)
    image = grab(window)
    assert_picture(window, image, texts=[])
    assert image.save(str(tmp_path / "month-repeat.png"))
    window.close()
