"""The sentences a run's outcome is said in: what waits to be sent again and when, what Late asked to wait for,
what could not be read."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from latecal.presentation import sync_notices as notices
from latecal.presentation import time_format

BERLIN = ZoneInfo("Europe/Berlin")
AT = datetime(2026, 3, 10, 17, 42, tzinfo=UTC)  # 18:42 in Berlin


@pytest.fixture
def twelve_hour_clock():
    time_format.set_clock_24h(False)
    yield
    time_format.set_clock_24h(True)


def test_changes_waiting_after_a_5xx_say_how_many_why_and_when():
    message = notices.unsent(3, "Late answered HTTP 503", AT, BERLIN)
    assert message.text == "3 changes could not be sent: Late answered HTTP 503; retrying at 18:42."
    assert message.problem and message.key == notices.UNSENT
    assert notices.unsent(1, "Service unavailable.", AT, BERLIN).text == (
        "1 change could not be sent: Service unavailable; retrying at 18:42.")
    assert notices.unsent(0, "", None, BERLIN) is None


def test_a_rate_limit_says_until_when_in_the_users_clock(twelve_hour_clock):
    message = notices.rate_limited(AT, BERLIN)
    assert message.text.startswith("Late asked to wait until 6:42 PM ")
    assert notices.rate_limited(None, BERLIN) is None


def test_a_wait_into_another_day_names_the_day():
    evening = datetime(2026, 3, 9, 22, 0, tzinfo=UTC)
    assert notices.rate_limited(AT, BERLIN, evening).text.startswith("Late asked to wait until Tue 10 Mar 18:42 ")
    assert notices.rate_limited(AT, BERLIN, AT).text.startswith("Late asked to wait until 18:42 ")


def test_unreadable_posts_are_counted():
    assert notices.unreadable(2).text == "2 posts from Late could not be read and are not shown."
    assert notices.unreadable(1).text == "1 post from Late could not be read and is not shown."
    both = notices.unreadable(1, 3).text
    assert both.startswith("1 post from Late could not be read") and "3 posts from Late had fields" in both
    assert notices.unreadable(0, 0) is None
