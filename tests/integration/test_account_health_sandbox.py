"""Late's accounts health check on the sandbox over loopback: its shape (late-api.md §10), the control API that
disconnects an account or makes its token expire, the client's reader, and the engine that keeps it (on its
timer and on every Sync press)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Literal

import httpx
import pytest
import pytest_asyncio
from pydantic import BaseModel, ConfigDict

from latecal.late.client import LateClient
from latecal.store import Store
from latecal.sync import SyncEngine
from latecal.sync import engine as engine_module
from sandbox_support import ACCOUNTS, KEY, fresh, module_sandbox, seed_basic

shared_server = module_sandbox(seed=19)


# Late's schema for the health check (late-api.md §10, read from Late's openapi.yaml; the same fields and types as
# the generated model GetAllAccountsHealth200ResponseAccountsInner in getlate-dev/late-rust, issues a list of
# strings). The Python SDK (late-sdk 1.4.1385) returns these bodies as plain dicts and ships no model for them, so
# the shape is held here: nothing missing, nothing Late does not send.
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HealthSummary(_Strict):
    total: int
    healthy: int
    warning: int
    error: int
    needsReconnect: int


class AccountHealthEntry(_Strict):
    accountId: str
    platform: str
    username: str
    displayName: str
    profileId: str
    status: Literal["healthy", "warning", "error"]
    canPost: bool
    canFetchAnalytics: bool
    tokenValid: bool
    tokenExpiresAt: datetime | None = None
    needsReconnect: bool
    issues: list[str]


class AccountsHealthResponse(_Strict):
    summary: HealthSummary
    accounts: list[AccountHealthEntry]


class TokenStatus(_Strict):
    valid: bool
    expiresAt: datetime | None
    expiresIn: int | None
    needsRefresh: bool


class Permissions(_Strict):
    posting: list[str]
    analytics: list[str]
    optional: list[str]
    canPost: bool
    canFetchAnalytics: bool
    missingRequired: list[str]


class OneAccountHealth(_Strict):
    accountId: str
    platform: str
    username: str
    displayName: str
    status: Literal["healthy", "warning", "error"]
    tokenStatus: TokenStatus
    permissions: Permissions
    issues: list[str]
    recommendations: list[str]


@pytest.fixture
def server(shared_server):
    yield from fresh(shared_server, seed_basic)


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10) as c:
        yield c


def flip(server, platform: str, **body) -> dict:
    """The control API: disconnect/reconnect an account, or set when its token expires."""
    r = httpx.post(f"{server.control_url}/accounts/{ACCOUNTS[platform]}/health", json=body, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def in_hours(server, hours: float) -> str:
    return (server.sandbox.state.now() + timedelta(hours=hours)).isoformat()


def health_of(http, platform: str) -> AccountHealthEntry:
    body = AccountsHealthResponse.model_validate(http.get("/v1/accounts/health").json())
    return next(a for a in body.accounts if a.accountId == ACCOUNTS[platform])


def test_health_has_lates_shape_and_follows_the_control_api(server, http):
    body = AccountsHealthResponse.model_validate(http.get("/v1/accounts/health").json())
    assert body.summary.total == len(ACCOUNTS) == len(body.accounts)
    assert body.summary.needsReconnect == 1  # the seeded threads account is disconnected
    threads = health_of(http, "threads")
    assert (threads.canPost, threads.needsReconnect, threads.status) == (False, True, "error")
    assert threads.issues

    flip(server, "bluesky", connected=False)
    bluesky = health_of(http, "bluesky")
    assert (bluesky.canPost, bluesky.needsReconnect, bluesky.status) == (False, True, "error")
    listed = next(a for a in http.get("/v1/accounts").json()["accounts"] if a["_id"] == ACCOUNTS["bluesky"])
    assert listed["isActive"] is False and listed["needsReconnection"] is True

    flip(server, "twitter", tokenExpiresAt=in_hours(server, 2))
    twitter = health_of(http, "twitter")
    assert (twitter.canPost, twitter.status, twitter.tokenExpiresAt is not None) == (True, "warning", True)
    assert "__tokenExpiresAt" not in str(http.get("/v1/accounts").json())  # Late's list has no such field
    server.advance(3 * 3600)
    twitter = health_of(http, "twitter")
    assert (twitter.canPost, twitter.needsReconnect, twitter.status) == (False, True, "error")

    one = OneAccountHealth.model_validate(http.get(f"/v1/accounts/{ACCOUNTS['twitter']}/health").json())
    assert (one.permissions.canPost, one.tokenStatus.valid, one.tokenStatus.expiresIn) == (False, False, 0)
    assert http.get("/v1/accounts/ffffffffffffffffffffffff/health").status_code == 404
    assert http.get("/v1/accounts/health", params={"status": "error"}).json()["summary"]["total"] == 3
    assert http.get("/v1/accounts/health", params={"status": "bad"}).status_code == 400


def test_a_post_due_after_its_accounts_token_expired_fails_on_that_platform(server, http):
    flip(server, "twitter", tokenExpiresAt=in_hours(server, 1))
    r = http.post("/v1/posts", json={"content": "After the token", "scheduledFor": in_hours(server, 2),
                                     "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"]}]})
    assert r.status_code == 201, r.text
    server.advance(3 * 3600)
    server.tick()
    post = http.get(f"/v1/posts/{r.json()['post']['_id']}").json()["post"]
    assert post["status"] == "failed"
    assert "disconnected" in post["platforms"][0]["errorMessage"]


def test_control_api_refuses_what_it_cannot_do(server):
    assert httpx.post(f"{server.control_url}/accounts/nope/health", json={"connected": False}).status_code == 404
    url = f"{server.control_url}/accounts/{ACCOUNTS['twitter']}/health"
    assert httpx.post(url, json={"connected": "no"}).status_code == 400
    assert httpx.post(url, json={"tokenExpiresAt": "soon"}).status_code == 400


# ------------------------------------------------------------------ the client and the engine


@pytest_asyncio.fixture
async def client(server) -> AsyncIterator[LateClient]:
    async def no_sleep(_s: float) -> None:
        return None

    async with LateClient(KEY, server.base_url, sleep=no_sleep) as c:
        yield c


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "posts.sqlite3", clock=None)
    yield s
    s.close()


@pytest.mark.asyncio
async def test_client_reads_health_and_says_none_where_late_has_no_such_endpoint(server, client):
    flip(server, "bluesky", connected=False)
    health = await client.account_health()
    assert health[ACCOUNTS["bluesky"]].can_post is False
    assert health[ACCOUNTS["twitter"]].can_post is True
    server.add_fault("status", route="GET /v1/accounts/health", status=404)
    assert await client.account_health() is None


@pytest.mark.asyncio
async def test_sync_keeps_each_accounts_health_in_the_store(server, client, store):
    flip(server, "twitter", tokenExpiresAt=in_hours(server, 5))
    flip(server, "bluesky", connected=False)
    engine = SyncEngine(store, client, clock=server.sandbox.state.now)
    await engine.run_once()
    accounts = {a.id: a for a in store.accounts()}
    twitter, bluesky = accounts[ACCOUNTS["twitter"]], accounts[ACCOUNTS["bluesky"]]
    assert twitter.can_post and twitter.token_expires_at is not None
    assert abs((twitter.token_expires_at - server.sandbox.state.now()) - timedelta(hours=5)) < timedelta(seconds=5)
    assert (bluesky.can_post, bluesky.needs_reconnection) == (False, True)
    assert bluesky.issues == ("Account is disconnected. Reconnect it to resume posting.",)


@pytest.mark.asyncio
async def test_without_a_health_endpoint_the_accounts_list_still_says_who_is_disconnected(server, client, store):
    server.add_fault("status", route="GET /v1/accounts/health", status=404)
    flip(server, "bluesky", connected=False)
    await SyncEngine(store, client, clock=server.sandbox.state.now).run_once()
    accounts = {a.id: a for a in store.accounts()}
    assert accounts[ACCOUNTS["bluesky"]].connected is False
    assert accounts[ACCOUNTS["twitter"]].connected is True


@pytest.mark.asyncio
async def test_a_health_check_that_fails_keeps_the_health_known_before(server, client, store):
    flip(server, "twitter", tokenExpiresAt=in_hours(server, 5))
    engine = SyncEngine(store, client, clock=server.sandbox.state.now)
    await engine.run_once()
    server.add_fault("status", route="GET /v1/accounts/health", status=400)
    report = await engine.run_once(refresh_accounts=True)
    assert report.synced  # the list and the posts were read: the step did its work
    assert {a.id: a for a in store.accounts()}[ACCOUNTS["twitter"]].token_expires_at is not None


async def _next_report(engine: SyncEngine, action) -> object:
    done = asyncio.get_running_loop().create_future()
    listener = engine_module.SyncListener(finished=lambda r: done.done() or done.set_result(r))
    engine.add_listener(listener)
    action()
    report = await asyncio.wait_for(done, 10)
    engine._listeners.remove(listener)
    return report


@pytest.mark.asyncio
async def test_a_sync_press_reads_the_accounts_again_and_a_timed_run_does_not(server, client, store):
    engine = SyncEngine(store, client, clock=server.sandbox.state.now)
    task = asyncio.create_task(_next_report(engine, lambda: None))
    runner = asyncio.create_task(engine.run_forever())
    try:
        await task  # the first run reads the accounts
        flip(server, "bluesky", connected=False)

        await _next_report(engine, engine.sync_now)  # a run the user did not ask for: the 10-minute timer holds
        assert {a.id: a for a in store.accounts()}[ACCOUNTS["bluesky"]].can_post is True

        await _next_report(engine, lambda: engine.sync_now(asked=True))  # the Sync press
        assert {a.id: a for a in store.accounts()}[ACCOUNTS["bluesky"]].can_post is False
    finally:
        runner.cancel()
        with pytest.raises(asyncio.CancelledError):
            await runner


@pytest.mark.asyncio
async def test_a_sync_press_during_a_run_reads_the_accounts_on_the_run_after_it(server, client, store):
    engine = SyncEngine(store, client, clock=server.sandbox.state.now)
    now = server.sandbox.state.now()
    engine.set_window(now - timedelta(days=7), now + timedelta(days=14))  # each run pulls the posts
    first = asyncio.create_task(_next_report(engine, lambda: None))
    runner = asyncio.create_task(engine.run_forever())
    try:
        await first
        hold = server.hold("GET /v1/posts")  # the next run stops in its pull, after its accounts step
        second = asyncio.create_task(_next_report(engine, engine.sync_now))
        await asyncio.to_thread(server.wait_held, hold)
        flip(server, "bluesky", connected=False)
        engine.sync_now(asked=True)  # pressed while that run is under way
        server.release(hold)
        await second
        assert {a.id: a for a in store.accounts()}[ACCOUNTS["bluesky"]].can_post is True  # read before the press
        await _next_report(engine, lambda: None)  # the run the press asked for
        assert {a.id: a for a in store.accounts()}[ACCOUNTS["bluesky"]].can_post is False
    finally:
        runner.cancel()
        with pytest.raises(asyncio.CancelledError):
            await runner
