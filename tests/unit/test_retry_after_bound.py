"""The client waits inside a request only for a short hint from Late; a longer Retry-After (or a used-up window
far off) is handed to the caller at once, so a sync run never sits for minutes on one request."""

from __future__ import annotations

import pytest
from test_client_support import NOW, Script, make_client, post_json, reply

from latecal.late.errors import LateRateLimited
from latecal.late.ratelimit import INLINE_WAIT_S, Throttle
from latecal.late.retry import RetryPolicy

OK_POST = {"post": post_json("p1")}


def test_the_default_policy_sleeps_only_short_server_hints():
    policy = RetryPolicy()
    assert policy.wait(1, INLINE_WAIT_S, lambda: 1.0) == INLINE_WAIT_S
    assert policy.wait(1, INLINE_WAIT_S + 0.5, lambda: 1.0) is None
    assert policy.wait(1, 110.0, lambda: 1.0) is None


@pytest.mark.asyncio
async def test_a_retry_after_of_110_seconds_is_raised_at_once_with_its_wait():
    script = Script(reply(429, {"error": "Rate limit exceeded"}, headers={"Retry-After": "110"}),
                    reply(200, OK_POST))
    client, sleeps = make_client(script)
    async with client:
        with pytest.raises(LateRateLimited) as info:
            await client.get_post("p1")
    assert sleeps.calls == [] and script.count == 1  # no wait, no second request
    assert info.value.retry_after == 110.0


@pytest.mark.asyncio
async def test_a_rate_limit_reset_far_off_is_raised_at_once():
    script = Script(reply(429, {"error": "Rate limit exceeded"},
                          headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW + 50))}))
    client, sleeps = make_client(script)
    async with client:
        with pytest.raises(LateRateLimited) as info:
            await client.get_post("p1")
    assert sleeps.calls == []
    assert info.value.retry_after == 50.0


def test_the_throttle_waits_at_most_the_inline_bound_for_a_used_up_window():
    now = [NOW]
    throttle = Throttle(lambda: now[0])
    throttle.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW + 55))})
    assert throttle.delay() == INLINE_WAIT_S  # then the request goes, and a 429 says how long to wait
