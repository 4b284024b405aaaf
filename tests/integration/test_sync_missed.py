"""Issue 19 over loopback against the sandbox: a post whose time passed before it reached Late is never sent
with that time (Missed); the outbox's backoff survives wall-clock jumps; the Late id a replayed create learns is
kept before its DELETE; a create whose answer was lost never comes back from a pull as a twin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
import pytest_asyncio

from latecal.core.missed import is_missed
from latecal.core.models import Post, Target
from latecal.late.client import LateClient
from latecal.store import Store
from latecal.sync import SyncEngine
from sandbox_support import ACCOUNTS, KEY, fresh, module_sandbox, sandbox_posts, seed_basic

pytestmark = pytest.mark.asyncio

shared_server = module_sandbox(seed=19)


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
    async with LateClient(KEY, server.base_url, sleep=_no_sleep) as c:
        yield c


async def _no_sleep(seconds: float) -> None:
    return None


class Clocks:
    """A wall clock and a monotonic clock the test moves apart, as a user setting the clock does."""

    def __init__(self, start: datetime) -> None:
        self.wall = start
        self.mono = 1000.0

    def elapse(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


def _engine(store, client, server, clocks: Clocks | None = None) -> tuple[SyncEngine, Clocks]:
    clocks = clocks or Clocks(server.sandbox.state.now())
    engine = SyncEngine(store, client, clock=lambda: clocks.wall, monotonic=lambda: clocks.mono)
    engine.set_window(clocks.wall - timedelta(days=7), clocks.wall + timedelta(days=14))
    return engine, clocks


def _scheduled(when: datetime, text: str = "Doors open in 10 minutes!") -> Post:
    return Post(content=text, status="scheduled", scheduled_for=when.replace(microsecond=0),
                targets=[Target("twitter", ACCOUNTS["twitter"])])


def _post_writes(server) -> int:
    """Creates and updates that reached the sandbox (every request that could carry a ``scheduledFor``)."""
    return sum(n for route, n in server.stats()["requests"].items() if route.startswith(("POST /v1/posts", "PUT")))


# -- Missed: never sent with a time that has passed -------------------------------------------------------------

FAULTS = {
    "offline": ("drop", {"processed": False}),
    "key refused": ("status", {"status": 401}),
    "rate limited": ("rate_limit", {"retryAfter": 30}),
    "server error": ("status", {"status": 503}),
}


@pytest.mark.parametrize("why", [*FAULTS, "app closed"])
async def test_a_post_whose_time_passed_unsent_is_held_as_missed(store, client, server, why):
    engine, clocks = _engine(store, client, server)
    post = store.save_post(_scheduled(clocks.wall + timedelta(minutes=1)))
    if why != "app closed":  # the app was closed: no run at all before the time
        kind, rule = FAULTS[why]
        server.add_fault(kind, route="POST /v1/posts", **rule)
        await engine.run_once()
        server.clear_faults()
        assert sandbox_posts(server) == []
    server.advance(3 * 60)  # the sandbox comes back three minutes later, the post's time gone by
    clocks.elapse(3 * 60)
    engine.resume()  # (a new key, after a refused one)
    server.reset_stats()
    report = await engine.run_once()
    assert _post_writes(server) == 0, f"sent with a past scheduledFor: {server.stats()['requests']}"
    assert sandbox_posts(server) == []
    assert report.missed == [post.local_id]
    held = store.get_post(post.local_id)
    assert is_missed(held, clocks.wall)
    (entry,) = store.outbox_entries(post.local_id)
    assert not entry.parked  # held, not dropped and not refused: the user chooses


async def test_a_replayed_create_whose_time_passed_is_held(store, client, server):
    """The create went out, its answer was lost (a crash, a dropped connection): the replay after the post's time
    would publish it at once with the past time, so it is held as well."""
    engine, clocks = _engine(store, client, server)
    post = store.save_post(_scheduled(clocks.wall + timedelta(minutes=1)))
    server.add_fault("drop", route="POST /v1/posts", processed=False)
    assert (await engine.run_once(pull=False)).offline
    server.clear_faults()
    assert store.outbox_entries(post.local_id)[0].attempts == 1  # a replay is what comes next
    clocks.elapse(5 * 60)
    server.advance(5 * 60)
    server.reset_stats()
    report = await engine.run_once()
    assert _post_writes(server) == 0 and sandbox_posts(server) == []
    assert report.missed == [post.local_id]


async def test_a_move_made_offline_is_held_once_its_new_time_passed(store, client, server):
    engine, clocks = _engine(store, client, server)
    post = store.save_post(_scheduled(clocks.wall + timedelta(hours=5)))
    await engine.run_once()
    moved = store.get_post(post.local_id)
    store.save_post(moved.moved_to(clocks.wall + timedelta(minutes=2)))
    server.add_fault("drop", route="PUT /v1/posts", processed=False)
    await engine.run_once()
    server.clear_faults()
    clocks.elapse(10 * 60)
    server.advance(10 * 60)
    server.reset_stats()
    report = await engine.run_once()
    assert _post_writes(server) == 0
    assert report.missed == [post.local_id]
    (late,) = sandbox_posts(server)
    assert late["status"] == "scheduled"  # Late still has the time it had: nothing went out
    assert engine.next_interval() == engine.idle_interval_s  # nothing is due on Late: no busy polling for it


async def test_a_post_within_lates_grace_still_goes(store, client, server):
    engine, clocks = _engine(store, client, server)
    store.save_post(_scheduled(clocks.wall - timedelta(seconds=30)))
    report = await engine.run_once()
    assert report.pushed == 1 and report.missed == []


# -- backoff on the monotonic clock -----------------------------------------------------------------------------

async def _five_failed_moves(store, engine, clocks, server) -> list[str]:
    posts = [store.save_post(_scheduled(clocks.wall + timedelta(days=3, hours=h), f"Move {h}")) for h in range(5)]
    await engine.run_once()
    for p in posts:
        store.save_post(store.get_post(p.local_id).moved_to(p.scheduled_for + timedelta(hours=1)))
    server.add_fault("status", route="PUT /v1/posts", status=503)
    report = await engine.run_once()
    server.clear_faults()
    assert report.unsent == 5
    return [p.local_id for p in posts]


def _puts(server) -> int:
    return sum(n for route, n in server.stats()["requests"].items() if route.startswith("PUT"))


async def test_a_clock_set_back_a_day_does_not_stall_the_outbox(store, client, server):
    engine, clocks = _engine(store, client, server)
    await _five_failed_moves(store, engine, clocks, server)
    clocks.wall -= timedelta(days=1)  # the user sets the clock back; the backoff (5 s at most) is over
    clocks.mono += 10
    server.reset_stats()
    report = await engine.run_once(pull=False)
    assert _puts(server) == 5 and report.pushed == 5 and store.outbox_entries() == []


async def test_a_clock_set_back_before_a_restart_does_not_stall_the_outbox(store, client, server):
    """A new process has no monotonic deadline: a stored retry time further ahead than any wait can be is due."""
    engine, clocks = _engine(store, client, server)
    await _five_failed_moves(store, engine, clocks, server)
    clocks.wall -= timedelta(days=1)
    restarted, _ = _engine(store, client, server, Clocks(clocks.wall))
    server.reset_stats()
    await restarted.run_once(pull=False)
    assert _puts(server) == 5 and store.outbox_entries() == []


async def test_a_clock_set_forward_does_not_flood(store, client, server):
    engine, clocks = _engine(store, client, server)
    await _five_failed_moves(store, engine, clocks, server)
    for _ in range(3):  # three more failures each: the waits are now 20 s to 40 s
        clocks.elapse(60)
        server.add_fault("status", route="PUT /v1/posts", status=503)
        await engine.run_once(pull=False)
        server.clear_faults()
    clocks.wall += timedelta(hours=6)  # the clock jumps forward; hardly any real time has passed
    clocks.mono += 1
    server.reset_stats()
    report = await engine.run_once(pull=False)
    assert _puts(server) == 0 and report.unsent == 5
    assert report.unsent_retry_at is not None and report.unsent_retry_at - clocks.wall < timedelta(minutes=1)
    clocks.mono += 60
    await engine.run_once(pull=False)
    assert _puts(server) == 5 and store.outbox_entries() == []


# -- the Late id a replayed create learns is kept before the DELETE ---------------------------------------------

class Killed(BaseException):
    """The process dies here (no handler of the app's catches it)."""


async def test_the_id_a_replayed_create_learns_is_kept_before_the_delete(store, client, server, monkeypatch):
    engine, clocks = _engine(store, client, server)
    post = store.save_post(_scheduled(clocks.wall + timedelta(hours=2), "Deleted before it was known"))
    server.add_fault("drop", route="POST /v1/posts", processed=True)  # created on Late, the answer lost
    assert (await engine.run_once(pull=False)).offline
    server.clear_faults()
    store.delete_post(post.local_id)  # a tombstone whose Late id is unknown: the delete replays the create first
    (late,) = sandbox_posts(server)
    real_delete = client.delete_post

    async def delete_then_die(late_id):
        await real_delete(late_id)  # Late deleted it; the process is killed before the answer is handled
        raise Killed

    monkeypatch.setattr(client, "delete_post", delete_then_die)
    clocks.elapse(60)
    with pytest.raises(Killed):
        await engine.run_once(pull=False)
    assert store.get_record(post.local_id).post.late_id == late["_id"]  # stored before the DELETE went
    monkeypatch.setattr(client, "delete_post", real_delete)

    restarted, _ = _engine(store, client, server, Clocks(clocks.wall + timedelta(minutes=1)))
    server.reset_stats()
    await restarted.run_once(pull=False)
    assert server.stats()["requests"].get("POST /v1/posts", 0) == 0  # no replay: Late would make the post anew
    assert sandbox_posts(server) == [] and store.get_record(post.local_id) is None


# -- no twin from a lost answer ---------------------------------------------------------------------------------

async def test_a_pull_while_a_lost_create_backs_off_makes_no_twin(store, client, server):
    engine, clocks = _engine(store, client, server)
    post = store.save_post(_scheduled(clocks.wall + timedelta(hours=3), "Only once"))
    server.add_fault("drop", route="POST /v1/posts", processed=True)  # Late made it; we never heard
    assert (await engine.run_once()).offline
    server.clear_faults()
    report = await engine.run_once()  # the push still backs off; the pull lists Late's copy
    assert report.pushed == 0 and report.unsent == 1
    assert len(sandbox_posts(server)) == 1
    assert [p.local_id for p in store.all_posts()] == [post.local_id]


# -- the user's choices, through the sync to Late ---------------------------------------------------------------

async def _missed_post(store, client, server) -> tuple[SyncEngine, Clocks, Post]:
    engine, clocks = _engine(store, client, server)
    post = store.save_post(_scheduled(clocks.wall + timedelta(minutes=1)))
    server.add_fault("drop", route="POST /v1/posts", processed=False)
    await engine.run_once()
    server.clear_faults()
    server.advance(5 * 60)
    clocks.elapse(5 * 60)
    assert (await engine.run_once()).missed == [post.local_id]
    return engine, clocks, post


async def test_publish_now_publishes_a_missed_post_at_once(store, client, server):
    from latecal.operations.missed import missed_posts, publish_now

    engine, clocks, post = await _missed_post(store, client, server)
    assert [p.local_id for p in missed_posts(store, clocks.wall)] == [post.local_id]
    result = publish_now(store, [post.local_id], now=clocks.wall, initiator=None)
    assert result.message is not None and "cannot be undone" in result.message.text
    report = await engine.run_once()
    assert report.pushed == 1 and report.missed == []
    (late,) = sandbox_posts(server)
    assert late["status"] in ("publishing", "published")
    assert missed_posts(store, clocks.wall) == []


async def test_keep_as_draft_sends_a_draft_at_its_planned_time(store, client, server):
    from zoneinfo import ZoneInfo

    from latecal.operations.missed import draft_placements, missed_posts
    from latecal.operations.placement import Verb
    from latecal.operations.placing import place

    engine, clocks, post = await _missed_post(store, client, server)
    placements, statuses, refused = draft_placements(store, [post.local_id], now=clocks.wall)
    assert not refused.refused and statuses == {post.local_id: "scheduled"}
    done = place(store, placements, verb=Verb.SCHEDULE, now=clocks.wall, zone=ZoneInfo("UTC"), initiator=None)
    kept = done.posts[0]
    assert (kept.status, kept.scheduled_for) == ("draft", post.scheduled_for)
    report = await engine.run_once()
    assert report.pushed == 1 and not report.rejected
    (late,) = sandbox_posts(server)
    assert late["status"] == "draft"
    assert missed_posts(store, clocks.wall) == []


async def test_a_choice_for_a_post_no_longer_missed_is_refused(store, client, server):
    from latecal.operations.missed import publish_now

    _engine_unused, clocks = _engine(store, client, server)
    post = store.save_post(_scheduled(clocks.wall + timedelta(hours=1)))
    result = publish_now(store, [post.local_id], now=clocks.wall, initiator=None)
    assert result.refused == {post.local_id: "changed_since"} and not result.posts
    assert store.get_post(post.local_id).scheduled_for == post.scheduled_for
