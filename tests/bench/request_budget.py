"""Requests a minute the sync engine spends in each view of a dense store (issue 16), and how soon a publish shows.

    python tests/bench/request_budget.py --posts 20000 --minutes 60 --json

An in-process sandbox on loopback holds ``--posts`` posts spread over a year (50 accounts, working hours; the past
published, the future scheduled). For each view (month, week, day, list: the dates the window shows, ± the sync
bridge's margin) a real ``SyncEngine`` with a real ``LateClient`` and a fresh SQLite store runs two phases of
``--minutes`` each:

- *idle*: an evening, nothing due;
- *busy*: a campaign hour with a post due every two minutes (the worst case "while posts are due").

Time is simulated, not waited: the engine's clock is the sandbox's, and each turn does what ``run_forever`` does —
ask ``engine.next_interval()``, let that much time pass (the sandbox clock advances and its publisher runs
everything due meanwhile, with each event's own timestamp), then ``engine.run_scheduled()``. Every request the
sandbox answers is counted there (accounts, health and profiles included); each phase starts after a full
listing (an app start, or the wake after a night), which is not counted. ``publish_recolour_s`` is the worst,
over the busy phases' posts, of the simulated time from the sandbox finishing a post (its ``updatedAt``) to the
end of the run after which the store holds the outcome. The last line printed is the JSON result.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from latecal.core.status import IN_FLIGHT
from latecal.late.client import LateClient
from latecal.sandbox.runner import SandboxServer
from latecal.sandbox.timeutil import iso
from latecal.store import Store
from latecal.sync import SyncEngine
from latecal.ui.app.sync_bridge import WINDOW_MARGIN
from latecal.ui.calendar.views import LIST_WEEKS_AFTER, LIST_WEEKS_BEFORE

KEY = "sk_bench_budget"
PROFILES = [f"65f1c0a9e2b5af0012ab{i:04x}" for i in range(5)]
PLATFORMS = ("twitter", "linkedin", "bluesky", "threads", "facebook")
ACCOUNTS = [f"65f1c0a9e2b5af0012ac{i:04x}" for i in range(50)]
VIEWS = ("month", "week", "day", "list")
CAMPAIGN_EVERY = timedelta(minutes=2)


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def view_window(view: str, day: date) -> tuple[datetime, datetime]:
    """The dates a view shows around ``day`` (Monday weeks), ± the margin the sync bridge adds."""
    monday = day - timedelta(days=day.weekday())
    if view == "month":
        first = day.replace(day=1)
        start = first - timedelta(days=first.weekday())
        days = 42
    elif view == "week":
        start, days = monday, 7
    elif view == "day":
        start, days = day, 1
    else:
        start, days = monday - timedelta(weeks=LIST_WEEKS_BEFORE), 7 * (LIST_WEEKS_BEFORE + LIST_WEEKS_AFTER)
    return _day_start(start) - WINDOW_MARGIN, _day_start(start + timedelta(days=days)) + WINDOW_MARGIN


def _post(i: int, when: datetime, now: datetime, rng: random.Random) -> dict:
    account = ACCOUNTS[rng.randrange(len(ACCOUNTS))]
    target = {"accountId": account}
    published = when < now
    if published:
        target.update(status="published", publishedAt=iso(when), platformPostId=str(10**12 + i))
    return {"content": f"Post {i}: the news of the day from our brand, with a link and a few words more.",
            "scheduledFor": iso(when), "status": "published" if published else "scheduled",
            "platforms": [target], "createdAt": iso(when - timedelta(days=7)),
            "updatedAt": iso(when if published else when - timedelta(days=7))}


def seed(server: SandboxServer, posts: int, anchor: date, campaign: list[datetime], rng: random.Random) -> None:
    """``posts`` in the year around ``anchor`` (08:00–18:00 UTC), of which the ``campaign`` times."""
    now = server.sandbox.state.now()
    year_start = _day_start(anchor) - timedelta(days=182)
    rows = [_post(i, when, now, rng) for i, when in enumerate(campaign)]
    for i in range(len(campaign), posts):
        day = year_start + timedelta(days=rng.randrange(365))
        when = day + timedelta(hours=8, minutes=5 * rng.randrange(120))
        if not (campaign[0] - timedelta(hours=1) <= when <= campaign[-1] + timedelta(hours=1)):
            rows.append(_post(i, when, now, rng))
        else:
            rows.append(_post(i, when - timedelta(days=1), now, rng))  # the campaign hour stays the campaign's
    server.seed(
        profiles=[{"_id": p, "name": f"Client {n}", "timezone": "UTC", "isDefault": n == 0}
                  for n, p in enumerate(PROFILES)],
        accounts=[{"_id": a, "platform": PLATFORMS[n % len(PLATFORMS)], "profileId": PROFILES[n % len(PROFILES)],
                   "username": f"brand{n}", "displayName": f"Brand {n}", "isActive": True}
                  for n, a in enumerate(ACCOUNTS)],
        posts=rows,
    )


def set_clock(server: SandboxServer, when: datetime) -> None:
    """Move the sandbox's (and so the engine's) clock to ``when``: never backwards."""
    ahead = (when - server.sandbox.state.now()).total_seconds()
    if ahead > 0:
        server.advance(ahead)
    server.tick()


async def run_phase(engine: SyncEngine, server: SandboxServer, store: Store, minutes: float,
                    watch_ids: set[str]) -> tuple[float, dict[str, int], list[float]]:
    """``minutes`` of the engine's own cadence on simulated time: (requests a minute, by route, recolour delays)."""
    engine.sync_now()  # the app's start, or the wake after a night: a full listing, not counted
    await engine.run_scheduled()
    server.reset_stats()
    pending = set(watch_ids)
    delays: list[float] = []
    elapsed, limit = 0.0, minutes * 60
    while True:
        wait = engine.next_interval()
        if elapsed + wait > limit:
            server.advance(limit - elapsed)
            server.tick()
            break
        server.advance(wait)
        server.tick()
        elapsed += wait
        await engine.run_scheduled()
        seen_at = server.sandbox.state.now()
        for late_id in list(pending):
            local = store.get_by_late_id(late_id)
            if local is not None and local.status not in IN_FLIGHT:
                with server.sandbox.state.lock:
                    finished = datetime.fromisoformat(server.sandbox.state.posts[late_id]["updatedAt"])
                delays.append((seen_at - finished).total_seconds())
                pending.discard(late_id)
    stats = server.stats()
    if pending:
        delays.append(float("inf"))  # a post whose outcome never showed
    return stats["requestsTotal"] / minutes, stats["requests"], delays


