"""The editor follows the clock (issue 19, item 8): when the chosen minute passes while the editor is open,
Schedule turns itself off and says why, without a click or a keystroke."""

from __future__ import annotations

from datetime import timedelta

from editor_support import X, close_quietly, seed_accounts, standalone_editor, tick
from latecal.core.models import Post
from ui_support import BERLIN, NOW

CHOSEN = NOW + timedelta(hours=1)  # a whole minute, as the editor's fields give


class Clock:
    """The editor's clock, moved by the test."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def _editor(qtbot, store, clock: Clock):
    seed_accounts(store)
    editor = standalone_editor(store, Post(scheduled_for=CHOSEN), is_new=True, zone=BERLIN, clock=clock)
    editor.ask_unsaved = lambda _e: "discard"  # a failed test must not leave a modal question behind
    qtbot.addWidget(editor)
    editor.show()
    tick(editor, X)
    editor.content_edit.setPlainText("Doors open in 10 minutes!")
    editor.revalidate()
    return editor


def test_schedule_turns_off_and_says_why_when_the_chosen_minute_passes(qtbot, store):
    # Late's grace: the chosen minute may go out until a minute after it; then it is in the past
    clock = Clock(CHOSEN + timedelta(seconds=59, milliseconds=900))
    editor = _editor(qtbot, store, clock)
    assert editor.schedule_button.isEnabled(), editor.reasons_text()
    clock.now = CHOSEN + timedelta(seconds=60, milliseconds=200)  # the minute turns; nobody touches the editor
    qtbot.waitUntil(lambda: not editor.schedule_button.isEnabled(), timeout=3000)
    assert any("in the past" in m for m in editor.when.problems.messages)
    assert "in the past" in editor.reasons_text()
    assert editor.publish_button.isEnabled()  # publishing now is still possible
    close_quietly(editor)


def test_the_check_wakes_at_the_turn_of_the_minute_and_again_each_minute(qtbot, store):
    clock = Clock(NOW.replace(second=30))
    editor = _editor(qtbot, store, clock)
    assert 29_000 < editor._minute_timer.remainingTime() <= 30_050  # aligned to the minute, not 60 s from now
    clock.now = NOW.replace(second=59, microsecond=990_000)
    with qtbot.waitSignal(editor._minute_timer.timeout, timeout=2000):
        editor._minute_timer.start(0)  # as though the half minute had gone by
    # the editor's check ran first and woke itself for the next turn: 10 ms and the margin away
    assert editor._minute_timer.isActive() and editor._minute_timer.remainingTime() <= 60
    close_quietly(editor)
    assert not editor._minute_timer.isActive()  # a closed editor checks nothing
