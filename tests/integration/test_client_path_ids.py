"""Over loopback, to a server of the test's own that records the raw request paths: deleting posts with hostile
ids sends nothing outside ``/v1/posts/<one segment>``, and the refused ones send nothing at all."""

from __future__ import annotations

import pytest

from hostile.hostile_late import HostileLate, Reply
from latecal.late import LateClient
from latecal.late.errors import InvalidPathId


@pytest.mark.asyncio
async def test_hostile_ids_stay_inside_their_post_path() -> None:
    with HostileLate() as server:
        server.default = Reply(200, {"message": "Post deleted successfully"})
        async with LateClient("sk_test_path_ids", server.base_url) as client:
            for late_id in (".", "..", "%2e%2E", ""):
                with pytest.raises(InvalidPathId):
                    await client.delete_post(late_id)
            assert server.paths() == []  # refused before any request went out
            for late_id in ("%2F", "a/b", "../..", "65f1c0a9e2b5af0012ab34cd"):
                await client.delete_post(late_id)
        paths = server.paths("DELETE")
    assert paths == ["/api/v1/posts/%252F", "/api/v1/posts/a%2Fb", "/api/v1/posts/..%2F..",
                     "/api/v1/posts/65f1c0a9e2b5af0012ab34cd"]
    assert all(p.startswith("/api/v1/posts/") and "/" not in p.removeprefix("/api/v1/posts/") for p in paths)