async def measure_view(view: str, server: SandboxServer, folder: Path, minutes: float, idle_at: datetime,
                       busy_at: datetime, campaign_ids: set[str]) -> dict:
    store = Store.open(folder / f"{view}.sqlite3")
    try:
        async with LateClient(KEY, server.base_url) as client:
            engine = SyncEngine(store, client, clock=lambda: server.sandbox.state.now())
            set_clock(server, idle_at)
            engine.set_window(*view_window(view, idle_at.date()))
            started = time.perf_counter()
            idle_rpm, idle_routes, _ = await run_phase(engine, server, store, minutes, set())
            set_clock(server, busy_at)
            engine.set_window(*view_window(view, busy_at.date()))
            busy_rpm, busy_routes, delays = await run_phase(engine, server, store, minutes, campaign_ids)
            window = engine.window
            assert window is not None
            window_posts = len(store.posts_between(*window))
    finally:
        store.close()
    return {"window_posts": window_posts, "idle_rpm": round(idle_rpm, 2), "busy_rpm": round(busy_rpm, 2),
            "idle_requests": idle_routes, "busy_requests": busy_routes,
            "publish_recolour_s": round(max(delays), 1) if delays else None,
            "publish_recolour_median_s": round(statistics.median(delays), 1) if delays else None,
            "published_in_busy_phase": len(delays), "wall_s": round(time.perf_counter() - started, 1)}


