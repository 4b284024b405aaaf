"""Over loopback, to a small server of the test's own that records the raw request lines: deleting posts with
hostile ids sends nothing outside ``/v1/posts/<one segment>``, and the refused ones send nothing at all."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from latecal.late import LateClient
from latecal.late.errors import InvalidPathId


class _Recorder(BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_DELETE(self) -> None:
        self.paths.append(self.path)
        body = b'{"message": "Post deleted successfully"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    paths: list[str] = []
    handler = type("Recorder", (_Recorder,), {"paths": paths})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api", paths
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.asyncio
async def test_hostile_ids_stay_inside_their_post_path(recorder: tuple[str, list[str]]) -> None:
    base_url, paths = recorder
    async with LateClient("sk_test_path_ids", base_url) as client:
        for late_id in (".", "..", "%2e%2E", ""):
            with pytest.raises(InvalidPathId):
                await client.delete_post(late_id)
        assert paths == []  # refused before any request went out
        for late_id in ("%2F", "a/b", "../..", "65f1c0a9e2b5af0012ab34cd"):
            await client.delete_post(late_id)
    assert paths == ["/api/v1/posts/%252F", "/api/v1/posts/a%2Fb", "/api/v1/posts/..%2F..",
                     "/api/v1/posts/65f1c0a9e2b5af0012ab34cd"]
    assert all(p.startswith("/api/v1/posts/") and "/" not in p.removeprefix("/api/v1/posts/") for p in paths)
