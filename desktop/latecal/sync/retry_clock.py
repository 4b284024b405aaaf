"""When a failed push is tried again, measured on the monotonic clock.

The store keeps each entry's retry time in wall-clock time (it must survive a restart and the window shows it),
but the wall clock jumps: set back a day, a 20-second backoff would last a day; set forward, every entry waiting
would go at once. Within one process the wait is therefore kept as a monotonic deadline; a stored time with no
deadline of this process behind it (after a restart) is trusted only up to the longest wait a failure can ask.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from latecal.store.records import OutboxEntry

#: the longest wait a failed push is ever given (push backoff cap, a long Retry-After): a stored retry time
#: further ahead than this can only come from a wall clock that was set back since
LONGEST_WAIT = timedelta(minutes=15)
#: how far the wall and monotonic clocks may drift apart within one wait without counting as a jump
_SLACK = timedelta(seconds=1)


class RetryClock:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._deadlines: dict[int, tuple[int, float]] = {}  # outbox seq -> (its attempts then, monotonic deadline)

    def defer(self, seq: int, attempts: int, delay: timedelta) -> None:
        """Entry ``seq`` failed on its ``attempts``-th attempt: not before ``delay`` has passed."""
        self._deadlines[seq] = (attempts, self._monotonic() + delay.total_seconds())

    def remaining(self, entry: OutboxEntry, now: datetime) -> timedelta:
        """How long ``entry`` still waits (zero: it may go now)."""
        if entry.next_attempt_at is None:  # never failed, or the store cleared the wait (a new edit goes at once)
            return timedelta(0)
        known = self._deadlines.get(entry.seq)
        if known is not None and known[0] == entry.attempts:
            return timedelta(seconds=max(0.0, known[1] - self._monotonic()))
        if entry.next_attempt_at <= now:
            return timedelta(0)
        ahead = entry.next_attempt_at - now
        return timedelta(0) if ahead > LONGEST_WAIT else ahead

    def is_ready(self, entry: OutboxEntry, now: datetime) -> bool:
        return self.remaining(entry, now) <= timedelta(0)

    def retry_at(self, entry: OutboxEntry, now: datetime) -> datetime:
        """When ``entry`` goes, on the wall clock as it reads now: the stored time while the clocks agree on it
        (to the second), else where the monotonic wait ends."""
        due = now + self.remaining(entry, now)
        stored = entry.next_attempt_at
        return stored if stored is not None and abs(stored - due) <= _SLACK else due
