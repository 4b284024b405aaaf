"""The async Late client: one pooled ``httpx.AsyncClient`` for the app's lifetime (late-api.md §9).

Every call gets an ``x-request-id`` (one per logical call, reused by its retries) and goes through one
retry loop (``retry.py``) that honours Late's rate-limit headers and never repeats a call that could act
twice. The bearer token is attached per request by an auth object, so it is in no default header, never
sent to the media storage URL and never in a repr, message or log line.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, BinaryIO

import httpx

from latecal import __version__
from latecal.core.links import link_refusal
from latecal.core.models import Account, Post, Profile
from latecal.core.queue_slots import QueueSchedule, WeeklySlot
from latecal.late import bounded_json, queues, wire
from latecal.late.errors import (
    LateConnectionError,
    LateError,
    LateHTTPError,
    LateNetworkError,
    LateRateLimited,
    LateTimeout,
    MalformedResponse,
    UploadCancelled,
    WireError,
    error_class,
)
from latecal.late.health import AccountHealth, health_from_json
from latecal.late.listing import PAGE_LIMIT, list_params, parse_posts
from latecal.late.logs import LOGS_PAGE_LIMIT, LogEntry, log_page_from_json
from latecal.late.media_upload import CancelFlag, Progress, UploadSource, guess_content_type
from latecal.late.path_ids import path_segment
from latecal.late.queues import QueueUpdate
from latecal.late.ratelimit import RateLimitInfo, Throttle, parse_retry_after
from latecal.late.results import (
    BadPost,
    BulkUploadResult,
    CreateOutcome,
    CreateResult,
    DeleteResult,
    PostPage,
    PresignedUpload,
    QueueSlot,
    RetryResult,
    UpdateResult,
    UploadedMedia,
)
from latecal.late.retry import (
    NOT_SENT_ERRORS,
    RetryPolicy,
    Safety,
    retry_on_exception,
    retry_on_malformed,
    retry_on_status,
)
from latecal.late.urls import PRODUCTION_BASE_URL, check_secure_url, normalise_base_url, redact_url
from latecal.threads import in_worker

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
PUBLISH_TIMEOUT = 300.0  # inline publishes run inside the request; one took 222 s (§2.6)
CONNECT_TIMEOUT = 10.0
UPLOAD_TIMEOUT = httpx.Timeout(120.0, connect=CONNECT_TIMEOUT)
POOL_LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=10, keepalive_expiry=120.0)
# an error page's first words are enough for a message; a huge one is not scanned whole
_SNIPPET_SOURCE = 64 * 1024
#: why an answer could not be read, for a person (``MalformedResponse.plain``)
TOO_LARGE = f"Late's answer is too large to read (over {bounded_json.MAX_BYTES // (1024 * 1024)} MB)"
TOO_DEEP = "Late's answer is nested too deeply to read"
# A scheduledFor this close to now publishes inside the request like publishNow (§2.6).
_INLINE_PUBLISH_MARGIN_S = 60.0

# snake_case filter → Late query parameter (§2.2); anything else is a TypeError, not a server 400.


#: an account picture larger than this is not one (Late's are small thumbnails)
MAX_PICTURE_BYTES = 2 * 1024 * 1024

class _BearerAuth(httpx.Auth):
    def __init__(self, api_key: str) -> None:
        self._api_key = api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._api_key}"
        yield request

    def __repr__(self) -> str:
        return "_BearerAuth(<redacted>)"


@dataclass(slots=True)
class ClientStats:
    http_calls: int = 0  # HTTP requests attempted, retries and media PUTs included
    retries: int = 0
    throttle_waits: int = 0  # proactive waits because X-RateLimit-Remaining reached 0
    waited_s: float = 0.0  # total time slept by retries and throttling

    def reset(self) -> None:
        self.http_calls = self.retries = self.throttle_waits = 0
        self.waited_s = 0.0


@dataclass(slots=True)
class _Reply:
    status: int
    body: dict | None
    headers: httpx.Headers
    request_id: str
    gone: bool = False  # DELETE only: 404 after an earlier attempt may already have deleted it


class LateClient:
    """Typed async access to the Late endpoints the calendar uses. Use ``async with`` or ``await aclose()``."""

    def __init__(
        self,
        api_key: str,
        base_url: str = PRODUCTION_BASE_URL,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        publish_timeout: float = PUBLISH_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        max_retries: int = 4,
        retry_policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
    ) -> None:
        if not isinstance(api_key, str) or not api_key or any(c.isspace() or ord(c) < 32 for c in api_key):
            raise ValueError("the API key is empty or contains whitespace/control characters")
        self._base = normalise_base_url(base_url)
        self._api_key = api_key
        self._auth = _BearerAuth(api_key)
        self._timeout = httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
        self._publish_timeout = httpx.Timeout(publish_timeout, connect=min(CONNECT_TIMEOUT, publish_timeout))
        self._policy = retry_policy or RetryPolicy(max_retries=max_retries)
        self._sleep = sleep
        self._clock = clock
        self._random = rand  # jitter source; injectable for deterministic tests
        self._throttle = Throttle(clock)
        # Each account's platform, as last listed: a post's target Late sends without ``platform`` takes its
        # account's (the sync lists the accounts before it first pulls, and again every few minutes).
        self._account_platforms: dict[str, str] = {}
        self.stats = ClientStats()
        # No auth on the client itself: only API requests carry the token (see _call), uploads never do.
        self._http = httpx.AsyncClient(
            transport=transport,
            limits=POOL_LIMITS,
            timeout=self._timeout,
            headers={"User-Agent": f"latecal/{__version__}", "Accept": "application/json"},
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"LateClient(base_url={self._base!r})"

    @property
    def base_url(self) -> str:
        return self._base

    @property
    def closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> LateClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------------------------------ posts

    async def iter_posts(self, **filters: Any) -> AsyncIterator[PostPage]:
        """Pages of posts matching ``filters`` (see ``POST_FILTERS``), ``limit=500``, cursor paging.

        Posts that cannot be mapped land in ``page.bad`` instead of failing the page. Falls back to page
        numbers when Late gives no cursor (sortBy=status|platform). ``page.last`` marks a complete listing.
        """
        params = list_params(filters)
        cursor: str | None = None
        seen_cursors: set[str] = set()
        page_no = 1
        number = 0
        read = 0  # posts Late sent so far, readable or not
        while True:
            query = {**params, "limit": PAGE_LIMIT}
            if cursor is not None:
                query["cursor"] = cursor
            elif page_no > 1:
                query["page"] = page_no
            # A 500-post page read and mapped on the loop's thread held the window for 10-30 ms: both in a worker.
            reply = await self._call("GET", "/v1/posts", Safety.IDEMPOTENT, params=query, decode_off_loop=True)
            body = reply.body or {}
            raw_posts = body.get("posts")
            if not isinstance(raw_posts, list):
                raise MalformedResponse("GET /v1/posts: no posts list in the body", status=reply.status,
                                        request_id=reply.request_id)
            posts, bad = await in_worker(self._read_page, raw_posts)
            pagination = body.get("pagination") if isinstance(body.get("pagination"), dict) else {}
            next_cursor = pagination.get("nextCursor") if isinstance(pagination.get("nextCursor"), str) else None
            number += 1
            more = False
            if next_cursor:
                if next_cursor in seen_cursors:
                    raise MalformedResponse("GET /v1/posts: the cursor repeats", request_id=reply.request_id)
                seen_cursors.add(next_cursor)
                cursor, more = next_cursor, True
            elif cursor is None and raw_posts:
                # Never mixed with cursors: a cursor page's "page" field need not count pages.
                pages = pagination.get("pages")
                if isinstance(pages, int) and page_no < pages:
                    page_no, more = page_no + 1, True
            total = pagination.get("total") if isinstance(pagination.get("total"), int) else None
            read += len(raw_posts)
            # A listing that ends short of the total Late gave for it was cut off (a page came back empty or
            # short): it is not complete, so nothing missing from it may be taken as deleted.
            yield PostPage(posts=posts, bad=bad, page_number=number, total=total, next_cursor=next_cursor,
                           last=not more and (total is None or read >= total))
            if not more:
                return

    def _read_page(self, raw_posts: list[Any]) -> tuple[list[Post], list[BadPost]]:
        posts, bad = parse_posts(raw_posts)
        return [wire.with_account_platforms(p, self._account_platforms) for p in posts], bad

    async def get_post(self, late_id: str) -> Post:
        reply = await self._call("GET", _post_path(late_id), Safety.IDEMPOTENT)
        return self._post_in(reply, "GET /v1/posts/{id}")

    async def create_post(self, body: dict, *, idempotency_key: str) -> CreateResult:
        """``POST /v1/posts`` with the post's persisted Idempotency-Key, retried safely (§2.7)."""
        if not idempotency_key or len(idempotency_key) > 255:
            raise ValueError("idempotency_key must be 1-255 characters (§1)")
        reply = await self._call("POST", "/v1/posts", Safety.KEYED, json_body=body,
                                 headers={"Idempotency-Key": idempotency_key}, timeout=self._timeout_for(body))
        data = reply.body or {}
        common = {"status_code": reply.status, "request_id": reply.request_id, "raw": data,
                  "message": _str(data.get("message"))}
        # 202 and dry runs carry no post (§2.6); everything else must.
        if reply.status == 202:
            post_id = _str(data.get("postId")) or _str(wire.dig(data, "post", "_id"))
            if not post_id:
                raise MalformedResponse("POST /v1/posts: 202 without postId", status=202, request_id=reply.request_id)
            return CreateResult(outcome=CreateOutcome.ACCEPTED, post_id=post_id, post=None, **common)
        if data.get("dryRun") is True and "post" not in data:
            return CreateResult(outcome=CreateOutcome.DRY_RUN, post_id=None, post=None, **common)
        post = self._post_in(reply, "POST /v1/posts")
        outcome = {200: CreateOutcome.REPLAYED, 207: CreateOutcome.INCOMPLETE}.get(reply.status, CreateOutcome.CREATED)
        return CreateResult.from_body(reply.status, data, outcome, post, reply.request_id)

    async def update_post(self, late_id: str, body: dict) -> UpdateResult:
        """``PUT /v1/posts/{id}`` (partial body). Never resent after a server error or a dropped connection:
        Late has no conditional update, so a resend seconds later could overwrite a teammate's change made
        meanwhile; the sync engine sends it again after its next pull, which turns such a change into a
        conflict (and a PUT that publishes inline must not go twice anyway)."""
        inline = self._publishes_inline(body)
        reply = await self._call("PUT", _post_path(late_id), Safety.UNSAFE, json_body=body,
                                 timeout=self._publish_timeout if inline else None)
        post = self._post_in(reply, "PUT /v1/posts/{id}")
        return UpdateResult.from_body(reply.status, reply.body or {}, post, reply.request_id)

    async def delete_post(self, late_id: str) -> DeleteResult:
        reply = await self._call("DELETE", _post_path(late_id), Safety.IDEMPOTENT, gone_ok=True)
        return DeleteResult(message=_str((reply.body or {}).get("message")), already_gone=reply.gone)

    async def retry_post(self, late_id: str) -> RetryResult:
        """``POST /v1/posts/{id}/retry``: republishes synchronously, so it is never resent once it may have run."""
        reply = await self._call("POST", _post_path(late_id, "/retry"), Safety.UNSAFE,
                                 timeout=self._publish_timeout)
        post = self._post_in(reply, "POST /v1/posts/{id}/retry")
        return RetryResult.from_body(reply.status, reply.body or {}, post, reply.request_id)

    async def bulk_upload(self, csv_bytes: bytes, *, dry_run: bool = False,
                          filename: str = "posts.csv") -> BulkUploadResult:
        """CSV import (§2.11). A dry run persists nothing, so only it may be resent after a timeout."""
        reply = await self._call(
            "POST", "/v1/posts/bulk-upload", Safety.IDEMPOTENT if dry_run else Safety.UNSAFE,
            params={"dryRun": "true"} if dry_run else None,
            files={"file": (filename, csv_bytes, "text/csv")}, timeout=self._publish_timeout,
        )
        return BulkUploadResult.from_body(reply.status, reply.body or {})

    # ------------------------------------------------------------------------------------------ media

    async def presign_media(self, filename: str, content_type: str, size: int | None = None) -> PresignedUpload:
        payload: dict[str, Any] = {"filename": filename, "contentType": content_type}
        if size is not None:
            payload["size"] = size
        reply = await self._call("POST", "/v1/media/presign", Safety.UNSAFE, json_body=payload)
        data = reply.body or {}
        upload_url = _str(data.get("uploadUrl"))
        public_url = _str(data.get("publicUrl")) or _str(data.get("fileUrl"))  # older docs: fileUrl
        if not upload_url or not public_url:
            raise MalformedResponse("POST /v1/media/presign: uploadUrl/publicUrl missing",
                                    status=reply.status, request_id=reply.request_id)
        try:
            check_secure_url(upload_url)
        except ValueError as exc:
            raise MalformedResponse(f"POST /v1/media/presign: unusable uploadUrl ({exc})",
                                    request_id=reply.request_id) from None
        expires = data.get("expiresIn")
        return PresignedUpload(upload_url=upload_url, public_url=public_url, key=_str(data.get("key")),
                               expires_in=expires if isinstance(expires, int) else None)

    async def upload_media(
        self,
        source: str | os.PathLike[str] | BinaryIO,
        content_type: str | None = None,
        *,
        filename: str | None = None,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> UploadedMedia:
        """Presign, then stream ``source`` (a path or binary file) to the upload URL in chunks.

        ``progress(sent, total)`` is called as bytes go out (total is -1 when unknown). Setting ``cancel``
        aborts with ``UploadCancelled``. The PUT carries no Authorization header: the storage host is not Late.
        """
        upload = UploadSource(source, filename=filename)
        try:
            if cancel is not None and cancel.is_set():
                raise UploadCancelled(f"upload of {upload.filename!r} cancelled before it started")
            ctype = content_type or guess_content_type(upload.filename)
            presigned = await self.presign_media(upload.filename, ctype, upload.size)
            await self.put_upload(presigned.upload_url, upload, ctype, progress=progress, cancel=cancel)
        finally:
            upload.close()
        return UploadedMedia(public_url=presigned.public_url, key=presigned.key, filename=upload.filename,
                             content_type=ctype, size=upload.size)

    async def put_upload(self, upload_url: str, upload: UploadSource, content_type: str, *,
                         progress: Progress | None = None, cancel: CancelFlag | None = None) -> None:
        check_secure_url(upload_url)
        headers = {"Content-Type": content_type}
        if upload.size is not None:
            headers["Content-Length"] = str(upload.size)  # presigned PUTs want a length, not chunked encoding
        attempts = 0

        async def send() -> httpx.Response:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                upload.rewind()
            request = self._http.build_request("PUT", upload_url, headers=headers, timeout=UPLOAD_TIMEOUT,
                                               content=upload.chunks(progress, cancel))
            return await self._http.send(request)  # the client has no auth: nothing to strip

        # A stream we cannot rewind cannot be sent twice.
        policy = self._policy if upload.rewindable else replace(self._policy, max_retries=0)
        await self._exchange("PUT", redact_url(upload_url), send, Safety.IDEMPOTENT, str(uuid.uuid4()),
                             expect_json=False, policy=policy)

    # ------------------------------------------------------------------------------------------ accounts

    async def fetch_picture(self, url: str, *, limit: int = MAX_PICTURE_BYTES) -> bytes:
        """An account's picture (Late's ``profilePicture``): https to a public host only (``core.links``), never
        with the API key (only API calls carry it), no redirects, at most ``limit`` bytes of an image."""
        if not url.lower().startswith("https://") or link_refusal(url) is not None:
            raise ValueError("not an https link to a public host")
        async with self._http.stream("GET", url, headers={"Accept": "image/*"}) as response:
            if response.status_code != 200:
                raise httpx.HTTPStatusError("no picture", request=response.request, response=response)
            if not response.headers.get("content-type", "").lower().startswith("image/"):
                raise ValueError("not an image")
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > limit:
                    raise ValueError("picture too large")
            return bytes(data)

    async def list_accounts(self, *, profile_id: str | None = None, platform: str | None = None) -> list[Account]:
        """Every account within the plan (no paging params → all; cursor pages followed if Late sends one)."""
        params = {k: v for k, v in (("profileId", profile_id), ("platform", platform)) if v}
        items = await self._collect("/v1/accounts", "accounts", params)
        accounts = _map_skipping(items, wire.account_from_json, "account")
        self._account_platforms.update((a.id, a.platform) for a in accounts)
        return accounts

    async def account_health(self) -> dict[str, AccountHealth] | None:
        """Late's health check of every account (§10), by account id; None when this Late has no such endpoint
        (then ``isActive`` / ``needsReconnection`` of the accounts list are all there is)."""
        try:
            reply = await self._call("GET", "/v1/accounts/health", Safety.IDEMPOTENT)
        except LateHTTPError as exc:
            if exc.status in (404, 405, 501):
                return None
            raise
        return health_from_json(reply.body)

    async def publishing_logs(self, since: datetime, *, max_pages: int = 5) -> tuple[list[LogEntry], bool] | None:
        """Late's publishing outcomes since ``since`` (§10 logs feed), newest first, and whether that is all of
        them (False after ``max_pages`` pages); None when this Late has no logs feed for this key (absent, not in
        the plan, or our query not understood)."""
        entries: list[LogEntry] = []
        for page_no in range(max_pages):
            params = {"type": "publishing", "from": wire.format_time(since), "limit": LOGS_PAGE_LIMIT,
                      "skip": page_no * LOGS_PAGE_LIMIT}
            try:
                reply = await self._call("GET", "/v1/logs", Safety.IDEMPOTENT, params=params)
            except LateHTTPError as exc:
                if exc.status in (400, 403, 404, 405, 422, 501):
                    return None
                raise
            page = log_page_from_json(reply.body, LOGS_PAGE_LIMIT)
            entries += page.entries
            if not page.has_more:
                return entries, True
        return entries, False

    async def list_profiles(self) -> list[Profile]:
        reply = await self._call("GET", "/v1/profiles", Safety.IDEMPOTENT)
        items = (reply.body or {}).get("profiles")
        if not isinstance(items, list):
            raise MalformedResponse("GET /v1/profiles: no profiles list", request_id=reply.request_id)
        return _map_skipping(items, wire.profile_from_json, "profile")

    async def next_queue_slot(self, profile_id: str, *, queue_id: str | None = None) -> QueueSlot:
        """Preview of the queue's next free slot. To queue a post, create it with ``queuedFromProfile`` (§5)."""
        if not profile_id:
            raise ValueError("profile_id is required")
        params = {"profileId": profile_id, **({"queueId": queue_id} if queue_id else {})}
        reply = await self._call("GET", "/v1/queue/next-slot", Safety.IDEMPOTENT, params=params)
        data = reply.body or {}
        try:
            slot = wire.parse_time(data.get("nextSlot"))
        except (ValueError, OverflowError):
            raise MalformedResponse("GET /v1/queue/next-slot: unparseable nextSlot",
                                    request_id=reply.request_id) from None
        return QueueSlot(profile_id=_str(data.get("profileId")) or profile_id, next_slot=slot,
                         timezone=_str(data.get("timezone")) or None, queue_id=_str(data.get("queueId")) or None,
                         queue_name=_str(data.get("queueName")) or None)

    async def list_queues(self, profile_id: str) -> list[QueueSchedule]:
        """Every queue of a profile, in one call (``all=true``); queues that cannot be read are left out."""
        reply = await self._call("GET", "/v1/queue/slots", Safety.IDEMPOTENT,
                                 params={"profileId": profile_id, "all": "true"})
        return queues.schedules_from_json(reply.body, profile_id)

    async def update_queue(self, profile_id: str, timezone: str, slots: Sequence[WeeklySlot], *,
                           queue_id: str | None = None, reshuffle: bool = False) -> QueueUpdate:
        """``PUT /v1/queue/slots``: the queue's weekly slots. With ``reshuffle`` Late moves already queued posts,
        so that call is never repeated after a lost answer."""
        body: dict[str, Any] = {"profileId": profile_id, "timezone": timezone, "slots": queues.slots_to_json(slots),
                                "reshuffleExisting": reshuffle}
        if queue_id:
            body["queueId"] = queue_id
        reply = await self._call("PUT", "/v1/queue/slots", Safety.UNSAFE if reshuffle else Safety.IDEMPOTENT,
                                 json_body=body)
        return queues.update_from_json(reply.body, profile_id)

    async def preview_queue(self, profile_id: str, *, queue_id: str | None = None, count: int = 20
                            ) -> tuple[datetime, ...]:
        """The queue's next ``count`` free slots (at most 100), as Late would fill them."""
        params: dict[str, Any] = {"profileId": profile_id, "count": max(1, min(count, 100))}
        if queue_id:
            params["queueId"] = queue_id
        reply = await self._call("GET", "/v1/queue/preview", Safety.IDEMPOTENT, params=params)
        return queues.times_from_json((reply.body or {}).get("slots") if isinstance(reply.body, dict) else None)

    # ------------------------------------------------------------------------------------------ plumbing

    async def _collect(self, path: str, key: str, params: dict[str, Any]) -> list[Any]:
        items: list[Any] = []
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            reply = await self._call("GET", path, Safety.IDEMPOTENT, params=query)
            body = reply.body or {}
            page = body.get(key)
            if not isinstance(page, list):
                raise MalformedResponse(f"GET {path}: no {key} list", request_id=reply.request_id)
            items.extend(page)
            nxt = wire.dig(body, "pagination", "nextCursor")
            if not isinstance(nxt, str) or not nxt or nxt in seen or not page:
                return items
            seen.add(nxt)
            cursor = nxt

    def _post_in(self, reply: _Reply, what: str) -> Post:
        try:
            post = wire.post_from_json((reply.body or {}).get("post"))
            return wire.with_account_platforms(post, self._account_platforms)
        except WireError as exc:
            raise MalformedResponse(f"{what}: unusable post in the response ({exc})", status=reply.status,
                                    request_id=reply.request_id) from exc

    def _publishes_inline(self, body: Mapping[str, Any]) -> bool:
        """publishNow, or a scheduledFor already due: Late publishes inside the request (§2.6, §9.6)."""
        if body.get("isDraft") is True:
            return False
        if body.get("publishNow") is True:
            return True
        try:
            when = wire.parse_time(body.get("scheduledFor"), wire.zone_for(_str(body.get("timezone")) or None))
        except (ValueError, OverflowError):
            return False
        return when is not None and when.timestamp() <= self._clock() + _INLINE_PUBLISH_MARGIN_S

    def _timeout_for(self, body: Mapping[str, Any]) -> httpx.Timeout:
        return self._publish_timeout if self._publishes_inline(body) else self._timeout

    async def _call(self, method: str, path: str, safety: Safety, *, params: Mapping[str, Any] | None = None,
                    json_body: Any = None, files: Any = None, headers: Mapping[str, str] | None = None,
                    timeout: httpx.Timeout | None = None, gone_ok: bool = False,
                    decode_off_loop: bool = False) -> _Reply:
        request_id = str(uuid.uuid4())
        all_headers = {"x-request-id": request_id, **(headers or {})}
        url = self._base + path

        content = None
        if json_body is not None:
            # ASCII-escaped JSON: a lone surrogate (half an emoji cut by some tool, pulled from Late) travels as
            # "\ud83d" as JavaScript itself writes it, where httpx's UTF-8 encoding would raise
            content = json.dumps(json_body, ensure_ascii=True, separators=(",", ":")).encode("ascii")
            all_headers["content-type"] = "application/json"

        async def send() -> httpx.Response:
            return await self._http.request(method, url, params=params, content=content, files=files,
                                            headers=all_headers, timeout=timeout or self._timeout, auth=self._auth)

        return await self._exchange(method, path, send, safety, request_id, expect_json=method != "DELETE",
                                    gone_ok=gone_ok, decode_off_loop=decode_off_loop)

    async def _exchange(self, method: str, what: str, send: Callable[[], Awaitable[httpx.Response]],
                        safety: Safety, request_id: str, *, expect_json: bool = True, gone_ok: bool = False,
                        policy: RetryPolicy | None = None, decode_off_loop: bool = False) -> _Reply:
        """Send until success or a failure the policy will not retry. ``what`` is a loggable path (no secrets)."""
        policy = policy or self._policy
        retries = 0
        maybe_acted = False  # could an earlier attempt have reached the server and done something?
        while True:
            await self._respect_throttle()
            self.stats.http_calls += 1
            started = time.perf_counter()
            try:
                response = await send()
            except httpx.TransportError as exc:
                error = self._network_error(exc, method, what, request_id)
                maybe_acted = maybe_acted or error.maybe_sent
                if retry_on_exception(safety, exc) and await self._pause(policy, retries + 1, None, error):
                    retries += 1
                    continue
                raise error from exc
            self._throttle.observe(response.headers)
            rid = response.headers.get("x-request-id") or request_id
            log.debug("%s %s -> %s in %.0f ms (attempt %d, request id %s)", method, what, response.status_code,
                      (time.perf_counter() - started) * 1000, retries + 1, rid)
            status = response.status_code
            if 200 <= status < 300:
                try:
                    if not expect_json:
                        body = _maybe_json(response)
                    elif decode_off_loop:
                        body = await in_worker(self._json_body, response, method, what, rid)
                    else:
                        body = self._json_body(response, method, what, rid)
                except MalformedResponse as error:
                    maybe_acted = True
                    if retry_on_malformed(safety) and await self._pause(policy, retries + 1, None, error):
                        retries += 1
                        continue
                    raise
                return _Reply(status, body, response.headers, rid)
            if status == 404 and gone_ok and maybe_acted:
                log.info("%s %s: 404 after an attempt that may have succeeded; treating as done (request id %s)",
                         method, what, rid)
                return _Reply(status, None, response.headers, rid, gone=True)
            error = self._http_error(response, method, what, rid)
            maybe_acted = maybe_acted or status >= 500
            if retry_on_status(safety, status, error.code):
                hint = error.retry_after
                if hint is None and status == 429:
                    hint = RateLimitInfo.from_headers(response.headers).wait_until_reset(self._clock())
                    error.retry_after = hint
                if await self._pause(policy, retries + 1, hint, error):
                    retries += 1
                    continue
            raise error

    async def _pause(self, policy: RetryPolicy, retry_number: int, hint: float | None, error: LateError) -> bool:
        wait = policy.wait(retry_number, hint, self._random)
        if wait is None:
            return False
        log.info("retry %d/%d in %.2f s after %s", retry_number, policy.max_retries, wait, error)
        self.stats.retries += 1
        # The server said when to come back (Retry-After), or this wait outlasts the rate-limit window:
        # either way the throttle must not add its own wait on top.
        settles_throttle = hint is not None or wait >= self._throttle.delay()
        await self._wait(wait)
        if settles_throttle:
            self._throttle.waited()
        return True

    async def _respect_throttle(self) -> None:
        delay = self._throttle.delay()
        if delay > 0:
            self.stats.throttle_waits += 1
            log.info("rate limit window used up: waiting %.2f s for X-RateLimit-Reset", delay)
            await self._wait(delay)
            self._throttle.waited()

    async def _wait(self, seconds: float) -> None:
        self.stats.waited_s += seconds
        await self._sleep(seconds)

    def _scrub(self, value: Any) -> Any:
        """Remove the API key from anything the server sent back before it goes into an exception."""
        if isinstance(value, str):
            return value.replace(self._api_key, "[redacted]")
        if isinstance(value, dict):
            return {self._scrub(k): self._scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._scrub(v) for v in value]
        return value

    def _json_body(self, response: httpx.Response, method: str, what: str, rid: str) -> dict:
        try:
            body = bounded_json.loads(response.content)
        except bounded_json.TooLarge as exc:
            raise MalformedResponse(f"{method} {what} -> {response.status_code}: body too large ({exc})",
                                    reason=TOO_LARGE, status=response.status_code, request_id=rid) from None
        except bounded_json.TooDeep as exc:
            raise MalformedResponse(f"{method} {what} -> {response.status_code}: body {exc}",
                                    reason=TOO_DEEP, status=response.status_code, request_id=rid) from None
        except ValueError:  # JSONDecodeError and UnicodeDecodeError
            ctype = response.headers.get("content-type", "?")
            raise MalformedResponse(f"{method} {what} -> {response.status_code}: body is not JSON ({ctype})",
                                    status=response.status_code, request_id=rid) from None
        if not isinstance(body, dict):
            raise MalformedResponse(f"{method} {what} -> {response.status_code}: JSON body is not an object",
                                    status=response.status_code, request_id=rid)
        return body

    def _http_error(self, response: httpx.Response, method: str, what: str, rid: str) -> LateHTTPError:
        status = response.status_code
        body = self._scrub(_maybe_json(response) or {})
        error = body.get("error") if isinstance(body.get("error"), str) else None
        code = _str(body.get("code")) or None
        details = body.get("details") if isinstance(body.get("details"), dict) else {}
        summary = error or _snippet(self._scrub(response.text)[:_SNIPPET_SOURCE]) or response.reason_phrase or "error"
        kwargs: dict[str, Any] = {
            "status": status, "error": error, "type": _str(body.get("type")) or None, "code": code,
            "param": _str(body.get("param")) or None, "details": details, "request_id": rid,
            "retry_after": parse_retry_after(response.headers.get("retry-after"), self._clock()),
        }
        message = f"{method} {what} -> HTTP {status}: {summary}"
        if status == 429:
            info = RateLimitInfo.from_headers(response.headers)
            return LateRateLimited(message, limit=info.limit, remaining=info.remaining, reset_at=info.reset_at,
                                   **kwargs)
        return error_class(status, code, details)(message, **kwargs)

    def _network_error(self, exc: httpx.TransportError, method: str, what: str, rid: str) -> LateNetworkError:
        cls = LateTimeout if isinstance(exc, httpx.TimeoutException) else LateConnectionError
        detail = self._scrub(str(exc))
        message = f"{method} {what}: {type(exc).__name__}" + (f" ({detail})" if detail else "")
        return cls(message, maybe_sent=not isinstance(exc, NOT_SENT_ERRORS), request_id=rid)


# ---------------------------------------------------------------------------------------------- helpers


def _map_skipping(items: list[Any], parse: Callable[[Any], Any], kind: str) -> list[Any]:
    out = []
    for item in items:
        try:
            out.append(parse(item))
        except WireError as exc:
            log.warning("skipping a %s Late sent that cannot be mapped: %s", kind, exc)
    return out


def _maybe_json(response: httpx.Response) -> dict | None:
    """The body when it is a JSON object within bounds, else None (an error body is read for its message only)."""
    try:
        body = bounded_json.loads(response.content)
    except ValueError:  # not JSON, too large or too deep alike
        return None
    return body if isinstance(body, dict) else None


def _snippet(text: str, limit: int = 160) -> str:
    """First words of a non-JSON error body (e.g. a proxy's HTML page), tags stripped."""
    plain = re.sub(r"<[^>]*>", " ", text or "")
    plain = " ".join(plain.split())
    return plain[:limit]


def _post_path(late_id: str, tail: str = "") -> str:
    return f"/v1/posts/{path_segment(late_id, 'post id')}{tail}"


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""

