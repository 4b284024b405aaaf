"""Requests only on change (issue 16), against a real sandbox over loopback with a real store: between full
listings a run reads Late's publishing log and re-lists only what it names; a publish recolours within 15 s
on the engine's own cadence; the whole window is listed again on the slow cadence, on Sync and after an edit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from itertools import pairwise

import httpx
import pytest
import pytest_asyncio

from latecal.core.models import Post, Target
from latecal.late.client import LateClient
from latecal.store import Store
from latecal.sync import SyncEngine
from latecal.sync.pull_plan import FULL_EVERY_MAX, FULL_EVERY_MIN
from sandbox_support import ACCOUNTS, KEY, fresh, module_sandbox, seed_basic

pytestmark = pytest.mark.asyncio

shared_server = module_sandbox(seed=16)


@pytest.fixture
def server(shared_server):
    yield from fresh(shared_server, seed_basic)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "posts.sqlite3", clock=None)
    yield s
    s.close()


@pytest_asyncio.fixture
async def client(server) -> AsyncIterator[LateClient]:
    async def no_sleep(seconds: float) -> None:
        return None

    async with LateClient(KEY, server.base_url, sleep=no_sleep) as c:
        yield c


@pytest.fixture
def engine(store, client, server) -> SyncEngine:
    eng = SyncEngine(store, client, clock=lambda: server.sandbox.state.now())
    now = server.sandbox.state.now()
    eng.set_window(now - timedelta(days=14), now + timedelta(days=28))
    return eng


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def _in(server, minutes: float) -> datetime:
    return (server.sandbox.state.now() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def _seed_window(server, n: int = 40) -> None:
    """``n`` posts of other accounts spread over the coming weeks: what a full listing reads and a narrow one not."""
    now = server.sandbox.state.now()
    server.seed(posts=[{"content": f"later {i}", "status": "scheduled",
                        "scheduledFor": _iso(now + timedelta(hours=6 + 12 * i)),
                        "platforms": [{"platform": "linkedin" if i % 2 else "youtube",
                                       "accountId": ACCOUNTS["linkedin" if i % 2 else "youtube"]}]}
                       for i in range(n)])


def _due_post(server, text: str, minutes: float, platform: str = "twitter") -> Post:
    return Post(content=text, scheduled_for=_in(server, minutes), status="scheduled",
                targets=[Target(platform, ACCOUNTS[platform])])


def _requests(server) -> dict[str, int]:
    return server.stats()["requests"]


async def _step(engine, server) -> float:
    """One turn of ``run_forever`` on simulated time: wait the engine's own interval, let Late's publisher run,
    make the run the cadence makes. Returns the seconds waited."""
    wait = engine.next_interval()
    server.advance(wait)
    server.tick()
    await engine.run_scheduled()
    return wait


async def test_a_publish_seen_in_the_log_re_lists_only_its_accounts_due_range(store, engine, server):
    _seed_window(server)
    post = store.save_post(_due_post(server, "Due in two minutes", 2))
    neighbour = store.save_post(_due_post(server, "Also due, on LinkedIn", 4, platform="linkedin"))
    first = await engine.run_once()  # a full listing (start), which pushes both
    assert first.scope == "full" and first.synced and first.inspected >= 40
    server.reset_stats()
    quiet = await engine.run_scheduled()
    assert quiet.scope == "changes" and quiet.synced
    assert _requests(server) == {"GET /v1/logs": 1}  # the log is empty: nothing else is listed
    server.advance(150)  # twitter's post publishes (LinkedIn's is due later)
    server.tick()
    server.reset_stats()
    report = await engine.run_scheduled()
    assert _requests(server) == {"GET /v1/logs": 1, "GET /v1/posts": 1}
    assert store.get_post(post.local_id).status == "published" and report.synced
    assert report.inspected == 1  # the one account's due range, not the window's 40 posts
    assert report.changed[post.local_id] == ("scheduled", "published")
    # a listing of one account's posts infers nothing about another's: the LinkedIn post is kept as it was
    kept = store.get_post(neighbour.local_id)
    assert kept is not None and kept.status == "scheduled" and kept.late_id
    server.reset_stats()
    await engine.run_scheduled()
    assert _requests(server) == {"GET /v1/logs": 1}  # the entry was acted on: not listed for again


@pytest.mark.parametrize("publish_s", [2.0, 20.0, 45.0])
async def test_a_publish_recolours_within_15_seconds_on_the_engines_cadence(store, engine, server, publish_s):
    """Late takes ``publish_s`` to publish; the engine, on its own cadence (simulated time), shows the outcome
    within 15 s of Late finishing it."""
    server.configure(publishDurationSeconds=publish_s)
    _seed_window(server, 10)
    post = store.save_post(_due_post(server, "Launch", 3))
    await engine.run_once()
    start = server.sandbox.state.now()
    while store.get_post(post.local_id).status == "scheduled":
        await _step(engine, server)
        assert server.sandbox.state.now() - start < timedelta(minutes=10)
    seen_at = server.sandbox.state.now()
    assert store.get_post(post.local_id).status == "published"
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        (entry,) = http.get("/v1/logs", params={"accountId": ACCOUNTS["twitter"]}).json()["logs"]
    finished = datetime.fromisoformat(entry["created_at"].replace("Z", "+00:00"))
    assert timedelta(0) <= seen_at - finished <= timedelta(seconds=15)


async def test_the_whole_window_is_listed_on_the_slow_cadence_on_sync_and_after_an_edit(store, engine, server):
    _seed_window(server)
    await engine.run_once()
    server.reset_stats()
    elapsed, scopes = 0.0, []
    while elapsed < 30 * 60:
        elapsed += await _step(engine, server)
        scopes.append((elapsed, engine.last_report.scope))
    fulls = [t for t, scope in scopes if scope == "full"]
    least = FULL_EVERY_MIN.total_seconds() - 1  # (counted from just after the first run began)
    assert fulls and least <= fulls[0] <= FULL_EVERY_MAX.total_seconds() + 60
    assert all(b - a >= least for a, b in pairwise(fulls))
    assert len(fulls) < len(scopes) / 4  # most runs are change checks
    requests = server.stats()["requestsTotal"]
    assert requests / (elapsed / 60) <= 3.0, _requests(server)  # the idle budget, accounts and health included
    # Sync: the window and the accounts, at once
    server.reset_stats()
    engine.sync_now(asked=True)
    report = await engine.run_scheduled()
    assert report.scope == "full" and report.inspected >= 40 and report.synced
    assert _requests(server).get("GET /v1/accounts") == 1
    # a user's edit (the store wakes the engine with sync_now()) is followed by a full run, as before
    store.save_post(_due_post(server, "A new idea", 60 * 24))
    engine.sync_now()
    edited = await engine.run_scheduled()
    assert edited.scope == "full" and edited.pushed == 1
    assert (await engine.run_scheduled()).scope == "changes"


async def test_an_outcome_outside_the_due_range_re_lists_that_accounts_window(store, engine, server):
    """A teammate retries last week's failed post: the entry names the account but no post, and nothing in the
    due range explains it, so that account's posts of the whole window are listed and the post recolours."""
    server.force_outcome(ACCOUNTS["twitter"], "fail", count=1)
    failed = store.save_post(_due_post(server, "Failed last time", 2))
    await engine.run_once()
    server.advance(5 * 60)
    server.tick()
    await engine.run_once()
    assert store.get_post(failed.local_id).status == "failed"
    server.advance(3 * 24 * 3600)  # days later (the post is still in the window)
    await engine.run_once()  # a full listing: the change check reads on from here
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.post(f"/v1/posts/{store.get_post(failed.local_id).late_id}/retry").status_code == 200
    server.reset_stats()
    report = await engine.run_scheduled()
    assert report.scope == "changes"
    assert _requests(server) == {"GET /v1/logs": 1, "GET /v1/posts": 2}  # the due range, then the window
    assert store.get_post(failed.local_id).status == "published"


