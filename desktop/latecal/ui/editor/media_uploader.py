"""The editor's door to Late's media upload (presign + streaming PUT), so editors never hold the client.

Construct it in the composition root once a LateClient exists and give it to the window
(``window.attach_uploader(MediaUploader(client))``); without one, editors say the app is not connected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from latecal.presentation import media_texts as words


class MediaUploader:
    def __init__(self, client: Any) -> None:
        self.client = client

    async def upload(self, path: str, content_type: str, *, progress: Callable[[int, int], None], cancel: Any):
        """Upload one file; returns the client's UploadedMedia (``public_url`` goes into MediaItem.url)."""
        return await self.client.upload_media(path, content_type, progress=progress, cancel=cancel)


def upload_error_text(exc: BaseException) -> str:
    """Why an upload failed, in the user's terms ("Upload failed: …"): Late's own message when it sent one,
    never a request line, an exception class or an errno."""
    from latecal.late.errors import LateError  # here: the window paints before the client's modules load

    if is_connection_failure(exc):
        return words.UNREACHABLE
    if isinstance(exc, FileNotFoundError):
        return words.FILE_GONE
    if isinstance(exc, PermissionError):
        return words.NO_PERMISSION
    if isinstance(exc, OSError):
        return words.unreadable(exc.strerror)
    if isinstance(exc, LateError):
        return words.late_said(exc.plain, exc.status, with_status=bool(exc.status and exc.error))
    return words.went_wrong(type(exc).__name__)


def is_connection_failure(exc: BaseException) -> bool:
    """No answer from Late (offline, a dropped connection): worth trying again by itself once Late answers."""
    from latecal.late.errors import LateNetworkError

    return isinstance(exc, LateNetworkError)
