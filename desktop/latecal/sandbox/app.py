"""The ASGI application: Late's ``/api/v1`` routes, media routes, and the middleware that gives every response
an ``X-Request-Id``, enforces bearer auth and the rate limit on ``/v1``, counts requests per route and
injects faults. The control routes (``/_sandbox``) come from control.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Message, Receive, Scope, Send

from . import bulk_csv, health, listing, logs, media, posts
from .control import control_routes
from .errors import ApiError, invalid
from .platforms import PLATFORMS
from .queue_routes import QueueApi
from .service import Sandbox
from .state import ORIGIN_TOKEN

log = logging.getLogger(__name__)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
CTX = "latecal.sandbox"


def origin_of(request: Request) -> str:
    host = request.headers.get("host")
    if not host:
        server = request.scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{request.url.scheme}://{host}"


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None,
                  origin: str = "") -> Response:
    # ensure_ascii keeps lone surrogates from client JSON encodable.
    text = json.dumps(payload, separators=(",", ":"))
    if origin:
        text = text.replace(ORIGIN_TOKEN, origin)
    return Response(text, status_code=status, headers=headers, media_type="application/json")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


async def read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        raise invalid("Request body must be a JSON object", code="invalid_json")
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise invalid("Malformed JSON in request body", code="invalid_json") from None


def _endpoint(fn: Any) -> Any:
    """Turn ApiError into Late's error body and ``(status, payload, headers)`` into a JSON response."""

    async def handler(request: Request) -> Response:
        origin = origin_of(request)
        try:
            result = await fn(request)
        except ApiError as exc:
            return json_response(exc.body(), exc.status, exc.headers, origin)
        if isinstance(result, Response):
            return result
        status, payload, headers = result
        return json_response(payload, status, headers, origin)

    handler.__name__ = fn.__name__
    return handler


