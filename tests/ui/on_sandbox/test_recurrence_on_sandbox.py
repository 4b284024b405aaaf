"""Recurring posts from the editor against the sandbox, with real keys and mouse: the Repeat row makes a weekly
series Late repeats (``recycling`` reaches the sandbox) and a several-weekday series of local occurrences; an
occurrence opened and changed asks this one / following / all; Skip; one undo step each; future repeats are
drawn lighter on the calendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QMessageBox, QStyleOptionGraphicsItem, QWidget

from editor_support import standalone_editor
from keyflow_helpers import until
from latecal.core.models import Post
from latecal.ui.app.main_window import MainWindow
from latecal.ui.app.post_menu import build_post_menu
from latecal.ui.app.sync_bridge import SyncBridge
from latecal.ui.editor import scope_question
from latecal.ui.editor.window import PostEditor
from sandbox_support import ACCOUNTS, fresh, module_sandbox, sandbox_posts, seed_basic
from ui_support import BERLIN, settle

pytestmark = pytest.mark.asyncio

shared_server = module_sandbox(seed=18)


@pytest.fixture
def server(shared_server):
    yield from fresh(shared_server, seed_basic)


def _at(server, hours: float):
    return (server.sandbox.state.now() + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


def _editor(qtbot, store, server, post: Post, *, is_new: bool) -> PostEditor:
    editor = standalone_editor(store, post, is_new=is_new, zone=BERLIN, clock=lambda: server.sandbox.state.now())
    editor.ask_unsaved = lambda _e: "discard"
    qtbot.addWidget(editor)
    editor.show()
    return editor


def _choose(qtbot, combo, index: int) -> None:
    """Pick an entry of a combo box with the keyboard, as a user tabbing through the form does."""
    combo.setFocus()
    for _ in range(combo.count()):
        qtbot.keyClick(combo, Qt.Key.Key_Up)
    for _ in range(index):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == index


def _click(qtbot, box) -> None:
    """A mouse click on a check box's indicator (its left end)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))


def _compose(qtbot, editor, text: str) -> None:
    _click(qtbot, editor.picker.checks[ACCOUNTS["twitter"]])
    editor.content_edit.setFocus()
    qtbot.keyClicks(editor.content_edit, text)


