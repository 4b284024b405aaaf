"""A video's length read from its MP4/QuickTime header (moov/mvhd), wherever the movie box is."""

from __future__ import annotations

import struct

import pytest

from latecal.core.media_probe import video_duration_s


def box(kind: bytes, payload: bytes, *, large: bool = False) -> bytes:
    if large:
        return struct.pack(">I4sQ", 1, kind, 16 + len(payload)) + payload
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mvhd(timescale: int, duration: int, version: int = 0) -> bytes:
    if version == 1:
        body = bytes([1, 0, 0, 0]) + b"\0" * 16 + struct.pack(">IQ", timescale, duration)
    else:
        body = bytes(4) + b"\0" * 8 + struct.pack(">II", timescale, duration)
    return box(b"mvhd", body + b"\0" * 80)


def mp4(path, timescale: int, duration: int, *, version: int = 0, moov_last: bool = False,
        large_mdat: bool = False) -> str:
    ftyp = box(b"ftyp", b"isom\0\0\2\0isomiso2mp41")
    mdat = box(b"mdat", b"\0" * 5000, large=large_mdat)
    moov = box(b"moov", box(b"trak", b"\0" * 40) + mvhd(timescale, duration, version))
    path.write_bytes(ftyp + (mdat + moov if moov_last else moov + mdat))
    return str(path)


@pytest.mark.parametrize(("version", "moov_last", "large_mdat"),
                         [(0, False, False), (0, True, False), (1, True, True), (1, False, False)])
def test_the_length_is_read_from_the_movie_header(tmp_path, version, moov_last, large_mdat):
    path = mp4(tmp_path / "talk.mp4", 600, 600 * 612, version=version, moov_last=moov_last, large_mdat=large_mdat)
    assert video_duration_s(path) == 612.0


@pytest.mark.parametrize("content", [b"", b"not a video at all", b"\0\0\0\x01mdat"])
def test_what_cannot_be_read_has_no_length(tmp_path, content):
    path = tmp_path / "broken.mov"
    path.write_bytes(content)
    assert video_duration_s(str(path)) is None


def test_other_containers_are_not_guessed(tmp_path):
    path = mp4(tmp_path / "clip.webm", 600, 6000)
    assert video_duration_s(path) is None
    assert video_duration_s(str(tmp_path / "missing.mp4")) is None
