"""A chip re-renders its cached pixmap only when what it paints changed: a bulk move by whole days keeps every
chip's pixmap (500 posts move without 500 re-renders), any other change repaints it, and the selection outline is
the scene's (selecting re-renders nothing)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from latecal.ui.calendar.post_item import PostItem
from ui_support import at, flush_events, make_post

WED = date(2027, 3, 10)  # the tests' "today" (ui_support.NOW)


def _count_paints(monkeypatch) -> list[str]:
    painted: list[str] = []
    paint = PostItem.paint

    def counting(self, *args):
        painted.append(self.local_id)
        return paint(self, *args)

    monkeypatch.setattr(PostItem, "paint", counting)
    return painted


def test_whole_day_moves_keep_the_pixmap_and_other_changes_repaint(qtbot, open_window, store, monkeypatch):
    posts = [store.save_post(make_post(f"Post {n}", at(WED + timedelta(days=1), 9 + n))) for n in range(3)]
    painted = _count_paints(monkeypatch)  # (before the items exist: the binding looks an override up once)
    window = open_window(view="week", anchor=WED)
    view = window.views.week.view
    view.verticalScrollBar().setValue(8 * 60)
    flush_events()
    view.viewport().repaint()
    assert sorted(painted) == sorted(p.local_id for p in posts)  # painted once, from then on from the cache
    painted.clear()

    window.focus_calendar()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    flush_events()
    view.viewport().repaint()
    assert len(window.mirror.selection) == 3 and painted == []  # outlined by the scene, no chip re-rendered

    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # a day later, same time of day
    flush_events()
    view.viewport().repaint()
    assert [store.get_post(p.local_id).scheduled_for for p in posts] == [p.scheduled_for + timedelta(days=1)
                                                                         for p in posts]
    assert painted == []

    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # 15 minutes later: new times painted
    flush_events()
    view.viewport().repaint()
    assert sorted(painted) == sorted(p.local_id for p in posts)
