"""A chip names its post's own zone when the calendar shows another (issue 19, item 7): "09:00 Berlin" beside the
time of the zone shown, drawn when there is room."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from latecal.core.models import Post, Target
from latecal.presentation.posts import own_zone_hint
from latecal.ui.calendar.post_item import PostItem
from ui_support import render_item

NEW_YORK = ZoneInfo("America/New_York")
BERLIN_9 = datetime(2027, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 in Berlin, 03:00 in New York


class _Host:
    def __getattr__(self, _name):
        return lambda *args: None


def _chip(post: Post, width: float):
    item = PostItem(post, NEW_YORK, block=True, host=_Host())
    item.set_geometry(0, 0, width, 40)
    return render_item(item, Qt.GlobalColor.white)


def test_a_chip_names_the_posts_own_zone_when_another_is_shown(qapp):
    post = Post(late_id="a" * 24, content="Launch", status="scheduled", scheduled_for=BERLIN_9, sync_state="synced",
                timezone="Europe/Berlin", targets=[Target("twitter", "acc-x")])
    assert own_zone_hint(post, NEW_YORK) == "09:00 Berlin"
    assert own_zone_hint(post, ZoneInfo("Europe/Berlin")) == ""
    assert own_zone_hint(replace(post, timezone="Europe/Paris"), ZoneInfo("Europe/Berlin")) == ""  # the same clock
    without = replace(post, timezone=None)
    assert _chip(post, 260) != _chip(without, 260)  # the hint is drawn…
    assert _chip(post, 60) == _chip(without, 60)  # …but not where it would crowd out the post's words
