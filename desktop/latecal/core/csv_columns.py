"""Which column of a CSV means what: Late's bulk columns (late-api.md §2.11) and a mapping for other headers.

A file in Late's own format maps itself (its aliases included). Another scheduler's export (Buffer, Hootsuite)
gets a suggested mapping from the column names those tools use, which the user confirms or changes; the chosen
mapping is remembered per header set (``header_signature``). A mapping sends a source column to one of
``FIELDS`` or to nothing; Late's per-platform columns (``custom_content_<p>`` …) map to themselves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

from latecal.core.platforms import PLATFORMS

#: the fields a row can fill, in the order the mapping step lists them
FIELDS = ("post_content", "title", "platforms", "profiles", "accounts", "schedule_time", "tz", "media_urls",
          "link", "hashtags", "mentions", "tags", "is_draft", "publish_now", "use_queue")
#: Late's own aliases: the real column wins unless it is blank
LATE_ALIASES = {"content": "post_content", "timezone": "tz", "scheduledFor": "schedule_time", "mediaUrls": "media_urls"}
PER_PLATFORM_PREFIXES = ("schedule_time_", "custom_content_", "custom_media_")
#: one of these must be mapped, or every row lacks a time (is_draft rows need none)
SCHEDULE_FIELDS = ("schedule_time", "publish_now", "use_queue", "is_draft")

# Column names other schedulers write, lower-cased: Buffer's bulk/export sheets (Text, Image URL, Posting Time,
# Channel, Service, Tags) and Hootsuite's bulk composer (Date, Message, Link, Social Network, Social Profile).
_SYNONYMS = {
    "text": "post_content", "message": "post_content", "post text": "post_content", "caption": "post_content",
    "update": "post_content", "post": "post_content", "body": "post_content",
    "date": "schedule_time", "posting time": "schedule_time", "scheduled at": "schedule_time",
    "scheduled time": "schedule_time", "scheduled": "schedule_time", "publish date": "schedule_time",
    "due at": "schedule_time", "time": "schedule_time", "date (gmt)": "schedule_time",
    "image url": "media_urls", "image": "media_urls", "media": "media_urls", "media url": "media_urls",
    "media urls": "media_urls", "images": "media_urls", "video url": "media_urls", "attachment": "media_urls",
    "link": "link", "url": "link", "link url": "link",
    "service": "platforms", "network": "platforms", "social network": "platforms", "platform": "platforms",
    "channel type": "platforms",
    "channel": "accounts", "profile": "accounts", "social profile": "accounts", "account": "accounts",
    "username": "accounts", "handle": "accounts",
    "time zone": "tz", "time_zone": "tz",
    "tags": "tags", "labels": "tags", "campaign": "tags",
    "title": "title", "hashtags": "hashtags", "mentions": "mentions",
}
#: platform names as other tools write them -> Late's platform keys
PLATFORM_SYNONYMS = {"x": "twitter", "x (twitter)": "twitter", "twitter": "twitter", "linkedin page": "linkedin",
                     "linkedin profile": "linkedin", "facebook page": "facebook", "instagram business": "instagram",
                     "google business profile": "googlebusiness", "google business": "googlebusiness",
                     "gbp": "googlebusiness", "youtube shorts": "youtube"}


#: Hootsuite's bulk file has no header line: date and time, message, link (then nothing we read)
HEADERLESS_COLUMNS = ("Date", "Message", "Link")


def lacks_header(header: Sequence[str]) -> bool:
    """Whether the "header" is data: no column name we know, and a first cell that is a date and time (as in
    Hootsuite's bulk files, which start with their first post)."""
    from latecal.core.csv_values import looks_like_when

    known = any(late_field(h) or h.strip().lower() in _SYNONYMS for h in header)
    return not known and bool(header) and looks_like_when(header[0])


def is_per_platform(column: str) -> bool:
    prefix = next((p for p in PER_PLATFORM_PREFIXES if column.startswith(p)), None)
    return prefix is not None and column[len(prefix):] in PLATFORMS


def late_field(column: str) -> str | None:
    """The field a column of Late's own format fills (an alias resolved), else None."""
    name = LATE_ALIASES.get(column, column)
    if name in FIELDS or is_per_platform(name):
        return name
    return None


def is_late_format(header: Sequence[str]) -> bool:
    """Whether Late's bulk format reads this header as it is: its required columns (profiles may come from
    --profile or the default profile) and a time source, in Late's own names."""
    fields = {late_field(h) for h in header}
    has_time = bool(fields & set(SCHEDULE_FIELDS)) or any(f and f.startswith("schedule_time_") for f in fields)
    return "platforms" in fields and has_time


def suggested_mapping(header: Sequence[str]) -> dict[str, str]:
    """Source column -> field ("" for a column left out): Late's names first, then the other tools' names."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in header:
        late = late_field(column)
        field = late or _SYNONYMS.get(column.strip().lower(), "")
        if field and field in taken and not late:
            field = ""  # two columns for one field: the first keeps it (Late's alias pairs both map)
        mapping[column] = field
        if field:
            taken.add(field)
    return mapping


def header_signature(header: Sequence[str]) -> str:
    """The key a remembered mapping is kept under: the same columns (any order or case) → the same mapping."""
    names = sorted({h.strip().lower() for h in header})
    return hashlib.sha1("\x1f".join(names).encode("utf-8")).hexdigest()[:20]


def mapping_to_json(mapping: Mapping[str, str]) -> str:
    return json.dumps(dict(mapping), sort_keys=True, ensure_ascii=False)


def mapping_from_json(text: str | None, header: Sequence[str]) -> dict[str, str] | None:
    """A remembered mapping, when it still fits ``header`` (else None: suggest one afresh)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != set(header):
        return None
    if not all(isinstance(v, str) and (v == "" or v in FIELDS or is_per_platform(v)) for v in data.values()):
        return None
    return dict(data)


def missing_fields(mapping: Mapping[str, str]) -> list[str]:
    """What a mapping lacks for any row to be importable: a platform source and a time source."""
    fields = set(mapping.values())
    missing = []
    if not fields & {"platforms", "accounts"}:
        missing.append("platforms")
    if not (fields & set(SCHEDULE_FIELDS) or any(f.startswith("schedule_time_") for f in fields)):
        missing.append("schedule_time")
    return missing


def row_values(header: Sequence[str], cells: Sequence[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """A row's cells by field. With Late's aliases, the real column wins unless it is blank."""
    values: dict[str, str] = {}
    for column, cell in zip(header, cells, strict=False):
        field = mapping.get(column, "")
        if not field:
            continue
        if values.get(field, "").strip() and LATE_ALIASES.get(column) == field:
            continue  # an alias never overwrites a filled real column
        if field in values and not cell.strip():
            continue
        values[field] = cell
    return values
