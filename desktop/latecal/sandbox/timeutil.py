"""Datetime parsing and formatting the way Late does it: UTC ISO-8601 with milliseconds and ``Z``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Years outside this range are rejected as bad input instead of risking overflow in arithmetic.
_MIN_YEAR, _MAX_YEAR = 1970, 2200
UTC_ZONE = ZoneInfo("UTC")


def iso(dt: datetime) -> str:
    """JavaScript ``toISOString()`` form, which is what a Node/Mongo API like Late emits."""
    dt = dt.astimezone(UTC)
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond // 1000:03d}Z"


def parse_iso(value: str) -> datetime:
    """Parse a stored timestamp (always produced by ``iso``)."""
    return datetime.fromisoformat(value).astimezone(UTC)


def zone(name: object) -> ZoneInfo | None:
    """The IANA zone called ``name``, or None when it is not a known zone."""
    if not isinstance(name, str) or not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError, OSError for odd names
        return None


def _in_range(dt: datetime) -> datetime:
    if not _MIN_YEAR <= dt.year <= _MAX_YEAR:
        raise ValueError("year out of range")
    return dt


def parse_client_datetime(value: object, tz: ZoneInfo) -> datetime:
    """A ``scheduledFor`` as a client sends it: with Z/offset as-is, without one as local time in ``tz``."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise ValueError("not a datetime string")
    text = value.strip()
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"invalid datetime {value!r}") from None
    _in_range(dt)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    try:
        return _in_range(dt.astimezone(UTC))
    except OverflowError:
        raise ValueError("datetime out of range") from None


def parse_filter_date(value: str, *, end: bool) -> datetime:
    """``fromDate``/``toDate``: ``YYYY-MM-DD`` (whole day, inclusive) or a full ISO-8601 instant (UTC if naive)."""
    text = value.strip()
    if len(text) == 10:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"invalid date {value!r}") from None
        if text[4] != "-" or text[7] != "-":
            raise ValueError(f"invalid date {value!r}")
        start = datetime.combine(day, time(), tzinfo=UTC)
        _in_range(start)
        return start + timedelta(days=1) - timedelta(milliseconds=1) if end else start
    return parse_client_datetime(text, UTC_ZONE)
