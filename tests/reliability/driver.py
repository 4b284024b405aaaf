"""The headless driver: store + sync engine + LateClient, no window, playing the scripted edits (script.py).

    python tests/reliability/driver.py --store S --progress P --base-url URL --key K --seed N --edits 200

It can be SIGKILLed anywhere and started again with the same arguments: ``--progress`` holds the index of the
next step (written atomically after each step). Replaying the step a kill interrupted is harmless because
every step sets the post to an absolute intended state. Prints ``done <json>`` on success, exits 0.
In-process (the fault tests) the same ``Driver`` runs on the caller's event loop.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __name__ == "__main__":  # standalone: make `reliability.*` and `integration.*` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from latecal.core.models import MediaItem, Post, Target
from latecal.late.client import LateClient
from latecal.late.errors import LateError
from latecal.store import Store
from latecal.sync import SyncEngine
from latecal.sync.report import SyncReport
from reliability.script import ACCOUNTS, BASE, PAST, Step, build_script, media_bytes

#: The pull window: every scheduled post of the script (BASE ± 12 days) plus margin.
WINDOW = (BASE - timedelta(days=20), BASE + timedelta(days=20))
UPLOAD_TRIES = 200
MAX_DRAIN_RUNS = 80


def now_utc() -> datetime:
    return datetime.now(UTC)


class OffsetClock:
    """Real time plus an offset the driver moves forward to end a push backoff instead of sleeping through it."""

    def __init__(self, offset_s: float = 0.0) -> None:
        self.offset_s = offset_s

    def __call__(self) -> datetime:
        return now_utc() + timedelta(seconds=self.offset_s)


@dataclass
class Tally:
    runs: int = 0
    reports_with_errors: int = 0
    offline_runs: int = 0
    auth_failed_runs: int = 0
    upload_retries: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, report: SyncReport) -> None:
        self.runs += 1
        self.offline_runs += report.offline
        self.auth_failed_runs += report.auth_failed
        if report.errors:
            self.reports_with_errors += 1
            self.errors.extend(report.errors[:2])


class Driver:
    def __init__(self, store: Store, client: LateClient, engine: SyncEngine, clock: OffsetClock, *, seed: int,
                 steps: list[Step], media_dir: Path, sync_odds: float = 0.35,
                 pause: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self.store, self.client, self.engine, self.clock = store, client, engine, clock
        self.seed, self.steps, self.media_dir = seed, steps, media_dir
        self.sync_odds = sync_odds
        self.pause = pause
        self.tally = Tally()

    def syncs_after(self, i: int) -> bool:
        """Whether a sync runs after step ``i``: seeded per step, so a resumed run keeps the same cadence."""
        return random.Random(self.seed * 1_000_003 + i).random() < self.sync_odds

    async def sync(self, *, pull: bool = True) -> SyncReport:
        self.publish_missed()
        report = await self.engine.run_once(pull=pull)
        self.tally.add(report)
        return report

    async def play(self, start: int = 0, on_step: Callable[[int], object] | None = None) -> None:
        for i in range(start, len(self.steps)):
            await self.apply(self.steps[i])
            if on_step is not None:
                on_step(i + 1)
            if self.syncs_after(i):
                await self.sync(pull=i % 3 != 0)

    async def apply(self, step: Step) -> None:
        spec = step.spec
        if spec.deleted:
            self.store.delete_post(spec.local_id)
            return
        stored = self.store.get_post(spec.local_id)
        if step.kind == "retry":
            # The UI offers Retry on failed posts only (they are on Late by then).
            if stored is not None and stored.late_id and stored.status == "failed":
                self.store.request_retry(spec.local_id)
            return
        by_account = {t.account_id: t for t in stored.targets} if stored else {}
        targets = [by_account.get(ACCOUNTS[p]) or Target(p, ACCOUNTS[p]) for p in spec.platforms]
        media = [await self._media(name, stored) for name in spec.media]
        if spec.draft:
            status = "draft"
        elif stored is not None and stored.status not in ("draft", "scheduled"):
            status = stored.status  # failed/partial: Late decides what an edit makes of it
        else:
            status = "scheduled"
        post = Post(local_id=spec.local_id, content=spec.content, scheduled_for=spec.when, targets=targets,
                    media=media, status=status, timezone=stored.timezone if stored else None)
        self.store.save_post(post)

    async def _media(self, name: str, stored: Post | None) -> MediaItem:
        for item in stored.media if stored else ():
            if item.filename == name and item.url:
                return item  # uploaded before a kill or in an earlier step
        path = self.media_dir / name
        if not path.exists():
            self.media_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(media_bytes(self.seed, name))
            os.replace(tmp, path)
        for attempt in range(UPLOAD_TRIES):
            try:
                up = await self.client.upload_media(path, "image/png", filename=name)
                return MediaItem(type="image", url=up.public_url, filename=name, mime_type="image/png",
                                 size=up.size, local_path=str(path))
            except LateError as exc:  # presign is not retried by the client once it may have run: the user retries
                self.tally.upload_retries += 1
                if attempt + 1 == UPLOAD_TRIES:
                    raise
                self.tally.errors.append(f"upload of {name}: {exc}")
                await self.pause(0.05)
        raise AssertionError("unreachable")

    def publish_missed(self) -> None:
        """The failing posts are scheduled in the past: never sent so (they are Missed, issue 19), they go out as
        the user's Publish now, which Late fails on the failing platform (the retry group)."""
        from latecal.operations.missed import missed_posts, publish_now

        ids = [p.local_id for p in missed_posts(self.store, self.clock())]
        if ids:
            publish_now(self.store, ids, now=self.clock(), initiator=None)

    def outbox_left(self) -> int:
        return len(self.store.outbox_entries())

    async def drain(self) -> SyncReport:
        """Sync until the outbox is empty; a push backing off is made due by moving the engine's clock."""
        report = await self.sync()
        for _ in range(MAX_DRAIN_RUNS):
            entries = [e for e in self.store.outbox_entries() if not e.parked]
            if not entries and not report.offline and not report.auth_failed and report.complete:
                return await self.sync()  # one more pull: the store now mirrors Late
            waits = [e.next_attempt_at for e in entries if e.next_attempt_at is not None]
            if waits:
                ahead = (max(waits) - self.clock()).total_seconds()
                if ahead > 0:
                    self.clock.offset_s += ahead + 0.001
            if report.offline or report.auth_failed:
                await self.pause(0.05)
            self.engine.resume()
            report = await self.sync()
        raise RuntimeError(f"outbox did not drain: {self.store.outbox_entries()}")


