"""Late's rate-limit headers (late-api.md §6.3) and the proactive slow-down they allow.

``X-RateLimit-Reset`` is unix seconds and ``Retry-After`` is seconds or an HTTP date, so everything here
works on a wall clock (injected, so tests run instantly and deterministically).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

#: the longest wait spent inside one request (a Retry-After, a used-up window): longer ones are the caller's to
#: schedule, so a run never sits for minutes with Sync presses unanswered
INLINE_WAIT_S = 5.0


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def parse_retry_after(value: str | None, now: float) -> float | None:
    """``Retry-After`` as a wait in seconds (≥ 0): delta-seconds or an HTTP date. Junk → None."""
    if value is None or not value.strip():
        return None
    seconds = _number(value)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        return None
    return max(0.0, when.timestamp() - now)


@dataclass(slots=True)
class RateLimitInfo:
    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None  # unix seconds when the next slot frees

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimitInfo:
        def as_int(name: str) -> int | None:
            number = _number(headers.get(name))
            return int(number) if number is not None else None

        return cls(as_int("x-ratelimit-limit"), as_int("x-ratelimit-remaining"),
                   _number(headers.get("x-ratelimit-reset")))

    def wait_until_reset(self, now: float) -> float | None:
        if self.reset_at is None:
            return None
        return max(0.0, self.reset_at - now)


class Throttle:
    """Remembers the last rate-limit headers; when the window is used up, the next request waits for the reset.

    Cheaper than spending a request on a certain 429 (and the account's goodwill). Waits are capped so a
    skewed server clock cannot stall the app for long; past the cap the request goes, and a 429's Retry-After
    tells the caller how long to wait.
    """

    def __init__(self, clock: Callable[[], float], max_wait: float = INLINE_WAIT_S) -> None:
        self._clock = clock
        self._max_wait = max_wait
        self.last = RateLimitInfo()

    def observe(self, headers: Mapping[str, str]) -> None:
        info = RateLimitInfo.from_headers(headers)
        if info.remaining is not None or info.reset_at is not None:
            self.last = info

    def delay(self) -> float:
        """Seconds to wait before the next request (0 when there is budget left or nothing is known)."""
        if self.last.remaining is None or self.last.remaining > 0:
            return 0.0
        wait = self.last.wait_until_reset(self._clock())
        return min(wait, self._max_wait) if wait else 0.0

    def waited(self) -> None:
        # The window has reset (or we waited as long as we are willing to): let the next response tell us again.
        self.last = RateLimitInfo(limit=self.last.limit)
