"""The dense week for ui_bench: the week of the month holding the most posts, shown in a 1280×800 window at its
busiest hours; the median of ``viewport().repaint()`` (what a scroll or a recolour costs) and how many posts
that week holds. Run alone for a quick figure:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/week_bench_parts.py --posts 4669 --json

(alone it fills one week with ``--posts`` posts, 07:00-20:45 on quarter hours, as ui_bench's month has them).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPAINT_RUNS = 21
BUSY_HOUR = 9  # the top of the view: the working day the posts crowd


def busiest_week(window) -> date:
    """The Monday of the week (as the window pages weeks) holding the most of the month's posts."""
    scene = window.views.month.scene
    zone = scene.zone
    per_day = Counter(p.scheduled_for.astimezone(zone).date() for p in scene.posts.values() if p.scheduled_for)
    weeks = Counter()
    for day, n in per_day.items():
        weeks[day - timedelta(days=day.weekday())] += n
    return weeks.most_common(1)[0][0] if weeks else window.anchor


def dense_week_repaint(app, window, runs: int = REPAINT_RUNS) -> dict:
    """{"dense_week_posts", "dense_week_repaint_ms"} for an open MainWindow (month view of the posts)."""
    monday = busiest_week(window)
    window._navigate("week", monday + timedelta(days=2))
    for _ in range(5):
        app.processEvents()
    page = window.views.week
    page.view.verticalScrollBar().setValue(int(BUSY_HOUR * 60))
    app.processEvents()
    viewport = page.view.viewport()
    viewport.repaint()
    viewport.repaint()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        viewport.repaint()
        times.append((time.perf_counter() - t0) * 1000)
    return {"dense_week_posts": len(page.scene.posts), "dense_week_repaint_ms": statistics.median(times)}


def _fill_week(store, n: int, monday: date, zone: ZoneInfo) -> None:
    from latecal.core.models import Account, Post, Target

    rng = random.Random(3)
    platforms = {"twitter": "acc-tw", "linkedin": "acc-li", "instagram": "acc-ig"}
    store.replace_accounts([Account(a, p, "prof-1", username=f"acme_{p}") for p, a in platforms.items()])
    now = datetime.now(UTC)
    with store.batch():
        for i in range(n):
            day = monday + timedelta(days=i % 7)
            when = datetime.combine(day, dtime(rng.randint(7, 20), rng.choice([0, 15, 30, 45])), tzinfo=zone)
            chosen = rng.sample(list(platforms), rng.choice([1, 1, 2]))
            store.upsert_remote(Post(content=f"Dense week post #{i}", scheduled_for=when.astimezone(UTC),
                                     status=rng.choice(["published", "failed", "scheduled"]), late_id=f"late-{i:06d}",
                                     targets=[Target(p, platforms[p]) for p in chosen], remote_updated_at=now))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=4669)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from latecal.store import Store
    from latecal.ui.app.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    zone = ZoneInfo("Europe/Berlin")
    monday = date(2027, 3, 8)
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "week.sqlite3") as store:
        _fill_week(store, args.posts, monday, zone)
        window = MainWindow(store, view="month", anchor=monday, zone=zone)
        window.resize(1280, 800)
        window.show()
        for _ in range(5):
            app.processEvents()
        result = dense_week_repaint(app, window)
        window.close()
    print(json.dumps({"posts": args.posts, **{k: round(v, 2) for k, v in result.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
