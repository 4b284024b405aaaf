"""Drags in the repeated hour of a fall-back night, a post hidden from the list while selected, and title lengths
now that the title is the YouTube title too."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPointF

from latecal.core.zones import utc_to_wall
from ui_support import at, drag, flush_events, make_post

WED = date(2027, 3, 10)
NY = ZoneInfo("America/New_York")
FALL_BACK = date(2027, 11, 7)  # New York repeats 01:00-02:00 that night


def test_list_a_sync_hiding_the_selected_post_does_not_select_its_neighbour(qtbot, open_window, store):
    a = store.save_post(make_post("Alpha", at(WED, 15)))
    b = store.save_post(make_post("Bravo", at(WED, 16)))
    c = store.save_post(make_post("Charlie", at(WED, 17)))
    window = open_window(view="list", anchor=WED)
    window.toolbar.status_filter.actions_by_value["scheduled"].trigger()
    window.mirror.select(b.local_id)
    assert window.mirror.selected_id == b.local_id
    # a sync: Late published Bravo, so the "Scheduled" filter hides it now
    store.save_post(replace(store.get_post(b.local_id), status="published"), initiator=object())
    assert b.local_id not in window.views.list.post_ids()
    # the commit deselects a post the filter hid ("Enter or Delete must not act on it unseen"); in the list the
    # row's removal made Charlie current first, so Delete / Enter now act on a post the user never chose
    assert window.mirror.selected_id is None, (
        f"selected after the sync: {window.store.get_post(window.mirror.selected_id).content!r}")
    assert {a.local_id, c.local_id} <= set(window.views.list.post_ids())


def _ny(day, hh, mm, fold=0):
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=NY, fold=fold).astimezone(UTC)


@pytest.mark.parametrize(("hour", "minute", "fold", "delta_minutes"), [
    (1, 30, 1, 15),  # the second 01:30 (EST), 15 minutes down: 01:45 EST, not the first 01:45 (EDT) above it
    (2, 30, 0, -45),  # 02:30 EST, 45 minutes up: the second 01:45, where the pointer is
])
def test_a_day_view_drag_in_the_repeated_hour_moves_by_the_minutes_dragged(qtbot, open_window, store, hour, minute,
                                                                          fold, delta_minutes):
    from latecal.ui.calendar.time_grid_scene import PX_PER_HOUR

    post = store.save_post(make_post("Night shift", _ny(FALL_BACK, hour, minute, fold=fold)))
    window = open_window(view="day", anchor=FALL_BACK, zone=NY, clock=lambda: datetime(2027, 11, 1, tzinfo=UTC))
    page = window.views.day
    item = page.scene.items_by_id[post.local_id]
    page.view.ensureVisible(item)
    flush_events()
    start = item.sceneBoundingRect().center()
    drag(qtbot, page.view, start, start + QPointF(0, PX_PER_HOUR * delta_minutes / 60))
    moved = store.get_post(post.local_id).scheduled_for
    assert moved == post.scheduled_for + timedelta(minutes=delta_minutes), f"moved to {utc_to_wall(moved, NY)}"


def test_a_youtube_title_over_100_characters_is_flagged_now_that_it_is_sent_as_the_video_title(
        qtbot, editor_window, store):
    """composed() now sends the editor's Title as platformSpecificData.title for YouTube / Pinterest / Reddit;
    late-api.md §8: YouTube ``title`` ≤100, Pinterest ``title`` ≤100, Reddit ≤300. The editor checks no length,
    so a 120-character title is scheduled and refused by Late (or fails on YouTube) after the sync."""
    from editor_support import WED as EWED
    from editor_support import close_quietly
    from latecal.core.models import Account, MediaItem, Target
    from latecal.sync.outgoing import request_body

    store.replace_accounts([*store.accounts(), Account("acc-youtube", "youtube", "p-acme", username="acme.yt")])
    video = MediaItem(type="video", url="https://media.example.com/launch.mp4", filename="launch.mp4",
                      mime_type="video/mp4", size=9_000_000)
    post = store.save_post(make_post("Everything about the launch.", at(EWED, 18), status="draft",
                                     targets=[Target("youtube", "acc-youtube")], media=[video]))
    editor = editor_window.editors.open_post(post.local_id)
    title = "Spring launch 2027: the full tour of every new product, with prices, dates, and where to buy them now"
    title += " (EU)"
    assert len(title) > 100
    editor.title_edit.setText(title)
    editor.revalidate()
    sent = request_body(editor.current_post())["platforms"][0]["platformSpecificData"]["title"]
    assert len(sent) > 100
    assert not editor.schedule_button.isEnabled(), "a YouTube title Late caps at 100 characters is schedulable"
    close_quietly(editor)
