"""A hostile stand-in for Late on loopback: it answers with what a broken or malicious server could send, and
records every request the app makes (method and raw path, as it arrived on the wire).

Only what the test sets is served: ``routes[(method, path)]`` is a ``Reply`` or a callable taking the request's
query and body and returning one; anything else gets ``default``, a 404 in Late's shape unless the test sets it.
The server runs on a daemon thread (``http.server``, not the app's own stack), so the app meets it exactly as it
would meet Late.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict | list = b""
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode(), "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), self.headers.get("content-type", "application/json")
        return self.body, self.headers.get("content-type", "application/json")


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # the raw request target's path, before any decoding
    query: dict[str, list[str]]
    body: Any


Route = Reply | Callable[[Request], Reply]


class HostileLate:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.default: Reply = Reply(404, {"error": "Not found"})
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:  # quiet: the test reads ``requests``
                pass

            def _serve(self) -> None:
                target = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                request = Request(self.command, target.path, parse_qs(target.query), body)
                with owner._lock:
                    owner.requests.append(request)
                route = owner.routes.get((self.command, target.path), owner.default)
                reply = route(request) if callable(route) else route
                data, content_type = reply.encoded()
                self.send_response(reply.status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(data)))
                for name, value in reply.headers.items():
                    if name.lower() not in ("content-type", "content-length"):
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="hostile-late", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api"

    def __enter__(self) -> HostileLate:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def paths(self, method: str | None = None) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests if method is None or r.method == method]
