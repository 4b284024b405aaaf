"""Reconciling N past-due posts: our batched pull against the naive one-GET-per-post reconciler of seed 000.

    python tests/bench/sync_bench.py --posts 2000 --latency-ms 20 --json

A sandbox with L ms of added latency holds N posts that were due in the last hour and have just published or
failed; the local store still shows them as scheduled. Our engine runs one pull; the naive reconciler, in the
same run and against an identical copy of the store, opens a fresh connection for every post and GETs it, as
the official SDK's transport does. The floor, in the same run: the same pages listed and read (fetched, JSON
decoded, mapped to posts) with the same client and latency, nothing merged (``floor_seconds``, the faster of one
listing before and one after ours); ``floor_ratio`` = seconds / floor_seconds. ``--skip-naive`` leaves the slow
naive reconciler out (its fields null).
The last line printed is the JSON result.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from bench_data import late_outcome, seed_outcomes

from latecal.core.models import Post, Target
from latecal.late.client import LateClient
from latecal.late.wire import post_from_json
from latecal.sandbox.runner import SandboxServer
from latecal.store import Store
from latecal.sync import SyncEngine
from latecal.sync.pull import listing_ranges

KEY = "sk_bench_sandbox"
PROFILE = "65f1c0a9e2b5af0012ab0001"
ACCOUNTS = {"twitter": "65f1c0a9e2b5af0012ac0001", "linkedin": "65f1c0a9e2b5af0012ac0002"}


def _seed(server: SandboxServer, n: int, rng: random.Random) -> list[dict]:
    now = datetime.now(UTC)
    posts = []
    for i in range(n):
        platform = "twitter" if i % 2 else "linkedin"
        failed = rng.random() < 0.15
        when = now - timedelta(seconds=rng.randint(60, 3600))
        posts.append(late_outcome(i, content=f"Bench post {i}: our product news of the day", platform=platform,
                                  account_id=ACCOUNTS[platform], when=when, failed=failed, updated=now))
    seed_outcomes(server, posts, profile=PROFILE, accounts=ACCOUNTS)
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        out, cursor = [], None
        while True:
            params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
            body = http.get("/v1/posts", params=params).json()
            out += body["posts"]
            cursor = body["pagination"].get("nextCursor")
            if not cursor:
                return out


def _fill_local(path: Path, remote: list[dict]) -> None:
    """The local view before Late acted: every post still scheduled, with an older updatedAt."""
    with Store.open(path) as store, store.batch():
        for raw in remote:
            post = post_from_json(raw)
            post.status = "scheduled"
            post.remote_updated_at = post.remote_updated_at - timedelta(hours=2)
            post.targets = [Target(t.platform, t.account_id) for t in post.targets]
            store.upsert_remote(post)


async def _ours(path: Path, base_url: str) -> dict:
    with Store.open(path) as store:
        async with LateClient(KEY, base_url) as client:
            engine = SyncEngine(store, client)
            engine.set_window(*_window())
            started = time.perf_counter()
            report = await engine.run_once(refresh_accounts=False)
            seconds = time.perf_counter() - started
    return {"http_calls": report.http_calls, "seconds": seconds, "changed": len(report.changed),
            "errors": report.errors}


def _window() -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(days=28), now + timedelta(days=42)


async def _floor(base_url: str) -> dict:
    """What our pull cannot do without: list the window's pages and read them (no store)."""
    async with LateClient(KEY, base_url) as client:
        started = time.perf_counter()
        posts = 0
        for start, end in listing_ranges(_window(), []):
            async for page in client.iter_posts(from_date=start, to_date=end, sort_by="scheduled-asc"):
                posts += len(page.posts)
        return {"seconds": time.perf_counter() - started, "posts": posts, "http_calls": client.stats.http_calls}


def _naive(path: Path, base_url: str) -> dict:
    """Seed 000: walk every past-due scheduled post and GET it, with a new connection each time."""
    calls = changed = 0
    started = time.perf_counter()
    with Store.open(path) as store:
        due = [p for p in store.posts_with_status(["scheduled"], due_before=datetime.now(UTC)) if p.late_id]
        for local in due:
            with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as http:
                body = http.get(f"/v1/posts/{local.late_id}").json()
            calls += 1
            remote: Post = post_from_json(body["post"])
            if remote.status != local.status:
                remote.local_id = local.local_id
                store.upsert_remote(remote)
                changed += 1
    return {"http_calls": calls, "seconds": time.perf_counter() - started, "changed": changed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print only the JSON result line")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the (slow) naive reconciler")
    args = parser.parse_args(argv)
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(api_keys=(KEY,), seed=42, rpm_limit=None) as server:
        remote = _seed(server, args.posts, rng)
        ours_path, naive_path = Path(tmp) / "ours.sqlite3", Path(tmp) / "naive.sqlite3"
        _fill_local(ours_path, remote)
        shutil.copy(ours_path, naive_path)
        server.configure(latencyMs=args.latency_ms)
        floors = [asyncio.run(_floor(server.base_url))]
        ours = asyncio.run(_ours(ours_path, server.base_url))
        floors.append(asyncio.run(_floor(server.base_url)))
        naive = None if args.skip_naive else _naive(naive_path, server.base_url)
    floor = min(f["seconds"] for f in floors)
    result = {
        "posts": args.posts,
        "http_calls": ours["http_calls"],
        "seconds": round(ours["seconds"], 3),
        "naive_http_calls": naive and naive["http_calls"],
        "naive_seconds": naive and round(naive["seconds"], 3),
        "speedup": naive and round(naive["seconds"] / ours["seconds"], 1),
        "changed": ours["changed"],
        "floor_seconds": round(floor, 3),
        "floor_ratio": round(ours["seconds"] / floor, 2),
    }
    if not args.json:
        print(f"ours: {ours}", file=sys.stderr)
        print(f"naive: {naive}", file=sys.stderr)
        print(f"floor: {floors}", file=sys.stderr)
    print(json.dumps(result))
    complete = all(f["posts"] == args.posts for f in floors) and (naive is None or naive["changed"] == args.posts)
    return 0 if ours["changed"] == args.posts and complete and not ours["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
