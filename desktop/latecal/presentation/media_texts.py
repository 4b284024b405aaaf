"""What the editor says about a file: why it was not attached, and why its upload failed (in the user's terms:
never a request line, an exception class name or an errno)."""

from __future__ import annotations

NOT_CONNECTED = "The app is not connected to Late yet: set an API key (or start the demo), then retry."
UNREACHABLE = "Late cannot be reached. It uploads by itself when the connection is back."
FILE_GONE = "the file is no longer on disk (moved or deleted)."
NO_PERMISSION = "the file cannot be read (no permission to open it)."


def unreadable(error: str | None) -> str:
    return f"the file cannot be read ({error or 'a disk error'})."


def late_said(plain: str, status: int | None, *, with_status: bool) -> str:
    said = plain.rstrip(". ")
    return f"{said} (HTTP {status})." if with_status else f"{said}."


def went_wrong(kind: str) -> str:
    return f"something went wrong while uploading ({kind})."


def cannot_read(path: str, error: str) -> str:
    return f"{path} cannot be read: {error}."


def not_added(filename: str, problems: list[str]) -> str:
    return f"{filename} was not added: " + " ".join(problems)


def type_not_accepted(filename: str, shown_type: str) -> str:
    return f"{filename} is of type {shown_type}, which Late does not accept."


def not_an_image(filename: str) -> str:
    return f"{filename} is not an image that can be read (damaged, or another kind of file)."


def instagram_shape(filename: str, width: int, height: int) -> str:
    return (f"Instagram takes images from 9:16 (tall) to 1.91:1 (wide); {filename} is {width}×{height}. "
            "Crop it, or post it without Instagram.")


def still_uploading(name: str, percent: int) -> str:
    return f"{name} is still uploading ({percent} %)."


def not_uploaded_yet(name: str, why: str) -> str:
    return f"{name} has not uploaded yet: {why}"


def did_not_upload(name: str, why: str) -> str:
    return f"{name} did not upload: {why} Retry or remove it."


def upload_cancelled(name: str) -> str:
    return f"The upload of {name} was cancelled; retry or remove it."


def alt_text_hint(kind: str) -> str:
    """The alt-text placeholder, naming what the screen reader user will miss."""
    what = {"image": "the image", "video": "the video", "document": "the document"}.get(kind, "this file")
    return f"Alt text (describe {what} for screen readers)"


def upload_state(state: str, *, percent: int, error: str, uploaded: bool) -> str:
    """A file's row in the editor: where its upload stands (``state`` as the media list names it)."""
    return {
        "uploaded": "Uploaded" if uploaded else "Not uploaded",
        "waiting": "Waiting to upload…",
        "uploading": f"Uploading… {percent} %",
        "failed": f"Upload failed: {error}",
        "cancelled": "Upload cancelled",
    }.get(state, state)


def picker_filter(extensions: tuple[str, ...]) -> str:
    """The file picker's filter (Qt's syntax): the files Late takes first, then all files."""
    return f"Images and videos ({' '.join('*.' + e for e in extensions)});;All files (*)"
