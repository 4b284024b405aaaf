"""LateClient post calls over httpx.MockTransport: status branches, bodies, headers, paging, timeouts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import httpx
import pytest
from test_client_support import API_KEY, BASE, NOW, Script, make_client, post_json, reply

from latecal import __version__
from latecal.late.errors import MalformedResponse
from latecal.late.results import CreateOutcome

CREATE_BODY = {"content": "hello", "platforms": [{"platform": "twitter", "accountId": "acc1"}],
               "scheduledFor": "2027-01-15T10:00:00Z"}


# --- create: 200 / 201 / 202 / 207 -------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_create_201_created_sends_key_and_standard_headers():
    script = Script(reply(201, {"message": "Post scheduled successfully", "post": post_json("p9"),
                                "warnings": ["media truncated"]}, headers={"X-Request-Id": "srv-1"}))
    client, _ = make_client(script)
    async with client:
        result = await client.create_post(CREATE_BODY, idempotency_key="latecal-key-1")
    assert (result.status_code, result.outcome, result.post_id) == (201, CreateOutcome.CREATED, "p9")
    assert result.post is not None
    assert result.post.late_id == "p9"
    assert result.message == "Post scheduled successfully"
    assert result.warnings == ["media truncated"]
    assert result.request_id == "srv-1"
    assert not result.incomplete
    assert result.failures == []
    [req] = script.requests
    assert req.method == "POST"
    assert str(req.url) == f"{BASE}/v1/posts"
    assert req.headers["Idempotency-Key"] == "latecal-key-1"
    assert req.headers["Authorization"] == f"Bearer {API_KEY}"
    assert req.headers["Accept"] == "application/json"
    assert req.headers["User-Agent"] == f"latecal/{__version__}"
    assert len(req.headers["x-request-id"]) == 36
    assert json.loads(req.content) == CREATE_BODY


@pytest.mark.asyncio
async def test_create_200_is_an_idempotent_replay():
    script = Script(reply(200, {"message": "Post already exists (idempotent retry)", "post": post_json("orig")}))
    client, _ = make_client(script)
    async with client:
        result = await client.create_post(CREATE_BODY, idempotency_key="k")
    assert (result.status_code, result.outcome, result.post_id) == (200, CreateOutcome.REPLAYED, "orig")


@pytest.mark.asyncio
async def test_create_202_accepted_has_only_the_post_id():
    script = Script(reply(202, {"postId": "still-saving"}))
    client, _ = make_client(script)
    async with client:
        result = await client.create_post(CREATE_BODY, idempotency_key="k")
    assert (result.status_code, result.outcome, result.post_id, result.post) == (
        202, CreateOutcome.ACCEPTED, "still-saving", None)


@pytest.mark.asyncio
async def test_create_202_without_post_id_is_malformed():
    client, _ = make_client(Script(reply(202, {})))
    async with client:
        with pytest.raises(MalformedResponse):
            await client.create_post(CREATE_BODY, idempotency_key="k")


@pytest.mark.asyncio
async def test_create_207_incomplete_reports_per_platform_failures():
    body = {"message": "Post saved but publishing incomplete", "error": "1 of 2 platforms failed",
            "post": post_json("p7", status="partial"),
            "platformResults": [{"platform": "twitter", "status": "published", "error": None},
                                {"platform": "instagram", "status": "failed", "error": "Media required"}]}
    client, _ = make_client(Script(reply(207, body)))
    async with client:
        result = await client.create_post(dict(CREATE_BODY, publishNow=True), idempotency_key="k")
    assert result.outcome is CreateOutcome.INCOMPLETE
    assert result.incomplete
    assert result.status_code == 207
    assert result.post is not None
    assert result.post.status == "partial"
    assert result.error == "1 of 2 platforms failed"
    assert [(f.platform, f.error) for f in result.failures] == [("instagram", "Media required")]
    assert len(result.platform_results) == 2


@pytest.mark.asyncio
async def test_create_200_tiktok_dry_run():
    client, _ = make_client(Script(reply(200, {"dryRun": True, "canPublish": True, "tiktok": []})))
    async with client:
        result = await client.create_post(CREATE_BODY, idempotency_key="k")
    assert result.outcome is CreateOutcome.DRY_RUN
    assert result.post is None
    assert result.post_id is None


@pytest.mark.asyncio
async def test_create_201_with_unparseable_post_is_malformed():
    # Valid JSON holding a post we cannot map: deterministic, so not resent (the replay would be the same).
    script = Script(reply(201, {"post": {"status": "scheduled"}}), repeat_last=True)
    client, sleeps = make_client(script)
    async with client:
        with pytest.raises(MalformedResponse) as info:
            await client.create_post(CREATE_BODY, idempotency_key="k")
    assert info.value.status == 201
    assert script.count == 1
    assert sleeps.calls == []


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["", "x" * 256])
async def test_create_refuses_bad_idempotency_keys(key):
    script = Script()
    client, _ = make_client(script)
    async with client:
        with pytest.raises(ValueError):
            await client.create_post(CREATE_BODY, idempotency_key=key)
    assert script.count == 0


# --- update / retry / delete / get -----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_get_post_parses_the_post():
    script = Script(reply(200, {"post": post_json("abc", status="published", publishedAt="2027-01-15T10:00:03Z")}))
    client, _ = make_client(script)
    async with client:
        post = await client.get_post("abc")
    assert post.late_id == "abc"
    assert post.published_at == datetime(2027, 1, 15, 10, 0, 3, tzinfo=UTC)
    assert script.requests[0].method == "GET"
    assert script.requests[0].url.path == "/api/v1/posts/abc"


@pytest.mark.asyncio
async def test_update_200_and_207():
    script = Script(
        reply(200, {"message": "Post updated successfully", "post": post_json("u1")}),
        reply(207, {"message": "Updated; publish incomplete", "error": "twitter failed",
                    "post": post_json("u1", status="failed"),
                    "platformResults": [{"platform": "twitter", "status": "failed", "error": "Duplicate tweet"}]}),
    )
    client, _ = make_client(script)
    async with client:
        ok = await client.update_post("u1", {"content": "new"})
        partial = await client.update_post("u1", {"publishNow": True})
    assert ok.status_code == 200
    assert not ok.incomplete
    assert ok.message == "Post updated successfully"
    assert partial.incomplete
    assert partial.post.status == "failed"
    assert [(f.platform, f.error) for f in partial.failures] == [("twitter", "Duplicate tweet")]
    assert [r.method for r in script.requests] == ["PUT", "PUT"]
    assert json.loads(script.bodies[0]) == {"content": "new"}


@pytest.mark.asyncio
async def test_retry_200_and_207_without_platform_results_reads_the_post():
    failed_post = post_json("r1", status="partial", platforms=[
        {"platform": "twitter", "accountId": "a1", "status": "published"},
        {"platform": "bluesky", "accountId": "a2", "status": "failed", "errorMessage": "Token expired"}])
    script = Script(reply(200, {"message": "Post published successfully", "post": post_json("r1", "published")}),
                    reply(207, {"message": "Retry incomplete", "error": "some failed", "post": failed_post}))
    client, _ = make_client(script)
    async with client:
        ok = await client.retry_post("r1")
        partial = await client.retry_post("r1")
    assert ok.status_code == 200
    assert ok.post.status == "published"
    assert partial.incomplete
    assert partial.error == "some failed"
    assert [(f.platform, f.account_id, f.error) for f in partial.failures] == [("bluesky", "a2", "Token expired")]
    assert script.requests[0].url.path == "/api/v1/posts/r1/retry"
    assert script.requests[0].content == b""


@pytest.mark.asyncio
async def test_delete_post():
    script = Script(reply(200, {"message": "Post deleted successfully"}))
    client, _ = make_client(script)
    async with client:
        result = await client.delete_post("d1")
    assert result.message == "Post deleted successfully"
    assert not result.already_gone
    assert script.requests[0].method == "DELETE"


@pytest.mark.asyncio
async def test_post_ids_are_path_escaped():
    script = Script(reply(200, {"post": post_json("a/b")}))
    client, _ = make_client(script)
    async with client:
        await client.get_post("a/b")
        with pytest.raises(ValueError):
            await client.get_post("")
    assert script.requests[0].url.raw_path == b"/api/v1/posts/a%2Fb"


# --- synchronous publishes get the long timeout (§9.6) -----------------------------------------------------


def _read_timeout(request: httpx.Request) -> float:
    return request.extensions["timeout"]["read"]


@pytest.mark.asyncio
async def test_publish_timeouts():
    script = Script(*[reply(201, {"post": post_json()})] * 4, reply(200, {"post": post_json()}),
                    reply(200, {"post": post_json()}), reply(200, {"post": post_json()}))
    client, _ = make_client(script, timeout=30.0, publish_timeout=300.0)
    past = datetime.fromtimestamp(NOW - 3600, UTC).isoformat()
    future = datetime.fromtimestamp(NOW + 86400, UTC).isoformat()
    async with client:
        await client.create_post({"publishNow": True}, idempotency_key="a")
        await client.create_post({"scheduledFor": past}, idempotency_key="b")
        await client.create_post({"scheduledFor": future}, idempotency_key="c")
        await client.create_post({"scheduledFor": past, "isDraft": True}, idempotency_key="d")
        await client.update_post("x", {"publishNow": True})
        await client.update_post("x", {"content": "plain edit"})
        await client.retry_post("x")
    assert [_read_timeout(r) for r in script.requests] == [300.0, 300.0, 30.0, 30.0, 300.0, 30.0, 300.0]


# --- listing: cursor paging --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_iter_posts_cursor_paging_with_filters():
    pages = [
        reply(200, {"posts": [post_json("a"), post_json("b")],
                    "pagination": {"page": 1, "limit": 500, "total": 5, "pages": 3, "nextCursor": "c1"}}),
        reply(200, {"posts": [post_json("c"), {"status": "scheduled"}, post_json("d", scheduledFor="garbage")],
                    "pagination": {"page": 1, "limit": 500, "total": 5, "pages": 3, "nextCursor": "c2"}}),
        reply(200, {"posts": [post_json("e")],
                    "pagination": {"page": 1, "limit": 500, "total": 5, "pages": 3, "nextCursor": None}}),
    ]
    script = Script(*pages)
    client, _ = make_client(script)
    async with client:
        got = [page async for page in client.iter_posts(
            status="scheduled", platform="", profile_id=None, account_id="acc1",
            from_date=date(2027, 1, 1), to_date=datetime(2027, 2, 1, tzinfo=UTC), search="",
            tags=["a", "b"], sort_by="scheduled-asc")]
    # a post without _id has no identity and is reported; one with a bad time is kept, marked
    assert [p.late_id for page in got for p in page.posts] == ["a", "b", "c", "d", "e"]
    assert [len(page.bad) for page in got] == [0, 1, 0]
    assert got[1].bad[0].late_id is None
    assert [p.read_problems for p in got[1].posts] == [(), ("scheduledFor",)]
    assert [page.last for page in got] == [False, False, True]
    assert got[0].total == 5
    assert [p.page_number for p in got] == [1, 2, 3]
    assert script.count == 3  # one call per page
    params = [dict(r.url.params) for r in script.requests]
    expected = {"status": "scheduled", "accountId": "acc1", "fromDate": "2027-01-01",
                "toDate": "2027-02-01T00:00:00Z", "tags": "a,b", "sortBy": "scheduled-asc", "limit": "500"}
    assert params[0] == expected
    assert params[1] == dict(expected, cursor="c1")
    assert params[2] == dict(expected, cursor="c2")
    assert client.stats.http_calls == 3


@pytest.mark.asyncio
async def test_iter_posts_falls_back_to_page_numbers_without_cursor():
    script = Script(
        reply(200, {"posts": [post_json("a")], "pagination": {"page": 1, "limit": 500, "total": 2, "pages": 2,
                                                                 "nextCursor": None}}),
        reply(200, {"posts": [post_json("b")], "pagination": {"page": 2, "limit": 500, "total": 2, "pages": 2}}),
    )
    client, _ = make_client(script)
    async with client:
        got = [page async for page in client.iter_posts(sort_by="status")]
    assert [p.posts[0].late_id for p in got] == ["a", "b"]
    assert [r.url.params.get("page") for r in script.requests] == [None, "2"]


@pytest.mark.asyncio
async def test_iter_posts_empty_listing_is_one_complete_page():
    script = Script(reply(200, {"posts": [], "pagination": {"page": 1, "limit": 500, "total": 0, "pages": 0}}))
    client, _ = make_client(script)
    async with client:
        got = [page async for page in client.iter_posts()]
    assert len(got) == 1
    assert got[0].last
    assert got[0].posts == []
    assert dict(script.requests[0].url.params) == {"limit": "500"}


@pytest.mark.asyncio
async def test_iter_posts_repeating_cursor_is_malformed():
    page = {"posts": [post_json("a")], "pagination": {"nextCursor": "same"}}
    client, _ = make_client(Script(reply(200, page), reply(200, page)))
    async with client:
        with pytest.raises(MalformedResponse):
            async for _ in client.iter_posts():
                pass


@pytest.mark.asyncio
async def test_iter_posts_body_without_posts_is_malformed():
    client, _ = make_client(Script(reply(200, {"items": []})))
    async with client:
        with pytest.raises(MalformedResponse):
            async for _ in client.iter_posts():
                pass


@pytest.mark.asyncio
async def test_iter_posts_unknown_filter_is_a_type_error():
    script = Script()
    client, _ = make_client(script)
    async with client:
        with pytest.raises(TypeError):
            async for _ in client.iter_posts(dateFrom="2027-01-01"):
                pass
    assert script.count == 0


# --- bulk, accounts, profiles, queue -----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_bulk_upload_dry_run_and_207():
    body = {"total": 2, "valid": 1, "invalid": 1, "warnings": ["unknown_columns:x"],
            "results": [{"rowIndex": 1, "ok": True, "createdPostId": "n1"},
                        {"rowIndex": 2, "ok": False, "errors": ["schedule_time_missing"]}]}
    script = Script(reply(207, body), reply(200, dict(body, valid=2, invalid=0, results=[])))
    client, _ = make_client(script)
    csv = b'post_content,platforms,profiles,schedule_time\n"Hello",twitter,Main,2027-09-01 10:00\n'
    async with client:
        mixed = await client.bulk_upload(csv)
        dry = await client.bulk_upload(csv, dry_run=True)
    assert mixed.mixed
    assert (mixed.total, mixed.valid, mixed.invalid) == (2, 1, 1)
    assert [(r.row_index, r.ok, r.created_post_id, r.errors) for r in mixed.rows] == [
        (1, True, "n1", []), (2, False, None, ["schedule_time_missing"])]
    assert mixed.warnings == ["unknown_columns:x"]
    assert not dry.mixed
    first, second = script.requests
    assert first.url.params.get("dryRun") is None
    assert second.url.params["dryRun"] == "true"
    assert first.headers["content-type"].startswith("multipart/form-data")
    assert b'name="file"; filename="posts.csv"' in script.bodies[0]
    assert csv in script.bodies[0]


@pytest.mark.asyncio
async def test_accounts_profiles_and_next_slot():
    script = Script(
        reply(200, {"accounts": [{"_id": "a1", "platform": "twitter", "profileId": "p1", "isActive": True},
                                 {"platform": "broken"}],
                    "hasAnalyticsAccess": False, "pagination": {"limit": 500, "nextCursor": "ac2"}}),
        reply(200, {"accounts": [{"_id": "a2", "platform": "bluesky", "profileId": {"_id": "p1"}}],
                    "pagination": {"limit": 500, "nextCursor": None}}),
        reply(200, {"profiles": [{"_id": "p1", "name": "Main", "isDefault": True, "timezone": "Europe/Paris"}]}),
        reply(200, {"profileId": "p1", "nextSlot": "2027-01-16T09:00:00+01:00", "timezone": "Europe/Paris",
                    "queueId": "q1", "queueName": "Default"}),
    )
    client, _ = make_client(script)
    async with client:
        accounts = await client.list_accounts(profile_id="p1")
        profiles = await client.list_profiles()
        slot = await client.next_queue_slot("p1")
    assert [(a.id, a.profile_id) for a in accounts] == [("a1", "p1"), ("a2", "p1")]
    assert [p.name for p in profiles] == ["Main"]
    assert slot.next_slot == datetime(2027, 1, 16, 8, tzinfo=UTC)
    assert (slot.timezone, slot.queue_id, slot.queue_name) == ("Europe/Paris", "q1", "Default")
    assert dict(script.requests[0].url.params) == {"profileId": "p1"}
    assert dict(script.requests[1].url.params) == {"profileId": "p1", "cursor": "ac2"}
    assert script.requests[3].url.path == "/api/v1/queue/next-slot"
    assert dict(script.requests[3].url.params) == {"profileId": "p1"}


@pytest.mark.asyncio
async def test_client_closes_its_pool():
    client, _ = make_client(Script())
    assert not client.closed
    async with client:
        pass
    assert client.closed
