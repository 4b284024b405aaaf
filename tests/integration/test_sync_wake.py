"""The sync engine wakes itself when the store records a user's change (a change set with ``queued``), from any
thread, but not for its own pulls and pushes, not during Late's rate limit, and not once it has stopped. Against a
real sandbox over loopback HTTP, with a real SQLite store; nothing here calls ``sync_now()`` after an edit."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import httpx
import pytest
import pytest_asyncio

from latecal.core.models import Post, Target
from latecal.late.client import LateClient
from latecal.sandbox.runner import SandboxServer
from latecal.store import Store
from latecal.sync import SyncEngine, SyncListener
from latecal.sync.report import SyncReport
from sandbox_support import ACCOUNTS, KEY, sandbox_posts, seed_basic

pytestmark = pytest.mark.asyncio

#: long enough for a woken run to finish on a slow machine; the calm cadence (60 s) is far beyond it
WAIT_S = 10.0
#: how long "nothing happens" is watched for
QUIET_S = 1.0


@pytest.fixture
def server():
    with SandboxServer(seed=11) as srv:
        seed_basic(srv)
        yield srv


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "posts.sqlite3")
    yield s
    s.close()


@pytest_asyncio.fixture
async def client(server) -> AsyncIterator[LateClient]:
    async def no_sleep(_seconds: float) -> None:
        return None

    async with LateClient(KEY, server.base_url, sleep=no_sleep) as c:
        yield c


@pytest.fixture
def engine(store, client, server) -> SyncEngine:
    eng = SyncEngine(store, client, clock=lambda: server.sandbox.state.now())
    now = server.sandbox.state.now()
    eng.set_window(now - timedelta(days=28), now + timedelta(days=42))
    return eng


class Running:
    """``engine.run_forever()`` as a task, with every finished run's report."""

    def __init__(self, engine: SyncEngine) -> None:
        self.runs: list[SyncReport] = []
        engine.add_listener(SyncListener(finished=self.runs.append))
        self.task = asyncio.get_running_loop().create_task(engine.run_forever())

    async def until(self, runs: int) -> None:
        await _wait_for(lambda: len(self.runs) >= runs, f"{runs} runs (got {len(self.runs)})")

    async def stop(self) -> None:
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task


async def _wait_for(condition: Callable[[], bool], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_S
    while not condition():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


def _post(server, text: str, hours: float = 24) -> Post:
    when = (server.sandbox.state.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    return Post(content=text, scheduled_for=when, status="scheduled", targets=[Target("twitter", ACCOUNTS["twitter"])])


async def test_a_saved_post_reaches_late_within_one_run_without_sync_now(store, engine, server):
    running = Running(engine)
    await running.until(1)
    saved = store.save_post(_post(server, "Pushed because the store said so"))
    await running.until(2)
    await running.stop()
    assert running.runs[1].pushed == 1
    assert [p["_id"] for p in sandbox_posts(server)] == [store.get_post(saved.local_id).late_id]


async def test_the_engines_own_pulls_and_pushes_cause_no_extra_runs(store, engine, server):
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        for n in range(3):
            body = {"content": f"Made on the web app {n}", "scheduledFor": _post(server, "", 30 + n).scheduled_for
                    .isoformat(), "platforms": [{"platform": "linkedin", "accountId": ACCOUNTS["linkedin"]}]}
            assert http.post("/v1/posts", json=body).status_code == 201
    store.save_post(_post(server, "Queued before the engine started"))
    running = Running(engine)
    await running.until(1)
    first = running.runs[0]
    assert len(first.changed) == 3 and first.pushed == 1  # it merged posts and finished a push…
    await asyncio.sleep(QUIET_S)
    await running.stop()
    assert len(running.runs) == 1  # …and none of that woke it again


async def test_an_edit_during_lates_rate_limit_waits_for_it(store, engine, server):
    server.add_fault("rate_limit", route="GET /v1/posts", retryAfter=600)
    running = Running(engine)
    await running.until(1)
    assert running.runs[0].rate_limited_until is not None
    server.clear_faults()
    store.save_post(_post(server, "Waits out the limit"))
    await asyncio.sleep(QUIET_S)
    assert len(running.runs) == 1 and sandbox_posts(server) == []  # not run early for the edit
    engine.sync_now(asked=True)  # the Sync button still may
    await running.until(2)
    await running.stop()
    assert running.runs[1].pushed == 1


async def test_an_edit_made_on_another_thread_wakes_the_engine(store, engine, server):
    running = Running(engine)
    await running.until(1)
    writers: list[int] = []

    def save() -> None:
        writers.append(threading.get_ident())
        store.save_post(_post(server, "Saved off the loop's thread"))

    worker = threading.Thread(target=save)
    worker.start()
    await asyncio.get_running_loop().run_in_executor(None, worker.join)
    await running.until(2)
    await running.stop()
    assert writers != [threading.get_ident()]
    assert running.runs[1].pushed == 1 and len(sandbox_posts(server)) == 1


async def test_once_stopped_store_writes_no_longer_reach_the_engine_and_nothing_leaks(store, engine, server,
                                                                                       monkeypatch):
    wakes: list[bool] = []
    original = engine.sync_now

    def counting_sync_now(*, asked: bool = False) -> None:
        wakes.append(asked)
        original(asked=asked)

    monkeypatch.setattr(engine, "sync_now", counting_sync_now)
    for session in range(2):  # a second session must not inherit the first one's subscription
        running = Running(engine)
        await running.until(1)
        store.save_post(_post(server, f"Session {session}"))
        await running.until(2)
        await running.stop()
        assert wakes == [False] * (session + 1)  # one wake per edit, not one per session so far
    store.save_post(_post(server, "After the engine stopped"))
    await asyncio.sleep(0.1)
    assert wakes == [False, False]
    assert len(sandbox_posts(server)) == 2


async def test_an_edit_made_while_a_run_pushes_is_pushed_right_after_that_run(store, engine, server):
    first = store.save_post(_post(server, "Slow to create"))
    server.add_fault("latency", route="POST /v1/posts", latencyMs=500, count=1)
    running = Running(engine)
    # begin_push is recorded before the request: once it is, the run has listed the outbox without the next edit
    await _wait_for(lambda: store.outbox_entries(first.local_id)[0].attempts == 1, "the first create in flight")
    store.save_post(_post(server, "Saved while the run pushed"))
    await running.until(2)
    await running.stop()
    assert [r.pushed for r in running.runs] == [1, 1]
    assert len(sandbox_posts(server)) == 2


async def test_an_edit_made_during_a_run_that_ends_rate_limited_still_waits(store, engine, server):
    server.add_fault("latency", route="GET /v1/accounts", latencyMs=500, count=1)
    server.add_fault("rate_limit", route="GET /v1/posts", retryAfter=600)
    running = Running(engine)
    await _wait_for(lambda: engine.running, "the first run")
    store.save_post(_post(server, "Saved before Late said to slow down"))
    await running.until(1)
    assert running.runs[0].rate_limited_until is not None
    await asyncio.sleep(QUIET_S)
    await running.stop()
    server.clear_faults()
    assert len(running.runs) == 1 and sandbox_posts(server) == []
