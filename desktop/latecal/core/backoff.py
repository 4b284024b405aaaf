"""One exponential backoff schedule for every wait after a failure: the client's retries, a push that failed
and the sync engine's offline cadence each take it with their own base, cap and jitter."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

# 2**64 times any positive base is beyond every cap we use; bounding the exponent keeps an entry that has
# failed thousands of times from overflowing the float conversion.
_MAX_DOUBLINGS = 64


class Jitter(StrEnum):
    NONE = "none"  # exactly the ceiling: a fixed cadence
    FULL = "full"  # uniform in [0, ceiling]: spreads clients the most
    EQUAL = "equal"  # uniform in [ceiling / 2, ceiling]: spread out, but never much sooner than the ceiling


@dataclass(frozen=True, slots=True)
class Backoff:
    """``min(cap, base · 2^(attempt-1))`` seconds for the n-th attempt (n ≥ 1), jittered as ``jitter`` says."""

    base: float
    cap: float
    jitter: Jitter = Jitter.NONE

    def __post_init__(self) -> None:
        if self.base < 0 or self.cap < 0:
            raise ValueError("backoff base and cap must be >= 0")

    def ceiling(self, attempt: int) -> float:
        doublings = min(max(0, attempt - 1), _MAX_DOUBLINGS)
        return min(self.cap, self.base * 2**doublings)

    def delay(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        """The wait in seconds; ``rand`` returns a float in [0, 1) (not called without jitter)."""
        ceiling = self.ceiling(attempt)
        if self.jitter is Jitter.FULL:
            return rand() * ceiling
        if self.jitter is Jitter.EQUAL:
            return ceiling * (0.5 + rand() / 2)
        return ceiling
