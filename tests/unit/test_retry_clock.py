"""The outbox's waits on the monotonic clock (issue 19): a wall-clock jump neither stalls nor floods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from latecal.store.records import OutboxEntry
from latecal.sync.retry_clock import LONGEST_WAIT, RetryClock

T0 = datetime(2027, 3, 10, 11, 0, tzinfo=UTC)


def _entry(next_at: datetime | None, attempts: int = 1) -> OutboxEntry:
    return OutboxEntry(seq=7, op="update", local_id="p", attempts=attempts, next_attempt_at=next_at, last_error="",
                       edits=1, parked=False, created_at=T0)


def test_a_deferred_entry_waits_on_the_monotonic_clock_whatever_the_wall_clock_says():
    mono = [100.0]
    clock = RetryClock(lambda: mono[0])
    clock.defer(7, 1, timedelta(seconds=20))
    entry = _entry(T0 + timedelta(seconds=20))
    assert not clock.is_ready(entry, T0 + timedelta(days=1))  # the wall clock jumped forward: still waits
    mono[0] += 20
    assert clock.is_ready(entry, T0 - timedelta(days=1))  # jumped back: the wait is over all the same


def test_a_new_attempt_or_a_cleared_wait_is_not_held_by_an_old_deadline():
    clock = RetryClock(lambda: 0.0)
    clock.defer(7, 1, timedelta(minutes=5))
    assert clock.is_ready(_entry(None), T0)  # a new edit cleared the wait in the store
    assert clock.remaining(_entry(T0 + timedelta(seconds=40), attempts=2), T0) == timedelta(seconds=40)


def test_without_a_deadline_of_this_process_a_stored_time_beyond_any_wait_is_due():
    clock = RetryClock(lambda: 0.0)
    assert clock.remaining(_entry(T0 + timedelta(seconds=30)), T0) == timedelta(seconds=30)
    assert clock.is_ready(_entry(T0 + LONGEST_WAIT + timedelta(seconds=1)), T0)  # the clock was set back
