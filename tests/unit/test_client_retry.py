"""Retries and waits: which failures are resent, how long the client waits, what it sends again."""

from __future__ import annotations

import random
from email.utils import formatdate

import httpx
import pytest
from test_client_support import NOW, Script, make_client, post_json, reply

from latecal.late.errors import (
    LateAuthError,
    LateConnectionError,
    LateDuplicatePost,
    LateError,
    LateForbidden,
    LateIdempotencyConflict,
    LateNotFound,
    LateRateLimited,
    LateServerError,
    LateTimeout,
    LateValidationError,
    MalformedResponse,
)
from latecal.late.ratelimit import RateLimitInfo, Throttle, parse_retry_after
from latecal.late.retry import RetryPolicy, Safety, retry_on_exception, retry_on_malformed, retry_on_status

OK_POST = {"post": post_json("p1")}
LIST_OK = {"posts": [], "pagination": {"page": 1, "limit": 500, "total": 0, "pages": 0, "nextCursor": None}}


def dropped() -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError("Server disconnected without sending a response.")


# --- the policy itself -----------------------------------------------------------------------------------


def test_policy_table():
    idem, keyed, unsafe = Safety.IDEMPOTENT, Safety.KEYED, Safety.UNSAFE
    not_sent = [httpx.ConnectError("refused"), httpx.ConnectTimeout("t"), httpx.PoolTimeout("t")]
    maybe_sent = [httpx.ReadTimeout("t"), httpx.WriteTimeout("t"), httpx.ReadError("r"), httpx.WriteError("w"),
                  dropped()]
    for exc in not_sent:
        assert all(retry_on_exception(s, exc) for s in (idem, keyed, unsafe)), exc
    for exc in maybe_sent:
        assert [retry_on_exception(s, exc) for s in (idem, keyed, unsafe)] == [True, True, False], exc
    assert not retry_on_exception(idem, httpx.UnsupportedProtocol("ftp"))
    for status in (500, 502, 503, 504):
        assert retry_on_status(idem, status)
        assert retry_on_status(keyed, status)
        assert not retry_on_status(unsafe, status)
    assert all(retry_on_status(s, 429) for s in (idem, keyed, unsafe))
    assert retry_on_status(keyed, 409, "idempotency_conflict")
    assert not retry_on_status(idem, 409, "idempotency_conflict")
    assert not retry_on_status(unsafe, 409, "idempotency_conflict")
    for status in (400, 401, 402, 403, 404, 409, 422):
        assert not any(retry_on_status(s, status) for s in (idem, keyed, unsafe)), status
    assert retry_on_malformed(idem)
    assert retry_on_malformed(keyed)
    assert not retry_on_malformed(unsafe)


def test_policy_backoff_is_full_jitter_with_a_cap():
    policy = RetryPolicy(max_retries=10, base_delay=0.5, max_delay=4.0)
    assert [policy.backoff(n, lambda: 1.0) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert policy.backoff(3, lambda: 0.25) == 0.5
    rng = random.Random(7)
    assert all(0 <= policy.backoff(5, rng.random) <= 4.0 for _ in range(100))


def test_policy_wait_limits():
    policy = RetryPolicy(max_retries=2, max_server_wait=60)
    assert policy.wait(1, None, lambda: 1.0) == 0.5
    assert policy.wait(3, None, lambda: 1.0) is None  # attempts exhausted
    assert policy.wait(1, 12.0, lambda: 1.0) == 12.0  # the server's hint wins over backoff
    assert policy.wait(1, 61.0, lambda: 1.0) is None  # too long to block on: hand it to the caller
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)


def test_parse_retry_after():
    assert parse_retry_after("7", NOW) == 7.0
    assert parse_retry_after("1.5", NOW) == 1.5
    assert parse_retry_after("-3", NOW) == 0.0
    assert parse_retry_after(formatdate(NOW + 30, usegmt=True), NOW) == 30.0
    assert parse_retry_after(formatdate(NOW - 30, usegmt=True), NOW) == 0.0
    for junk in (None, "", "soon", "nan", "inf"):
        assert parse_retry_after(junk, NOW) is None


