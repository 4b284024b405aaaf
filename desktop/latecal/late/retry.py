"""When a failed Late call may be sent again, and how long to wait first (late-api.md §2.7, §6, §9.3-9.5).

A call is retried only when repeating it cannot do something twice:

| failure                                   | GET/DELETE     | create (Idempotency-Key) | other POST, any PUT        |
|-------------------------------------------|----------------|--------------------------|----------------------------|
| connect error / connect or pool timeout   | yes            | yes                      | yes (nothing was sent)     |
| read/write timeout, dropped connection    | yes            | yes                      | no                         |
| 5xx                                       | yes            | yes                      | no                         |
| 429                                       | yes            | yes                      | yes (refused, not run)     |
| 409 idempotency_conflict                  | –              | yes (first one in flight)| no                         |
| 2xx with a malformed body                 | yes            | yes                      | no                         |
| 400/401/402/403/404/409 duplicate/422     | no             | no                       | no                         |

"Other POST" is retry (publishes synchronously), presign and bulk upload (creates posts): once the server
may have seen them, a second send could publish or create twice, so only failures that prove the request
was not acted on are retried. A PUT is treated the same way: one that publishes inline (publishNow) must not
go twice (§9.6), and Late has no conditional PUT, so a resend seconds later could overwrite a teammate's change
made meanwhile (the sync engine resends it after checking Late's copy).

Waits: ``Retry-After`` (seconds or HTTP date), else ``X-RateLimit-Reset`` on a 429, else full-jitter
exponential backoff with a cap. A server-requested wait longer than ``max_server_wait`` (a few seconds) is not
slept: the error is raised at once with ``retry_after`` set, so the caller (the sync engine) says when and
reschedules instead of holding a run (and the user's Sync presses) for minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import httpx

from latecal.core.backoff import Backoff, Jitter
from latecal.late.ratelimit import INLINE_WAIT_S


class Safety(StrEnum):
    IDEMPOTENT = "idempotent"  # GET, DELETE: repeating converges on the same state
    KEYED = "keyed"  # POST /v1/posts with an Idempotency-Key: Late returns the original post on a repeat
    UNSAFE = "unsafe"  # everything else: may act twice if repeated after the server saw it


# Failures where the request certainly never reached the server.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after which the server may or may not have acted: timeouts and dropped connections.
MAYBE_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError,
    httpx.CloseError,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 4  # retries after the first attempt (the SDK's max_retries counted attempts)
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_server_wait: float = INLINE_WAIT_S

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.base_delay < 0 or self.max_delay < 0 or self.max_server_wait < 0:
            raise ValueError("retry policy values must be >= 0")

    def backoff(self, retry_number: int, rand: Callable[[], float]) -> float:
        """Full jitter: uniform in [0, min(cap, base·2^(n-1))] for the n-th retry (n ≥ 1)."""
        return Backoff(self.base_delay, self.max_delay, Jitter.FULL).delay(retry_number, rand)

    def wait(self, retry_number: int, server_hint: float | None, rand: Callable[[], float]) -> float | None:
        """The wait before retry ``retry_number``; None when we should give up instead."""
        if retry_number > self.max_retries:
            return None
        if server_hint is not None:
            return server_hint if server_hint <= self.max_server_wait else None
        return self.backoff(retry_number, rand)


def retry_on_exception(safety: Safety, exc: Exception) -> bool:
    if isinstance(exc, NOT_SENT_ERRORS):
        return True
    if isinstance(exc, MAYBE_SENT_ERRORS):
        return safety is not Safety.UNSAFE
    return False  # protocol misuse, unsupported scheme, proxy errors: a retry would fail the same way


def retry_on_status(safety: Safety, status: int, code: str | None = None) -> bool:
    if status == 429:
        return True
    if status >= 500:
        return safety is not Safety.UNSAFE
    if status == 409 and code == "idempotency_conflict":
        return safety is Safety.KEYED
    return False


def retry_on_malformed(safety: Safety) -> bool:
    return safety is not Safety.UNSAFE
