"""Week view: many posts at once stay readable (cascade instead of slivers), and posts scrolled out of sight are
counted in the day's header, which brings them back on a click."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, Qt

from latecal.ui.calendar.time_grid_scene import GUTTER, MIN_LANE_WIDTH
from ui_support import at, make_post, render_item

WED = date(2027, 3, 10)


def test_four_posts_at_once_cascade_with_the_newest_readable(open_window, store):
    ids = [store.save_post(make_post(f"Crowded post {n}", at(WED, 20, 26 + n))).local_id for n in range(4)]
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    items = [scene.items_by_id[i] for i in ids]
    xs = [item.x() for item in items]
    assert xs == sorted(xs) and len(set(xs)) == 4  # each one indented a little more
    assert [item.zValue() for item in items] == sorted(item.zValue() for item in items)  # later ones on top
    top = items[-1]
    assert top.boundingRect().width() >= MIN_LANE_WIDTH  # its time and words fit, not "20…"
    assert top.boundingRect().width() >= scene.col_w * 0.5


def test_cascaded_blocks_under_a_later_one_show_a_plain_strip_not_a_stub_of_text(open_window, store):
    ids = [store.save_post(make_post(f"Crowded post {n}", at(WED, 10, 19 + n))).local_id for n in range(4)]
    far = store.save_post(make_post("An hour later", at(WED, 11, 30))).local_id
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    strips = [scene.items_by_id[i].strip_width for i in ids]
    assert all(s is not None and s < 30 for s in strips[:-1]) and strips[-1] is None  # the newest reads whole
    assert scene.items_by_id[far].strip_width is None

    def ink(item) -> int:
        """Dark pixels in the covered part's left strip (text), rendered as the view does."""
        image = render_item(item, Qt.GlobalColor.white)
        return sum(image.pixelColor(x, y).lightness() < 80 for x in range(6, 14) for y in range(2, 16))

    covered, newest = scene.items_by_id[ids[0]], scene.items_by_id[ids[-1]]
    assert ink(covered) == 0 and ink(newest) > 0
    window.mirror.select(ids[0])  # selected (a click on its strip, an arrow key, an undo): it comes to the front
    assert covered.zValue() > newest.zValue() and ink(covered) > 0
    window.mirror.select(ids[-1])
    assert covered.zValue() < newest.zValue()


def test_two_posts_at_once_still_sit_side_by_side(open_window, store):
    a = store.save_post(make_post("Left", at(WED, 10)))
    b = store.save_post(make_post("Right", at(WED, 10, 5)))
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    left, right = scene.items_by_id[a.local_id], scene.items_by_id[b.local_id]
    assert left.x() + left.boundingRect().width() <= right.x() + 1  # no overlap


def test_posts_out_of_sight_are_counted_and_a_click_shows_them(qtbot, open_window, store):
    for hour in (7, 8):
        store.save_post(make_post(f"Early {hour}", at(WED + timedelta(days=1), hour)))
    store.save_post(make_post("Evening", at(WED + timedelta(days=1), 21)))
    window = open_window(view="week", anchor=WED)
    page = window.views.week
    thursday = page.scene.days.index(WED + timedelta(days=1))
    page.view.verticalScrollBar().setValue(12 * 60)  # noon at the top: the early posts are above
    counts = page.hidden_counts()[thursday]
    assert counts[0] == 2
    assert all(c == (0, 0) for i, c in enumerate(page.hidden_counts()) if i != thursday)
    x = int(GUTTER + page.scene.col_w * (thursday + 0.5))
    qtbot.mouseClick(page.header, Qt.MouseButton.LeftButton, pos=QPoint(x, 10))
    assert page.hidden_counts()[thursday][0] == 0  # the earlier ones are in view now


def test_the_header_says_what_a_click_will_show(qtbot, open_window, store):
    store.save_post(make_post("Early", at(WED, 7)))
    window = open_window(view="week", anchor=WED)
    page = window.views.week
    page.view.verticalScrollBar().setValue(12 * 60)
    wednesday = page.scene.days.index(WED)
    x = int(GUTTER + page.scene.col_w * (wednesday + 0.5))
    qtbot.mouseMove(page.header, QPoint(x, 10))
    assert page.header.toolTip() == "Show the 1 earlier post of this day"
    assert page.header.cursor().shape() == Qt.CursorShape.PointingHandCursor
    qtbot.mouseMove(page.header, QPoint(x + int(page.scene.col_w), 10))  # Thursday: nothing hidden
    assert page.header.toolTip() == ""


def test_eight_posts_at_once_still_leave_the_newest_most_of_the_column(open_window, store):
    ids = [store.save_post(make_post(f"Busy slot {n}", at(WED, 14, 3 * n))).local_id for n in range(8)]
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    newest = scene.items_by_id[ids[-1]]
    assert newest.boundingRect().width() >= scene.col_w * 0.55