def test_rate_limit_info_and_throttle():
    now = [NOW]
    throttle = Throttle(lambda: now[0], max_wait=60)
    assert throttle.delay() == 0
    throttle.observe(httpx.Headers({"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "3",
                                    "X-RateLimit-Reset": str(int(NOW + 20))}))
    assert throttle.delay() == 0
    throttle.observe(httpx.Headers({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW + 20))}))
    assert throttle.delay() == 20
    now[0] = NOW + 15
    assert throttle.delay() == 5
    throttle.observe(httpx.Headers({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW + 9999))}))
    assert throttle.delay() == 60  # capped
    throttle.waited()
    assert throttle.delay() == 0
    throttle.observe(httpx.Headers({}))  # a response without headers keeps nothing new
    assert throttle.delay() == 0
    assert RateLimitInfo.from_headers(httpx.Headers({"X-RateLimit-Limit": "x"})) == RateLimitInfo()


# --- GET/PUT/DELETE: transient failures are retried ---------------------------------------------------------


@pytest.mark.asyncio
async def test_5xx_burst_then_success_with_backoff_and_same_request_id():
    script = Script(reply(500, {"error": "boom"}), reply(502, text="<html>Bad gateway</html>"),
                    reply(503, {"error": "down"}), reply(200, OK_POST))
    client, sleeps = make_client(script)
    async with client:
        post = await client.get_post("p1")
    assert post.late_id == "p1"
    assert script.count == 4
    assert sleeps.calls == [0.5, 1.0, 2.0]  # full jitter at its ceiling (random=1.0)
    ids = script.header("x-request-id")
    assert len(set(ids)) == 1
    assert ids[0]
    assert (client.stats.http_calls, client.stats.retries) == (4, 3)
    assert client.stats.waited_s == 3.5


@pytest.mark.asyncio
async def test_5xx_forever_gives_up_after_the_attempt_limit():
    script = Script(reply(503, {"error": "down", "type": "api_error"}), repeat_last=True)
    client, sleeps = make_client(script, max_retries=2)
    async with client:
        with pytest.raises(LateServerError) as info:
            await client.get_post("p1")
    assert script.count == 3
    assert len(sleeps.calls) == 2
    assert info.value.status == 503
    assert info.value.error == "down"


@pytest.mark.asyncio
@pytest.mark.parametrize("exc", [dropped(), httpx.ReadError("reset by peer"), httpx.WriteError("broken pipe"),
                                 httpx.ReadTimeout("slow"), httpx.ConnectError("refused")])
async def test_network_failures_are_retried_for_idempotent_calls(exc):
    script = Script(exc, reply(200, {"post": post_json("p1")}))
    client, sleeps = make_client(script)
    async with client:
        post = await client.get_post("p1")
    assert post.late_id == "p1"
    assert script.count == 2
    assert sleeps.calls == [0.5]
    assert script.requests[0].headers["x-request-id"] == script.requests[1].headers["x-request-id"]


@pytest.mark.asyncio
async def test_network_failure_that_persists_becomes_a_late_error():
    client, _ = make_client(Script(dropped(), repeat_last=True), max_retries=1)
    async with client:
        with pytest.raises(LateConnectionError) as info:
            await client.get_post("p1")
    assert info.value.maybe_sent
    assert info.value.status is None
    client, _ = make_client(Script(httpx.ConnectTimeout("t"), repeat_last=True), max_retries=0)
    async with client:
        with pytest.raises(LateTimeout) as timeout:
            await client.get_post("p1")
    assert not timeout.value.maybe_sent


@pytest.mark.asyncio
async def test_malformed_json_in_2xx_is_retried_for_gets():
    script = Script(reply(200, text='{"posts": [trunc'), reply(200, text="<html>proxy</html>"), reply(200, LIST_OK))
    client, sleeps = make_client(script)
    async with client:
        pages = [p async for p in client.iter_posts()]
    assert len(pages) == 1
    assert script.count == 3
    assert len(sleeps.calls) == 2


