"""Shared by the reliability suite (README.md): round counts and in-process drivers on the running loop.

Counts are fast by default (every path still runs in CI); ``LATECAL_RELIABILITY_FULL=1`` selects the full run.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from pathlib import Path

from latecal.late.client import LateClient
from latecal.sandbox.runner import SandboxServer
from latecal.store import Store
from latecal.sync import SyncEngine
from reliability.driver import WINDOW, Driver, OffsetClock
from reliability.script import build_script, intended, late_posts, local_posts, tags
from sandbox_support import KEY

FULL = os.environ.get("LATECAL_RELIABILITY_FULL") == "1"


def scale(fast: int, full: int) -> int:
    return full if FULL else fast


async def quick_sleep(seconds: float) -> None:
    """The client's retry waits, compressed: the logic under test is the same, CI time is not."""
    await asyncio.sleep(min(seconds, 0.02))


def make_driver(server: SandboxServer, tmp: Path, seed: int, edits: int, *, name: str = "a",
                key: str = KEY) -> Driver:
    """A driver on the running loop with its own store (closed by ``close_driver``)."""
    store = Store.open(tmp / f"{name}.sqlite3")
    client = LateClient(key, server.base_url, sleep=quick_sleep)
    clock = OffsetClock()
    engine = SyncEngine(store, client, clock=clock)
    engine.set_window(*WINDOW)
    return Driver(store, client, engine, clock, seed=seed, steps=build_script(seed, edits), media_dir=tmp / "media")


async def close_driver(driver: Driver) -> None:
    await driver.client.aclose()
    driver.store.close()


def assert_converged(server: SandboxServer, driver: Driver) -> None:
    """Late and the store both hold exactly the intended posts: no loss, no duplicate, nothing pending."""
    want = intended(driver.steps, driver.seed)
    on_late = late_posts(server)
    assert Counter(tags(on_late)).most_common(1)[0][1] == 1 if on_late else True, "two Late posts for one post"
    assert set(on_late) == want, {"missing": want - set(on_late), "unexpected": set(on_late) - want}
    assert set(local_posts(driver.store, server)) == want
    assert all(n == 1 for n in server.stats()["creates_by_idempotency_key"].values())
    assert driver.store.check_integrity() == []
    assert driver.store.outbox_entries() == []
    assert {p.sync_state for p in driver.store.all_posts()} <= {"synced"}
