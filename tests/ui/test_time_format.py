"""Settings ▸ 24-hour clock: every view writes times through one formatter."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from latecal.core.models import Post
from latecal.presentation import time_format
from latecal.presentation.posts import local_time_text


@pytest.fixture
def twelve_hour():
    time_format.set_clock_24h(False)
    yield
    time_format.set_clock_24h(True)


def test_24_hour_by_default():
    assert time_format.clock_24h()
    assert time_format.clock(time(14, 5)) == "14:05"
    assert time_format.day_and_clock(datetime(2026, 3, 10, 9, 0)) == "Tue 10 Mar 09:00"
    assert time_format.hour_label("00:00") == "00:00"


def test_12_hour_clock(twelve_hour):
    assert time_format.clock(time(14, 5)) == "2:05 PM"
    assert time_format.clock(time(0, 30)) == "12:30 AM"
    assert time_format.clock(time(9, 7, 3), seconds=True) == "9:07:03 AM"
    assert time_format.full(datetime(2026, 3, 10, 23, 15)) == "Tue 10 Mar 2026, 11:15 PM"
    assert time_format.hour_label("13:00") == "1:00 PM"
    assert time_format.qt_time_format() == "h:mm AP"


def test_calendar_chips_follow_the_setting(twelve_hour):
    post = Post(content="x", scheduled_for=datetime(2026, 3, 10, 13, 30, tzinfo=UTC))
    assert local_time_text(post, ZoneInfo("Europe/Berlin")) == "2:30 PM"