@pytest.mark.asyncio
async def test_malformed_json_that_persists_raises_malformed_response():
    script = Script(reply(200, text="not json", headers={"content-type": "text/html"}), repeat_last=True)
    client, _ = make_client(script, max_retries=1)
    async with client:
        with pytest.raises(MalformedResponse) as info:
            await client.get_post("p1")
    assert info.value.status == 200
    assert "text/html" in str(info.value)
    assert script.count == 2


@pytest.mark.asyncio
async def test_json_array_body_is_malformed():
    client, _ = make_client(Script(reply(200, ["not", "an", "object"]), repeat_last=True), max_retries=0)
    async with client:
        with pytest.raises(MalformedResponse):
            await client.list_profiles()


# --- 429 and rate-limit headers ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_429_waits_retry_after_seconds():
    script = Script(reply(429, {"error": "Rate limit exceeded", "type": "rate_limit_error"},
                          headers={"Retry-After": "4", "X-RateLimit-Reset": str(int(NOW + 40))}),
                    reply(200, OK_POST))
    client, sleeps = make_client(script)
    async with client:
        await client.get_post("p1")
    assert sleeps.calls == [4.0]  # Retry-After beats X-RateLimit-Reset


@pytest.mark.asyncio
async def test_429_waits_retry_after_http_date():
    script = Script(reply(429, {"error": "slow down"}, headers={"Retry-After": formatdate(NOW + 3, usegmt=True)}),
                    reply(200, OK_POST))
    client, sleeps = make_client(script)
    async with client:
        await client.get_post("p1")
    assert sleeps.calls == [3.0]


@pytest.mark.asyncio
async def test_429_with_only_rate_limit_reset_waits_until_the_reset():
    script = Script(reply(429, {"error": "Rate limit exceeded"},
                          headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0",
                                   "X-RateLimit-Reset": str(int(NOW + 5))}),
                    reply(200, OK_POST))
    client, sleeps = make_client(script)
    async with client:
        await client.get_post("p1")
    assert sleeps.calls == [5.0]  # not the 5 s again: the proactive throttle knows the window reset
    assert client.stats.throttle_waits == 0


@pytest.mark.asyncio
async def test_429_retry_after_wins_over_a_later_rate_limit_reset():
    # The 429 also says Remaining: 0 until a reset a minute away; Retry-After is the server's word on when.
    script = Script(reply(429, {"error": "burst"}, headers={"Retry-After": "1", "X-RateLimit-Remaining": "0",
                                                            "X-RateLimit-Reset": str(int(NOW + 61))}),
                    reply(200, OK_POST), reply(200, OK_POST))
    client, sleeps = make_client(script)
    async with client:
        await client.get_post("p1")
        await client.get_post("p1")
    assert sleeps.calls == [1.0]
    assert client.stats.throttle_waits == 0


@pytest.mark.asyncio
async def test_429_without_any_hint_backs_off():
    script = Script(reply(429, {"error": "velocity"}), reply(429, {"error": "velocity"}), reply(200, OK_POST))
    client, sleeps = make_client(script)
    async with client:
        await client.get_post("p1")
    assert sleeps.calls == [0.5, 1.0]


@pytest.mark.asyncio
async def test_429_with_a_long_retry_after_is_handed_to_the_caller():
    script = Script(reply(429, {"error": "Daily cap reached"}, headers={"Retry-After": "3600",
                                                                       "X-RateLimit-Limit": "600",
                                                                       "X-RateLimit-Remaining": "12"}))
    client, sleeps = make_client(script)
    async with client:
        with pytest.raises(LateRateLimited) as info:
            await client.get_post("p1")
    assert sleeps.calls == []
    assert script.count == 1
    assert info.value.retry_after == 3600.0
    assert info.value.status == 429
    assert (info.value.limit, info.value.remaining) == (600, 12)


@pytest.mark.asyncio
async def test_429_retried_even_for_unsafe_posts():
    script = Script(reply(429, {"error": "cooldown"}, headers={"Retry-After": "2"}),
                    reply(200, {"message": "ok", "post": post_json("r1", "published")}))
    client, sleeps = make_client(script)
    async with client:
        result = await client.retry_post("r1")
    assert result.post.status == "published"
    assert sleeps.calls == [2.0]


