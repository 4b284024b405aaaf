"""The editor's door to Late's media upload (presign + streaming PUT), so editors never hold the client.

Construct it in the composition root once a LateClient exists and give it to the window
(``window.attach_uploader(MediaUploader(client))``); without one, editors say the app is not connected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NOT_CONNECTED = "The app is not connected to Late yet: set an API key (or start the demo), then retry."


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
        return "Late cannot be reached. It uploads by itself when the connection is back."
    if isinstance(exc, FileNotFoundError):
        return "the file is no longer on disk (moved or deleted)."
    if isinstance(exc, PermissionError):
        return "the file cannot be read (no permission to open it)."
    if isinstance(exc, OSError):
        return f"the file cannot be read ({exc.strerror or 'a disk error'})."
    if isinstance(exc, LateError):
        said = exc.plain.rstrip(". ")
        return f"{said} (HTTP {exc.status})." if exc.status and exc.error else f"{said}."
    return f"something went wrong while uploading ({type(exc).__name__})."


def is_connection_failure(exc: BaseException) -> bool:
    """No answer from Late (offline, a dropped connection): worth trying again by itself once Late answers."""
    from latecal.late.errors import LateNetworkError

    return isinstance(exc, LateNetworkError)