async def test_a_weekly_series_from_the_editor_is_late_recycling_and_undoes_in_one_step(qtbot, store, server,
                                                                                       engine):
    editor = _editor(qtbot, store, server, Post(scheduled_for=_at(server, 3)), is_new=True)
    _compose(qtbot, editor, "Weekly roundup")
    _choose(qtbot, editor.repeat.freq_combo, 2)  # Every week
    _choose(qtbot, editor.repeat.end_combo, 2)  # After …
    editor.repeat.count.setFocus()
    qtbot.keyClick(editor.repeat.count, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.repeat.count, "3")
    editor.repeat.variations.setFocus()
    qtbot.keyClicks(editor.repeat.variations, "Roundup, take two")
    qtbot.keyClick(editor.repeat.variations, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.repeat.variations, "Roundup, take three")
    await until(editor.schedule_button.isEnabled, what="the checks after typing")  # (they wait for a pause)
    qtbot.mouseClick(editor.schedule_button, Qt.MouseButton.LeftButton)
    saved = store.get_post(editor.local_id)
    assert saved.series_id and saved.recycling["gapFreq"] == "week" and saved.recycling["expireCount"] == 2
    assert len(store.series_posts(saved.series_id)) == 1  # Late makes the copies
    await engine.run_once()
    (remote,) = sandbox_posts(server)
    assert remote["recycling"]["contentVariations"] == ["Roundup, take two", "Roundup, take three"]

    # a change to the one post Late repeats asks nothing (there is nothing to choose between)
    editor.ask_scope = lambda _parent: pytest.fail("one post: no question")
    editor.activateWindow()
    await until(editor.isActiveWindow, what="the editor active")
    editor.content_edit.setFocus()
    qtbot.keyClick(editor.content_edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.content_edit, " (new)")
    qtbot.keyClick(editor.content_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert store.get_post(saved.local_id).content == "Weekly roundup (new)"
    await engine.run_once()
    (remote,) = sandbox_posts(server)
    assert remote["content"] == "Weekly roundup (new)" and remote["recycling"]["enabled"] is True

    # Ctrl+Z: the edit; again: the save and the repeat together
    runner = editor.runner
    assert runner.undo_stack.count() == 2
    runner.undo_stack.undo()
    assert store.get_post(saved.local_id).content == "Weekly roundup"
    runner.undo_stack.undo()
    assert store.get_post(saved.local_id) is None and store.get_series(saved.series_id) is None
    editor.close()


async def test_weekday_occurrences_edit_all_skip_and_lighter_chips(qtbot, store, server, engine):
    first = _at(server, 3)
    editor = _editor(qtbot, store, server, Post(scheduled_for=first), is_new=True)
    _compose(qtbot, editor, "Stand-up notes")
    _choose(qtbot, editor.repeat.freq_combo, 2)
    wd = first.astimezone(BERLIN).weekday()
    for day in {wd, (wd + 2) % 7, (wd + 4) % 7}:
        box = editor.repeat.weekdays[day]
        if not box.isChecked():
            _click(qtbot, box)
        assert box.isChecked()
    _choose(qtbot, editor.repeat.end_combo, 2)
    editor.repeat.count.setFocus()
    qtbot.keyClick(editor.repeat.count, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.repeat.count, "5")
    editor.repeat.variations.setFocus()
    for n, line in enumerate(("Notes B", "Notes C", "Notes D", "Notes E")):
        if n:
            qtbot.keyClick(editor.repeat.variations, Qt.Key.Key_Return)
        qtbot.keyClicks(editor.repeat.variations, line)
    await until(editor.schedule_button.isEnabled, what="the checks after typing")  # (they wait for a pause)
    editor.schedule_button.setFocus()
    qtbot.keyClick(editor.schedule_button, Qt.Key.Key_Space)
    series_id = store.get_post(editor.local_id).series_id
    posts = store.series_posts(series_id)
    assert [p.content for p in posts] == ["Stand-up notes", "Notes B", "Notes C", "Notes D", "Notes E"]
    assert all(p.recycling is None for p in posts)
    await engine.run_once()
    assert len(sandbox_posts(server)) == 5 and len(server.sandbox.state.idempotency) == 5
    editor.close()

    # the calendar draws the repeats still to come lighter than the post the user placed
    window = MainWindow(store, zone=BERLIN, clock=lambda: server.sandbox.state.now(), view="month")
    qtbot.addWidget(window)
    window.show()
    bridge = SyncBridge(engine, window)
    window.attach_sync(bridge)
    scene = window.views.month.scene
    await settle()
    items = {p.occurrence: scene.items_by_id.get(p.local_id) for p in posts}
    shown = [i for i, item in items.items() if item is not None]
    assert 0 in shown and len(shown) >= 2
    assert _fill_alpha(items[shown[1]]) < 0.7 * _fill_alpha(items[0])

    # a chip's context menu (what a right click on it opens) skips a repeat; undo brings it back
    fourth = items[shown[-1]]
    menu = build_post_menu(window.commands, fourth.post, window)
    skip_action = next(a for a in menu.actions() if a.text() == "Skip this occurrence")
    skip_action.trigger()
    assert fourth.local_id not in {p.local_id for p in store.series_posts(series_id)}
    window.runner.undo_stack.undo()
    posts = store.series_posts(series_id)
    assert len(posts) == 5

    # open an occurrence, change its text, save: the scope question, "All posts"
    third = posts[2]
    again = _editor(qtbot, store, server, store.get_post(third.local_id), is_new=False)
    asked = []
    again.ask_scope = lambda parent: asked.append(parent) or "all"
    assert again.repeat.skip_button.isVisible() and again.repeat.freq_combo.currentIndex() == 2
    again.activateWindow()
    await until(again.isActiveWindow, what="the editor active (its Ctrl+S is a window shortcut)")
    again.title_edit.setFocus()
    qtbot.keyClicks(again.title_edit, "Team")
    qtbot.keyClick(again.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert asked == [again]
    assert [p.title for p in store.series_posts(series_id)] == ["Team"] * 5
    # Skip, with the mouse
    qtbot.mouseClick(again.repeat.skip_button, Qt.MouseButton.LeftButton)
    assert [p.occurrence for p in store.series_posts(series_id)] == [0, 1, 3, 4]
    await engine.run_once()
    assert len(sandbox_posts(server)) == 4 and all(p["title"] == "Team" for p in sandbox_posts(server))
    # two steps in the history: undo the skip, then the edit of all
    window_runner = again.runner
    window_runner.undo_stack.undo()
    assert [p.occurrence for p in store.series_posts(series_id)] == [0, 1, 2, 3, 4]
    window_runner.undo_stack.undo()
    assert [p.title for p in store.series_posts(series_id)] == [""] * 5
    await bridge.aclose()
    window.close()


async def test_does_not_repeat_on_an_occurrence_ends_the_series_there_in_one_undo_step(qtbot, store, server,
                                                                                      engine):
    from latecal.core.models import Target
    from latecal.core.recurrence import Freq, Rule
    from latecal.operations import recurring

    now = server.sandbox.state.now()
    first = store.save_post(Post(content="Daily 1", status="scheduled", scheduled_for=_at(server, 3),
                                 timezone="Europe/Berlin", targets=[Target("twitter", ACCOUNTS["twitter"])]))
    recurring.make_recurring(store, first.local_id, Rule(Freq.DAILY, count=4, variations=("Daily 2", "Daily 3",
                                                                                          "Daily 4")),
                             zone="Europe/Berlin", now=now, initiator=None)
    series_id = store.get_post(first.local_id).series_id
    second = next(p for p in store.series_posts(series_id) if p.occurrence == 1)
    editor = _editor(qtbot, store, server, second, is_new=False)
    editor.ask_scope = lambda _parent: pytest.fail("nothing to ask: the series ends here")
    _choose(qtbot, editor.repeat.freq_combo, 0)  # Does not repeat
    editor.activateWindow()
    await until(editor.isActiveWindow, what="the editor active")
    qtbot.keyClick(editor.content_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert store.get_series(series_id) is None
    assert sorted(p.content for p in store.all_posts()) == ["Daily 1", "Daily 2"]
    assert not editor.repeat.stop_button.isVisible()
    editor.runner.undo_stack.undo()  # one step: the save and the end of the series
    assert [p.content for p in store.series_posts(series_id)] == ["Daily 1", "Daily 2", "Daily 3", "Daily 4"]
    editor.close()


def _fill_alpha(item) -> int:
    """How strongly the chip covers the background: painted over white, the mean distance from white."""
    w, h = 120, 18
    item.set_geometry(0, 0, w, h)
    image = QImage(w, h, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    item.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()
    total = 0
    for x in range(8, w - 8, 4):
        c = image.pixelColor(x, h - 3)
        total += 765 - (c.red() + c.green() + c.blue())
    return total // len(range(8, w - 8, 4))


async def test_the_scope_box_answers_with_the_button_clicked(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    for label, answer in (("This post", "this"), ("This and following posts", "following"),
                          ("All posts", "all")):
        box = scope_question.scope_box(parent)
        box.show()
        button = next(b for b in box.buttons() if b.text() == label)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert box.property("answer") == answer
    box = scope_question.scope_box(parent)
    box.show()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not box.property("answer") and isinstance(box, QMessageBox)
