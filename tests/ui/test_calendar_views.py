"""Every view renders the posts of a real store; navigation; DST days; "+N more"; filters; per-post updates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPointF, Qt

from latecal.core.calendar_geometry import local_date
from latecal.ui.calendar.post_item import PostItem
from latecal.ui.widgets.palette import status_accent
from ui_support import BERLIN, NOW, at, flush_events, make_post

WED = date(2027, 3, 10)


def _fill(store):
    posts = [
        make_post("Launch day teaser for the spring line", at(WED, 14, 30), platforms=("twitter", "instagram")),
        make_post("Behind the scenes at the studio", at(WED + timedelta(days=1), 9, 15), status="draft"),
        make_post("Last week's recap", at(WED - timedelta(days=2), 18, 0), status="published"),
        make_post("Hiring a designer", at(WED + timedelta(days=20), 11, 0)),  # 30 March: outside this week
    ]
    return [store.save_post(p) for p in posts]


def test_month_view_shows_chips_with_local_time_platforms_and_text(open_window, store):
    launch, studio, recap, hiring = _fill(store)
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    assert set(scene.items_by_id) == {launch.local_id, studio.local_id, recap.local_id, hiring.local_id}
    label = scene.items_by_id[launch.local_id].label()
    assert label.startswith("14:30 X IG Launch day teaser")  # Berlin wall time, not UTC (13:30)
    assert scene.items_by_id[recap.local_id].label().startswith("18:00 X Last week")
    # the chip sits in its day's cell
    item = scene.items_by_id[launch.local_id]
    assert scene.cell_rect(WED).contains(item.sceneBoundingRect())
    assert window.toolbar.title.text() == "March 2027"


def test_month_chip_is_painted_in_its_status_colour(open_window, store):
    (launch, *_rest) = _fill(store)
    window = open_window(view="month", anchor=WED)
    view = window.views.month.view
    item = window.views.month.scene.items_by_id[launch.local_id]
    image = view.viewport().grab().toImage()
    bar = view.mapFromScene(item.sceneBoundingRect().topLeft() + QPointF(2.5, 9))  # the status accent bar
    assert image.pixelColor(bar).name() == status_accent("scheduled").name()


def test_days_outside_the_month_and_today_are_marked(open_window, store):
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    assert scene.first_day == date(2027, 3, 1)  # a Monday: weeks start on Monday by default
    assert scene.today == WED
    image = window.views.month.view.viewport().grab().toImage()

    def colour(day):
        corner = scene.cell_rect(day).bottomRight() - QPointF(4, 4)  # below the chips
        return image.pixelColor(window.views.month.view.mapFromScene(corner))

    inside, outside, today = colour(date(2027, 3, 16)), colour(date(2027, 4, 2)), colour(WED)
    assert inside != outside
    assert today not in (inside, outside)


def test_week_view_lays_out_blocks_by_time_and_side_by_side(open_window, store):
    a = store.save_post(make_post("First", at(WED, 10, 0)))
    b = store.save_post(make_post("Overlaps the first", at(WED, 10, 15)))
    c = store.save_post(make_post("Later alone", at(WED, 15, 0)))
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    assert scene.days[0] == date(2027, 3, 8)
    ia, ib, ic = (scene.items_by_id[p.local_id] for p in (a, b, c))
    assert ia.y() == 10 * 60  # 60 px per hour
    assert ib.y() == 10 * 60 + 15
    assert ia.x() < ib.x()  # two lanes
    assert ia.boundingRect().width() < scene.col_w / 2
    assert ic.boundingRect().width() > scene.col_w * 0.9  # alone: the whole column
    assert ia.x() >= scene.column_x(2)  # Wednesday is the third column


def test_week_view_opens_scrolled_to_the_first_post(open_window, store):
    later = WED + timedelta(days=7)  # a week without today (today's week opens at the now-line)
    store.save_post(make_post("Evening post", at(later, 19, 0)))
    store.save_post(make_post("Late evening post", at(later + timedelta(days=1), 21, 0)))
    window = open_window(view="week", anchor=later)
    view = window.views.week.view
    first = next(i for i in window.views.week.scene.items_by_id.values() if i.post.content == "Evening post")
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.top() > 12 * 60  # not stuck at midnight
    assert visible.contains(first.sceneBoundingRect())


def test_empty_week_opens_at_working_hours(open_window):
    window = open_window(view="week", anchor=WED + timedelta(days=7))
    view = window.views.week.view
    assert view.mapToScene(view.viewport().rect()).boundingRect().top() == 8 * 60


def test_day_view_on_the_autumn_dst_day_has_25_hour_rows(open_window, store):
    day = date(2026, 10, 25)
    summer = store.save_post(make_post("Summer-time 02:30", at(day, 2, 30), status="published"))
    winter = store.save_post(
        replace(
            make_post("Winter-time 02:30", None, status="published"),
            scheduled_for=summer.scheduled_for + timedelta(hours=1),
        )
    )
    window = open_window(view="day", anchor=day)
    scene = window.views.day.scene
    labels = [label.text for label in scene.hour_rows(day)]
    assert len(labels) == 25
    assert labels.count("02:00") == 2
    assert [label.text for label in scene.gutter_labels] == labels
    assert scene.sceneRect().height() == 25 * 60 + 1
    ys = sorted(scene.items_by_id[p.local_id].y() for p in (summer, winter))
    assert ys == [150, 210]  # the same wall time twice, an hour apart on the axis
    assert {scene.items_by_id[p.local_id].label()[:5] for p in (summer, winter)} == {"02:30"}


def test_week_with_dst_day_and_spring_day(open_window):
    window = open_window(view="week", anchor=date(2027, 3, 28))  # spring forward in Berlin: 23 hours
    scene = window.views.week.scene
    assert len(scene.hour_rows(date(2027, 3, 28))) == 23
    assert len(scene.gutter_labels) == 24  # the gutter reads like a normal day


def test_list_view_shows_posts_in_time_order_with_status(open_window, store):
    launch, studio, recap, hiring = _fill(store)
    draft = store.save_post(make_post("An idea without a date", None, status="draft"))
    window = open_window(view="list", anchor=WED)
    assert window.views.list.post_ids() == [
        recap.local_id,
        launch.local_id,
        studio.local_id,
        hiring.local_id,
        draft.local_id,
    ]
    row = window.views.list.row_of(recap.local_id)
    assert row.text(0) == "Mon 08 Mar 18:00"
    assert row.text(1).startswith("Published")


def test_more_indicator_when_a_cell_overflows_and_it_opens_the_day(open_window, store, qtbot):
    day = WED + timedelta(days=1)
    for n in range(7):
        store.save_post(make_post(f"Post number {n}", at(day, 9 + n)))
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    cap = scene.capacity()
    assert 2 <= cap < 7
    more = scene.more_items[day]
    assert more.count == 7 - (cap - 1)
    assert more.text == f"+{7 - (cap - 1)} more"
    assert len(scene.visible_items(day)) == cap - 1
    assert [i.post.content for i in scene.visible_items(day)] == [f"Post number {n}" for n in range(cap - 1)]
    view = window.views.month.view
    point = view.mapFromScene(more.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.mode == "day"
    assert window.anchor == day
    assert len(window.views.day.scene.items_by_id) == 7


def test_month_chips_exist_only_for_posts_that_fit_their_cell(open_window, store, qtbot):
    """A busy day gets chips for what fits; the rest are counted in "+N more", still walked by the arrow keys,
    and get a chip once they fit (a post before them is deleted)."""
    day = WED + timedelta(days=1)
    posts = [store.save_post(make_post(f"Post number {n}", at(day, 8, n))) for n in range(12)]
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    cap = scene.capacity()
    assert 2 <= cap < 12
    shown = [p.local_id for p in posts[: cap - 1]]
    assert set(scene.posts) == {p.local_id for p in posts}
    assert set(scene.items_by_id) == set(shown)  # no items for the posts behind "+N more"
    assert scene.more_items[day].count == 12 - (cap - 1)
    window.mirror.select(posts[0].local_id)
    for n in range(1, 12):
        qtbot.keyClick(window.views.currentWidget().view, Qt.Key.Key_Down)
        # the arrow keys walk every post; one behind "+N more" opens its day (as a click on it does)
        assert window.mirror.selected_id == posts[n].local_id
        assert window.mode == ("month" if n < cap - 1 else "day")
    window.set_view("month")
    created = PostItem.created
    window.commands.delete_post(posts[0].local_id)
    assert PostItem.created == created + 1  # the next post moved up into the cell: its chip is made now
    assert [i.local_id for i in scene.visible_items(day)] == [p.local_id for p in posts[1:cap]]
    assert scene.more_items[day].count == 11 - (cap - 1)
    # a status change of a post without a chip reaches the model, and its chip when it gets one
    hidden = posts[-1]
    store.save_post(replace(store.get_post(hidden.local_id), status="draft"))
    assert hidden.local_id not in scene.items_by_id and scene.posts[hidden.local_id].status == "draft"


def test_navigation_buttons_today_previous_next(open_window, qtbot):
    window = open_window(view="month", anchor=date(2027, 1, 15))
    qtbot.mouseClick(window.toolbar.next_button, Qt.MouseButton.LeftButton)
    assert window.anchor == date(2027, 2, 1)
    assert window.toolbar.title.text() == "February 2027"
    qtbot.mouseClick(window.toolbar.prev_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.toolbar.prev_button, Qt.MouseButton.LeftButton)
    assert window.toolbar.title.text() == "December 2026"
    qtbot.mouseClick(window.toolbar.today_button, Qt.MouseButton.LeftButton)
    assert window.anchor == local_date(NOW, BERLIN)
    window.set_view("week")
    window.step(1)
    assert window.views.week.scene.days[0] == date(2027, 3, 15)
    assert window.toolbar.title.text() == "15 – 21 Mar 2027"
    window.set_view("day")
    window.step(-1)
    assert window.views.day.scene.days == [date(2027, 3, 16)]  # the anchor moved a week, then back a day


def test_view_switcher_buttons(open_window, qtbot):
    window = open_window(view="month", anchor=WED)
    for name in ("week", "day", "list", "month"):
        qtbot.mouseClick(window.toolbar.view_buttons[name], Qt.MouseButton.LeftButton)
        assert window.mode == name
        assert window.views.currentWidget() is window.views.page(name)
        assert window.toolbar.view_buttons[name].isChecked()


def test_filters_and_search_refilter_without_reloading_the_store(open_window, store):
    launch, studio, _recap, _hiring = _fill(store)
    tagged = store.save_post(make_post("Tagged promo", at(WED, 16), platforms=("linkedin",), tags=["promo"]))
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    loads = window.mirror.load_count
    studio_item = scene.items_by_id[studio.local_id]
    toolbar = window.toolbar

    toolbar.status_filter.actions_by_value["draft"].trigger()
    assert set(scene.items_by_id) == {studio.local_id}
    assert scene.items_by_id[studio.local_id] is studio_item  # kept, not rebuilt
    toolbar.status_filter.actions_by_value["draft"].trigger()  # ticked again: off
    toolbar.platform_filter.actions_by_value["instagram"].trigger()
    assert set(scene.items_by_id) == {launch.local_id}
    toolbar.platform_filter.actions_by_value["instagram"].trigger()
    toolbar.tag_filter.actions_by_value["promo"].trigger()
    assert set(scene.items_by_id) == {tagged.local_id}
    toolbar.tag_filter.actions_by_value["promo"].trigger()
    toolbar.search.setText("studio")
    toolbar.flush_search()
    assert set(scene.items_by_id) == {studio.local_id}
    toolbar.search.setText("")
    toolbar.flush_search()
    assert len(scene.items_by_id) == 5
    assert window.mirror.load_count == loads  # every filter above re-filtered the posts in memory


def test_account_filter_uses_the_accounts_in_the_store(open_window, store):
    from latecal.core.models import Account

    store.replace_accounts(
        [
            Account("acc-twitter", "twitter", "p1", username="acme"),
            Account("acc-linkedin", "linkedin", "p1", username="acme-li"),
        ]
    )
    _fill(store)
    li = store.save_post(make_post("For LinkedIn", at(WED, 8), platforms=("linkedin",)))
    window = open_window(view="week", anchor=WED)
    window.toolbar.account_filter.actions_by_value["acc-linkedin"].trigger()
    assert set(window.views.week.scene.items_by_id) == {li.local_id}


def test_a_store_change_recolours_only_that_item(open_window, store):
    posts = [store.save_post(make_post(f"Post {n}", at(WED + timedelta(days=n % 5), 9 + n))) for n in range(10)]
    window = open_window(view="month", anchor=WED)
    scene = window.views.month.scene
    before = dict(scene.items_by_id)
    positions = {k: v.pos() for k, v in before.items()}
    loads, created = window.mirror.load_count, PostItem.created
    target = posts[3]
    # the sync engine's write (another initiator): the post is now published
    store.save_post(replace(target, status="published"), initiator="sync-engine")
    assert scene.items_by_id[target.local_id].post.status == "published"
    assert scene.items_by_id == before  # same item objects, none re-created
    assert PostItem.created == created
    assert window.mirror.load_count == loads
    assert {k: v.pos() for k, v in scene.items_by_id.items()} == positions
    # a removal removes only that item
    store.delete_post(posts[5].local_id, initiator="sync-engine")
    assert posts[5].local_id not in scene.items_by_id
    assert len(scene.items_by_id) == 9
    assert window.mirror.load_count == loads


def test_store_change_moves_one_item_and_leaves_the_range(open_window, store):
    post = store.save_post(make_post("Moves around", at(WED, 9)))
    window = open_window(view="week", anchor=WED)
    scene = window.views.week.scene
    item = scene.items_by_id[post.local_id]
    store.save_post(replace(post, scheduled_for=at(WED, 13)), initiator="other")
    assert scene.items_by_id[post.local_id] is item
    assert item.y() == 13 * 60
    store.save_post(replace(post, scheduled_for=at(WED + timedelta(days=30), 13)), initiator="other")
    assert post.local_id not in scene.items_by_id
    assert post.local_id not in window.mirror.posts


def test_marks_and_tooltips_for_failed_partial_rejected_and_pending(open_window, store):
    from latecal.core.models import Target

    failed = make_post("Failed post", at(WED, 9), status="failed", late_id="late-1")
    failed.targets[0].status = "failed"
    failed.targets[0].error_message = "Access token expired"
    store.upsert_remote(failed)
    partial = make_post("Partial post", at(WED, 11), status="partial", late_id="late-2")
    partial.targets = [
        Target("twitter", "a", status="published"),
        Target("instagram", "b", status="failed", error_message="Bad aspect ratio"),
    ]
    store.upsert_remote(partial)
    pending = store.save_post(make_post("Unsent edit", at(WED, 13)))
    window = open_window(view="week", anchor=WED)
    items = window.views.week.scene.items_by_id
    tip = items[failed.local_id].toolTip()
    assert "Access token expired" in tip
    assert "Retry" in tip
    assert "Bad aspect ratio" in items[partial.local_id].toolTip()
    assert items[partial.local_id].label().startswith("11:00 X IG")  # a chip per target
    assert items[failed.local_id].post.sync_state == "synced"
    assert "not yet sent" in items[pending.local_id].toolTip()


def test_week_start_is_configurable(open_window, store):
    window = open_window(view="month", anchor=WED, week_start=6)  # Sunday
    assert window.views.month.scene.first_day == date(2027, 2, 28)
    window.set_view("week")
    assert window.views.week.scene.days[0] == date(2027, 3, 7)
    assert window.views.week.scene.days[0].weekday() == 6


def test_week_with_today_opens_at_the_now_line(open_window, store):
    # NOW is 12:00 in Berlin on WED; an early post would have pulled the view up to 06:30 before
    store.save_post(make_post("Early bird", at(WED, 7, 0)))
    store.save_post(make_post("Evening post", at(WED, 21, 0)))
    window = open_window(view="week", anchor=WED)
    view = window.views.week.view
    line = window.views.week.scene.now_line
    assert line.isVisible()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.top() > 7 * 60  # not at the early post: what comes next matters more
    assert visible.top() <= line.line().y1() <= visible.bottom()


@pytest.mark.parametrize("view", ["week", "day"])
def test_day_header_repaints_when_navigating(open_window, qtbot, view):
    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        count = 0

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    window = open_window(view=view, anchor=WED)
    header = window.views.page(view).header
    counter = PaintCounter()
    header.installEventFilter(counter)
    flush_events()
    counter.count = 0
    window.step(1)
    qtbot.waitUntil(lambda: counter.count > 0, timeout=1000)
    assert window.views.page(view).scene.days[0] > WED


def test_a_tag_filter_stays_listed_and_in_force_across_months_without_that_tag(open_window, store):
    tagged = store.save_post(make_post("Community call", at(WED, 16), tags=["community"]))
    untagged = store.save_post(make_post("Plain", at(WED, 17)))
    window = open_window(view="month", anchor=WED)
    box = window.toolbar.tag_filter
    box.actions_by_value["community"].trigger()
    for _ in range(3):
        window.step(-1)  # months without any tag
    assert box.values() == {"community"} and box.text() == "Tags: community"
    for _ in range(3):
        window.step(1)
    assert box.text() == "Tags: community"
    assert set(window.views.month.scene.items_by_id) == {tagged.local_id}
    box.actions_by_value["community"].trigger()  # unticked: really cleared
    assert set(window.views.month.scene.items_by_id) == {tagged.local_id, untagged.local_id}


def test_the_today_highlight_follows_midnight_while_the_app_stays_open(open_window):
    from datetime import UTC, datetime

    now = [datetime(2027, 3, 10, 22, 59, tzinfo=UTC)]  # 23:59 in Berlin
    window = open_window(view="week", anchor=WED, clock=lambda: now[0])
    window.views.page("month")  # built too, behind the week
    assert window.views.week.scene.today == WED
    now[0] += timedelta(minutes=2)
    window._day_timer.timeout.emit()
    thursday = WED + timedelta(days=1)
    assert window.views.week.scene.today == thursday and window.views.month.scene.today == thursday


def test_the_list_marks_todays_rows_and_follows_midnight(open_window, store):
    from datetime import UTC, datetime

    now = [datetime(2027, 3, 10, 22, 59, tzinfo=UTC)]  # 23:59 in Berlin
    late = store.save_post(make_post("Late tonight", at(WED, 23, 30)))
    early = store.save_post(make_post("First thing tomorrow", at(WED + timedelta(days=1), 8)))
    window = open_window(view="list", anchor=WED, clock=lambda: now[0])
    agenda = window.views.list

    def marked(post) -> bool:
        item = agenda.row_of(post.local_id)
        return item.font(0).bold() and item.background(0).style() != Qt.BrushStyle.NoBrush

    assert marked(late) and not marked(early)
    assert not agenda.row_of(late.local_id).font(1).bold()  # only the "When" cell
    now[0] += timedelta(minutes=2)
    window._day_timer.timeout.emit()
    assert marked(early) and not marked(late)
    store.save_post(replace(store.get_post(early.local_id), content="First thing, edited"))
    assert marked(early)  # a row filled again keeps its mark


def test_search_finds_posts_by_account_and_platform_names(open_window, store):
    from latecal.core.models import Account, Target

    store.replace_accounts([Account("acc-x", "twitter", "p1", username="acmeroasters", display_name="Acme Coffee"),
                            Account("acc-li", "linkedin", "p1", username="acme-gmbh", display_name="Acme GmbH")])
    on_x = store.save_post(make_post("Fresh beans", at(WED, 9), targets=[Target("twitter", "acc-x")]))
    on_li = store.save_post(make_post("We are hiring", at(WED, 10), targets=[Target("linkedin", "acc-li")]))
    window = open_window(view="month", anchor=WED)
    toolbar, scene = window.toolbar, window.views.month.scene
    for query, expected in (("acme coffee", {on_x.local_id}), ("linkedin", {on_li.local_id}),
                            ("twitter", {on_x.local_id}),
                            ("@acmeroasters beans", {on_x.local_id}), ("acme", {on_x.local_id, on_li.local_id})):
        toolbar.search.setText(query)
        toolbar.flush_search()
        assert set(scene.items_by_id) == expected, query


def test_a_filter_that_empties_the_grid_says_so_and_offers_to_clear_it(qtbot, open_window, store):
    post = store.save_post(make_post("Only one", at(WED, 9)))
    window = open_window(view="week", anchor=WED)
    toolbar, bar = window.toolbar, window.message_bar
    toolbar.search.setText("nothing like this")
    toolbar.flush_search()
    assert bar.text == "No posts here match the filters or the search."
    qtbot.mouseClick(bar.action_button, Qt.MouseButton.LeftButton)  # "Clear filters"
    assert toolbar.search.text() == "" and set(window.views.week.scene.items_by_id) == {post.local_id}
    assert not bar.holds("filtered-out")
    toolbar.search.setText("nothing")
    toolbar.flush_search()
    toolbar.search.setText("only")
    toolbar.flush_search()
    assert not bar.holds("filtered-out")  # matches again: the notice goes by itself
    toolbar.search.setText("nothing like this")
    toolbar.flush_search()
    window.step(5)  # weeks without any post: nothing is hidden there
    assert not bar.holds("filtered-out")
    window.step(-5)
    assert bar.holds("filtered-out")
    window.set_view("list")  # the list says it itself, with its own Clear filters
    assert not bar.holds("filtered-out")
