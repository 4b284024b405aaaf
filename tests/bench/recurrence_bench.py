"""Recurring posts on a real store: what making a series and keeping series ahead cost.

    .venv/bin/python tests/bench/recurrence_bench.py [--series 50] --json

Prints one JSON object last: ``make_daily_ms`` (a daily series made 8 weeks ahead: 57 posts with their outbox
entries, one transaction), ``extend_idle_ms`` (the sync engine's check each run when nothing is due, with
``series`` local series), ``extend_run_ms`` / ``made_in_run`` (three days later, one sync run's extension: at most
``EXTEND_PER_RUN`` series, one transaction), ``runs_to_catch_up`` (runs until every series is ahead again), and
``occurrences`` (posts in the store)."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from latecal.core.models import Post, Target
from latecal.core.recurrence import Freq, Rule
from latecal.operations import recurring
from latecal.store import Store

START = datetime(2027, 3, 1, 8, tzinfo=UTC)


def _ms(f) -> float:
    t = time.perf_counter()
    f()
    return (time.perf_counter() - t) * 1000


def main(argv: list[str]) -> int:
    args = argparse.ArgumentParser()
    args.add_argument("--series", type=int, default=50)
    args.add_argument("--json", action="store_true")
    opts = args.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.sqlite3")
        make = []
        for n in range(opts.series):
            post = store.save_post(Post(content=f"Series {n}", status="scheduled", timezone="Europe/Berlin",
                                        scheduled_for=START + timedelta(hours=1, minutes=n),
                                        targets=[Target("twitter", "acc-x")]))
            make.append(_ms(lambda p=post: recurring.make_recurring(store, p.local_id, Rule(Freq.DAILY),
                                                                      zone="Europe/Berlin", now=START, initiator=None)))
        idle = [_ms(lambda: store.extend_series(START)) for _ in range(50)]
        before = store.count()
        later = START + timedelta(days=3)  # (a series is extended once it is a day short)
        day = _ms(lambda: store.extend_series(later))
        made_in_run = store.count() - before
        runs = 1
        while store.extend_series(later):
            runs += 1
        result = {"series": opts.series, "make_daily_ms": round(statistics.median(make), 2),
                  "extend_idle_ms": round(statistics.median(idle), 3), "extend_run_ms": round(day, 1),
                  "made_in_run": made_in_run, "runs_to_catch_up": runs,
                  "occurrences": store.count()}
        store.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
