"""Posts dragged between rooms (the drafts tray onto the calendar) travel as their local ids, one per line."""

from __future__ import annotations

from PySide6.QtCore import QMimeData

POST_IDS_MIME = "application/x-latecal-post-ids"


def encode_post_ids(ids: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData(POST_IDS_MIME, "\n".join(ids).encode())
    return mime


def decode_post_ids(mime: QMimeData | None) -> list[str]:
    if mime is None or not mime.hasFormat(POST_IDS_MIME):
        return []
    raw = bytes(mime.data(POST_IDS_MIME).data()).decode(errors="replace")
    return [line.strip() for line in raw.splitlines() if line.strip()]
