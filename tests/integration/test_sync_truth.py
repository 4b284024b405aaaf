"""A run is never ended by one odd post or one failed step, and its report tells the truth: the sync engine on a
real sandbox over loopback (behind a small proxy of the test's own where Late has to send odd posts), with a
real SQLite store."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest
import pytest_asyncio

from latecal.core.models import Post, Target
from latecal.late.client import LateClient
from latecal.sandbox.runner import SandboxServer
from latecal.store import Store
from latecal.sync import SyncEngine
from latecal.sync import pull as pull_module
from listing_proxy import ListingProxy
from sandbox_support import ACCOUNTS, KEY, fresh, module_sandbox, sandbox_posts, seed_basic

pytestmark = pytest.mark.asyncio

shared_server = module_sandbox(seed=15)


@pytest.fixture
def server(shared_server) -> Iterator[SandboxServer]:
    yield from fresh(shared_server, seed_basic)


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    s = Store.open(tmp_path / "posts.sqlite3", clock=None)
    yield s
    s.close()


class Sleeps:
    """The client's sleep, recorded: a run that waits out Late's hints inside a request shows here."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def _engine(store: Store, client: LateClient, server: SandboxServer) -> SyncEngine:
    engine = SyncEngine(store, client, clock=lambda: server.sandbox.state.now())
    now = server.sandbox.state.now()
    engine.set_window(now - timedelta(days=7), now + timedelta(days=14))
    return engine


@pytest_asyncio.fixture
async def engine(store, server) -> AsyncIterator[SyncEngine]:
    async with LateClient(KEY, server.base_url, sleep=Sleeps()) as client:
        yield _engine(store, client, server)


def _local_post(server: SandboxServer, text: str, hours: float = 24) -> Post:
    when = (server.sandbox.state.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    return Post(content=text, scheduled_for=when, status="scheduled", targets=[Target("twitter", ACCOUNTS["twitter"])])


def _made_on_late(server: SandboxServer, text: str, hours: float = 30) -> str:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        when = (server.sandbox.state.now() + timedelta(hours=hours)).isoformat()
        answer = http.post("/v1/posts", json={"content": text, "scheduledFor": when,
                                              "platforms": [{"platform": "linkedin",
                                                             "accountId": ACCOUNTS["linkedin"]}]})
        assert answer.status_code == 201, answer.text
        return answer.json()["post"]["_id"]


def _odd_post(late_id: str, when: str, text: str) -> dict:
    return {"_id": late_id, "status": "scheduled", "content": text, "scheduledFor": when,
            "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"], "status": "pending"}],
            "updatedAt": "2026-01-01T00:00:00Z"}


YEAR_1 = _odd_post("65f1c0a9e2b5af0012ad0001", "0001-01-01T00:00:00Z", "From the year 1")
YEAR_9999 = _odd_post("65f1c0a9e2b5af0012ad0002", "9999-12-31T23:59:59Z", "From the year 9999")


# -- odd posts -----------------------------------------------------------------------------------------------


async def test_year_1_and_year_9999_posts_do_not_stop_syncing(store, server):
    good_id = _made_on_late(server, "Made on the web app")
    with ListingProxy(server.origin, [YEAR_1, YEAR_9999]) as proxy:
        async with LateClient(KEY, proxy.base_url, sleep=Sleeps()) as client:
            engine = _engine(store, client, server)
            first = await engine.run_once()
            assert proxy.listings >= 1  # Late sent the odd posts
            # the second run lists around past-due posts: the year-1 post was the one that crashed every run
            mine = store.save_post(_local_post(server, "Spring collection on Monday"))
            second = await engine.run_once()
    for report in (first, second):
        assert not report.failed and not report.errors, report.errors
        assert report.synced
    assert store.get_by_late_id(good_id) is not None  # the good post synced
    year_1 = store.get_by_late_id(YEAR_1["_id"])  # kept, its absurd time unread and marked
    assert year_1.scheduled_for is None and year_1.read_problems == ("scheduledFor",)
    assert store.get_by_late_id(YEAR_9999["_id"]).read_problems == ("scheduledFor",)
    assert second.pushed == 1  # and the push went
    pushed = store.get_post(mine.local_id)
    assert pushed.late_id in {p["_id"] for p in sandbox_posts(server)}


