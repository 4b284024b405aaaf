"""The recurrence rules on their own: occurrences keep their wall-clock time across DST in the post's zone, the
rule's end, weekday and month-day handling, rotating texts, and which rules Late's recycling can carry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from latecal.core.recurrence import (
    Freq,
    LocalReason,
    Rule,
    continued_from,
    ended_before,
    local_reason,
    occurrences,
    projected_copies,
    recycling_body,
    rule_of_recycling,
    text_for,
)

BERLIN = ZoneInfo("Europe/Berlin")
FAR = datetime(2028, 1, 1, tzinfo=UTC)


def _wall(dt: datetime) -> datetime:
    return dt.astimezone(BERLIN)


def test_a_weekly_post_keeps_nine_in_the_morning_across_the_spring_and_autumn_changes():
    first = datetime(2027, 3, 22, 9, 0, tzinfo=BERLIN).astimezone(UTC)  # a Monday, winter time
    times = [w for _, w in occurrences(Rule(Freq.WEEKLY), first, "Europe/Berlin", until_utc=FAR)][:40]
    assert all(_wall(t).hour == 9 and _wall(t).weekday() == 0 for t in times)
    assert {t.astimezone(UTC).hour for t in times} == {8, 7}  # UTC shifts by the DST hour, the wall time does not


def test_daily_every_other_day_until_a_date_includes_that_day():
    first = datetime(2027, 1, 1, 12, tzinfo=UTC)
    got = list(occurrences(Rule(Freq.DAILY, 2, until=date(2027, 1, 7)), first, "UTC", until_utc=FAR))
    assert [w.day for _, w in got] == [1, 3, 5, 7]


def test_chosen_weekdays_every_two_weeks_with_a_count():
    first = datetime(2027, 1, 4, 10, tzinfo=UTC)  # Monday
    got = [w for _, w in occurrences(Rule(Freq.WEEKLY, 2, weekdays=(0, 2, 4), count=5), first, "UTC", until_utc=FAR)]
    assert [(w.day, w.weekday()) for w in got] == [(4, 0), (6, 2), (8, 4), (18, 0), (20, 2)]


def test_monthly_on_the_31st_skips_the_short_months():
    first = datetime(2027, 1, 31, 10, tzinfo=UTC)
    got = [w.month for _, w in occurrences(Rule(Freq.MONTHLY, count=4), first, "UTC", until_utc=FAR)]
    assert got == [1, 3, 5, 7]


def test_a_wall_time_missing_on_the_spring_forward_day_moves_forward():
    first = datetime(2027, 3, 27, 2, 30, tzinfo=BERLIN).astimezone(UTC)  # Saturday 02:30
    second = [w for _, w in occurrences(Rule(Freq.DAILY), first, "Europe/Berlin", until_utc=FAR)][1]
    assert (_wall(second).day, _wall(second).hour, _wall(second).minute) == (28, 3, 30)


def test_text_variations_rotate_over_the_repeats():
    rule = Rule(Freq.DAILY, variations=("B", "C"))
    assert [text_for(rule, i, "A") for i in range(5)] == ["A", "B", "C", "B", "C"]


def test_a_split_ends_the_first_half_before_the_edited_day_and_counts_on():
    rule = Rule(Freq.DAILY, count=10)
    assert ended_before(rule, 4, date(2027, 1, 5)) == Rule(Freq.DAILY, count=4, until=date(2027, 1, 4))
    assert continued_from(rule, 4).count == 6


def test_which_rules_late_recycling_carries():
    monday = datetime(2027, 1, 4, 10, tzinfo=UTC)
    ok = dict(zone="UTC", platforms=["twitter"], active={}, account_ids=["a"])
    assert local_reason(Rule(Freq.WEEKLY, 2), monday, **ok) is None
    assert local_reason(Rule(Freq.WEEKLY, weekdays=(0,)), monday, **ok) is None
    assert local_reason(Rule(Freq.MONTHLY), monday, **ok) is None
    assert local_reason(Rule(Freq.DAILY), monday, **ok) is LocalReason.RULE
    assert local_reason(Rule(Freq.WEEKLY, weekdays=(0, 2)), monday, **ok) is LocalReason.RULE
    assert local_reason(Rule(Freq.MONTHLY), datetime(2027, 1, 31, tzinfo=UTC), **ok) is LocalReason.RULE
    assert local_reason(Rule(Freq.WEEKLY, variations=("only one",)), monday, **ok) is LocalReason.RULE
    assert local_reason(Rule(Freq.WEEKLY), monday, **{**ok, "platforms": ["twitter", "tiktok"]}) \
        is LocalReason.PLATFORM
    assert local_reason(Rule(Freq.WEEKLY), monday, **{**ok, "active": {"a": 10}}) is LocalReason.LIMIT
    assert local_reason(Rule(Freq.WEEKLY), monday, **{**ok, "active": {"a": 9}}) is None


def test_the_recycling_body_counts_copies_apart_from_the_post_and_reads_back_as_the_rule():
    first = datetime(2027, 1, 4, 10, tzinfo=UTC)
    rule = Rule(Freq.WEEKLY, 2, count=4, until=date(2027, 6, 30), variations=("x", "y"))
    body = recycling_body(rule, first, "Europe/Berlin")
    assert body == {"enabled": True, "gap": 2, "gapFreq": "week", "startDate": "2027-01-04T10:00:00Z",
                    "expireCount": 3, "expireDate": "2027-06-30T21:59:59Z", "contentVariations": ["x", "y"]}
    back = rule_of_recycling(body)
    assert (back.freq, back.interval, back.count, back.variations) == (Freq.WEEKLY, 2, 4, ("x", "y"))


def test_projected_copies_leave_out_those_made_and_stop_at_the_count():
    first = datetime(2027, 1, 4, 10, tzinfo=UTC)
    r = {"enabled": True, "gap": 1, "gapFreq": "week", "startDate": "2027-01-04T10:00:00Z", "expireCount": 3,
         "recycleCount": 1}
    got = projected_copies(r, first, "UTC", until_utc=FAR)
    assert got == [first + timedelta(weeks=2), first + timedelta(weeks=3)]
