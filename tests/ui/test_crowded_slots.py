"""Week and day views: posts at one time share the column side by side, each showing its time, platforms and
first words; a fifth or more at that time collapse into "+N", which lists them all (mouse or keyboard) and opens
the one chosen."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from ui_support import at, flush_events, make_post, render_item

WED = date(2027, 3, 10)


def _view_point(page, item) -> QPoint:
    centre = item.mapToScene(item.boundingRect().center())
    return page.view.mapFromScene(centre)


def _ink_rows(item) -> set[int]:
    """Rows of the rendered block with dark (text) pixels right of the status bar."""
    image = render_item(item, Qt.GlobalColor.white)
    return {y for y in range(image.height()) for x in range(7, image.width() - 2)
            if image.pixelColor(x, y).lightness() < 90}


def _ids_at_ten(store, count: int, platforms=("twitter", "instagram")) -> list[str]:
    return [store.save_post(make_post(f"Crowded idea {n}", at(WED, 10), platforms=platforms)).local_id
            for n in range(count)]


def test_four_posts_at_one_time_sit_side_by_side_each_readable(open_window, store):
    ids = _ids_at_ten(store, 4)
    window = open_window(view="day", anchor=WED)
    page = window.views.day
    items = sorted((page.scene.items_by_id[i] for i in ids), key=lambda it: it.x())
    assert all(it.isVisible() for it in items) and not page.scene.more_items()
    assert len({it.y() for it in items}) == 1  # one row: the same time
    for left, right in itertools.pairwise(items):
        assert left.x() + left.boundingRect().width() <= right.x() + 0.5  # none covers another
    assert all(it.strip_width is None for it in items)  # no cascade strips: every block paints its words
    for item in items:
        assert "10:00" in item.label() and "Crowded idea" in item.label()
        rows = _ink_rows(item)
        assert any(r < 18 for r in rows) and any(r >= 18 for r in rows)  # time line and words under it


def test_in_a_narrow_week_column_posts_at_one_time_stack_in_readable_rows(open_window, store):
    ids = _ids_at_ten(store, 4)
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    items = sorted((scene.items_by_id[i] for i in ids), key=lambda it: it.y())
    assert scene.col_w / 4 < 56  # too narrow for four blocks side by side: each would show "10…"
    assert len({it.x() for it in items}) == 1
    for upper, lower in itertools.pairwise(items):
        assert upper.y() + upper.boundingRect().height() <= lower.y() + 0.5  # rows, none covering another
    for item in items:
        assert item.boundingRect().width() >= scene.col_w - 10  # the column's width: time, marks, words
        image = render_item(item, Qt.GlobalColor.white)
        inked = {x for x in range(7, image.width() - 2) for y in range(image.height())
                 if image.pixelColor(x, y).lightness() < 90}
        assert max(inked) > image.width() * 0.6  # text runs on past the time and the marks


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")  # offscreen popups
def test_five_or_more_collapse_into_plus_n_that_lists_them_and_opens_one(qtbot, open_window, store):
    ids = _ids_at_ten(store, 6)
    lone = store.save_post(make_post("Alone at noon", at(WED, 12))).local_id
    window = open_window(view="week", anchor=WED)
    page = window.views.week
    scene = page.scene
    shown = [i for i in ids if i in scene.items_by_id and scene.items_by_id[i].isVisible()]
    assert len(shown) == 3
    (more,) = scene.more_items()
    assert more.text == "+3" and more.isVisible()
    assert set(more.post_ids) == set(ids)
    more_box = more.mapRectToScene(more.boundingRect()).adjusted(1, 1, -1, -1)
    assert not any(scene.items_by_id[i].mapRectToScene(scene.items_by_id[i].boundingRect()).intersects(more_box)
                   for i in shown)  # "+3" after the three, covering none
    assert scene.items_by_id[lone].isVisible()
    page.view.verticalScrollBar().setValue(9 * 60)
    flush_events()
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=_view_point(page, more))
    menu = page.slot_menu
    assert menu is not None and menu.isVisible()
    entries = [a for a in menu.actions() if a.data()]
    assert sorted(a.data() for a in entries) == sorted(ids)  # all six, the three behind "+3" too
    assert all(a.text().startswith("10:00") and "Crowded idea" in a.text() for a in entries)
    hidden = next(i for i in ids if i not in shown)
    target = next(a for a in entries if a.data() == hidden)
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        while menu.activeAction() is not target:
            qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert opened.args[0] == hidden


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")  # offscreen popups
def test_the_keyboard_reaches_posts_behind_plus_n(qtbot, open_window, store):
    ids = _ids_at_ten(store, 5)
    window = open_window(view="day", anchor=WED)
    page = window.views.day
    (more,) = page.scene.more_items()
    behind = list(more.post_ids[-more.hidden:])
    window.focus_calendar()
    for _ in range(len(ids)):  # Down walks every post of the day, those behind "+2" too
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
        if window.mirror.selected_id in behind:
            break
    assert window.mirror.selected_id in behind
    assert page.scene.more_items()[0].holds_selection  # the "+2" shows where the selected post is
    page.view.verticalScrollBar().setValue(20 * 60)  # evening at the top: 10:00 is out of sight
    window.mirror.reveal(window.mirror.selected_id)  # as an arrow key does: the "+2" scrolls into view
    top = page.view.verticalScrollBar().value()
    assert top <= page.scene.more_items()[0].y() <= top + page.view.viewport().height()
    with qtbot.waitSignal(window.commands.open_post_requested) as opened:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter opens the selected post
    assert opened.args[0] == window.mirror.selected_id
    more = page.scene.more_items()[0]
    more.setFocus()  # the "+N" itself takes Enter (and Space) when it has the keyboard
    assert page.view.hasFocus() and page.scene.focusItem() is more
    qtbot.keyClick(page.view.viewport(), Qt.Key.Key_Space)
    assert page.slot_menu is not None and page.slot_menu.isVisible()
    assert len([a for a in page.slot_menu.actions() if a.data()]) == 5
    qtbot.keyClick(page.slot_menu, Qt.Key.Key_Escape)  # Escape closes the list, as any menu
    assert not page.slot_menu.isVisible()
