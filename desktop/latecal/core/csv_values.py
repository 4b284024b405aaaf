"""Reading one CSV cell as what it stands for: a yes/no, a list, a date and time in a zone, media by URL.

Each reader raises ``ValueError`` with the sentence the preview shows beside the cell.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from latecal.core.media import guess_mime, media_type
from latecal.core.models import MediaItem
from latecal.core.zones import is_nonexistent, utc_to_wall, validate_zone, wall_to_utc

_TRUE = ("true", "1", "yes", "y", "x")
_FALSE = ("false", "0", "no", "n", "")
# Slashed dates are month first (Hootsuite's and the US default) unless the first number cannot be a month.
_WALL_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S",
                 "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%y %H:%M", "%m/%d/%y %I:%M %p",
                 "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S")
_DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %I:%M %p", "%d/%m/%y %H:%M")
#: how times are written back (export) and sent to Late's dry run: wall time, with the zone in ``tz``
WALL_FORMAT = "%Y-%m-%d %H:%M"


def read_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"'{text.strip()}' is not a yes/no value; write true or false.")


def read_list(text: str) -> list[str]:
    """Comma-, semicolon- or newline-separated values, blanks dropped (Late splits on , and ;)."""
    for sep in (";", "\n", "|"):
        text = text.replace(sep, ",")
    return [v.strip() for v in text.split(",") if v.strip()]


def read_zone(text: str) -> str:
    name = text.strip()
    validate_zone(name)  # its ValueError names the zone
    return name


def read_when(text: str, zone: str) -> datetime:
    """A date and time as people write it, read in ``zone`` unless it carries its own offset; aware UTC."""
    raw = " ".join(text.strip().split())
    if not raw:
        raise ValueError("The date and time are empty.")
    wall = _parse(raw)
    if wall is None:
        raise ValueError(f"'{raw}' is not a date and time this import reads; write it as 2026-09-01 10:00 "
                         "(or 2026-09-01T10:00:00+02:00).")
    if wall.tzinfo is not None:
        return wall.astimezone(UTC)
    if is_nonexistent(wall, zone):
        raise ValueError(f"{wall:%Y-%m-%d %H:%M} does not exist in {zone} (the clocks jump forward then); "
                         "pick another time.")
    return wall_to_utc(wall, zone)


def _parse(raw: str) -> datetime | None:
    iso = raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        parsed = None
    if parsed is not None and (":" in raw):  # a bare date is not a time
        return parsed.replace(second=parsed.second, microsecond=0)
    formats = _WALL_FORMATS
    first = raw.split("/", 1)[0]
    if "/" in raw and first.isdigit() and int(first) > 12:
        formats = _DAY_FIRST
    for fmt in formats:
        try:
            return datetime.strptime(raw.upper() if "%p" in fmt else raw, fmt)
        except ValueError:
            continue
    return None


def looks_like_when(text: str) -> bool:
    raw = " ".join(text.strip().split())
    return bool(raw) and _parse(raw) is not None


def write_when(when: datetime, zone: str) -> str:
    return utc_to_wall(when, zone).strftime(WALL_FORMAT)


def read_media(text: str) -> list[MediaItem]:
    """Media by public URL (Late fetches them): https only, the type from the file name."""
    items = []
    for url in read_list(text):
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("https", "http") or not parts.netloc:
            raise ValueError(f"'{url}' is not a web address; give each file's public https:// URL.")
        name = parts.path.rsplit("/", 1)[-1] or parts.netloc
        mime = guess_mime(name)
        items.append(MediaItem(type=media_type(mime) if mime else "image", url=url, filename=name, mime_type=mime))
    return items
