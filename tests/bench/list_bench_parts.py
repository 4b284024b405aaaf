"""ui_bench's List figures (issue 16): opening the List, searching it, and a sync with it open, at agency scale.

- list_open_ms: a window on today's month over a store of M posts (two years around today, as the start-up store):
  from switching to the List until it has repainted (median of 7; back to the month between runs, not timed).
- list_search_ms: in the List, from applying a search (a word in a sixth of the store's posts: the whole store is
  searched) until the List has repainted, and the same for clearing it; the worse of the two medians of 7.
- list_sync_ratio: one SyncEngine run that brings 3,000 new posts (this month, on an in-process sandbox) into an
  empty store with the window attached; the run's seconds with the List open ÷ with the month open (medians of
  3 alternating runs, each into a fresh store).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

RUNS = 7
SYNC_RUNS = 3
SYNC_POSTS = 3000
SEARCH_WORD = "hiring"  # in one of ui_bench's six texts: a sixth of the posts match


def _timed_ms(app, fn, repaint) -> float:
    t0 = time.perf_counter()
    fn()
    app.processEvents()
    repaint()
    return (time.perf_counter() - t0) * 1000


def open_and_search(app, store_path: Path, bench: ModuleType) -> dict:
    """list_open_ms and list_search_ms on the store at ``store_path`` (bench: ui_bench's helpers)."""
    from latecal.store import Store

    today = datetime.now(bench.ZONE).date()
    with Store.open(store_path) as store:
        window = bench._open_window(app, store, today)
        opens = []
        for _ in range(RUNS + 1):
            window._navigate("month", today)
            bench._settle(app)
            opens.append(_timed_ms(app, lambda: window._navigate("list", today),
                                   window.views.list.viewport().repaint))
        rows = window.views.list.row_count()
        searches, clears = [], []
        box = window.toolbar.search
        for _ in range(RUNS + 1):
            box.setText(SEARCH_WORD)
            searches.append(_timed_ms(app, window.toolbar.flush_search, window.views.list.viewport().repaint))
            found = window.views.list.row_count()
            box.setText("")
            clears.append(_timed_ms(app, window.toolbar.flush_search, window.views.list.viewport().repaint))
        assert window.views.list.row_count() == rows, "clearing the search did not bring the List's weeks back"
        bench._close(app, window)
    return {"list_open_ms": statistics.median(opens[1:]), "list_rows": rows, "list_search_hits": found,
            "list_search_only_ms": statistics.median(searches[1:]), "list_clear_ms": statistics.median(clears[1:])}


def _sync_once(app, loop, store, base_url: str, view: str, bench: ModuleType) -> float:
    from latecal.late.client import LateClient
    from latecal.sync import SyncEngine
    from latecal.ui.app.sync_bridge import SyncBridge

    window = bench._open_window(app, store, datetime.now(bench.ZONE).date(), view=view)

    async def run() -> float:
        async with LateClient(bench.KEY, base_url) as client:
            engine = SyncEngine(store, client)
            window.attach_sync(SyncBridge(engine, window))
            await asyncio.sleep(0.05)
            t0 = time.perf_counter()
            report = await engine.run_once()
            seconds = time.perf_counter() - t0
            assert not report.errors and not report.offline, report.summary()
            return seconds

    seconds = loop.run_until_complete(run())
    shown = (window.views.list.row_count() if view == "list" else len(window.views.month.scene.posts))
    assert shown >= SYNC_POSTS * 0.9, f"the {view} shows {shown} of the {SYNC_POSTS} new posts"
    bench._close(app, window)
    return seconds


def sync_ratio(app, loop, tmp: Path, bench: ModuleType) -> dict:
    """list_sync_ratio: 3,000 new posts of this month pulled with the List open ÷ with the month open."""
    from latecal.sandbox.runner import SandboxServer
    from latecal.store import Store

    today = datetime.now(bench.ZONE).date()
    first = today.replace(day=1)
    days = [first + timedelta(days=i) for i in range(28)]  # in the month, and in the List's ten weeks
    times: dict[str, list[float]] = {"month": [], "list": []}
    with SandboxServer(api_keys=(bench.KEY,), seed=43, rpm_limit=None) as server:
        bench._seed_sandbox(server, SYNC_POSTS, days, random.Random(43))
        for run in range(SYNC_RUNS):
            for view in ("month", "list") if run % 2 == 0 else ("list", "month"):
                with Store.open(tmp / f"list_sync_{view}{run}.sqlite3") as store:
                    times[view].append(_sync_once(app, loop, store, server.base_url, view, bench))
    month, listed = statistics.median(times["month"]), statistics.median(times["list"])
    return {"list_sync_s": listed, "month_sync_s": month, "list_sync_ratio": listed / month}


def measure(tmp: Path, store_posts: int, bench: ModuleType) -> dict:
    """Every List figure (bench: the ui_bench module, for its data and window helpers); the store of
    ``store_posts`` is ui_bench's start-up store when it was built."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from latecal.store import Store

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    store_path = tmp / "startup" / "posts.sqlite3"
    if not store_path.exists():
        store_path = tmp / "list_store.sqlite3"
        today = datetime.now(bench.ZONE).date()
        with Store.open(store_path) as store:
            bench._fill_local(store, store_posts, [today + timedelta(days=d) for d in range(-365, 365)],
                              random.Random(7))
    out = open_and_search(app, store_path, bench)
    out["list_search_ms"] = max(out["list_search_only_ms"], out["list_clear_ms"])
    out.update(sync_ratio(app, loop, tmp, bench))
    loop.close()
    return out