class Api:
    """Route handlers for ``/api/v1`` and ``/media``, bound to one sandbox."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        self.state = sb.state

    def _pause(self, request: Request) -> Any:
        async def pause(publishing: bool) -> None:
            ctx = request.scope.get(CTX) or {}
            delay = ctx.pop("latency", 0.0)
            if publishing:
                delay += self.sb.config.sync_publish_delay_ms / 1000
            if delay > 0:
                await asyncio.sleep(delay)
            await held(self.sb, ctx)

        return pause

    @staticmethod
    def _post_id(request: Request) -> str:
        post_id = request.path_params["post_id"]
        if not _OBJECT_ID.match(post_id):
            raise ApiError(404, "Post not found")
        return post_id

    async def list_posts(self, request: Request) -> Any:
        return 200, listing.list_posts(self.state, request.query_params.multi_items()), {}

    async def create_post(self, request: Request) -> Any:
        body = await read_json(request)
        headers = {k: request.headers[k] for k in ("idempotency-key", "x-request-id") if k in request.headers}
        return await posts.create(self.state, self.sb.config, body, headers, origin_of(request), self._pause(request))

    async def get_post(self, request: Request) -> Any:
        return posts.get(self.state, self._post_id(request))

    async def update_post(self, request: Request) -> Any:
        post_id = self._post_id(request)
        body = await read_json(request)
        return await posts.update(self.state, self.sb.config, post_id, body, origin_of(request), self._pause(request))

    async def delete_post(self, request: Request) -> Any:
        return posts.delete(self.state, self._post_id(request))

    async def retry_post(self, request: Request) -> Any:
        return await posts.retry(self.state, self.sb.config, self._post_id(request), self._pause(request))

    async def bulk_upload(self, request: Request) -> Any:
        dry = request.query_params.get("dryRun", "false").lower()
        if dry not in ("true", "false", "1", "0", ""):
            raise invalid("dryRun must be true or false", param="dryRun")
        body = await request.body()
        return bulk_csv.bulk_upload(self.state, request.headers.get("content-type", ""), body,
                                    dry_run=dry in ("true", "1"))

    async def logs(self, request: Request) -> Any:
        return 200, logs.list_logs(self.state, request.query_params.multi_items()), {}

    async def accounts(self, request: Request) -> Any:
        q = request.query_params
        status = q.get("status")
        if status is not None and status not in ("connected", "disconnected"):
            raise invalid("status must be connected or disconnected", param="status")
        platform = q.get("platform")
        if platform is not None and platform not in PLATFORMS:
            raise invalid("platform is not a supported platform", param="platform")
        paged = "page" in q or "limit" in q
        limit = listing._int(q["limit"], "limit", 1, 500) if "limit" in q else 500
        page = listing._int(q["page"], "page", 1) if "page" in q else 1
        search = (q.get("search") or "").lower()
        with self.state.lock:
            accs = []
            for acc in self.state.accounts.values():
                connected = acc.get("isActive", True) and not acc.get("needsReconnection")
                if q.get("profileId") and acc.get("profileId") != q["profileId"]:
                    continue
                if platform and acc["platform"] != platform:
                    continue
                if status and connected != (status == "connected"):
                    continue
                hay = f"{acc.get('username', '')} {acc.get('displayName', '')}".lower()
                if search and search not in hay:
                    continue
                accs.append(acc)
            accs.sort(key=lambda a: (a.get("createdAt", ""), a["_id"]))
            total = len(accs)
            chunk = accs[(page - 1) * limit: page * limit]
            out: dict[str, Any] = {"accounts": [self.state.render_account(a) for a in chunk],
                                   "hasAnalyticsAccess": False}
            if paged:
                out["pagination"] = {"page": page, "limit": limit, "total": total, "pages": -(-total // limit)}
            return 200, out, {}

    async def accounts_health(self, request: Request) -> Any:
        q = request.query_params
        status = q.get("status")
        if status is not None and status not in ("healthy", "warning", "error"):
            raise invalid("status must be healthy, warning or error", param="status")
        with self.state.lock:
            now = self.state.now()
            entries = [health.entry(a, now) for a in self.state.accounts.values()
                       if (not q.get("profileId") or a.get("profileId") == q["profileId"])
                       and (not q.get("platform") or a["platform"] == q["platform"])]
            entries = [e for e in entries if status is None or e["status"] == status]
            return 200, {"summary": health.summary(entries), "accounts": entries}, {}

    async def account_health(self, request: Request) -> Any:
        with self.state.lock:
            acc = self.state.accounts.get(request.path_params["account_id"])
            if acc is None:
                raise ApiError(404, "Account not found")
            return 200, health.detail(acc, self.state.now()), {}

    async def profiles(self, request: Request) -> Any:
        with self.state.lock:
            profs = sorted(self.state.profiles.values(),
                           key=lambda p: (not p.get("isDefault"), p.get("createdAt", ""), p["_id"]))
            name = request.query_params.get("name")
            if name is not None:
                profs = [p for p in profs if p.get("name") == name]
            return 200, {"profiles": [self.state.render_profile(p) for p in profs]}, {}

    async def profile(self, request: Request) -> Any:
        with self.state.lock:
            prof = self.state.profiles.get(request.path_params["profile_id"])
            if prof is None:
                raise ApiError(404, "Profile not found")
            return 200, {"profile": self.state.render_profile(prof)}, {}

    async def presign(self, request: Request) -> Any:
        return 200, media.presign(self.state, await read_json(request), origin_of(request)), {}

    async def upload(self, request: Request) -> Any:
        etag = media.store_upload(self.state, request.path_params["key"], request.headers.get("content-type"),
                                  await request.body())
        return Response(b"", status_code=200, headers={"ETag": f'"{etag}"'})

    async def media_file(self, request: Request) -> Any:
        found = media.fetch(self.state, request.path_params["key"])
        if found is None:
            raise ApiError(404, "Media not found")
        data, content_type = found
        return Response(data, media_type=content_type, headers={"Cache-Control": "public, max-age=3600"})

    def routes(self) -> list[Route]:
        e = _endpoint
        return [
            Route("/api/v1/posts", e(self.list_posts), methods=["GET"]),
            Route("/api/v1/posts", e(self.create_post), methods=["POST"]),
            Route("/api/v1/posts/bulk-upload", e(self.bulk_upload), methods=["POST"]),
            Route("/api/v1/posts/{post_id}", e(self.get_post), methods=["GET"]),
            Route("/api/v1/posts/{post_id}", e(self.update_post), methods=["PUT"]),
            Route("/api/v1/posts/{post_id}", e(self.delete_post), methods=["DELETE"]),
            Route("/api/v1/posts/{post_id}/retry", e(self.retry_post), methods=["POST"]),
            Route("/api/v1/logs", e(self.logs), methods=["GET"]),
            Route("/api/v1/accounts", e(self.accounts), methods=["GET"]),
            Route("/api/v1/accounts/health", e(self.accounts_health), methods=["GET"]),
            Route("/api/v1/accounts/{account_id}/health", e(self.account_health), methods=["GET"]),
            Route("/api/v1/profiles", e(self.profiles), methods=["GET"]),
            Route("/api/v1/profiles/{profile_id}", e(self.profile), methods=["GET"]),
            *QueueApi(self.state, read_json).routes(e),
            Route("/api/v1/media/presign", e(self.presign), methods=["POST"]),
            Route("/media/upload/{key:path}", e(self.upload), methods=["PUT"]),
            Route("/media/{key:path}", e(self.media_file), methods=["GET"]),
        ]


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    message = {404: "Not found", 405: "Method not allowed"}.get(status, "Request failed")
    return json_response({"error": message}, status)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("sandbox handler crashed", exc_info=exc)
    return json_response({"error": "Internal server error", "type": "api_error"}, 500)


def build_app(sb: Sandbox) -> SandboxMiddleware:
    inner = Starlette(
        routes=[*Api(sb).routes(), *control_routes(sb)],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    return SandboxMiddleware(inner, sb)


async def held(sb: Sandbox, ctx: dict[str, Any]) -> None:
    """Wait while a hold (holds.py) has this request; at most once per request."""
    hold_id = ctx.pop("hold", None)
    if hold_id is not None:
        await sb.holds.wait(hold_id)


def _error_body(status: int) -> dict[str, Any]:
    if status == 429:
        return {"error": "Too many requests", "type": "rate_limit_error", "code": "rate_limit_exceeded"}
    if status == 502:
        return {"error": "Upstream failure", "type": "api_error", "code": "upstream_failure"}
    if status == 503:
        return {"error": "Service temporarily unavailable", "type": "api_error", "code": "temporarily_unavailable"}
    if status >= 500:
        return {"error": "Internal server error", "type": "api_error"}
    return {"error": "Request failed (injected fault)", "type": "invalid_request_error"}


class SandboxMiddleware:
    """Outermost ASGI layer; works on raw messages so it can delay, truncate or drop a response."""

    def __init__(self, app: Starlette, sb: Sandbox) -> None:
        self.app = app
        self.sb = sb

    def _route_name(self, scope: Scope) -> str:
        for route in self.app.routes:
            match, _ = route.matches(scope)
            if match is not Match.NONE:
                path = getattr(route, "path", scope["path"])
                return f"{scope['method']} {path.removeprefix('/api')}"
        return f"{scope['method']} <unmatched>"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        incoming = headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else str(uuid.uuid4())
        extra = {"X-Request-Id": request_id}
        path: str = scope["path"]
        if path.startswith("/_sandbox"):
            status, out_headers, body = await self._run(scope, receive)
            await self._send(send, status, out_headers, body, extra)
            return

        method: str = scope["method"]
        rel = path.removeprefix("/api")
        self.sb.count_request(self._route_name(scope))
        fired = self.sb.faults.select(method, rel)
        latency = (self.sb.config.latency_ms + fired.get("latency", {}).get("latencyMs", 0)) / 1000
        ctx = {"latency": latency, "hold": self.sb.holds.match(method, rel)}
        scope[CTX] = ctx
        is_v1 = path.startswith("/api/v1/")

        early: tuple[int, dict[str, Any], dict[str, str]] | None = None
        drop = fired.get("drop")
        status_fault = fired.get("status")
        if "rate_limit" in fired:
            early = (429, _error_body(429), {"Retry-After": str(fired["rate_limit"]["retryAfter"]),
                                             "X-RateLimit-Remaining": "0"})
        elif status_fault and not status_fault["processed"]:
            early = (status_fault["status"], _error_body(status_fault["status"]), {})
            if "retryAfter" in status_fault:
                early[2]["Retry-After"] = str(status_fault["retryAfter"])
        elif drop and not drop["processed"]:
            await asyncio.sleep(latency)
            await held(self.sb, ctx)
            await self._drop(send)
            return
        if is_v1:
            auth = headers.get("authorization", "")
            token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
            limit = self.sb.config.effective_rpm
            if token in self.sb.api_keys and early is None:
                allowed, rl = self.sb.limiter.hit(token, limit)
                if not allowed:
                    early = (429, {"error": "Rate limit exceeded. Retry after the Retry-After interval.",
                                   "type": "rate_limit_error", "code": "rate_limit_exceeded"}, {})
            else:
                rl = self.sb.limiter.peek(token, limit)
                if early is None and token not in self.sb.api_keys:
                    early = (401, {"error": "Unauthorized", "type": "authentication_error",
                                   "code": "invalid_credentials"}, {})
            for key, value in rl.items():
                extra.setdefault(key, value)
        if early is not None:
            status, payload, more = early
            extra.update(more)
            await asyncio.sleep(latency)
            await held(self.sb, ctx)
            await self._send(send, status, [], json.dumps(payload).encode(), extra, fired)
            return

        status, out_headers, body = await self._run(scope, receive)
        if ctx.get("latency", 0) > 0:
            await asyncio.sleep(ctx["latency"])
        await held(self.sb, ctx)  # routes that never paused are held here, before their answer
        if status_fault and status_fault["processed"]:
            status, out_headers = status_fault["status"], []
            body = json.dumps(_error_body(status)).encode()
            if "retryAfter" in status_fault:
                extra["Retry-After"] = str(status_fault["retryAfter"])
        if drop and drop["phase"] == "before_response":
            await self._drop(send)
            return
        await self._send(send, status, out_headers, body, extra, fired)

    async def _run(self, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive, capture)
        except Exception:
            log.exception("sandbox request crashed")
            return 500, [], json.dumps({"error": "Internal server error", "type": "api_error"}).encode()
        if not start:
            return 500, [], json.dumps({"error": "Internal server error", "type": "api_error"}).encode()
        return start["status"], list(start.get("headers", [])), b"".join(chunks)

    async def _send(self, send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes,
                    extra: dict[str, str], fired: dict[str, dict[str, Any]] | None = None) -> None:
        fired = fired or {}
        if "malformed" in fired and body:
            body = body[: max(1, len(body) // 2)]  # still labelled JSON, no longer parseable
        names = {k.lower() for k in extra}
        out = [(k, v) for k, v in headers if k.decode().lower() not in names | {"content-length"}]
        if not any(k.lower() == b"content-type" for k, _ in out):
            out.append((b"content-type", b"application/json"))
        length = dict(headers).get(b"content-length") if not fired.get("malformed") else None
        out.append((b"content-length", length or str(len(body)).encode()))
        out += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
        await send({"type": "http.response.start", "status": status, "headers": out})
        drop = fired.get("drop")
        slow = fired.get("slow_body")
        if drop and drop["phase"] == "mid_body":
            await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
            await self._drop(send)
            return
        if slow and body:
            size = -(-len(body) // slow["chunks"])
            for i in range(0, len(body), size):
                await asyncio.sleep(slow["chunkDelayMs"] / 1000)  # headers first, then each piece late
                last = i + size >= len(body)
                await send({"type": "http.response.body", "body": body[i:i + size], "more_body": not last})
            return
        await send({"type": "http.response.body", "body": body, "more_body": False})

    @staticmethod
    async def _drop(send: Send) -> None:
        """Close the TCP connection under the request (uvicorn's send is bound to its cycle, which has it)."""
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is None:
            raise ConnectionAbortedError("sandbox fault: dropped connection")
        transport.close()
        for _ in range(3):  # let connection_lost run so uvicorn knows not to answer
            await asyncio.sleep(0)