async def test_posts_late_sent_unreadable_are_counted(store, server):
    nameless = {"content": "No id at all", "status": "scheduled"}
    with ListingProxy(server.origin, [nameless, YEAR_1]) as proxy:
        async with LateClient(KEY, proxy.base_url, sleep=Sleeps()) as client:
            report = await _engine(store, client, server).run_once()
    assert report.bad_posts == 1
    assert store.get_by_late_id(YEAR_1["_id"]) is not None  # the readable one is kept
    assert not report.failed


async def test_a_merge_that_fails_for_one_post_is_written_down_and_the_others_sync(store, server, engine,
                                                                                   monkeypatch):
    first_id = _made_on_late(server, "First", hours=20)
    second_id = _made_on_late(server, "Second", hours=40)
    stage = pull_module.Puller._stage  # each listed post is decided alone, then its slice is written at once

    def stage_but_first(self, remote, *args, **kwargs):
        if remote.late_id == first_id:
            raise ValueError("a field this app cannot work with")
        return stage(self, remote, *args, **kwargs)

    monkeypatch.setattr(pull_module.Puller, "_stage", stage_but_first)
    mine = store.save_post(_local_post(server, "Queued behind the odd one"))
    report = await engine.run_once()
    assert store.get_by_late_id(second_id) is not None and store.get_by_late_id(first_id) is None
    assert report.errors == [f"Post {first_id} could not be merged: a field this app cannot work with"]
    assert report.pushed == 1 and store.get_post(mine.local_id).late_id


def _delete_on_late(server: SandboxServer, late_id: str) -> None:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.delete(f"/v1/posts/{late_id}").is_success


async def test_a_post_whose_check_cannot_be_read_stays_and_the_run_goes_on(store, server, engine):
    moved_id = _made_on_late(server, "Moved on the web app")
    await engine.run_once()
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        later = (server.sandbox.state.now() + timedelta(days=60)).isoformat()
        assert http.put(f"/v1/posts/{moved_id}", json={"scheduledFor": later}).is_success
    # missing from the next listing of the dates around it: checked with one GET, whose answer comes garbled
    server.add_fault("malformed", route="GET /v1/posts/")
    mine = store.save_post(_local_post(server, "Sent anyway"))
    report = await engine.run_once()
    assert store.get_by_late_id(moved_id) is not None  # kept as it was: nothing of Late's copy could be read
    (error,) = report.errors
    assert error.startswith("Late's copy of “Moved on the web app” could not be checked: "), error
    assert not report.failed and report.pushed == 1 and store.get_post(mine.local_id).late_id


async def test_late_failing_with_5xx_on_a_check_stops_the_pull_not_the_push(store, server, engine):
    gone_ids = [_made_on_late(server, f"Deleted on the web app {n}", hours=20 + n) for n in range(3)]
    await engine.run_once()
    for late_id in gone_ids:
        _delete_on_late(server, late_id)
    server.add_fault("status", route="GET /v1/posts/", status=503)
    server.reset_stats()
    mine = store.save_post(_local_post(server, "Sent anyway"))
    report = await engine.run_once()
    checks = sum(n for route, n in server.stats()["requests"].items() if route.startswith("GET /v1/posts/"))
    assert checks <= 5, checks  # one check and the client's retries: not every post's, one after another
    assert report.failed and not report.synced
    assert report.errors[0].startswith("Could not read Late's posts: "), report.errors
    assert report.pushed == 1 and store.get_post(mine.local_id).late_id


# -- a failed step never ends the run, and is never "read everything" ----------------------------------------


async def test_a_page_that_cannot_be_parsed_still_lets_the_push_go(store, server, engine):
    server.add_fault("malformed", route="GET /v1/posts")  # every listing page garbled
    mine = store.save_post(_local_post(server, "Sent although the pull failed"))
    report = await engine.run_once()
    assert report.failed and not report.synced
    assert report.errors and report.errors[0].startswith("Could not read Late's posts: ")
    assert report.pushed == 1
    server.clear_faults()
    assert store.get_post(mine.local_id).late_id in {p["_id"] for p in sandbox_posts(server)}


