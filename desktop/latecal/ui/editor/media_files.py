"""Checking a local file against the selected platforms before any upload: core's rules, with what only the file
itself tells (whether it is an image Qt can read, and its shape) read here."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from datetime import datetime

from latecal.core.media import fits_feed_shape, is_allowed, needs_feed_shape, platform_media_problems
from latecal.core.models import Account, MediaItem, Target
from latecal.presentation import media_texts as words


def file_problems(
    item: MediaItem, targets: list[Target], accounts: Mapping[str, Account], *, now: datetime
) -> list[str]:
    """Why ``item`` cannot go to every selected platform; [] when it may be uploaded."""
    if not is_allowed(item.mime_type):
        shown = item.mime_type or os.path.splitext(item.filename)[1] or "unknown"
        return [words.type_not_accepted(item.filename, shown)]
    if item.type in ("image", "gif") and item.local_path and not _readable_image(item.local_path):
        # caught here, not hours later when the platform fails to process it at publishing time
        return [words.not_an_image(item.filename)]
    if (shape := shape_problem(item, targets)) is not None:
        return [shape]
    return platform_media_problems(item, targets, accounts, now=now)


def shape_problem(item: MediaItem, targets: list[Target]) -> str | None:
    """Why an image's shape does not suit a selected platform: Instagram fails such an image when it publishes.
    Read from the file while it is on this computer."""
    if not needs_feed_shape(item, targets):
        return None
    try:
        size = _image_size(item.local_path, os.stat(item.local_path).st_mtime_ns)
    except OSError:
        return None
    if size is None or fits_feed_shape(*size):
        return None
    return words.instagram_shape(item.filename, *size)


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