@pytest.mark.asyncio
async def test_remaining_zero_slows_down_the_next_request():
    script = Script(reply(200, OK_POST, headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0",
                                                 "X-RateLimit-Reset": str(int(NOW + 4))}),
                    reply(200, OK_POST, headers={"X-RateLimit-Remaining": "59",
                                                 "X-RateLimit-Reset": str(int(NOW + 60))}),
                    reply(200, OK_POST))
    client, sleeps = make_client(script)
    async with client:
        await client.get_post("p1")
        assert sleeps.calls == []  # nothing waits before it is needed
        await client.get_post("p1")
        await client.get_post("p1")
    assert sleeps.calls == [4.0]
    assert client.stats.throttle_waits == 1
    assert client.stats.retries == 0


# --- create: safe to resend thanks to the Idempotency-Key ---------------------------------------------------


@pytest.mark.asyncio
async def test_create_is_retried_with_the_same_key_and_request_id():
    script = Script(httpx.ReadTimeout("publishing takes long"), dropped(), reply(502, {"error": "upstream"}),
                    reply(409, {"error": "Request with this key is in progress", "code": "idempotency_conflict"},
                          headers={"Retry-After": "3"}),
                    reply(200, {"message": "Post already exists (idempotent retry)", "post": post_json("orig")}))
    client, sleeps = make_client(script)
    async with client:
        result = await client.create_post({"content": "x"}, idempotency_key="latecal-abc")
    assert result.post_id == "orig"
    assert result.status_code == 200
    assert script.count == 5
    assert script.header("Idempotency-Key") == ["latecal-abc"] * 5
    assert len(set(script.header("x-request-id"))) == 1
    assert sleeps.calls == [0.5, 1.0, 2.0, 3.0]
    assert len(set(script.bodies)) == 1  # the same body every time


@pytest.mark.asyncio
async def test_idempotency_conflict_that_persists_surfaces():
    script = Script(reply(409, {"error": "in progress", "code": "idempotency_conflict"},
                          headers={"Retry-After": "1"}), repeat_last=True)
    client, sleeps = make_client(script, max_retries=2)
    async with client:
        with pytest.raises(LateIdempotencyConflict) as info:
            await client.create_post({"content": "x"}, idempotency_key="k")
    assert script.count == 3
    assert sleeps.calls == [1.0, 1.0]
    assert info.value.retry_after == 1.0


@pytest.mark.asyncio
async def test_duplicate_409_is_not_retried_and_names_the_existing_post():
    body = {"error": "This exact content was already posted to this account within the last 24 hours.",
            "details": {"accountId": "acc1", "platform": "twitter", "existingPostId": "existing-42"}}
    script = Script(reply(409, body))
    client, sleeps = make_client(script)
    async with client:
        with pytest.raises(LateDuplicatePost) as info:
            await client.create_post({"content": "x"}, idempotency_key="k")
    assert script.count == 1
    assert sleeps.calls == []
    assert info.value.existing_post_id == "existing-42"
    assert (info.value.account_id, info.value.platform) == ("acc1", "twitter")


# --- unsafe POSTs: only when nothing was acted on -----------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", [httpx.ReadTimeout("t"), dropped(), httpx.ReadError("r")])
async def test_retry_endpoint_is_not_resent_after_it_may_have_run(failure):
    script = Script(failure)
    client, sleeps = make_client(script)
    async with client:
        with pytest.raises((LateTimeout, LateConnectionError)):
            await client.retry_post("p1")
    assert script.count == 1
    assert sleeps.calls == []


@pytest.mark.asyncio
async def test_retry_endpoint_5xx_is_not_resent():
    script = Script(reply(500, {"error": "publish crashed"}))
    client, _ = make_client(script)
    async with client:
        with pytest.raises(LateServerError):
            await client.retry_post("p1")
    assert script.count == 1


@pytest.mark.asyncio
async def test_unsafe_posts_are_resent_after_connect_errors():
    script = Script(httpx.ConnectError("refused"), httpx.ConnectTimeout("t"),
                    reply(200, {"message": "ok", "post": post_json()}))
    client, sleeps = make_client(script)
    async with client:
        await client.retry_post("p1")
    assert script.count == 3
    assert sleeps.calls == [0.5, 1.0]


