"""The crash supervisor: runs driver.py against a sandbox, SIGKILLs it at random points, restarts it until it
finishes, then compares the sandbox (and the driver's store) with the script's intended final state.

    python tests/reliability/supervisor.py --rounds 50 --edits 200 --seed 1 [--json]

A round is one full script (its own seed, store and sandbox state) with up to ``max_kills`` kills.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from latecal.sandbox.runner import SandboxServer
from latecal.store import Store
from reliability.script import FAILING, build_script, intended, late_posts, local_posts, tags
from sandbox_support import ACCOUNTS, KEY, seed_basic

DRIVER = Path(__file__).with_name("driver.py")
TESTS_DIR = Path(__file__).resolve().parents[1]
#: per-request server latency during crash rounds: most kills then land while a request is in flight
LATENCY_MS = 3


@dataclass
class RoundResult:
    seed: int
    kills: int = 0
    lives: int = 0
    seconds: float = 0.0
    posts: int = 0
    missing: list = field(default_factory=list)  # intended, not on Late
    unexpected: list = field(default_factory=list)  # on Late, not intended
    local_mismatch: list = field(default_factory=list)
    duplicate_keys: int = 0
    duplicate_posts: int = 0
    integrity: list = field(default_factory=list)
    outbox_left: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.local_mismatch or self.duplicate_keys
                    or self.duplicate_posts or self.integrity or self.outbox_left or self.error)


def prepare(server: SandboxServer) -> None:
    """A clean sandbox with the basic accounts; the retry group's account always fails to publish."""
    server.reset()
    seed_basic(server)
    server.force_outcome(ACCOUNTS[FAILING], "fail", errorMessage="Bluesky rejected the post (forced)")
    server.configure(latencyMs=LATENCY_MS)


def _spawn(args: list[str]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(TESTS_DIR), os.environ.get("PYTHONPATH")])))
    return subprocess.Popen([sys.executable, str(DRIVER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def run_round(server: SandboxServer, seed: int, edits: int, workdir: Path, *, max_kills: int = 4,
              rng: random.Random | None = None, timeout_s: float = 240.0) -> RoundResult:
    rng = rng or random.Random(seed)
    prepare(server)
    workdir.mkdir(parents=True, exist_ok=True)
    store_path = workdir / f"round{seed}.sqlite3"
    args = ["--store", str(store_path), "--progress", str(workdir / f"round{seed}.json"),
            "--base-url", server.base_url, "--key", KEY, "--seed", str(seed), "--edits", str(edits),
            "--media-dir", str(workdir / f"media{seed}")]
    result = RoundResult(seed=seed)
    kills_wanted = rng.randint(1, max_kills)
    started = time.monotonic()
    while True:
        child = _spawn(args)
        result.lives += 1
        if result.kills < kills_wanted:
            # Startup takes ~0.3-0.5 s; the script itself 3-6 s. Kill anywhere in there; the first kill early
            # enough that it always lands.
            try:
                child.wait(rng.uniform(0.25, 1.5 if result.kills == 0 else 3.5))
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.communicate(timeout=10)
                result.kills += 1
                continue
        try:
            out, err = child.communicate(timeout=max(1.0, timeout_s - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = child.communicate()
            result.error = f"driver timed out; stderr tail: {err[-1500:]}"
            break
        if child.returncode != 0 or "done" not in out:
            result.error = f"driver exited {child.returncode}; stdout {out[-500:]!r}; stderr tail: {err[-2500:]}"
        break
    result.seconds = round(time.monotonic() - started, 2)
    check(server, seed, edits, store_path, result)
    return result


def check(server: SandboxServer, seed: int, edits: int, store_path: Path, result: RoundResult) -> None:
    want = intended(build_script(seed, edits), seed)
    on_late = late_posts(server)
    got = set(on_late)
    result.posts = len(want)
    result.missing = sorted(map(repr, want - got))
    result.unexpected = sorted(map(repr, got - want))
    result.duplicate_posts = sum(n - 1 for n in Counter(tags(on_late)).values() if n > 1)
    result.duplicate_keys = sum(1 for n in server.stats()["creates_by_idempotency_key"].values() if n != 1)
    if store_path.exists():
        store = Store.open(store_path)
        try:
            local = set(local_posts(store, server))
            result.local_mismatch = sorted(map(repr, local ^ want))
            result.integrity = store.check_integrity()
            result.outbox_left = len(store.outbox_entries())
            result.integrity += [f"{p.local_id}: sync_state {p.sync_state} {p.sync_error}" for p in store.all_posts()
                                 if p.sync_state != "synced"]
        finally:
            store.close()


def main(argv: list[str]) -> int:
    import argparse
    import tempfile

    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-kills", type=int, default=4)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(seed=args.seed) as server:
        for r in range(args.rounds):
            res = run_round(server, args.seed * 1000 + r, args.edits, Path(tmp), max_kills=args.max_kills)
            results.append(res)
            print(f"round {r}: seed {res.seed} kills {res.kills} lives {res.lives} posts {res.posts} "
                  f"{res.seconds}s {'ok' if res.ok else 'FAIL ' + json.dumps(asdict(res))[:2000]}", flush=True)
    failed = [r for r in results if not r.ok]
    summary = {"rounds": len(results), "failed": len(failed), "kills": sum(r.kills for r in results),
               "posts": sum(r.posts for r in results), "seconds": round(sum(r.seconds for r in results), 1)}
    print(json.dumps(summary) if args.json else summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
