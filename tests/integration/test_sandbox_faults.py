"""Fault injection, rate limiting and request ids over real HTTP."""

from __future__ import annotations

import time

import httpx
import pytest

from sandbox_support import KEY, target


def test_request_id_reused_when_valid_else_minted(client):
    assert client.get("/v1/posts", headers={"x-request-id": "abc-123"}).headers["x-request-id"] == "abc-123"
    minted = client.get("/v1/posts", headers={"x-request-id": "bad id with spaces"}).headers["x-request-id"]
    assert minted != "bad id with spaces"
    assert len(minted) == 36


def test_rate_limit_headers_and_429(sandbox, client):
    sandbox.configure(rpmLimit=3)
    seen = [client.get("/v1/posts") for _ in range(3)]
    assert [r.headers["x-ratelimit-remaining"] for r in seen] == ["2", "1", "0"]
    assert all(r.headers["x-ratelimit-limit"] == "3" for r in seen)
    assert int(seen[0].headers["x-ratelimit-reset"]) >= int(time.time())
    r = client.get("/v1/posts")
    assert r.status_code == 429
    assert r.json()["type"] == "rate_limit_error"
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert "x-request-id" in r.headers


def test_429_burst_for_next_n_requests(sandbox, client):
    sandbox.add_fault("rate_limit", count=2, retryAfter=7, route="GET /v1/posts")
    codes = [client.get("/v1/posts") for _ in range(3)]
    assert [r.status_code for r in codes] == [429, 429, 200]
    assert codes[0].headers["retry-after"] == "7"
    assert client.get("/v1/accounts").status_code == 200


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_for_next_n_requests_not_processed(sandbox, client, status):
    sandbox.add_fault("status", status=status, count=1, route="POST /v1/posts")
    r = client.post("/v1/posts", json={"content": "x"}, headers={"Idempotency-Key": "k5"})
    assert r.status_code == status
    assert r.json()["type"] == "api_error"
    assert sandbox.stats()["postsTotal"] == 0
    assert client.post("/v1/posts", json={"content": "x"}, headers={"Idempotency-Key": "k5"}).status_code == 201


def test_5xx_after_processing_then_idempotent_retry(sandbox, client):
    sandbox.add_fault("status", status=502, count=1, processed=True)
    body = {"content": "saved anyway", "platforms": [target("twitter")], "publishNow": True}
    assert client.post("/v1/posts", json=body, headers={"Idempotency-Key": "k6"}).status_code == 502
    r = client.post("/v1/posts", json=body, headers={"Idempotency-Key": "k6"})
    assert r.status_code == 200
    assert sandbox.stats()["creates_by_idempotency_key"] == {"k6": 1}


def test_5xx_probability_is_seeded(sandbox, client):
    sandbox.add_fault("status", status=500, probability=0.5)
    codes = [client.get("/v1/accounts").status_code for _ in range(40)]
    assert 5 < codes.count(500) < 35
    assert set(codes) == {200, 500}


def test_dropped_connection_before_response(sandbox, client):
    sandbox.add_fault("drop", count=1, route="POST /v1/posts")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post("/v1/posts", json={"content": "lost reply"}, headers={"Idempotency-Key": "k7"})
    assert sandbox.stats()["postsTotal"] == 1  # processed, reply lost
    r = client.post("/v1/posts", json={"content": "lost reply"}, headers={"Idempotency-Key": "k7"})
    assert r.status_code == 200
    assert client.get("/v1/posts").status_code == 200  # the server keeps serving


def test_dropped_connection_unprocessed(sandbox, client):
    sandbox.add_fault("drop", count=1, processed=False)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.post("/v1/posts", json={"content": "never arrived"})
    assert sandbox.stats()["postsTotal"] == 0


def test_dropped_mid_body(sandbox, client):
    sandbox.add_fault("drop", phase="mid_body", count=1, route="GET /v1/posts")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.get("/v1/posts")
    assert client.get("/v1/posts").status_code == 200


def test_malformed_json_body(sandbox, client):
    client.post("/v1/posts", json={"content": "x"})
    sandbox.add_fault("malformed", count=1)
    r = client.get("/v1/posts")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    with pytest.raises(ValueError):
        r.json()


def test_latency_and_slow_body(sandbox, client):
    sandbox.configure(latencyMs=150)
    t = time.monotonic()
    client.get("/v1/posts")
    assert time.monotonic() - t >= 0.15
    sandbox.configure(latencyMs=0)
    sandbox.add_fault("slow_body", chunks=4, chunkDelayMs=100, count=1)
    t = time.monotonic()
    r = client.get("/v1/accounts")
    assert time.monotonic() - t >= 0.35
    assert r.status_code == 200
    assert r.json()["accounts"]
    sandbox.add_fault("latency", latencyMs=600, count=1)  # past the 0.3 s timeout; short, as it runs on after
    with pytest.raises(httpx.ReadTimeout):
        client.get("/v1/posts", timeout=0.3)


def test_faults_never_touch_control_api(sandbox):
    sandbox.add_fault("status", status=500)
    with httpx.Client(base_url=sandbox.control_url) as ctl:
        assert ctl.get("/stats").status_code == 200
        r = ctl.get("/faults")
        assert r.json()["rules"][0]["kind"] == "status"
        assert ctl.delete("/faults").status_code == 200
    with httpx.Client(base_url=sandbox.base_url, headers={"Authorization": f"Bearer {KEY}"}) as c:
        assert c.get("/v1/posts").status_code == 200
