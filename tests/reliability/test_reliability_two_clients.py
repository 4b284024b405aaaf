"""Two clients: two local stores, two engines, one sandbox. Concurrent edits of one post surface a conflict
on the client that syncs second, with both versions kept; edits of different posts converge on both."""

from __future__ import annotations

from datetime import timedelta

import pytest

from latecal.core.models import Post, Target
from reliability.harness import close_driver, make_driver
from reliability.script import BASE, late_posts
from sandbox_support import ACCOUNTS

pytestmark = pytest.mark.asyncio


def _shared_post(text: str, hours: int) -> Post:
    return Post(content=text, scheduled_for=BASE + timedelta(hours=hours), status="scheduled",
                targets=[Target("twitter", ACCOUNTS["twitter"])])


async def _pair(server, tmp_path):
    a = make_driver(server, tmp_path, 1, 0, name="a")
    b = make_driver(server, tmp_path, 2, 0, name="b")
    return a, b


def _contents(server) -> set[str]:
    return {p[0] for p in late_posts(server)}


@pytest.mark.parametrize("keep", ["local", "remote"])
async def test_concurrent_edits_of_one_post_conflict_on_the_second_client_and_lose_nothing(server, tmp_path, keep):
    a, b = await _pair(server, tmp_path)
    try:
        post = a.store.save_post(_shared_post("shared v0", 1))
        await a.sync()
        await b.sync()
        late_id = a.store.get_post(post.local_id).late_id
        on_b = b.store.get_by_late_id(late_id)
        assert on_b is not None and on_b.content == "shared v0"

        post = a.store.get_post(post.local_id)
        post.content = "edit from A"
        a.store.save_post(post)
        on_b.content = "edit from B"
        on_b.scheduled_for = BASE + timedelta(hours=5)
        b.store.save_post(on_b)

        assert (await a.sync()).conflicts == []
        report = await b.sync()
        assert report.conflicts == [on_b.local_id]
        record = b.store.get_record(on_b.local_id)
        assert record.post.content == "edit from B" and record.conflict_remote.content == "edit from A"
        assert _contents(server) == {"edit from A"}  # B's edit waits for the user, it is not pushed over A's

        b.store.resolve_conflict(on_b.local_id, keep)
        await b.sync()
        await a.sync()
        expected = "edit from B" if keep == "local" else "edit from A"
        assert _contents(server) == {expected}
        for driver in (a, b):
            (mine,) = driver.store.all_posts()
            assert mine.content == expected and mine.sync_state == "synced"
            assert driver.store.outbox_entries() == [] and driver.store.check_integrity() == []
        if keep == "local":
            assert a.store.get_by_late_id(late_id).scheduled_for == BASE + timedelta(hours=5)
    finally:
        await close_driver(a)
        await close_driver(b)


async def test_edits_of_different_posts_converge_on_both_clients(server, tmp_path):
    a, b = await _pair(server, tmp_path)
    try:
        pa = a.store.save_post(_shared_post("from A", 2))
        pb = b.store.save_post(_shared_post("from B", 3))
        await a.sync()
        await b.sync()
        await a.sync()
        pa = a.store.get_post(pa.local_id)
        pa.content = "A, edited"
        a.store.save_post(pa)
        pb = b.store.get_post(pb.local_id)
        pb.scheduled_for = BASE + timedelta(hours=9)
        b.store.save_post(pb)
        for driver in (a, b, a, b):
            report = await driver.sync()
            assert report.conflicts == [] and not report.rejected
        want = {("A, edited", BASE + timedelta(hours=2)), ("from B", BASE + timedelta(hours=9))}
        for driver in (a, b):
            assert {(p.content, p.scheduled_for) for p in driver.store.all_posts()} == want
            assert {p.sync_state for p in driver.store.all_posts()} == {"synced"}
        assert _contents(server) == {"A, edited", "from B"}
        assert all(n == 1 for n in server.stats()["creates_by_idempotency_key"].values())
    finally:
        await close_driver(a)
        await close_driver(b)
