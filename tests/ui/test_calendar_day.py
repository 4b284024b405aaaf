"""A manager's day in the calendar: drags straight across (late posts, DST days), redo after a time passed, the
selection when a sync moves or hides a post, "+N more" and the keyboard, the filtered-out notice, a dark switch,
narrow week headers and N in a half-hour zone."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPointF, Qt

from latecal.core.zones import utc_to_wall
from ui_support import BERLIN, NOW, at, drag, flush_events, make_post

WED = date(2027, 3, 10)


def _wall(store, local_id):
    return f"{utc_to_wall(store.get_post(local_id).scheduled_for, BERLIN):%Y-%m-%d %H:%M}"


def test_week_drag_of_a_post_at_2345_to_the_next_day_keeps_2345(qtbot, open_window, store):
    post = store.save_post(make_post("Late night", at(WED + timedelta(days=1), 23, 45)))
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    item = scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    drag(qtbot, window.views.week.view, start, start + QPointF(scene.col_w, 0))  # straight across: one day later
    assert _wall(store, post.local_id) == "2027-03-12 23:45"


def test_week_drag_straight_across_into_the_spring_dst_day_keeps_the_wall_time(qtbot, open_window, store):
    # Berlin springs forward on Sun 28 Mar 2027; the README promises a drag keeps the time of day across DST
    sat = date(2027, 3, 27)
    post = store.save_post(make_post("Weekend promo", at(sat, 9, 0)))
    window = open_window(view="week", anchor=sat)
    scene = window.views.week.scene
    item = scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    drag(qtbot, window.views.week.view, start, start + QPointF(scene.col_w, 0))  # same height, next column
    assert _wall(store, post.local_id) == "2027-03-28 09:00"


def test_week_drag_straight_across_out_of_the_autumn_dst_day_keeps_the_wall_time(qtbot, open_window, store):
    from zoneinfo import ZoneInfo

    from latecal.core.zones import local_to_utc

    ny = ZoneInfo("America/New_York")  # falls back on Sun 7 Nov 2027
    sun, mon = date(2027, 11, 7), date(2027, 11, 8)
    post = store.save_post(make_post("Monday recap", local_to_utc(sun, __import__("datetime").time(9, 0), ny)))
    window = open_window(view="week", anchor=sun, zone=ny, week_start=6)  # weeks from Sunday: 7–13 Nov
    scene = window.views.week.scene
    item = scene.items_by_id[post.local_id]
    start = item.sceneBoundingRect().center()
    drag(qtbot, window.views.week.view, start, start + QPointF(scene.col_w, 0))
    moved = utc_to_wall(store.get_post(post.local_id).scheduled_for, ny)
    assert f"{moved:%Y-%m-%d %H:%M}" == f"{mon} 09:00"


def _tray_accounts(store):
    from latecal.core.models import Account, Profile

    store.replace_profiles([Profile("p-acme", "Acme", "#d62828", "Europe/Berlin", is_default=True)])
    store.replace_accounts([Account("acc-twitter", "twitter", "p-acme", username="acme")])


def test_redo_of_a_draft_scheduled_from_the_tray_is_refused_once_that_time_has_passed(qtbot, open_window, store):
    _tray_accounts(store)
    draft = store.save_post(make_post("Lunch special", None, status="draft"))
    now = [NOW]
    window = open_window(view="day", anchor=WED, clock=lambda: now[0])
    assert window.runner.schedule_drafts([draft.local_id], WED, at(WED, 12, 30))  # 30 minutes ahead
    window.runner.undo_stack.undo()  # back to the tray
    assert store.get_post(draft.local_id).scheduled_for is None
    now[0] = NOW + timedelta(hours=2)  # 14:00: 12:30 is gone
    window.runner.undo_stack.redo()  # Ctrl+Shift+Z
    post = store.get_post(draft.local_id)
    # a move's redo refuses a passed time; scheduling a draft must not either (Late would publish it at once)
    assert (post.status, post.scheduled_for) == ("draft", None)
    assert "passed" in window.message_bar.text or "past" in window.message_bar.text


def _key(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.views.currentWidget(), key, modifier)


def test_arrow_keys_in_a_crowded_month_never_select_a_post_that_is_not_on_screen(qtbot, open_window, store):
    friday = WED + timedelta(days=2)
    ids = [store.save_post(make_post(f"Post {h}", at(friday, h))).local_id for h in range(8, 20)]
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    assert scene.more_items[friday].count > 0  # the day shows "+N more"
    for n in range(len(ids)):
        _key(qtbot, window, Qt.Key.Key_Down)
        selected = window.mirror.selected_id
        item = window.views.scene().items_by_id.get(selected) if window.views.scene() else None
        # keyboard users must see what Enter / Delete will act on
        assert item is not None and item.isVisible() and item.selected, (
            f"after {n + 1} × ↓ the selected post {selected} is not shown anywhere (view {window.mode})")


def test_enter_does_not_open_a_post_the_filters_hid_after_a_sync_changed_it(qtbot, open_window, store):
    from dataclasses import replace

    post = store.save_post(make_post("Goes out soon", at(WED, 15)))
    window = open_window(view="week", anchor=WED)
    window.toolbar.status_filter.actions_by_value["scheduled"].trigger()
    _key(qtbot, window, Qt.Key.Key_Down)
    assert window.mirror.selected_id == post.local_id
    # a sync: Late published it, so the "Scheduled" filter hides it now (another initiator than the window)
    store.save_post(replace(store.get_post(post.local_id), status="published"), initiator=object())
    assert post.local_id not in window.views.week.scene.items_by_id
    opened = []
    window.commands.open_post_requested.connect(opened.append)
    _key(qtbot, window, Qt.Key.Key_Return)
    assert opened == []  # nothing selected is on screen: Enter must not open a hidden post


def test_in_the_list_a_sync_that_moves_the_selected_post_keeps_it_selected(qtbot, open_window, store):
    from dataclasses import replace

    a = store.save_post(make_post("Alpha", at(WED, 15)))
    b = store.save_post(make_post("Bravo", at(WED, 16)))
    c = store.save_post(make_post("Charlie", at(WED, 17)))
    window = open_window(view="list", anchor=WED)
    window.mirror.select(b.local_id)
    assert window.views.list.current_id() == b.local_id
    assert window.views.list.selected_ids() == [b.local_id]
    # a teammate moved Bravo on Late to the next day: the sync rewrites it here
    store.save_post(replace(store.get_post(b.local_id), scheduled_for=at(WED + timedelta(days=1), 10)),
                    initiator=object())
    assert window.mirror.selected_id == b.local_id  # not Charlie (Delete would then ask about the wrong post)
    assert window.views.list.current_id() == b.local_id
    assert window.views.list.selected_ids() == [b.local_id]
    assert {a.local_id, c.local_id} <= set(window.views.list.post_ids())


def _dark_palette():
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2d2d2d"), (QPalette.ColorRole.WindowText, "#dcdcdc"),
        (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#323232"),
        (QPalette.ColorRole.Text, "#dcdcdc"), (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, "#dcdcdc"),
    ):
        p.setColor(role, QColor(colour))
    return p


def test_the_list_follows_a_switch_to_the_dark_theme_like_the_grids(qtbot, open_window, store):
    from PySide6.QtWidgets import QApplication

    from latecal.ui.widgets.palette import GridColours, status_fill

    store.save_post(make_post("Today's post", at(WED, 15)))
    window = open_window(view="list", anchor=WED)
    light = QApplication.palette()
    try:
        QApplication.setPalette(_dark_palette())  # the desktop switched to dark at sunset; the app stays open
        flush_events()
        row = window.views.list.row_at(0)
        # today's "When" cell and the status cell take the dark colours, as the month/week/day chips do
        assert row.background(0).color() == GridColours(dark=True).today, "today's row keeps its light tint"
        assert row.background(1).color() == status_fill("scheduled", dark=True)
    finally:
        QApplication.setPalette(light)


def test_the_filtered_out_notice_goes_when_a_sync_brings_a_matching_post(qtbot, open_window, store):
    store.save_post(make_post("Morning coffee", at(WED, 9)))
    window = open_window(view="week", anchor=WED)
    toolbar, bar = window.toolbar, window.message_bar
    toolbar.search.setText("launch")
    toolbar.flush_search()
    assert bar.text == "No posts here match the filters or the search."
    # a teammate's post arrives with the next sync, and it matches the search: the grid shows it …
    launch = store.save_post(make_post("Launch day!", at(WED, 14)), initiator=object())
    assert launch.local_id in window.views.week.scene.items_by_id
    # … so "No posts here match" is no longer true
    assert not bar.holds("filtered-out"), bar.text


def test_the_filtered_out_notice_appears_when_a_sync_hides_the_last_matching_post(qtbot, open_window, store):
    from dataclasses import replace

    post = store.save_post(make_post("Goes out soon", at(WED, 15)))
    window = open_window(view="week", anchor=WED)
    window.toolbar.status_filter.actions_by_value["scheduled"].trigger()
    assert post.local_id in window.views.week.scene.items_by_id
    store.save_post(replace(store.get_post(post.local_id), status="published"), initiator=object())
    assert window.views.week.scene.items_by_id == {}
    # the week now looks empty although it holds a post: say why, as navigation does
    assert window.message_bar.holds("filtered-out")


def test_the_week_header_counts_of_posts_out_of_sight_fit_their_column_in_a_half_screen_window(
        qtbot, open_window, store):
    from PySide6.QtGui import QFont, QFontMetricsF
    from PySide6.QtWidgets import QApplication

    from latecal.ui.calendar.time_grid_view import hidden_marks

    friday = WED + timedelta(days=2)
    for h in (6, 7, 12, 21, 22):
        store.save_post(make_post(f"Post {h}", at(friday, h)))
    window = open_window(view="week", anchor=WED)
    window.drafts_dock.unfold()  # the open drafts panel: the narrowest the week gets
    window.resize(900, 620)  # the half screen the window is made to fit
    flush_events()
    page = window.views.week
    page.view.verticalScrollBar().setValue(10 * 60)
    flush_events()
    index = page.scene.column_of(friday)
    above, below = page.hidden_counts()[index]
    assert above and below
    small = QFont(QApplication.font())
    small.setPointSizeF(7.5)
    painted = hidden_marks(above, below, page.scene.col_w, QFontMetricsF(small))  # what DayHeader draws
    # the counts must read whole (e.g. "▲ 2  ▼ 2" when narrow), never "2 earlier ▼ 2 lat"
    assert QFontMetricsF(small).horizontalAdvance(painted) <= page.scene.col_w
    assert painted == f"▲ {above}  ▼ {below}"
    assert hidden_marks(above, below, 400, QFontMetricsF(small)) == f"▲ {above} earlier   ▼ {below} later"


def test_n_today_proposes_the_next_full_hour_of_the_calendar_zone_not_of_utc(qtbot, open_window):
    from zoneinfo import ZoneInfo

    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+05:30: NOW is 16:30 there
    window = open_window(view="day", anchor=date(2027, 3, 10), zone=kolkata)
    with qtbot.waitSignal(window.commands.new_post_requested) as requested:
        _key(qtbot, window, Qt.Key.Key_N)
    wall = utc_to_wall(requested.args[0], kolkata)
    assert f"{wall:%H:%M}" == "17:00"  # "the next full hour today" on the calendar's clock (not 17:30)