async def main_async(args: argparse.Namespace) -> dict:
    rng = random.Random(args.seed)
    with SandboxServer(api_keys=(KEY,), seed=args.seed) as server, tempfile.TemporaryDirectory() as tmp:
        server.configure(publishDurationSeconds=args.publish_seconds)
        today = server.sandbox.state.now().date()
        # each view gets its own evening and its own campaign hour, on days still ahead of the clock
        days = {view: today + timedelta(days=2 + 2 * n) for n, view in enumerate(VIEWS)}
        phase_at: dict[str, tuple[datetime, datetime, list[datetime]]] = {}
        campaign_times: list[datetime] = []
        for view, day in days.items():
            idle_at = _day_start(day) + timedelta(hours=19)
            busy_at = _day_start(day + timedelta(days=1)) + timedelta(hours=10)
            times = [busy_at + timedelta(minutes=1) + k * CAMPAIGN_EVERY
                     for k in range(int(args.minutes * 60 // CAMPAIGN_EVERY.total_seconds()))]
            phase_at[view] = (idle_at, busy_at, times)
            campaign_times += times
        t0 = time.perf_counter()
        seed(server, args.posts, today, campaign_times, rng)
        seeded_s = time.perf_counter() - t0
        with server.sandbox.state.lock:
            by_time = {p["scheduledFor"]: pid for pid, p in server.sandbox.state.posts.items()
                       if p["status"] == "scheduled"}
        sandbox_page = _sandbox_page_ms(server, phase_at["month"][1])
        views = {}
        for view in VIEWS:
            idle_at, busy_at, times = phase_at[view]
            ids = {by_time[iso(t)] for t in times if iso(t) in by_time}
            views[view] = await measure_view(view, server, Path(tmp), args.minutes, idle_at, busy_at, ids)
            print(f"{view}: {views[view]}", file=sys.stderr)
    worst = {key: max(v[key] for v in views.values()) for key in ("idle_rpm", "busy_rpm", "publish_recolour_s")}
    return {"posts": args.posts, "window_posts": views["month"]["window_posts"], **worst,
            "minutes_per_phase": args.minutes, "seed_s": round(seeded_s, 1), **sandbox_page, "views": views}


def _sandbox_page_ms(server: SandboxServer, day: datetime) -> dict[str, float]:
    """What one 500-post page costs the sandbox itself: by due time (read from its index) and, for scale, by
    creation time (a scan and sort of every post); best of five, in process."""
    from latecal.sandbox.listing import list_posts

    start, end = view_window("month", day.date())
    by_due = [("fromDate", iso(start)), ("toDate", iso(end)), ("sortBy", "scheduled-asc"), ("limit", "500")]
    by_creation = [("sortBy", "created-asc"), ("limit", "500")]

    def best(params: list[tuple[str, str]]) -> float:
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            list_posts(server.sandbox.state, params)
            times.append(time.perf_counter() - t0)
        return round(min(times) * 1000, 2)

    return {"sandbox_page_ms": best(by_due), "sandbox_scan_page_ms": best(by_creation)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=20_000, help="posts in the store's year")
    parser.add_argument("--minutes", type=float, default=60, help="simulated minutes of each phase")
    parser.add_argument("--publish-seconds", type=float, default=2.0, help="how long Late takes to publish")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    if not args.json:
        for view, figures in result["views"].items():
            print(f"{view:6} idle {figures['idle_rpm']:5.2f}/min  busy {figures['busy_rpm']:5.2f}/min  "
                  f"recolour ≤ {figures['publish_recolour_s']} s  ({figures['window_posts']} posts in the window)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
