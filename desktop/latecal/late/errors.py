"""One exception hierarchy for everything the Late client can raise (late-api.md §6).

Every HTTP error carries the status, Late's ``error/type/code/param/details`` and the request id the server
logged it under, so a user-facing report can quote it. The API key is never part of any of these: the
client scrubs response text before it gets here and never puts request headers into a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class LateError(Exception):
    """Base of every client failure. ``status`` is None when no HTTP response arrived."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error: str | None = None,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        details: dict[str, Any] | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error = error
        self.type = type
        self.code = code
        self.param = param
        self.details = details or {}
        self.request_id = request_id
        self.retry_after = retry_after

    def __str__(self) -> str:
        parts = [self.message]
        if self.code:
            parts.append(f"code={self.code}")
        if self.param:
            parts.append(f"param={self.param}")
        if self.request_id:
            parts.append(f"request_id={self.request_id}")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r}, code={self.code!r})"

    @property
    def plain(self) -> str:
        """What went wrong, for a person: Late's own message when it sent one, never a request line (``message``,
        for the log, names the method and path)."""
        if self.error:
            return self.error
        if self.status:
            return f"Late answered HTTP {self.status}"
        return "Late's answer could not be used"


class LateHTTPError(LateError):
    """Late answered with an error status. Subclasses name the ones a caller branches on."""


class LateValidationError(LateHTTPError):
    """400 (and 422): the request was refused as invalid; ``error``/``param`` say why. Never retried."""


class LateAuthError(LateHTTPError):
    """401: missing or invalid key. Stop and ask the user for a key."""


class LatePaymentRequired(LateHTTPError):
    """402: billing gate (failed payment, free tier exceeded, ...)."""


class LateForbidden(LateHTTPError):
    """403: ``code`` is e.g. ACCOUNT_DISCONNECTED, ACCOUNT_NOT_ENABLED_FOR_POSTING, PROFILE_OVER_LIMIT,
    insufficient_permissions, or None for an account outside the key's scope."""


class LateNotFound(LateHTTPError):
    """404: the post (or an account id, e.g. after a reconnect minted a new one) does not exist."""


class LateConflict(LateHTTPError):
    """409 other than the two below: queue_slot_conflict, retry while publishing, review of a non-pending post."""


class LateDuplicatePost(LateConflict):
    """409 content duplicate on create: the same text+media went to the same account within 24 h."""

    @property
    def existing_post_id(self) -> str | None:
        value = self.details.get("existingPostId")
        return value if isinstance(value, str) and value else None

    @property
    def account_id(self) -> str | None:
        return self.details.get("accountId")

    @property
    def platform(self) -> str | None:
        return self.details.get("platform")


class LateIdempotencyConflict(LateConflict):
    """409 ``idempotency_conflict``: a create with the same Idempotency-Key is still running."""


class LateRateLimited(LateHTTPError):
    """429: API rate limit, per-account velocity, cooldown or daily caps. ``retry_after`` in seconds."""

    def __init__(self, message: str, *, limit: int | None = None, remaining: int | None = None,
                 reset_at: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.limit = limit
        self.remaining = remaining
        self.reset_at = reset_at  # unix seconds, from X-RateLimit-Reset


class LateServerError(LateHTTPError):
    """5xx from Late (or a proxy in front of it)."""


class LateNetworkError(LateError):
    """No usable HTTP response: connection refused, timeout, or the connection dropped mid-exchange.

    ``maybe_sent`` is False only when the request certainly never reached the server (connect failures).
    """

    def __init__(self, message: str, *, maybe_sent: bool = True, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.maybe_sent = maybe_sent

    @property
    def plain(self) -> str:
        return "Late could not be reached"


class LateTimeout(LateNetworkError):
    """The request timed out (connect, write, read or waiting for a pooled connection)."""


class LateConnectionError(LateNetworkError):
    """Could not connect, or the connection was dropped (reset, closed without a response)."""


class MalformedResponse(LateError):
    """A 2xx whose body is not the JSON we expect (HTML from a proxy, truncated body, a post we cannot parse).
    ``reason`` says why for a person when it is more than "garbled" (a body too large or nested too deeply)."""

    def __init__(self, message: str, *, reason: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.reason = reason

    @property
    def plain(self) -> str:
        return self.reason or "Late's answer could not be read (it came garbled or cut off)"


class InvalidPathId(LateError, ValueError):
    """An id that cannot be one path segment (empty, ``.`` or ``..``, even percent-encoded): no request is sent."""


class UploadCancelled(LateError):
    """The caller set the cancel event of a media upload; nothing further was sent."""


class WireError(ValueError):
    """One Late object could not be mapped (missing ``_id``, an unparseable essential field).

    Raised per object so a sync can skip and report one bad post instead of failing the whole page.
    """

    def __init__(self, message: str, *, late_id: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.late_id = late_id
        self.field = field


_BY_STATUS: dict[int, type[LateHTTPError]] = {
    400: LateValidationError, 422: LateValidationError, 401: LateAuthError, 402: LatePaymentRequired,
    403: LateForbidden, 404: LateNotFound,
}


def error_class(status: int, code: str | None, details: Mapping[str, Any]) -> type[LateHTTPError]:
    if status == 409:
        if code == "idempotency_conflict":
            return LateIdempotencyConflict
        return LateDuplicatePost if details.get("existingPostId") else LateConflict
    if status >= 500:
        return LateServerError
    return _BY_STATUS.get(status, LateHTTPError)
