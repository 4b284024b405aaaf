"""LateClient against the Late-compatible sandbox over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from latecal.core.models import Post, Target, new_idempotency_key
from latecal.late import (
    CreateOutcome,
    LateAuthError,
    LateClient,
    LateConnectionError,
    LateDuplicatePost,
    LateNotFound,
    LateRateLimited,
    LateValidationError,
    RetryPolicy,
    UploadCancelled,
)
from latecal.late.wire import post_to_json
from latecal.sandbox.runner import SandboxServer

KEY = "sk_test_sandbox_client_integration"
PROFILE_ID = "aaaaaaaaaaaaaaaaaaaaaaa1"
TWITTER = "bbbbbbbbbbbbbbbbbbbbbbb1"
BLUESKY = "bbbbbbbbbbbbbbbbbbbbbbb2"


@pytest.fixture(scope="module")
def server():
    with SandboxServer(api_keys=(KEY,)) as srv:
        yield srv


@pytest.fixture
def sandbox(server):
    server.reset()
    server.clear_faults()
    server.clear_outcomes()
    server.seed(profiles=[{"_id": PROFILE_ID, "name": "Main", "timezone": "Europe/Berlin"}],
                accounts=[{"_id": TWITTER, "platform": "twitter", "profileId": PROFILE_ID, "username": "acme"},
                          {"_id": BLUESKY, "platform": "bluesky", "profileId": PROFILE_ID, "username": "acme.bsky"}])
    server.reset_stats()
    yield server
    server.clear_faults()


class QuickSleep:
    """Records the waits the client asks for and yields instead of sleeping them."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        await asyncio.sleep(0)


def make_client(server: SandboxServer, key: str = KEY, **kw) -> tuple[LateClient, QuickSleep]:
    sleep = QuickSleep()
    kw.setdefault("retry_policy", RetryPolicy(max_retries=4, base_delay=0.01, max_delay=0.05))
    return LateClient(key, server.base_url, sleep=sleep, timeout=10.0, **kw), sleep


def future(hours: float = 24) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours)


def new_post(content: str = "Hello from the integration test", *, accounts=(TWITTER,), when=None) -> Post:
    return Post(content=content, targets=[Target(platform="twitter" if a == TWITTER else "bluesky", account_id=a)
                                          for a in accounts],
                scheduled_for=when or future(), idempotency_key=new_idempotency_key())


