"""Streaming a local file to a presigned upload URL (late-api.md §3.1) without reading it into memory."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from typing import BinaryIO, Protocol

from latecal.core.media import guess_mime, is_allowed
from latecal.late.errors import UploadCancelled

CHUNK_SIZE = 256 * 1024

Progress = Callable[[int, int], None]


class CancelFlag(Protocol):
    """``asyncio.Event`` or ``threading.Event``: anything with ``is_set()``."""

    def is_set(self) -> bool: ...


def guess_content_type(filename: str) -> str:
    """The allow-listed MIME type for a file name (presign's allow-list, §3.1); ValueError instead of the
    octet-stream fallback Late rejects."""
    guessed = guess_mime(filename)
    if not is_allowed(guessed):
        ext = os.path.splitext(filename)[1].lower()
        raise ValueError(f"Late does not accept files of type {guessed or ext or 'unknown'} ({filename!r})")
    return guessed


class UploadSource:
    """A path or an open binary file, streamed in chunks; rewindable (for retries) when seekable."""

    def __init__(self, source: str | os.PathLike[str] | BinaryIO, *, filename: str | None = None) -> None:
        if isinstance(source, str | os.PathLike):
            self._file: BinaryIO = open(source, "rb")  # noqa: SIM115 - closed by close()
            self._owned = True
            default_name = os.path.basename(os.fspath(source))
        else:
            self._file = source
            self._owned = False
            default_name = os.path.basename(str(getattr(source, "name", "") or "")) or "upload"
        self.filename = filename or default_name
        self._start = self._file.tell() if self._seekable() else 0
        self.size = self._measure()

    def _seekable(self) -> bool:
        try:
            return bool(self._file.seekable())
        except (AttributeError, OSError, ValueError):
            return False

    def _measure(self) -> int | None:
        if not self._seekable():
            return None
        end = self._file.seek(0, os.SEEK_END)
        self._file.seek(self._start)
        return end - self._start

    @property
    def rewindable(self) -> bool:
        return self._seekable()

    def rewind(self) -> None:
        self._file.seek(self._start)

    async def chunks(self, progress: Progress | None, cancel: CancelFlag | None) -> AsyncIterator[bytes]:
        # Local-disk reads of one chunk take well under a millisecond, so they stay on the loop thread.
        sent = 0
        total = self.size if self.size is not None else -1
        if progress is not None:
            progress(0, total)
        while True:
            if cancel is not None and cancel.is_set():
                raise UploadCancelled(f"upload of {self.filename!r} cancelled after {sent} bytes")
            chunk = self._file.read(CHUNK_SIZE)
            if not chunk:
                break
            sent += len(chunk)
            yield chunk
            if progress is not None:
                progress(sent, total)

    def close(self) -> None:
        if self._owned:
            self._file.close()