async def test_accounts_that_cannot_be_read_still_let_the_pull_and_the_push_go(store, server, engine):
    late_id = _made_on_late(server, "Made on the web app")
    server.add_fault("malformed", route="GET /v1/accounts")
    mine = store.save_post(_local_post(server, "Sent although the accounts failed"))
    report = await engine.run_once()
    assert report.errors[0].startswith("Could not read Late's accounts: ")
    assert report.read_everything and not report.synced  # Late's posts were read, but a step failed
    assert store.get_by_late_id(late_id) is not None
    assert report.pushed == 1 and store.get_post(mine.local_id).late_id


async def test_a_run_that_crashes_is_a_failure_not_synced(store, server, engine, monkeypatch):
    def crash(*_args, **_kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(pull_module, "listing_ranges", crash)  # the crash every run met before
    mine = store.save_post(_local_post(server, "Still sent"))
    report = await engine.run_once()
    assert report.failed and not report.synced and not report.ok
    assert report.errors[0] == "Could not read Late's posts: date value out of range"
    assert report.pushed == 1 and store.get_post(mine.local_id).late_id


async def test_a_crash_outside_any_step_is_reported_as_a_failure(store, server, engine, monkeypatch):
    def crash(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pull_module.Puller, "__init__", crash)  # (made between the steps of a run)
    report = await engine.run_once()
    assert report.failed and not report.synced
    assert report.errors == ["Syncing stopped on an unexpected error (a bug); it is tried again on the next sync."]
    assert engine.last_report is report


def _fill_the_disk(store: Store) -> None:
    """The store's file may not grow by one more page: what SQLite meets on a full disk (SQLITE_FULL)."""
    db = store._db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


async def test_a_full_disk_during_the_pulls_commit_is_said_with_its_cause(store, server, engine):
    await engine.run_once()  # accounts and profiles are stored; the next run does not refresh them
    for n in range(40):
        _made_on_late(server, f"Made on Late {n} " + "x" * 400, hours=10 + n)
    _fill_the_disk(store)
    report = await engine.run_once()
    assert report.errors[0] == "Could not save Late's changes: the disk is full", report.errors
    assert report.failed and not report.synced
    with pytest.raises(sqlite3.OperationalError):  # (the store really is full)
        store._db.execute("CREATE TABLE filler (x)")


# -- pushes Late fails with a 5xx ----------------------------------------------------------------------------


async def test_changes_failing_with_5xx_are_reported_with_their_retry_time(store, server, engine):
    server.add_fault("status", route="POST /v1/posts", status=503)
    mine = store.save_post(_local_post(server, "Late is down"))
    report = await engine.run_once()
    assert report.pushed == 0 and not report.rejected
    (entry,) = store.outbox_entries(mine.local_id)
    assert report.unsent == 1
    assert report.unsent_retry_at == entry.next_attempt_at > server.sandbox.state.now()
    assert "503" in report.unsent_reason or report.unsent_reason == entry.last_error
    assert engine.next_interval() <= (entry.next_attempt_at - server.sandbox.state.now()).total_seconds() + 1
    again = await engine.run_once()  # still waiting: said again, not forgotten
    assert again.unsent == 1 and again.unsent_retry_at == entry.next_attempt_at
    server.clear_faults()
    server.advance((entry.next_attempt_at - server.sandbox.state.now()).total_seconds() + 1)
    done = await engine.run_once()
    assert done.pushed == 1 and done.unsent == 0


# -- a long Retry-After --------------------------------------------------------------------------------------


async def test_a_long_retry_after_is_said_at_once_and_not_waited_out(store, server):
    sleeps = Sleeps()
    async with LateClient(KEY, server.base_url, sleep=sleeps) as client:
        engine = _engine(store, client, server)
        await engine.run_once()
        server.add_fault("rate_limit", route="GET /v1/posts", retryAfter=110)
        sleeps.calls.clear()
        server.reset_stats()
        now = server.sandbox.state.now()
        report = await engine.run_once()
    assert sum(sleeps.calls) < 1, sleeps.calls  # was 110 s × 4 inside one run
    assert server.stats()["requests"].get("GET /v1/posts", 0) == 1
    assert report.rate_limited_until is not None
    assert abs((report.rate_limited_until - (now + timedelta(seconds=110))).total_seconds()) < 2
    assert engine.limited_until == report.rate_limited_until
