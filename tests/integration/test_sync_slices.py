"""A large pull keeps the event loop running: pages are read off the loop's thread, merged in slices with the loop
running between them, and a slice that cannot be written at once loses nothing. The sync engine on a real
sandbox over loopback, with a real SQLite store."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from latecal.late import bounded_json, wire
from latecal.late.client import LateClient
from latecal.sandbox.runner import SandboxServer
from latecal.store import Store
from latecal.sync import SyncEngine
from latecal.sync import pull as pull_module
from sandbox_support import ACCOUNTS, KEY, fresh, module_sandbox, seed_basic

pytestmark = pytest.mark.asyncio

POSTS = 700  # two pages of Late's 500

shared_server = module_sandbox(seed=16)


def _seed_many(server: SandboxServer) -> None:
    seed_basic(server)
    now = datetime.fromisoformat(server.now())
    server.seed(posts=[
        {"content": f"Post {i} of a busy agency", "status": "scheduled",
         "scheduledFor": (now + timedelta(days=1, minutes=i)).isoformat(),
         "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"], "status": "pending"}]}
        for i in range(POSTS)])


@pytest.fixture
def server(shared_server) -> Iterator[SandboxServer]:
    yield from fresh(shared_server, _seed_many)


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    s = Store.open(tmp_path / "posts.sqlite3")
    yield s
    s.close()


async def _run(store: Store, server: SandboxServer):
    async with LateClient(KEY, server.base_url) as client:
        engine = SyncEngine(store, client, clock=lambda: server.sandbox.state.now())
        now = server.sandbox.state.now()
        engine.set_window(now - timedelta(days=7), now + timedelta(days=14))
        return await engine.run_once(refresh_accounts=False)


def _late_ids(store: Store) -> list[str]:
    return [p.late_id for p in store.all_posts()]


async def test_a_page_is_read_and_mapped_off_the_loops_thread(store, server, monkeypatch):
    loop_thread = threading.current_thread()
    mapped: list[threading.Thread] = []
    parsed: list[threading.Thread] = []
    to_post, loads = wire.post_from_json, bounded_json.loads

    def mapping(raw):
        mapped.append(threading.current_thread())
        return to_post(raw)

    def parsing(content):
        if b'"posts"' in content[:4096]:  # a listed page, not another answer
            parsed.append(threading.current_thread())
        return loads(content)

    monkeypatch.setattr(wire, "post_from_json", mapping)
    monkeypatch.setattr(bounded_json, "loads", parsing)
    report = await _run(store, server)
    assert not report.errors and report.inspected == POSTS
    assert len(mapped) == POSTS and len(parsed) == 2  # every post, both pages
    assert all(t is not loop_thread for t in mapped + parsed)
    assert len(store.all_posts()) == POSTS


async def test_a_large_merge_lets_the_loop_run_between_slices(store, server, monkeypatch):
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    slices: list[tuple[int, int]] = []  # (ticks when the slice began, its size)
    merge_slice = pull_module.Puller._merge_slice

    def recorded(self, chunk, *args, **kwargs):
        slices.append((ticks, len(chunk)))
        return merge_slice(self, chunk, *args, **kwargs)

    monkeypatch.setattr(pull_module.Puller, "_merge_slice", recorded)
    task = asyncio.ensure_future(ticker())
    try:
        report = await _run(store, server)
    finally:
        task.cancel()
    assert not report.errors and len(store.all_posts()) == POSTS
    assert sum(size for _, size in slices) == POSTS
    assert len(slices) >= 4 and all(size <= pull_module.MAX_SLICE for _, size in slices)
    # the loop ran (the ticker ticked) between every two slices: none follows another without a turn of the loop
    assert all(b > a for (a, _), (b, _) in itertools.pairwise(slices)), slices


async def test_a_slice_that_sqlite_refuses_midway_is_merged_post_by_post_and_nothing_is_lost(store, server,
                                                                                                monkeypatch, caplog):
    first = await _run(store, server)  # everything once, then Late changes every post
    assert len(store.all_posts()) == POSTS and not first.errors
    victim_late_id = sorted(_late_ids(store))[POSTS // 3]
    victim = store.get_by_late_id(victim_late_id)
    # a new post from Late whose row collides in the middle of a slice's bulk insert (the local id of a post we
    # hold): SQLite refuses the whole statement after writing part of it
    stage = store.stage_pulled
    new: list[str] = []
    collided: list[str] = []

    def colliding(writes, post, copy):
        if copy is None:
            new.append(post.late_id)
            if len(new) == 5:  # after four good rows of the same slice
                collided.append(post.late_id)
                post.local_id = victim.local_id
        return stage(writes, post, copy)

    monkeypatch.setattr(store, "stage_pulled", colliding)
    more = 300
    now = datetime.fromisoformat(server.now())
    server.seed(posts=[
        {"content": f"New post {i}", "status": "scheduled",
         "scheduledFor": (now + timedelta(days=2, minutes=i)).isoformat(),
         "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"], "status": "pending"}]}
        for i in range(more)])
    report = await _run(store, server)
    assert collided and "could not be written at once" in caplog.text
    assert not report.errors, report.errors
    ids = _late_ids(store)
    assert len(ids) == len(set(ids)) == POSTS + more  # every post, none twice
    assert store.get_by_late_id(collided[0]) is not None
    assert store.get_post(victim.local_id).content == victim.content  # the post it collided with is untouched
    assert store.check_integrity() == []


async def test_a_store_failure_in_a_slice_stops_the_pull_and_the_next_run_brings_the_rest(store, server,
                                                                                          monkeypatch):
    write = Store.write_pulled
    calls = 0

    def failing_second(self, writes, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 2:
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorname = "SQLITE_FULL"
            raise error
        return write(self, writes, **kwargs)

    monkeypatch.setattr(Store, "write_pulled", failing_second)
    failed = await _run(store, server)
    assert failed.failed and not failed.synced
    partial = _late_ids(store)
    assert 0 < len(partial) < POSTS  # the first slice committed, the failed one left nothing half-written
    monkeypatch.setattr(Store, "write_pulled", write)
    report = await _run(store, server)
    ids = _late_ids(store)
    assert report.synced and len(ids) == len(set(ids)) == POSTS
    assert store.check_integrity() == []
