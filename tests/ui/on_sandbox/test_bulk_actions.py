"""Actions on several selected posts, with the real keys and mouse, on the sandbox: each is one step in the undo
history (one transaction, one change set), posts the rules refuse stay with one notice for all, and what the
window did reaches Late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QMessageBox

from bulk_support import (
    ALT,
    CTRL,
    SHIFT,
    berlin,
    click,
    create_on_sandbox,
    late_statuses,
    late_times,
    local_ids,
    press_key,
    selected,
    show,
    sync,
    tomorrow,
)
from sandbox_support import ACCOUNTS
from ui_support import PushWatch, flush_events

pytestmark = pytest.mark.asyncio

TEXTS = ("Morning teaser", "Launch post", "Afternoon recap")


async def _three_selected(window, bridge, store, server, mode="day"):
    day = tomorrow(server)
    ids = [create_on_sandbox(server, text, berlin(day, hh)) for text, hh in zip(TEXTS, (10, 11, 14), strict=True)]
    await sync(bridge)
    show(window, mode, day)
    press_key(window._qtbot, window, Qt.Key.Key_A, CTRL)
    posts = local_ids(store, ids)
    assert selected(window) == set(posts)
    return day, posts


@pytest.fixture
def qwindow(window, qtbot):
    window._qtbot = qtbot
    return window


def _times(store, ids):
    return [store.get_post(i).scheduled_for for i in ids]


async def test_alt_arrows_nudge_the_whole_selection_each_one_undo_step(qwindow, bridge, store, server, qtbot):
    window = qwindow
    _day, ids = await _three_selected(window, bridge, store, server)
    start = _times(store, ids)
    stack = window.runner.undo_stack
    pushes = PushWatch(store)
    steps = [(Qt.Key.Key_Right, ALT, timedelta(days=1)), (Qt.Key.Key_Down, ALT, timedelta(minutes=15)),
             (Qt.Key.Key_Right, ALT | SHIFT, timedelta(weeks=1)), (Qt.Key.Key_Up, ALT, timedelta(minutes=-15)),
             (Qt.Key.Key_Left, ALT, timedelta(days=-1))]
    total = timedelta(0)
    for n, (key, mods, by) in enumerate(steps, start=1):
        press_key(qtbot, window, key, mods)
        total += by
        assert _times(store, ids) == [t + total for t in start], key
        assert stack.count() == n and pushes.count == n  # one command, one change set per nudge
    assert selected(window) == set(ids)  # nudged out of the day on screen, still selected
    await sync(bridge)
    on_late = late_times(server)
    assert [on_late[t] for t in TEXTS] == [t + timedelta(weeks=1) for t in start]

    press_key(qtbot, window, Qt.Key.Key_Left, ALT | SHIFT)
    assert _times(store, ids) == start


async def test_a_published_post_stays_and_one_notice_says_what_happened(qwindow, bridge, store, server, qtbot):
    window = qwindow
    now = server.sandbox.state.now()
    published = create_on_sandbox(server, "Already out", now + timedelta(minutes=2))
    server.advance(600)
    server.tick()
    day = tomorrow(server)
    ids = [create_on_sandbox(server, text, berlin(day, hh)) for text, hh in zip(TEXTS, (10, 11, 14), strict=True)]
    await sync(bridge)
    out = store.get_by_late_id(published)
    assert out.status == "published"
    show(window, "month", day)
    scheduled = local_ids(store, ids)
    click(qtbot, window, out.local_id)
    for local_id in scheduled:
        click(qtbot, window, local_id, CTRL)
    before = _times(store, scheduled)
    press_key(qtbot, window, Qt.Key.Key_Right, ALT)
    assert window.message_bar.text == "3 moved; 1 published post stays."
    assert _times(store, scheduled) == [t + timedelta(days=1) for t in before]
    assert store.get_post(out.local_id).scheduled_for == out.scheduled_for
    assert window.runner.undo_stack.count() == 1
    await sync(bridge)
    assert late_times(server)["Already out"] == out.scheduled_for


@pytest.mark.parametrize("mode", ["week", "month"])
async def test_dragging_one_selected_post_moves_them_all_one_undo_and_redo(qwindow, bridge, store, server, qtbot,
                                                                             mode):
    window = qwindow
    day, ids = await _three_selected(window, bridge, store, server, mode=mode)
    before = _times(store, ids)
    scene = window.views.scene()
    item = scene.items_by_id[ids[1]]
    window.views.page().view.ensureVisible(item, 4, 4)
    start = item.sceneBoundingRect().center()
    step = QPointF(scene.col_w if mode == "week" else scene.cell_w, 0)
    if mode == "week" and scene.column_of(day) == len(scene.days) - 1:
        step = -step  # the last column: one day back instead
    sign = 1 if step.x() > 0 else -1
    view = window.views.page().view
    a, b = view.mapFromScene(start), view.mapFromScene(start + step)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for i in range(1, 7):
        qtbot.mouseMove(view.viewport(), a + (b - a) * i / 6)
    assert scene.drop_hint.isVisible() and scene.drop_hint.label.endswith("3 posts")  # "Wed 11:00 · 3 posts"
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)
    moved = [t + timedelta(days=sign) for t in before]
    assert _times(store, ids) == moved  # every one a day on, each keeping its time of day
    stack = window.runner.undo_stack
    assert stack.count() == 1
    press_key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert _times(store, ids) == before
    press_key(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert _times(store, ids) == moved
    await sync(bridge)
    assert [late_times(server)[t] for t in TEXTS] == moved


def _answer_yes(window, qtbot) -> None:
    box = window.bulk.confirm_box
    assert box is not None and box.isVisible() and box.text() == "Delete 3 posts?"
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    window.activateWindow()  # as the window manager does once the question closes
    flush_events()


async def test_delete_asks_once_and_one_undo_brings_them_all_back(qwindow, bridge, store, server, qtbot):
    window = qwindow
    _day, ids = await _three_selected(window, bridge, store, server)
    press_key(qtbot, window, Qt.Key.Key_Delete)
    _answer_yes(window, qtbot)
    assert all(store.get_post(i) is None for i in ids)
    assert window.message_bar.text == "3 deleted."
    assert window.runner.undo_stack.count() == 1
    await sync(bridge)
    assert not set(TEXTS) & set(late_times(server))
    press_key(qtbot, window, Qt.Key.Key_Z, CTRL)
    back = [p for p in store.all_posts() if p.content in TEXTS]
    assert sorted(p.content for p in back) == sorted(TEXTS)
    await sync(bridge)
    assert set(TEXTS) <= set(late_times(server))  # scheduled ahead: Late simply has them again


async def test_duplicate_and_back_to_drafts_are_one_step_each(qwindow, bridge, store, server, qtbot):
    window = qwindow
    _day, ids = await _three_selected(window, bridge, store, server)
    tray = window.drafts_tray
    drafts_before = len(tray.post_ids())
    press_key(qtbot, window, Qt.Key.Key_D, CTRL)
    copies = [p for p in store.all_posts() if p.content in TEXTS and p.local_id not in ids]
    assert len(copies) == 3 and window.message_bar.text == "3 copied as drafts."
    press_key(qtbot, window, Qt.Key.Key_Z, CTRL)  # one undo takes all three copies away
    assert not [p for p in store.all_posts() if p.content in TEXTS and p.local_id not in ids]

    press_key(qtbot, window, Qt.Key.Key_U, CTRL | SHIFT)
    assert all(store.get_post(i).scheduled_for is None and store.get_post(i).status == "draft" for i in ids)
    assert len(tray.post_ids()) == drafts_before + 3 and set(ids) <= set(tray.post_ids())
    assert window.message_bar.text == "3 back in the drafts."
    await sync(bridge)
    assert {late_statuses(server)[t] for t in TEXTS} == {"draft"}
    press_key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert all(store.get_post(i).status == "scheduled" for i in ids)
    assert not set(ids) & set(tray.post_ids())


async def test_retry_sends_every_failed_post_again(qwindow, bridge, store, server, qtbot):
    window = qwindow
    server.force_outcome(ACCOUNTS["linkedin"], "fail", errorMessage="LinkedIn is busy", count=2)
    now = server.sandbox.state.now()
    failing = [create_on_sandbox(server, f"Will fail {n}", now + timedelta(minutes=2)) for n in range(2)]
    server.advance(600)
    server.tick()
    fine = create_on_sandbox(server, "Still ahead", now + timedelta(hours=5))
    await sync(bridge)
    ids = local_ids(store, [*failing, fine])
    assert [store.get_post(i).status for i in ids] == ["failed", "failed", "scheduled"]
    show(window, "month", tomorrow(server))
    click(qtbot, window, ids[0])
    for local_id in ids[1:]:
        click(qtbot, window, local_id, CTRL)
    assert selected(window) == set(ids)
    window.actions_by_name["retry"].trigger()  # Post ▸ Retry failed platforms
    assert window.message_bar.text == "2 sent to Late again."
    await sync(bridge)
    await sync(bridge)
    assert [store.get_post(i).status for i in ids] == ["published", "published", "scheduled"]
