"""The ranges a pull lists around past-due posts: a due time that cannot be real is left out, and none overflows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from latecal.sync.pull import EARLIEST_DUE, listing_ranges


def test_listing_ranges_leave_out_impossible_due_times_and_never_overflow():
    window = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    due = [datetime(1, 1, 1, tzinfo=UTC), datetime(1999, 12, 31, tzinfo=UTC), datetime(2026, 1, 10, tzinfo=UTC),
           datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), datetime(2026, 1, 11)]  # (the last one naive)
    ranges = listing_ranges(window, due)
    assert ranges[0] == (datetime(2026, 1, 10, tzinfo=UTC) - timedelta(seconds=1),
                         datetime(2026, 1, 10, tzinfo=UTC) + timedelta(seconds=1))
    assert ranges[1] == window
    assert ranges[2][1] == datetime.max.replace(tzinfo=UTC)  # held at the calendar's end, not an OverflowError
    assert len(ranges) == 3 and all(start >= EARLIEST_DUE for start, _ in ranges)
