"""Post <-> database row, and datetimes <-> integer microseconds.

Times are stored as integer microseconds since the Unix epoch in UTC: exact for every Python datetime
(milliseconds would drop precision and break round trips) and cheap to index and compare.
Targets, media and the string lists are JSON text; datetimes inside them keep their ISO form with offset.
"""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Mapping
from dataclasses import MISSING, fields
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from latecal.core.models import MediaItem, Post, Target, utc

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The C scanner without json.loads' whitespace handling: our JSON is always compact (a month view decodes
# thousands of rows, and this halves the parsing overhead).
_scan = json.JSONDecoder().scan_once
_US = timedelta(microseconds=1)

# The columns of the Post part of a posts row (decode_post reads them by name).
POST_COLUMNS: tuple[str, ...] = (
    "local_id",
    "late_id",
    "idempotency_key",
    "title",
    "content",
    "hashtags",
    "tags",
    "media",
    "targets",
    "scheduled_us",
    "timezone",
    "status",
    "published_us",
    "remote_updated_us",
    "sync_state",
    "sync_error",
    "read_problems",
    "recycling",
    "recycled_from",
    "series_id",
    "occurrence",
)
# the store-side columns a StoredPost adds to a Post
RECORD_COLUMNS: tuple[str, ...] = ("deleted", "remote_account_ids", "conflict_remote", "local_updated_us")
# A posts row as POST_SELECT reads it (with ``post_row`` as the cursor's row factory), its columns read as
# attributes: as cheap as an index, where sqlite3.Row's lookup by name made the pull's merge ~3 % slower.
PostRow = namedtuple("PostRow", POST_COLUMNS + RECORD_COLUMNS)  # type: ignore[misc]
POST_SELECT = "SELECT " + ", ".join(PostRow._fields) + " FROM posts"


def post_row(_cursor: object, values: tuple[Any, ...]) -> PostRow:
    return PostRow._make(values)


# Columns that carry the user's content: comparing them tells whether a save changed anything.
# ``read_problems`` among them: a post Late now sends readable must be written even when nothing else changed.
CONTENT_COLUMNS: tuple[str, ...] = (
    "title", "content", "hashtags", "tags", "media", "targets", "scheduled_us", "timezone", "status", "published_us",
    "read_problems", "recycling", "recycled_from",
)


def to_us(dt: datetime | None) -> int | None:
    if dt is None:
        return None
    return (utc(dt) - _EPOCH) // _US


def from_us(us: int | None) -> datetime | None:
    if us is None:
        return None
    return _EPOCH + timedelta(microseconds=us)


# ensure_ascii keeps any string (even a lone surrogate from a bad paste) storable as SQLite text; one encoder made
# once (json.dumps with options builds a new one per call: a third of the cost of encoding a post)
_encode = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode


def _dumps(obj: Any) -> str:
    return _encode(obj) if obj else ("[]" if isinstance(obj, list) else _encode(obj))


def _defaults(cls: type) -> dict[str, Any]:
    out = {}
    for f in fields(cls):
        if f.default is not MISSING:
            out[f.name] = f.default
        elif f.default_factory is not MISSING:
            out[f.name] = f.default_factory()
    return out


_MEDIA_DEFAULTS = _defaults(MediaItem)
_TARGET_DEFAULTS = _defaults(Target)
_TARGET_TIMES = ("scheduled_for", "published_at")


def _compact(obj: Any, defaults: dict[str, Any]) -> dict[str, Any]:
    """The fields that differ from the dataclass defaults: most target fields are empty, and a month view
    parses thousands of these, so leaving defaults out makes the JSON (and its parsing) several times smaller.
    A field added to the model later simply decodes to its default."""
    out = {}
    for name in obj.__slots__:
        value = getattr(obj, name)
        if name in defaults and type(value) is type(defaults[name]) and value == defaults[name]:
            continue
        out[name] = value
    return out


def _media_dict(m: MediaItem) -> dict[str, Any]:
    return _compact(m, _MEDIA_DEFAULTS)


def _target_dict(t: Target) -> dict[str, Any]:
    d = _compact(t, _TARGET_DEFAULTS)
    for name in _TARGET_TIMES:
        if name in d:
            d[name] = d[name].isoformat()
    return d