@pytest.mark.parametrize("refusal", [404, 403])
async def test_without_a_logs_feed_only_the_due_range_is_listed(store, engine, server, refusal):
    """A Late that has no /v1/logs (or not for this plan): posts still recolour, by listing the due range while
    they are due; the feed is asked for again only after the next full listing."""
    _seed_window(server)
    post = store.save_post(_due_post(server, "Due", 2))
    await engine.run_once()
    server.add_fault("status", route="GET /v1/logs", status=refusal)
    server.reset_stats()
    await engine.run_scheduled()
    assert _requests(server) == {"GET /v1/logs": 1}  # nothing due yet: nothing listed
    server.advance(150)
    server.tick()
    report = await engine.run_scheduled()
    assert _requests(server) == {"GET /v1/logs": 1, "GET /v1/posts": 1}  # not asked again; the due range
    assert store.get_post(post.local_id).status == "published" and report.inspected == 1 and report.synced
    server.clear_faults()
    await engine.run_once()  # a full listing
    server.reset_stats()
    assert (await engine.run_scheduled()).scope == "changes"
    assert _requests(server) == {"GET /v1/logs": 1}  # the feed is read again


async def test_a_failing_or_limited_log_check_is_never_synced_and_loses_nothing(store, engine, server):
    """The log answers 500s, then 429: the run says so (never "Synced"), a 429 holds the next run back, and the
    outcome it could not read is found by the next check that can."""
    post = store.save_post(_due_post(server, "Due", 2))
    await engine.run_once()
    server.advance(150)
    server.tick()
    server.add_fault("status", route="GET /v1/logs", status=500)
    failed = await engine.run_scheduled()
    assert failed.scope == "changes" and not failed.synced and failed.errors
    assert store.get_post(post.local_id).status == "scheduled"
    server.clear_faults()
    server.add_fault("rate_limit", route="GET /v1/logs", retryAfter=120, count=1)
    limited = await engine.run_scheduled()
    assert not limited.synced and limited.rate_limited_until is not None
    assert engine.limited_until is not None and engine.next_interval() >= 100
    server.advance(130)
    report = await engine.run_scheduled()
    assert report.synced and store.get_post(post.local_id).status == "published"


async def test_the_queues_are_read_at_start_on_sync_and_hourly_not_with_every_accounts_refresh(engine, server):
    def queue_reads() -> int:
        return sum(n for path, n in _requests(server).items() if "queue/slots" in path)

    await engine.run_once()  # start: accounts, health, profiles and each profile's queues
    assert queue_reads() >= 1
    server.reset_stats()
    server.advance(11 * 60)  # the accounts' ten minutes are up: they are read again, the queues not
    await engine.run_once()
    assert any(path.endswith("/accounts") for path in _requests(server))
    assert queue_reads() == 0
    server.reset_stats()
    await engine.run_once(refresh_accounts=True)  # a Sync press: the queues too
    assert queue_reads() >= 1
    server.reset_stats()
    server.advance(61 * 60)  # an hour on: the timer's refresh reads them again
    await engine.run_once()
    assert queue_reads() >= 1
