"""Local files as attachments: the one table from file names to MIME types, the MediaItem a file becomes, and
the rules a file must meet before it is uploaded (type, size, length, Instagram's image shape)."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Mapping
from datetime import datetime

from latecal.core.media_probe import video_duration_s
from latecal.core.models import Account, MediaItem, Post, Target
from latecal.core.platforms import ALLOWED_MIME_TYPES

# What the standard library's table misses or gets wrong for the types Late allows (§3.1): the one table
# both the editor and the upload read.
_EXTRA_TYPES = {".m4v": "video/x-m4v", ".srt": "application/x-subrip", ".vtt": "text/vtt", ".webp": "image/webp",
                ".m4a": "audio/x-m4a", ".mov": "video/quicktime"}
#: what the file picker offers first (the rest is behind "All files")
PICKER_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "webp", "mp4", "mov", "m4v", "webm", "pdf")
#: width / height of an Instagram feed image (late-api.md §8): 9:16 to 1.91:1
INSTAGRAM_FEED_RATIOS = (0.5625, 1.91)


def guess_mime(filename: str) -> str:
    """The MIME type of a file from its name; "" when unknown."""
    ext = os.path.splitext(filename)[1].lower()
    return _EXTRA_TYPES.get(ext) or mimetypes.guess_type(filename, strict=False)[0] or ""


def media_type(mime: str) -> str:
    """A MediaItem's ``type`` for a MIME type: image, gif, video or document; "" when it is none of them."""
    if mime == "image/gif":
        return "gif"
    if mime.startswith(("image/", "video/")):
        return mime.split("/", 1)[0]
    return "document" if mime == "application/pdf" else ""


def media_type_of_name(name: str) -> str:
    """The same from a file name or a URL (its query ignored)."""
    return media_type(guess_mime(name.split("?", 1)[0]))


def is_allowed(mime: str) -> bool:
    return bool(mime) and mime.lower() in ALLOWED_MIME_TYPES


def media_item_for_file(path: str) -> MediaItem:
    """A not yet uploaded MediaItem for ``path`` (OSError when the file cannot be read)."""
    size = os.path.getsize(path)
    mime = guess_mime(path)
    kind = media_type(mime) or "document"
    return MediaItem(type=kind, filename=os.path.basename(path), mime_type=mime, size=size, local_path=path,
                     duration_s=video_duration_s(path) if kind == "video" else None)


def needs_feed_shape(item: MediaItem, targets: list[Target]) -> bool:
    """Whether Instagram's feed shape applies: an image on this computer going to Instagram."""
    return item.type == "image" and bool(item.local_path) and any(t.platform == "instagram" for t in targets)


def fits_feed_shape(width: int, height: int) -> bool:
    low, high = INSTAGRAM_FEED_RATIOS
    return low <= width / height <= high


def platform_media_problems(item: MediaItem, targets: list[Target], accounts: Mapping[str, Account], *,
                            now: datetime) -> list[str]:
    """What every selected platform's rules say about ``item`` as the post's only file (size, length, kind):
    core's ``validate_post`` on a probe post, keeping only the media problems."""
    from latecal.core.validation import validate_post  # the rules load with the first file, not the first paint

    probe = Post(content="x", media=[item], targets=list(targets))
    problems = validate_post(probe, accounts, now=now, intent="draft" if not targets else "publish_now")
    return list(dict.fromkeys(p.message for p in problems if p.field == "media"))
