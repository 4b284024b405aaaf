"""The drafts tray: unscheduled drafts beside the calendar, dropped onto a month day or a week slot."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMenu

from latecal.core.models import Account, Profile, Target
from latecal.ui.widgets.post_mime import POST_IDS_MIME, decode_post_ids
from ui_support import PushWatch, at, make_post

WED = date(2027, 3, 10)
X = "acc-twitter"


@pytest.fixture
def accounts(store):
    store.replace_profiles([Profile("p-acme", "Acme", "#d62828", "Europe/Berlin", is_default=True)])
    store.replace_accounts([Account(X, "twitter", "p-acme", username="acme")])
    return store


def _draft(store, text: str, **kw):
    kw.setdefault("targets", [Target("twitter", X)])
    return store.save_post(make_post(text, None, status="draft", **kw))


def _enter_event(cls, pos: QPointF, mime):
    args = (Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    try:
        return cls(pos, *args)
    except TypeError:  # 6.11: QPoint only
        return cls(pos.toPoint(), *args)


def _drop_on(view, scene_point: QPointF, mime) -> bool:
    """Synthesized drag enter/move/drop on the view's viewport (a real QDrag does not run offscreen)."""
    pos = QPointF(view.mapFromScene(scene_point))
    viewport = view.viewport()
    enter = _enter_event(QDragEnterEvent, pos, mime)
    QApplication.sendEvent(viewport, enter)
    move = _enter_event(QDragMoveEvent, pos, mime)
    QApplication.sendEvent(viewport, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(pos, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    return drop.isAccepted()


def _tray_mime(window, *local_ids):
    tray = window.drafts_tray
    items = [tray.item_for(i) for i in local_ids]
    return tray.list.mimeData(items)


def test_tray_lists_drafts_without_a_time_and_follows_the_store(qtbot, open_window, accounts, store):
    a = _draft(store, "Idea one")
    store.save_post(make_post("Has a time", at(WED, 15), status="draft", targets=[Target("twitter", X)]))
    window = open_window(view="month", anchor=WED)
    tray = window.drafts_tray
    assert window.drafts_dock.isVisible() and tray.isVisible()
    assert tray.post_ids() == [a.local_id]
    b = _draft(store, "Idea two")  # e.g. saved from an editor: the change set updates the tray
    assert set(tray.post_ids()) == {a.local_id, b.local_id}
    assert "(2)" in tray.heading.text()
    store.delete_post(a.local_id)
    assert tray.post_ids() == [b.local_id]
    mime = _tray_mime(window, b.local_id)
    assert mime.hasFormat(POST_IDS_MIME) and decode_post_ids(mime) == [b.local_id]


def test_drop_on_a_month_day_schedules_at_nine_and_undo_puts_it_back(qtbot, open_window, accounts, store, sync):
    draft = _draft(store, "Tray to month")
    window = open_window(view="month", anchor=WED, sync=sync)
    scene = window.views.month.scene
    target_day = WED + timedelta(days=2)
    pushes = PushWatch(store)
    assert _drop_on(window.views.month.view, scene.cell_rect(target_day).center(), _tray_mime(window, draft.local_id))
    saved = store.get_post(draft.local_id)
    assert saved.status == "scheduled" and saved.scheduled_for == at(target_day, 9)
    assert draft.local_id in scene.items_by_id and window.drafts_tray.post_ids() == []
    assert pushes.count == 1

    window.runner.undo_stack.undo()
    back = store.get_post(draft.local_id)
    assert back.status == "draft" and back.scheduled_for is None
    assert draft.local_id not in scene.items_by_id and window.drafts_tray.post_ids() == [draft.local_id]


def test_undo_of_scheduling_a_draft_is_refused_once_its_time_was_changed_since(qtbot, open_window, accounts, store):
    draft = _draft(store, "Tray to Friday")
    window = open_window(view="month", anchor=WED)
    friday = WED + timedelta(days=2)
    assert window.runner.schedule_drafts([draft.local_id], friday, None)
    from dataclasses import replace

    store.save_post(replace(store.get_post(draft.local_id), scheduled_for=at(friday, 17)))  # its editor
    window.runner.undo_stack.undo()
    post = store.get_post(draft.local_id)
    assert (post.status, post.scheduled_for) == ("scheduled", at(friday, 17))
    assert "has been changed since" in window.message_bar.text


def test_drop_on_a_week_slot_uses_the_snapped_slot_time(qtbot, open_window, accounts, store):
    draft = _draft(store, "Tray to week")
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    day = WED + timedelta(days=1)
    x = scene.column_x(scene.column_of(day)) + scene.col_w / 2
    y = scene.y_of(at(day, 14, 0)) + 0.2 * 60  # 14:12 → snaps to 14:15
    assert _drop_on(window.views.week.view, QPointF(x, y), _tray_mime(window, draft.local_id))
    saved = store.get_post(draft.local_id)
    assert saved.status == "scheduled" and saved.scheduled_for == at(day, 14, 15)
    assert draft.local_id in scene.items_by_id


def test_a_draft_that_cannot_be_scheduled_is_refused_with_the_reason(qtbot, open_window, accounts, store):
    no_accounts = _draft(store, "Nowhere to go", targets=[])
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    assert _drop_on(window.views.month.view, scene.cell_rect(WED + timedelta(days=1)).center(),
                    _tray_mime(window, no_accounts.local_id))
    assert store.get_post(no_accounts.local_id).status == "draft"
    assert "Choose at least one account" in window.message_bar.text
    past = _draft(store, "Too late")
    _drop_on(window.views.month.view, scene.cell_rect(WED - timedelta(days=2)).center(),
             _tray_mime(window, past.local_id))
    assert store.get_post(past.local_id).scheduled_for is None and "in the past" in window.message_bar.text
    assert "09:00" in window.message_bar.text and "UTC" not in window.message_bar.text  # the time the user sees


def test_other_drags_are_not_taken_by_the_scenes(qtbot, open_window, accounts):
    from PySide6.QtCore import QMimeData

    window = open_window(view="month", anchor=WED)
    mime = QMimeData()
    mime.setText("just text")
    assert not _drop_on(window.views.month.view, window.views.month.scene.cell_rect(WED).center(), mime)
    assert QPoint  # keep the import used on both Qt versions


def _hover(view, scene_point: QPointF, mime) -> None:
    """A tray drag entering the calendar and moving to ``scene_point`` (no drop)."""
    pos = QPointF(view.mapFromScene(scene_point))
    QApplication.sendEvent(view.viewport(), _enter_event(QDragEnterEvent, pos, mime))
    QApplication.sendEvent(view.viewport(), _enter_event(QDragMoveEvent, pos, mime))


def test_a_draft_dragged_over_the_calendar_shows_where_it_lands(qtbot, open_window, accounts, store):
    draft = _draft(store, "Where do I go")
    window = open_window(view="month", anchor=WED)
    scene, view = window.views.month.scene, window.views.month.view
    mime = _tray_mime(window, draft.local_id)
    tomorrow = WED + timedelta(days=1)
    _hover(view, scene.cell_rect(tomorrow).center(), mime)
    assert scene.drop_hint.isVisible() and scene.drop_hint.rect == scene.cell_rect(tomorrow)
    assert not scene.drop_hint.refused
    _hover(view, scene.cell_rect(WED - timedelta(days=2)).center(), mime)
    assert scene.drop_hint.isVisible() and scene.drop_hint.refused  # a day already past
    QApplication.sendEvent(view.viewport(), QDragLeaveEvent())
    assert not scene.drop_hint.isVisible()
    assert _drop_on(view, scene.cell_rect(tomorrow).center(), mime)
    assert not scene.drop_hint.isVisible()

    window.set_view("week")
    week = window.views.week.scene
    slot = QPointF(week.column_x(week.column_of(tomorrow)) + week.col_w / 2, week.y_of(at(tomorrow, 14, 0)) + 12)
    _hover(window.views.week.view, slot, _tray_mime(window))
    assert not week.drop_hint.isVisible()  # nothing dragged: no mark
    other = _draft(store, "Me too")
    _hover(window.views.week.view, slot, _tray_mime(window, other.local_id))  # 14:12 snaps to 14:15
    assert week.drop_hint.isVisible() and week.drop_hint.label == "Thu 14:15" and not week.drop_hint.refused


# -- the tray follows change sets row by row, in the store's order ------------------------------------------


def test_a_change_refills_only_its_row_and_the_rows_keep_the_stores_order(qtbot, open_window, accounts, store):
    from dataclasses import replace

    a, b, c = (_draft(store, text) for text in ("Alpha", "Beta", "Gamma"))
    window = open_window(view="week", anchor=WED)
    tray = window.drafts_tray
    assert tray.post_ids() == [p.local_id for p in store.unscheduled_drafts()] == [c.local_id, b.local_id, a.local_id]
    rows = {i: tray.item_for(i) for i in tray.post_ids()}

    store.save_post(replace(a, content="Alpha, edited"))  # the most recently edited comes first
    assert tray.post_ids() == [a.local_id, c.local_id, b.local_id]
    assert all(tray.item_for(i) is rows[i] for i in rows)  # moved, not rebuilt
    assert tray.item_for(a.local_id).text().startswith("Alpha, edited")

    runner = window.runner
    assert runner.schedule_drafts([b.local_id, c.local_id], WED + timedelta(days=2), None)
    assert tray.post_ids() == [a.local_id] and "(1)" in tray.heading.text()
    runner.undo_stack.undo()  # both come back at once, where the store has them
    assert tray.post_ids() == [p.local_id for p in store.unscheduled_drafts()]
    assert set(tray.post_ids()) == {a.local_id, b.local_id, c.local_id} and "(3)" in tray.heading.text()


def test_a_draft_brought_back_by_an_undo_takes_its_old_place(qtbot, open_window, accounts, store):
    first, second = _draft(store, "Older"), _draft(store, "Newer")
    (entry,) = [e for e in store.pending_entries(at(WED, 0) + timedelta(days=400)) if e.local_id == first.local_id]
    store.finish_push(store.begin_push(entry), late_id="late-old")  # on Late: its delete waits in the outbox
    window = open_window(view="week", anchor=WED)
    window.commands.delete_post(first.local_id)
    assert window.drafts_tray.post_ids() == [second.local_id]
    window.runner.undo_stack.undo()
    assert window.drafts_tray.post_ids() == [p.local_id for p in store.unscheduled_drafts()]
    assert window.drafts_tray.post_ids() == [second.local_id, first.local_id]  # back below, as it was


def test_the_relay_is_the_only_route_from_the_store_to_the_screen(qtbot, open_window, accounts, store):
    window = open_window(view="week", anchor=WED)
    editor = window.editors.new_post(at(WED, 17))
    window.views.page("month")
    window.views.page("list")
    # the window, its drafts tray and every editor listen through the one relay; nothing else subscribes
    assert store._listeners == [window.relay._heard]
    editor.close()


def test_a_closed_drafts_panel_comes_back_from_the_view_menu(qtbot, open_window, accounts, store):
    window = open_window(view="week", anchor=WED)
    toggle = window.actions_by_name["drafts"]
    assert toggle.isChecked() and window.drafts_dock.isVisible()
    window.drafts_dock.close()  # its ×
    assert not window.drafts_dock.isVisible() and not toggle.isChecked()
    view_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&View")
    assert toggle in view_menu.actions()
    toggle.trigger()
    assert window.drafts_dock.isVisible()