# ------------------------------------------------------------------------------------------ standalone process


def _read_progress(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {"next": 0, "offset_s": 0.0, "lives": 0}


def _write_progress(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


async def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser()
    for name in ("--store", "--progress", "--base-url", "--key", "--media-dir"):
        ap.add_argument(name, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--edits", type=int, default=200)
    args = ap.parse_args(argv)
    progress_path = Path(args.progress)
    progress = _read_progress(progress_path)
    progress["lives"] = progress.get("lives", 0) + 1
    _write_progress(progress_path, progress)
    clock = OffsetClock(progress.get("offset_s", 0.0))
    store = Store.open(args.store)
    media_dir = Path(args.media_dir)
    media_dir.mkdir(parents=True, exist_ok=True)
    async with LateClient(args.key, args.base_url) as client:
        engine = SyncEngine(store, client, clock=clock)
        engine.set_window(*WINDOW)
        driver = Driver(store, client, engine, clock, seed=args.seed, steps=build_script(args.seed, args.edits),
                        media_dir=media_dir)

        def saved(next_step: int) -> None:
            progress.update(next=next_step, offset_s=clock.offset_s)
            _write_progress(progress_path, progress)

        await driver.play(progress["next"], on_step=saved)
        await driver.drain()
        saved(len(driver.steps))
    problems = store.check_integrity()
    store.close()
    print("done " + json.dumps({"lives": progress["lives"], "runs": driver.tally.runs, "problems": problems,
                                "past": PAST.isoformat()}), flush=True)
    return 0 if not problems else 2


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
