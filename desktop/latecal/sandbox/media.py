"""Media: presign (§3.1), the presigned PUT target and public GETs, plus demo images generated in memory.

Upload and public URLs live on the sandbox itself under ``/media/`` and need no bearer token, like Late's
storage URLs. Demo media (``/media/demo/<name>.<ext>``) is synthesised on request, so nothing is shipped.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from datetime import timedelta
from typing import Any

from .errors import ApiError, invalid
from .state import ORIGIN_TOKEN, SandboxState
from .timeutil import iso, parse_iso

ALLOWED_TYPES = {
    "image/jpeg", "image/jpg", "image/png", "image/webp", "image/gif",
    "video/mp4", "video/mpeg", "video/quicktime", "video/avi", "video/x-msvideo", "video/webm", "video/x-m4v",
    "application/pdf",
    "audio/mpeg", "audio/mp4", "audio/aac", "audio/ogg", "audio/wav", "audio/webm", "audio/x-m4a",
    "application/x-subrip", "text/vtt",
}
MAX_SIZE = 5 * 1024**3
EXPIRES_IN = 3600
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def presign(state: SandboxState, body: Any, origin: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid("Request body must be a JSON object", code="invalid_json")
    filename, content_type, size = body.get("filename"), body.get("contentType"), body.get("size")
    if not isinstance(filename, str) or not filename.strip():
        raise invalid("filename is required", code="missing_required_field", param="filename")
    if not isinstance(content_type, str) or content_type.lower() not in ALLOWED_TYPES:
        raise invalid("contentType is not an allowed media type", code="INVALID_FIELD_VALUE", param="contentType")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= MAX_SIZE):
        raise invalid("size must be a positive integer of at most 5 GB", code="INVALID_FIELD_VALUE", param="size")
    with state.lock:
        now = state.now()
        safe = _SAFE.sub("_", filename.strip())[-120:] or "file"
        key = f"temp/{int(now.timestamp() * 1000)}_{state.new_id()[-8:]}_{safe}"
        state.uploads[key] = {
            "contentType": content_type.lower(), "size": size, "expiresAt": iso(now + timedelta(seconds=EXPIRES_IN)),
        }
        state.touch()
    return {
        "uploadUrl": f"{origin}/media/upload/{key}",
        "publicUrl": f"{origin}/media/{key}",
        "key": key,
        "expiresIn": EXPIRES_IN,
    }


def store_upload(state: SandboxState, key: str, content_type: str | None, data: bytes) -> str:
    """The presigned PUT: same Content-Type as presigned, within the declared size, before expiry."""
    with state.lock:
        upload = state.uploads.get(key)
        if upload is None or parse_iso(upload["expiresAt"]) < state.now():
            raise ApiError(403, "Upload URL is invalid or has expired", type="permission_error", code="upload_expired")
        ctype = (content_type or "").split(";")[0].strip().lower()
        if ctype != upload["contentType"]:
            raise invalid(f"Content-Type must be {upload['contentType']}", code="content_type_mismatch",
                          param="Content-Type")
        if upload["size"] is not None and len(data) > upload["size"]:
            raise invalid("Body is larger than the presigned size", code="size_mismatch", param="size")
        state.media[key] = {"contentType": ctype, "data": data, "size": len(data), "createdAt": state.now_iso()}
        state.touch()
        return hashlib.md5(data, usedforsecurity=False).hexdigest()


def fetch(state: SandboxState, key: str) -> tuple[bytes, str] | None:
    if key.startswith("demo/"):
        return demo_asset(key[len("demo/"):])
    with state.lock:
        item = state.media.get(key)
        return (item["data"], item["contentType"]) if item else None


def demo_url(name: str) -> str:
    return f"{ORIGIN_TOKEN}/media/demo/{name}"


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small diagonal-gradient PNG, built by hand (zlib + CRC'd chunks)."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            shade = (x + y) * 96 // (width + height)
            row += bytes(min(255, c + shade) for c in rgb)
        rows.append(bytes(row))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(
        b"IEND", b""
    )


def _mp4_stub(seed: bytes) -> bytes:
    # Just the ftyp box and some filler: enough for type sniffing, not a playable video.
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
    free = seed * 8
    return ftyp + struct.pack(">I", 8 + len(free)) + b"free" + free


def demo_asset(name: str) -> tuple[bytes, str] | None:
    stem, _, ext = name.rpartition(".")
    if not stem or _SAFE.sub("", stem) != stem:
        return None
    digest = hashlib.sha256(stem.encode()).digest()
    if ext == "png":
        rgb = (digest[0] // 2 + 40, digest[1] // 2 + 40, digest[2] // 2 + 40)
        return _png(96, 96, rgb), "image/png"
    if ext == "mp4":
        return _mp4_stub(digest), "video/mp4"
    return None
