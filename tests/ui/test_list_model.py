"""The List as a model/view list: in order under any sequence of inserts, moves and removals, rows and tooltips
made only when shown, and several posts selected with Ctrl+click and Shift+click."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from latecal.core.models import Post
from latecal.ui.calendar import agenda_model
from latecal.ui.calendar.agenda_list import AgendaList
from latecal.ui.calendar.post_item import post_tooltip
from ui_support import BERLIN, NOW, at, flush_events, make_post


def _reference_order(posts: dict[str, Post]) -> list[str]:
    return [p.local_id for p in sorted(posts.values(), key=lambda p: (p.scheduled_for is None,
                                                                       p.scheduled_for or NOW, p.local_id))]


def test_random_inserts_moves_and_removals_keep_the_rows_sorted_and_equal_to_a_reference(qtbot):
    agenda = AgendaList(BERLIN)
    qtbot.addWidget(agenda)
    agenda.resize(900, 400)
    agenda.show()
    rng = random.Random(16)
    reference: dict[str, Post] = {}
    inserted, removed = [], []
    agenda.model().rowsInserted.connect(lambda _p, first, last: inserted.append(last - first + 1))
    agenda.model().rowsRemoved.connect(lambda _p, first, last: removed.append(last - first + 1))
    for step in range(600):
        choice = rng.random()
        if choice < 0.5 or not reference:
            when = None if rng.random() < 0.1 else NOW + timedelta(minutes=rng.randint(-5000, 5000) // 15 * 15)
            post = make_post(f"Post {step}", when)
            reference[post.local_id] = post
            agenda.upsert_post(post)
        elif choice < 0.8:  # a move (or an edit in place when the time stays)
            local_id = rng.choice(sorted(reference))
            keep = rng.random() < 0.3
            when = reference[local_id].scheduled_for if keep else NOW + timedelta(hours=rng.randint(-80, 80))
            post = reference[local_id] = replace(reference[local_id], scheduled_for=when, content=f"Edited {step}")
            agenda.upsert_post(post)
        else:
            local_id = rng.choice(sorted(reference))
            del reference[local_id]
            agenda.remove_post(local_id)
        if step % 50 == 0:
            assert agenda.post_ids() == _reference_order(reference)
    assert agenda.post_ids() == _reference_order(reference)
    assert agenda.row_count() == len(reference)
    for row, local_id in enumerate(agenda.post_ids()):  # each row shows its own post
        assert agenda.row_at(row).text(3) == reference[local_id].content
    # one row at a time: never a reset of the whole list
    assert set(inserted) == {1} and set(removed) == {1}


def _store_rows(agenda: AgendaList, posts: list[Post], fetched: list[list[str]]) -> None:
    by_id = {p.local_id: p for p in posts}

    def fetch(ids):
        fetched.append(list(ids))
        return {i: by_id[i] for i in ids if i in by_id}

    agenda.set_rows([(int(p.scheduled_for.timestamp() * 1_000_000), p.local_id) for p in posts], fetch)


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen tooltip
def test_rows_and_tooltips_are_made_only_for_what_is_shown(qtbot, monkeypatch):
    tips: list[str] = []
    monkeypatch.setattr(agenda_model, "post_tooltip", lambda post, *a, **kw: tips.append(post.local_id)
                        or post_tooltip(post, *a, **kw))
    agenda = AgendaList(BERLIN)
    qtbot.addWidget(agenda)
    agenda.resize(900, 400)
    agenda.show()
    qtbot.waitExposed(agenda)
    posts = [make_post(f"Row {n}", NOW + timedelta(minutes=n)) for n in range(5000)]
    fetched: list[list[str]] = []
    _store_rows(agenda, posts, fetched)
    flush_events()
    agenda.viewport().repaint()
    assert agenda.row_count() == 5000
    read = {i for batch in fetched for i in batch}
    assert 0 < len(read) < 200  # a screenful and a margin, never the 5000
    assert tips == []  # painting asks for no tooltip
    rect = agenda.visualRect(agenda.model().index(3, 3))
    event = QHelpEvent(QEvent.Type.ToolTip, rect.center(), agenda.viewport().mapToGlobal(rect.center()))
    QApplication.sendEvent(agenda.viewport(), event)
    assert tips == [posts[3].local_id]  # the hovered row's, when hovered
    assert "Row 3" in QToolTip.text()
    agenda.scrollTo(agenda.model().index(4000, 0))
    flush_events()
    agenda.viewport().repaint()
    assert posts[4000].local_id in {i for batch in fetched for i in batch}  # read when scrolled to
    assert len({i for batch in fetched for i in batch}) < 400


def test_ctrl_and_shift_click_select_several_posts_and_say_so(qtbot, open_window, store):
    wed = date(2027, 3, 10)
    posts = [store.save_post(make_post(f"Post {n}", at(wed, 9 + n))) for n in range(6)]
    window = open_window(view="list", anchor=wed)
    agenda = window.views.list
    said: list[list[str]] = []
    agenda.selected_ids_changed.connect(said.append)

    def click(n: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        row = agenda.model().row_of(posts[n].local_id)
        qtbot.mouseClick(agenda.viewport(), Qt.MouseButton.LeftButton, modifier,
                         agenda.visualRect(agenda.model().index(row, 1)).center())

    click(1)
    assert agenda.selected_ids() == [posts[1].local_id] and window.mirror.selected_id == posts[1].local_id
    click(3, Qt.KeyboardModifier.ControlModifier)
    assert agenda.selected_ids() == [posts[1].local_id, posts[3].local_id]
    click(5, Qt.KeyboardModifier.ShiftModifier)
    # from the Ctrl+clicked row to this one, added to what was selected (as file managers do)
    assert agenda.selected_ids() == [p.local_id for p in (posts[1], *posts[3:6])]
    assert said and said[-1] == agenda.selected_ids()
    agenda.select_ids([posts[0].local_id, posts[2].local_id])
    assert agenda.selected_ids() == [posts[0].local_id, posts[2].local_id]
    assert said[-1] == agenda.selected_ids()
    # a sync moves a selected post: it stays selected, the others too
    store.save_post(replace(store.get_post(posts[0].local_id), scheduled_for=at(wed, 20)), initiator=object())
    flush_events()
    assert set(agenda.selected_ids()) == {posts[0].local_id, posts[2].local_id}


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")  # offscreen popups
def test_double_click_and_enter_open_the_post_and_the_context_menu_names_it(qtbot, open_window, store):
    wed = date(2027, 3, 10)
    post = store.save_post(make_post("Open me", at(wed, 9)))
    window = open_window(view="list", anchor=wed)
    agenda = window.views.list
    opened: list[str] = []
    window.commands.open_post_requested.connect(opened.append)
    center = agenda.visualRect(agenda.model().index(agenda.model().row_of(post.local_id), 3)).center()
    # a real double click: a press and release, then the double click (Qt's view wants the press first)
    qtbot.mouseClick(agenda.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(agenda.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert opened == [post.local_id]
    agenda.setFocus()
    qtbot.keyClick(agenda, Qt.Key.Key_Return)
    assert opened == [post.local_id, post.local_id]
    menus: list[tuple[str, QPoint]] = []
    agenda.context_menu_requested.connect(lambda i, p: menus.append((i, p)))
    agenda.customContextMenuRequested.emit(center)
    assert [i for i, _p in menus] == [post.local_id]
    window.commands.menu.close()


def test_a_burst_of_change_sets_is_painted_once_it_pauses(qtbot, open_window, store):
    wed = date(2027, 3, 10)
    window = open_window(view="list", anchor=wed)
    agenda = window.views.list
    for n in range(5):  # five change sets in a row, as a sync's pages
        store.save_post(make_post(f"Burst {n}", at(wed, 9 + n)))
    assert agenda.row_count() == 5  # the rows are there at once
    assert not agenda.viewport().updatesEnabled()  # their repaint waits for the burst to pause
    qtbot.waitUntil(agenda.viewport().updatesEnabled, timeout=2000)
    painted: list[str] = []
    original = agenda.model().look_at
    agenda.model().look_at = lambda row: painted.append(agenda.post_id_at(row)) or original(row)
    agenda.viewport().repaint()
    assert set(agenda.post_ids()) <= set(painted)


def test_the_lists_selection_is_the_windows_in_every_view(qtbot, open_window, store):
    wed = date(2027, 3, 10)
    posts = [store.save_post(make_post(f"Post {n}", at(wed + timedelta(days=1), 9 + n))) for n in range(4)]
    window = open_window(view="list", anchor=wed)
    agenda = window.views.list

    def click(n: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        row = agenda.model().row_of(posts[n].local_id)
        qtbot.mouseClick(agenda.viewport(), Qt.MouseButton.LeftButton, modifier,
                         agenda.visualRect(agenda.model().index(row, 1)).center())

    click(0)
    click(2, Qt.KeyboardModifier.ControlModifier)
    chosen = {posts[0].local_id, posts[2].local_id}
    assert window.mirror.selection.ids == chosen
    assert window.bulk.count_label.text() == "2 selected"
    qtbot.keyClick(window, Qt.Key.Key_1)  # to the month: the same two are selected there
    flush_events()
    scene = window.views.scene("month")
    assert {key for key, item in scene.items_by_id.items() if item.selected} == chosen
    window.mirror.selection.replace([posts[1].local_id, posts[3].local_id], posts[3].local_id)
    qtbot.keyClick(window, Qt.Key.Key_4)  # and back: the List shows the month's choice
    flush_events()
    assert set(agenda.selected_ids()) == {posts[1].local_id, posts[3].local_id}
    assert agenda.current_id() == posts[3].local_id
