"""What the platforms' rules need to know of a video file before it is uploaded: its length.

MP4 and QuickTime files (ISO base media) carry it in the movie header box (``moov/mvhd``): a time scale and a
duration. Only box headers are read, with seeks, so a large file costs a few small reads wherever its ``moov``
is (before or after the media data).
"""

from __future__ import annotations

import struct
from typing import BinaryIO

_CONTAINERS = (".mp4", ".m4v", ".mov")
_MAX_BOXES = 4096  # a damaged file must not keep us reading


def video_duration_s(path: str) -> float | None:
    """The length of an MP4/QuickTime video in seconds; None for other files, or when it cannot be told."""
    if not path.lower().endswith(_CONTAINERS):
        return None
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            moov = _find_box(f, 0, f.tell(), b"moov")
            mvhd = _find_box(f, moov[0], moov[1], b"mvhd") if moov else None
            return _mvhd_duration(f, mvhd[0]) if mvhd else None
    except (OSError, struct.error, ValueError):
        return None


def _find_box(f: BinaryIO, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    """(content start, content end) of the first box of ``kind`` between ``start`` and ``end``."""
    pos = start
    for _ in range(_MAX_BOXES):
        if pos + 8 > end:
            return None
        f.seek(pos)
        size, box = struct.unpack(">I4s", f.read(8))
        header = 8
        if size == 1:  # a 64-bit size follows
            (size,) = struct.unpack(">Q", f.read(8))
            header = 16
        elif size == 0:  # to the end of the file
            size = end - pos
        if size < header:
            return None
        if box == kind:
            return pos + header, min(pos + size, end)
        pos += size
    return None


def _mvhd_duration(f: BinaryIO, start: int) -> float | None:
    f.seek(start)
    version = f.read(4)[0]
    if version == 1:
        f.read(16)  # creation and modification times, 64-bit
        timescale, duration = struct.unpack(">IQ", f.read(12))
    else:
        f.read(8)
        timescale, duration = struct.unpack(">II", f.read(8))
    return duration / timescale if timescale else None