class RecordingTransport(httpx.AsyncBaseTransport):
    """Real HTTP, plus a record of what went on the wire."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def requests(server: SandboxServer, route: str) -> int:
    return server.stats()["requests"].get(route, 0)


@pytest.mark.asyncio
async def test_create_get_update_delete_round_trip(sandbox, caplog):
    caplog.set_level(logging.DEBUG)  # httpx and httpcore included
    client, _ = make_client(sandbox)
    post = new_post(when=future(48))
    async with client:
        created = await client.create_post(post_to_json(post, intent="schedule"), idempotency_key=post.idempotency_key)
        assert created.outcome is CreateOutcome.CREATED
        assert created.status_code == 201
        assert created.post is not None
        assert created.post.status == "scheduled"
        assert created.post.scheduled_for == post.scheduled_for
        assert created.post.targets[0].account_id == TWITTER  # populated accountId → id

        fetched = await client.get_post(created.post_id)
        assert fetched.late_id == created.post_id
        assert fetched.content == post.content
        assert fetched.remote_updated_at is not None

        moved = future(72)
        updated = await client.update_post(created.post_id, {"scheduledFor": moved.isoformat(), "content": "Moved"})
        assert updated.status_code == 200
        assert updated.post.scheduled_for == moved
        assert updated.post.content == "Moved"
        assert updated.post.remote_updated_at >= fetched.remote_updated_at

        deleted = await client.delete_post(created.post_id)
        assert not deleted.already_gone
        with pytest.raises(LateNotFound) as info:
            await client.get_post(created.post_id)
    assert info.value.request_id
    assert client.stats.retries == 0
    assert caplog.records
    assert all(KEY not in logging.Formatter().format(r) for r in caplog.records)


@pytest.mark.asyncio
async def test_draft_then_promote(sandbox):
    client, _ = make_client(sandbox)
    post = new_post()
    async with client:
        created = await client.create_post(post_to_json(post, intent="draft"), idempotency_key=post.idempotency_key)
        assert created.post.status == "draft"
        promoted = await client.update_post(created.post_id, post_to_json(post, intent="schedule"))
    assert promoted.post.status == "scheduled"


@pytest.mark.asyncio
async def test_idempotent_create_replay_returns_the_same_post(sandbox):
    client, _ = make_client(sandbox)
    post = new_post()
    body = post_to_json(post, intent="schedule")
    async with client:
        first = await client.create_post(body, idempotency_key=post.idempotency_key)
        again = await client.create_post(dict(body, content="edited after a re-upload"),
                                         idempotency_key=post.idempotency_key)
    assert first.outcome is CreateOutcome.CREATED
    assert again.outcome is CreateOutcome.REPLAYED
    assert again.status_code == 200
    assert again.post_id == first.post_id
    stats = sandbox.stats()
    assert stats["creates_by_idempotency_key"] == {post.idempotency_key: 1}
    assert stats["postsTotal"] == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", [
    {"kind": "drop", "processed": True},  # the post was saved, then the connection dropped
    {"kind": "drop", "phase": "mid_body", "processed": True},
    {"kind": "status", "status": 502, "processed": True},  # a gateway failed after the save
    {"kind": "status", "status": 503},
    {"kind": "malformed"},
    {"kind": "rate_limit", "retryAfter": 1},
], ids=["drop", "drop-mid-body", "502-after-save", "503", "malformed", "429"])
async def test_create_survives_faults_without_duplicates(sandbox, fault):
    sandbox.add_fault(fault.pop("kind"), route="POST /v1/posts", count=1, **fault)
    client, sleep = make_client(sandbox)
    post = new_post()
    async with client:
        result = await client.create_post(post_to_json(post, intent="schedule"), idempotency_key=post.idempotency_key)
    assert result.post_id
    assert len(sleep.calls) == 1
    assert client.stats.retries == 1
    stats = sandbox.stats()
    assert stats["postsTotal"] == 1
    assert stats["creates_by_idempotency_key"] == {post.idempotency_key: 1}
    assert stats["requests"]["POST /v1/posts"] == 2
    if fault.get("processed"):
        assert result.outcome is CreateOutcome.REPLAYED


@pytest.mark.asyncio
async def test_delete_dropped_after_it_ran_is_already_gone(sandbox):
    client, _ = make_client(sandbox)
    post = new_post()
    async with client:
        created = await client.create_post(post_to_json(post, intent="schedule"), idempotency_key=post.idempotency_key)
        sandbox.add_fault("drop", route=f"DELETE /v1/posts/{created.post_id}", count=1, processed=True)
        result = await client.delete_post(created.post_id)
    assert result.already_gone
    assert sandbox.stats()["postsTotal"] == 0


@pytest.mark.asyncio
async def test_retry_endpoint_is_not_resent_after_a_drop(sandbox):
    sandbox.force_outcome(TWITTER, "fail", errorMessage="Temporary ban", count=1)
    client, sleep = make_client(sandbox)
    post = new_post("Fails first")
    async with client:
        created = await client.create_post(post_to_json(post, intent="publish_now"),
                                           idempotency_key=post.idempotency_key)
        assert created.post.status == "failed"
        sandbox.add_fault("drop", route=f"POST /v1/posts/{created.post_id}/retry", count=1, processed=True)
        with pytest.raises(LateConnectionError) as info:
            await client.retry_post(created.post_id)
        assert info.value.maybe_sent
        retries = {k: v for k, v in sandbox.stats()["requests"].items() if k.endswith("/retry")}
        assert list(retries.values()) == [1]
        assert sleep.calls == []
        # the caller reads the post to learn what the retry did
        assert (await client.get_post(created.post_id)).status == "published"


@pytest.mark.asyncio
async def test_rate_limit_burst_waits_retry_after(sandbox):
    sandbox.add_fault("rate_limit", route="GET /v1/posts", count=2, retryAfter=2)
    client, sleep = make_client(sandbox)
    async with client:
        pages = [page async for page in client.iter_posts()]
    assert sleep.calls == [2.0, 2.0]
    assert len(pages) == 1
    assert requests(sandbox, "GET /v1/posts") == 3


@pytest.mark.asyncio
async def test_long_rate_limit_is_handed_to_the_caller(sandbox):
    sandbox.add_fault("rate_limit", route="GET /v1/profiles", count=1, retryAfter=3600)
    client, sleep = make_client(sandbox)
    async with client:
        with pytest.raises(LateRateLimited) as info:
            await client.list_profiles()
    assert info.value.retry_after == 3600
    assert sleep.calls == []


@pytest.mark.asyncio
async def test_5xx_burst_then_success_and_dropped_reads(sandbox):
    sandbox.add_fault("status", route="GET /v1/accounts", count=3, status=503)
    sandbox.add_fault("drop", route="GET /v1/profiles", count=1)
    sandbox.add_fault("malformed", route="GET /v1/queue", count=1)
    client, sleep = make_client(sandbox)
    async with client:
        accounts = await client.list_accounts()
        profiles = await client.list_profiles()
    assert sorted(a.id for a in accounts) == [TWITTER, BLUESKY]
    assert [p.id for p in profiles] == [PROFILE_ID]
    assert len(sleep.calls) == 4
    assert requests(sandbox, "GET /v1/accounts") == 4


@pytest.mark.asyncio
async def test_content_duplicate_409_names_the_existing_post(sandbox):
    client, sleep = make_client(sandbox)
    a, b = new_post("Same words"), new_post("Same words")
    async with client:
        first = await client.create_post(post_to_json(a, intent="schedule"), idempotency_key=a.idempotency_key)
        with pytest.raises(LateDuplicatePost) as info:
            await client.create_post(post_to_json(b, intent="schedule"), idempotency_key=b.idempotency_key)
    assert info.value.status == 409
    assert info.value.existing_post_id == first.post_id
    assert sleep.calls == []
    assert sandbox.stats()["postsTotal"] == 1


@pytest.mark.asyncio
async def test_wrong_key_is_401_and_never_retried(sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "sk_wrong_" + "5a" * 20  # made up, and must not leak
    client, sleep = make_client(sandbox, key=wrong)
    async with client:
        with pytest.raises(LateAuthError) as info:
            await client.get_post("aaaaaaaaaaaaaaaaaaaaaaaa")
    assert info.value.status == 401
    assert sleep.calls == []
    assert wrong not in str(info.value)
    assert wrong not in repr(info.value)
    assert all(wrong not in r.getMessage() for r in caplog.records)


@pytest.mark.asyncio
async def test_validation_error_carries_param(sandbox):
    client, _ = make_client(sandbox)
    async with client:
        with pytest.raises(LateValidationError) as info:
            await client.create_post({"content": "no targets", "scheduledFor": future().isoformat()},
                                     idempotency_key=new_idempotency_key())
    assert info.value.status == 400
    assert info.value.error


@pytest.mark.asyncio
async def test_list_with_cursor_paging(sandbox):
    base = future(24)
    sandbox.seed(posts=[{"content": f"post {i}", "status": "scheduled",
                         "scheduledFor": (base + timedelta(minutes=i)).isoformat().replace("+00:00", "Z"),
                         "platforms": [{"platform": "twitter", "accountId": TWITTER}]} for i in range(1203)])
    sandbox.reset_stats()
    client, _ = make_client(sandbox)
    async with client:
        pages = [page async for page in client.iter_posts(status="scheduled", platform="", sort_by="scheduled-asc")]
        only_first = [page async for page in client.iter_posts(status="published")]
    assert [len(p.posts) for p in pages] == [500, 500, 203]
    assert [p.last for p in pages] == [False, False, True]
    ids = [post.late_id for page in pages for post in page.posts]
    assert len(set(ids)) == 1203
    times = [post.scheduled_for for page in pages for post in page.posts]
    assert times == sorted(times)
    assert sum(len(p.bad) for p in pages) == 0
    assert len(only_first) == 1
    assert only_first[0].posts == []
    assert requests(sandbox, "GET /v1/posts") == 4  # three pages + one empty listing
    assert client.stats.http_calls == 4


@pytest.mark.asyncio
async def test_publish_now_incomplete_then_retry(sandbox):
    sandbox.force_outcome(BLUESKY, "fail", errorMessage="Token expired", errorCategory="auth_expired", count=1)
    client, _ = make_client(sandbox)
    post = new_post("Publish me now", accounts=(TWITTER, BLUESKY))
    async with client:
        created = await client.create_post(post_to_json(post, intent="publish_now"),
                                           idempotency_key=post.idempotency_key)
        assert created.outcome is CreateOutcome.INCOMPLETE
        assert created.status_code == 207
        assert created.post.status == "partial"
        assert [f.platform for f in created.failures] == ["bluesky"]
        retried = await client.retry_post(created.post_id)
    assert retried.status_code == 200
    assert retried.post.status == "published"
    assert not retried.failures


@pytest.mark.asyncio
async def test_media_upload_streams_to_the_sandbox(sandbox, tmp_path):
    path = tmp_path / "photo.png"
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2000
    path.write_bytes(data)
    progress: list[tuple[int, int]] = []
    recorder = RecordingTransport()
    client, _ = make_client(sandbox, transport=recorder)
    async with client:
        uploaded = await client.upload_media(path, progress=lambda s, t: progress.append((s, t)))
    presign, put = recorder.sent
    assert presign.headers["authorization"] == f"Bearer {KEY}"
    assert put.method == "PUT"
    assert "authorization" not in put.headers
    assert uploaded.content_type == "image/png"
    assert progress[-1] == (len(data), len(data))
    async with httpx.AsyncClient() as plain:
        fetched = await plain.get(uploaded.public_url)
    assert fetched.status_code == 200
    assert fetched.content == data


@pytest.mark.asyncio
async def test_media_upload_cancel_over_real_http(sandbox, tmp_path):
    path = tmp_path / "big.mp4"
    path.write_bytes(b"\0" * (3 * 1024 * 1024))
    cancel = asyncio.Event()
    client, _ = make_client(sandbox)
    async with client:
        with pytest.raises(UploadCancelled):
            await client.upload_media(path, progress=lambda sent, total: sent > 0 and cancel.set(), cancel=cancel)
        # the pool is still usable after the aborted PUT
        assert [p.id for p in await client.list_profiles()] == [PROFILE_ID]
    assert client.stats.retries == 0


@pytest.mark.asyncio
async def test_bulk_upload_dry_run(sandbox):
    csv = ("post_content,platforms,profiles,schedule_time,tz\n"
           f'"Bulk hello",twitter,{PROFILE_ID},2031-09-01 10:00,Europe/Berlin\n').encode()
    client, _ = make_client(sandbox)
    async with client:
        result = await client.bulk_upload(csv, dry_run=True)
    assert result.total == 1
    assert sandbox.stats()["postsTotal"] == 0