@pytest.mark.asyncio
async def test_publishing_put_is_not_resent_after_a_timeout():
    script = Script(httpx.ReadTimeout("publishing"))
    client, _ = make_client(script)
    async with client:
        with pytest.raises(LateTimeout):
            await client.update_post("p1", {"publishNow": True})
    assert script.count == 1


@pytest.mark.asyncio
async def test_bulk_upload_is_not_resent_but_a_dry_run_is():
    script = Script(httpx.ReadTimeout("t"))
    client, _ = make_client(script)
    async with client:
        with pytest.raises(LateTimeout):
            await client.bulk_upload(b"a,b\n")
    assert script.count == 1
    script = Script(httpx.ReadTimeout("t"), reply(200, {"total": 0, "valid": 0, "invalid": 0, "results": []}))
    client, _ = make_client(script)
    async with client:
        await client.bulk_upload(b"a,b\n", dry_run=True)
    assert script.count == 2


@pytest.mark.asyncio
async def test_presign_is_resent_only_when_nothing_was_sent():
    script = Script(httpx.ReadTimeout("t"))
    client, _ = make_client(script)
    async with client:
        with pytest.raises(LateTimeout):
            await client.presign_media("a.png", "image/png", 10)
    assert script.count == 1


# --- never retried -----------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(("status", "cls"), [(400, LateValidationError), (401, LateAuthError), (403, LateForbidden),
                                             (404, LateNotFound), (422, LateValidationError)])
async def test_client_errors_are_not_retried(status, cls):
    script = Script(reply(status, {"error": "no"}), repeat_last=True)
    client, sleeps = make_client(script)
    async with client:
        with pytest.raises(cls):
            await client.get_post("p1")
        with pytest.raises(cls):
            await client.create_post({"content": "x"}, idempotency_key="k")
    assert script.count == 2
    assert sleeps.calls == []


# --- DELETE: a 404 after an attempt that may have deleted it means done ------------------------------------


@pytest.mark.asyncio
async def test_delete_404_after_a_dropped_attempt_is_already_gone():
    script = Script(dropped(), reply(404, {"error": "Not found"}))
    client, _ = make_client(script)
    async with client:
        result = await client.delete_post("p1")
    assert result.already_gone
    assert script.count == 2


@pytest.mark.asyncio
async def test_delete_404_first_time_is_not_found():
    client, _ = make_client(Script(reply(404, {"error": "Not found"})))
    async with client:
        with pytest.raises(LateNotFound):
            await client.delete_post("p1")


@pytest.mark.asyncio
async def test_delete_404_after_connect_error_is_still_not_found():
    # The first attempt never reached the server, so the 404 is real.
    client, _ = make_client(Script(httpx.ConnectError("refused"), reply(404, {"error": "Not found"})))
    async with client:
        with pytest.raises(LateNotFound):
            await client.delete_post("p1")


@pytest.mark.asyncio
async def test_request_ids_differ_between_logical_calls():
    script = Script(reply(200, OK_POST), reply(200, OK_POST))
    client, _ = make_client(script)
    async with client:
        await client.get_post("p1")
        await client.get_post("p1")
    a, b = script.header("x-request-id")
    assert a != b


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", [reply(503, {"error": "down"}), dropped(), httpx.ReadTimeout("slow")])
async def test_an_update_is_not_resent_after_the_server_may_have_seen_it(failure):
    """Late has no conditional PUT: a resend seconds later could overwrite a teammate's change made meanwhile.
    The sync engine sends it again after its next pull instead."""
    script = Script(failure, reply(200, {"message": "Post updated", "post": post_json("p1")}))
    client, sleeps = make_client(script)
    async with client:
        with pytest.raises(LateError):
            await client.update_post("p1", {"content": "x"})
    assert script.count == 1 and sleeps.calls == []


@pytest.mark.asyncio
async def test_an_update_that_never_left_is_retried():
    script = Script(httpx.ConnectError("refused"), reply(200, {"message": "Post updated", "post": post_json("p1")}))
    client, _ = make_client(script)
    async with client:
        result = await client.update_post("p1", {"content": "x"})
    assert result.status_code == 200 and script.count == 2
