"""Media: presign, then a streaming PUT to the storage URL without the bearer token; progress and cancel."""

from __future__ import annotations

import asyncio
import io
import itertools
import json

import httpx
import pytest
from test_client_support import API_KEY, Script, make_client, reply

from latecal.late.errors import LateForbidden, LateServerError, MalformedResponse, UploadCancelled
from latecal.late.media_upload import CHUNK_SIZE, UploadSource, guess_content_type

UPLOAD_URL = "https://storage.example.com/temp/123_clip.mp4?X-Amz-Signature=s3cr3tsig&X-Amz-Expires=3600"
PUBLIC_URL = "https://media.zernio.com/temp/123_clip.mp4"
PRESIGN = {"uploadUrl": UPLOAD_URL, "publicUrl": PUBLIC_URL, "key": "temp/123_clip.mp4", "expiresIn": 3600}


@pytest.fixture
def video(tmp_path):
    path = tmp_path / "clip.mp4"
    data = bytes(range(256)) * (CHUNK_SIZE * 2 // 256 + 100)  # a little over two chunks
    path.write_bytes(data)
    return path, data


@pytest.mark.asyncio
async def test_upload_media_presigns_then_puts_without_authorization(video):
    path, data = video
    script = Script(reply(200, PRESIGN), httpx.Response(200))
    client, _ = make_client(script)
    progress: list[tuple[int, int]] = []
    async with client:
        uploaded = await client.upload_media(str(path), progress=lambda sent, total: progress.append((sent, total)))
    presign, put = script.requests
    assert presign.method == "POST"
    assert presign.url.path == "/api/v1/media/presign"
    assert presign.headers["Authorization"] == f"Bearer {API_KEY}"
    assert json.loads(presign.content) == {"filename": "clip.mp4", "contentType": "video/mp4", "size": len(data)}
    assert put.method == "PUT"
    assert str(put.url) == UPLOAD_URL
    assert "authorization" not in put.headers
    assert API_KEY not in str(put.headers.raw)
    assert put.headers["content-type"] == "video/mp4"
    assert put.headers["content-length"] == str(len(data))
    assert "transfer-encoding" not in put.headers
    assert script.bodies[1] == data
    assert (uploaded.public_url, uploaded.key, uploaded.size, uploaded.content_type, uploaded.filename) == (
        PUBLIC_URL, "temp/123_clip.mp4", len(data), "video/mp4", "clip.mp4")
    # progress: starts at 0, grows chunk by chunk (never more than one chunk at a time), ends at the total
    assert progress[0] == (0, len(data))
    assert progress[-1] == (len(data), len(data))
    steps = [b[0] - a[0] for a, b in itertools.pairwise(progress)]
    assert len(steps) == 3
    assert all(0 < s <= CHUNK_SIZE for s in steps)
    assert client.stats.http_calls == 2


@pytest.mark.asyncio
async def test_upload_from_an_open_file_object_with_explicit_type():
    script = Script(reply(200, PRESIGN), httpx.Response(200))
    client, _ = make_client(script)
    payload = b"\x89PNG....."
    async with client:
        uploaded = await client.upload_media(io.BytesIO(payload), "image/png", filename="shot.png")
    assert json.loads(script.bodies[0]) == {"filename": "shot.png", "contentType": "image/png", "size": len(payload)}
    assert script.bodies[1] == payload
    assert uploaded.size == len(payload)


@pytest.mark.asyncio
async def test_cancel_mid_upload_stops_sending(video):
    path, data = video
    cancel = asyncio.Event()
    script = Script(reply(200, PRESIGN), httpx.Response(200))
    client, _ = make_client(script)
    seen: list[int] = []

    def progress(sent: int, total: int) -> None:
        seen.append(sent)
        if sent >= CHUNK_SIZE:
            cancel.set()

    async with client:
        with pytest.raises(UploadCancelled):
            await client.upload_media(path, progress=progress, cancel=cancel)
    assert script.count == 1  # the presign only: the PUT never completed
    assert max(seen) < len(data)
    assert client.stats.retries == 0


@pytest.mark.asyncio
async def test_cancel_before_start_sends_nothing(video):
    path, _ = video
    cancel = asyncio.Event()
    cancel.set()
    script = Script()
    client, _ = make_client(script)
    async with client:
        with pytest.raises(UploadCancelled):
            await client.upload_media(path, cancel=cancel)
    assert script.count == 0


@pytest.mark.asyncio
async def test_storage_5xx_is_retried_from_the_start(video):
    path, data = video
    script = Script(reply(200, PRESIGN), httpx.Response(503, text="<Error>SlowDown</Error>"), httpx.Response(200))
    client, sleeps = make_client(script)
    async with client:
        await client.upload_media(path)
    assert script.count == 3
    assert sleeps.calls == [0.5]
    assert script.bodies[1] == data
    assert script.bodies[2] == data
    assert "authorization" not in script.requests[2].headers


@pytest.mark.asyncio
async def test_storage_error_hides_the_signed_query(caplog):
    script = Script(reply(200, PRESIGN), httpx.Response(403, text="<Error>Request has expired</Error>"))
    client, _ = make_client(script)
    async with client:
        with pytest.raises(LateForbidden) as info:
            await client.upload_media(io.BytesIO(b"x"), "video/mp4", filename="c.mp4")
    assert info.value.status == 403
    assert "Request has expired" in str(info.value)
    assert "s3cr3tsig" not in str(info.value)
    assert all("s3cr3tsig" not in r.getMessage() for r in caplog.records)


@pytest.mark.asyncio
async def test_non_seekable_stream_is_not_resent():
    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self._data = io.BytesIO(b"abc")

        def readable(self) -> bool:
            return True

        def readinto(self, b):  # type: ignore[override]
            chunk = self._data.read(len(b))
            b[: len(chunk)] = chunk
            return len(chunk)

    script = Script(reply(200, PRESIGN), httpx.Response(500))
    client, _ = make_client(script)
    async with client:
        with pytest.raises(LateServerError):
            await client.upload_media(Pipe(), "video/mp4", filename="p.mp4")
    assert script.count == 2
    presign = json.loads(script.bodies[0])
    assert "size" not in presign


@pytest.mark.asyncio
async def test_presign_with_insecure_upload_url_is_refused():
    script = Script(reply(200, dict(PRESIGN, uploadUrl="http://storage.example.com/x")))
    client, _ = make_client(script)
    async with client:
        with pytest.raises(MalformedResponse):
            await client.presign_media("a.mp4", "video/mp4", 3)


@pytest.mark.asyncio
async def test_presign_missing_urls_is_malformed():
    client, _ = make_client(Script(reply(200, {"key": "k"})))
    async with client:
        with pytest.raises(MalformedResponse):
            await client.presign_media("a.mp4", "video/mp4")


def test_guess_content_type():
    assert guess_content_type("a.JPG") == "image/jpeg"
    assert guess_content_type("b.mp4") == "video/mp4"
    assert guess_content_type("c.mov") == "video/quicktime"
    assert guess_content_type("d.pdf") == "application/pdf"
    assert guess_content_type("e.vtt") == "text/vtt"
    for bad in ("f.exe", "noext", "g.bin"):
        with pytest.raises(ValueError):
            guess_content_type(bad)


def test_upload_source_from_path_is_closed(tmp_path):
    path = tmp_path / "x.png"
    path.write_bytes(b"12345")
    src = UploadSource(path)
    assert (src.filename, src.size, src.rewindable) == ("x.png", 5, True)
    src.close()
    assert src._file.closed
