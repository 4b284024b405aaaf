"""A small server of the tests' own on loopback, in front of a sandbox: it passes every request through and adds
crafted posts to the first page of every listing of posts, as a Late that sends odd posts would. A plain module
(not a conftest) so any test folder can import it."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from typing import Any

import httpx
import uvicorn

_HOP_BY_HOP = {b"host", b"content-length", b"connection", b"transfer-encoding", b"content-encoding"}


class ListingProxy:
    """``with ListingProxy(sandbox.origin, extra_posts) as proxy``: point a client at ``proxy.base_url``.
    ``extra_posts`` (raw JSON objects) may be changed while it runs."""

    def __init__(self, upstream_origin: str, extra_posts: list[dict[str, Any]]) -> None:
        self.upstream = upstream_origin
        self.extra_posts = extra_posts
        self.listings = 0  # listing pages that carried the extra posts
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(32)
        self._sock.setblocking(False)
        self.port = self._sock.getsockname()[1]
        self._server = uvicorn.Server(uvicorn.Config(self._app, lifespan="off", log_level="warning",
                                                     access_log=False, http="h11", ws="none",
                                                     interface="asgi3"))
        self._thread = threading.Thread(target=lambda: asyncio.run(self._server.serve(sockets=[self._sock])),
                                        name="listing-proxy", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def __enter__(self) -> ListingProxy:
        self._thread.start()
        for _ in range(500):
            if self._server.started:
                return self
            threading.Event().wait(0.01)
        raise RuntimeError("the listing proxy did not start")

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(5)
        self._sock.close()

    async def _app(self, scope: dict, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        query = scope["query_string"].decode()
        url = f"{self.upstream}{scope['path']}" + (f"?{query}" if query else "")
        headers = [(k.decode(), v.decode()) for k, v in scope["headers"] if k.lower() not in _HOP_BY_HOP]
        async with httpx.AsyncClient(timeout=30) as http:
            answer = await http.request(scope["method"], url, headers=headers, content=body)
        content = answer.content
        first_listing_page = (scope["method"] == "GET" and scope["path"] == "/api/v1/posts"
                              and answer.status_code == 200 and "cursor=" not in query)
        if first_listing_page:
            page = answer.json()
            page["posts"] = [*self.extra_posts, *page["posts"]]
            content = json.dumps(page).encode()
            self.listings += 1
        out = [(k.encode(), v.encode()) for k, v in answer.headers.items() if k.lower().encode() not in _HOP_BY_HOP]
        out.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": answer.status_code, "headers": out})
        await send({"type": "http.response.body", "body": content})