def media_to_json(media: list[MediaItem]) -> str:
    return _dumps([_media_dict(m) for m in media])


def _media(items: list[dict[str, Any]]) -> list[MediaItem]:
    return [MediaItem(**d) for d in items]


def media_from_json(text: str) -> list[MediaItem]:
    return _media(json.loads(text))


def targets_to_json(targets: list[Target]) -> str:
    return _dumps([_target_dict(t) for t in targets])


def _targets(items: list[dict[str, Any]]) -> list[Target]:
    out = []
    for d in items:
        for name in _TARGET_TIMES:
            value = d.get(name)
            if value is not None:  # rows may also spell a default out, e.g. "published_at": null
                d[name] = datetime.fromisoformat(value)
        out.append(Target(**d))
    return out


def _text(value: str) -> str:
    """``value`` as SQLite can store it: a lone surrogate (half an emoji cut by some tool, pulled from Late)
    has no UTF-8 form, so it becomes U+FFFD rather than failing the whole write."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def encode_post(post: Post) -> dict[str, Any]:
    """The POST_COLUMNS values of a post, ready to bind."""
    return {
        "local_id": post.local_id,
        "late_id": post.late_id,
        "idempotency_key": post.idempotency_key,
        "title": _text(post.title),
        "content": _text(post.content),
        "hashtags": _dumps(list(post.hashtags)),
        "tags": _dumps(list(post.tags)),
        "media": media_to_json(post.media),
        "targets": targets_to_json(post.targets),
        "scheduled_us": to_us(post.scheduled_for),
        "timezone": post.timezone,
        "status": post.status,
        "published_us": to_us(post.published_at),
        "remote_updated_us": to_us(post.remote_updated_at),
        "sync_state": post.sync_state,
        "sync_error": _text(post.sync_error),
        "read_problems": _dumps(list(post.read_problems)),
        "recycling": None if post.recycling is None else _dumps(post.recycling),
        "recycled_from": post.recycled_from,
        "series_id": post.series_id,
        "occurrence": post.occurrence,
    }


def decode_post(row: Any) -> Post:
    """Build a Post from a row holding the POST_COLUMNS as attributes (a ``PostRow``)."""
    # one scanner call for the five JSON columns instead of five json.loads
    hashtags, tags, media, targets, read_problems = _scan(
        f"[{row.hashtags},{row.tags},{row.media},{row.targets},{row.read_problems}]", 0)[0]
    return Post(
        local_id=row.local_id,
        late_id=row.late_id,
        idempotency_key=row.idempotency_key,
        title=row.title,
        content=row.content,
        hashtags=hashtags,
        tags=tags,
        media=_media(media),
        targets=_targets(targets),
        scheduled_for=from_us(row.scheduled_us),
        timezone=row.timezone,
        status=row.status,
        published_at=from_us(row.published_us),
        remote_updated_at=from_us(row.remote_updated_us),
        sync_state=row.sync_state,
        sync_error=row.sync_error,
        read_problems=tuple(read_problems),
        recycling=None if row.recycling is None else json.loads(row.recycling),
        recycled_from=row.recycled_from,
        series_id=row.series_id,
        occurrence=row.occurrence,
    )


# columns a document written by an older version lacks (a conflict's remote version kept across an update)
_ADDED_COLUMNS: dict[str, Any] = {"read_problems": "[]", "recycling": None, "recycled_from": "",
                                   "series_id": "", "occurrence": 0}


def post_from_columns(values: Mapping[str, Any]) -> Post:
    """A Post from the POST_COLUMNS values by name (``encode_post``'s output)."""
    return decode_post(SimpleNamespace(**{c: values[c] if c in values else _ADDED_COLUMNS[c] for c in POST_COLUMNS}))


def post_to_json(post: Post) -> str:
    """A whole post as one JSON document (the remote version kept while a post is in conflict)."""
    return _dumps(encode_post(post))


def post_from_json(text: str) -> Post:
    return post_from_columns(json.loads(text))


def ids_to_json(ids: list[str] | None) -> str | None:
    return None if ids is None else _dumps(list(ids))


def ids_from_json(text: str | None) -> list[str] | None:
    return None if text is None else json.loads(text)
