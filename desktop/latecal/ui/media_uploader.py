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
    """A short sentence for a failed upload (Late's own message when it sent one)."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    status = getattr(exc, "status", None)
    return f"{message} (HTTP {status})" if status else message
