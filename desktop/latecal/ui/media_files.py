"""Turning a local file into a MediaItem and checking it against the selected platforms before any upload.

The checks are core's (``validate_post``): the file is validated as the only attachment of a copy of the
post, and only the media problems are kept, so what is left is about this file's type and size alone.
"""

from __future__ import annotations

import functools
import mimetypes
import os
from collections.abc import Mapping
from datetime import datetime

from latecal.core.media_probe import video_duration_s
from latecal.core.models import Account, MediaItem, Post, Target
from latecal.core.platforms import ALLOWED_MIME_TYPES, media_kind
from latecal.core.validation import validate_post

# mimetypes misses a few of the types Late allows (same table as latecal.late.media_upload)
_EXTRA_TYPES = {".m4v": "video/x-m4v", ".srt": "application/x-subrip", ".vtt": "text/vtt", ".webp": "image/webp",
                ".m4a": "audio/x-m4a", ".mov": "video/quicktime"}
_MEDIA_TYPE_OF_KIND = {"image": "image", "video": "video", "document": "document"}


def guess_mime(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    return _EXTRA_TYPES.get(ext) or mimetypes.guess_type(path, strict=False)[0] or ""


def media_item_for_file(path: str) -> MediaItem:
    """A not yet uploaded MediaItem for ``path`` (OSError when the file cannot be read)."""
    size = os.path.getsize(path)
    mime = guess_mime(path)
    kind = "gif" if mime == "image/gif" else _MEDIA_TYPE_OF_KIND.get(media_kind(mime), "document")
    return MediaItem(type=kind, filename=os.path.basename(path), mime_type=mime, size=size, local_path=path,
                     duration_s=video_duration_s(path) if kind == "video" else None)


def file_problems(
    item: MediaItem, targets: list[Target], accounts: Mapping[str, Account], *, now: datetime
) -> list[str]:
    """Why ``item`` cannot go to every selected platform; [] when it may be uploaded."""
    if not item.mime_type or item.mime_type.lower() not in ALLOWED_MIME_TYPES:
        shown = item.mime_type or os.path.splitext(item.filename)[1] or "unknown"
        return [f"{item.filename} is of type {shown}, which Late does not accept."]
    if item.type in ("image", "gif") and item.local_path and not _readable_image(item.local_path):
        # caught here, not hours later when the platform fails to process it at publishing time
        return [f"{item.filename} is not an image that can be read (damaged, or another kind of file)."]
    if (shape := shape_problem(item, targets)) is not None:
        return [shape]
    probe = Post(content="x", media=[item], targets=list(targets))
    problems = validate_post(probe, accounts, now=now, intent="draft" if not targets else "publish_now")
    return list(dict.fromkeys(p.message for p in problems if p.field == "media"))


#: width / height of an Instagram feed image (late-api.md §8)
INSTAGRAM_FEED_RATIOS = (0.5625, 1.91)


def shape_problem(item: MediaItem, targets: list[Target]) -> str | None:
    """Why an image's shape does not suit a selected platform: Instagram fails such an image when it publishes
    (§8: feed aspect ratio 0.5625-1.91). Read from the file while it is on this computer."""
    if item.type != "image" or not item.local_path or not any(t.platform == "instagram" for t in targets):
        return None
    try:
        size = _image_size(item.local_path, os.stat(item.local_path).st_mtime_ns)
    except OSError:
        return None
    low, high = INSTAGRAM_FEED_RATIOS
    if size is None or low <= size[0] / size[1] <= high:
        return None
    return (f"Instagram takes images from 9:16 (tall) to 1.91:1 (wide); {item.filename} is {size[0]}×{size[1]}. "
            "Crop it, or post it without Instagram.")


@functools.lru_cache(maxsize=256)
def _image_size(path: str, _mtime_ns: int) -> tuple[int, int] | None:
    """(width, height) from the file's header, None when it cannot be told (cached per file version: the
    editor checks on every keystroke)."""
    from PySide6.QtGui import QImageReader

    reader = QImageReader(path)
    reader.setDecideFormatFromContent(True)
    size = reader.size()
    return (size.width(), size.height()) if size.isValid() and not size.isEmpty() else None


def _readable_image(path: str) -> bool:
    """Whether the file's content (not its name) is an image Qt can decode: a header check, no full decode."""
    from PySide6.QtGui import QImageReader  # here: the editor module loads with the first editor, this later

    suffix = os.path.splitext(path)[1].lower().lstrip(".").encode()
    if suffix not in {bytes(f) for f in QImageReader.supportedImageFormats()}:
        return True  # this Qt cannot tell (a bundle without that image plugin): leave it to Late
    return _image_size(path, os.stat(path).st_mtime_ns) is not None
