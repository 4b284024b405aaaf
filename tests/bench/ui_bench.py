"""The calendar window under load: repaints, recolouring, event-loop stalls during a sync, start-up and memory.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/ui_bench.py --posts 3000 --startup-posts 10000 --json

In this process (offscreen, one qasync loop): N posts in the visible month of a 1280×800 MainWindow.
- month/empty-month/week repaint: median of ``viewport().repaint()`` (the month the posts are in, a month
  without posts, a week of that month);
- recolour_1000: 1000 of the posts change status through ``store.upsert_remote`` in one batch, timed from the
  write until the views applied it and repainted (as a pulled page arrives);
- stall: the longest gap between ticks of a 5 ms QTimer (and the 99th percentile of the gaps:
  ``p99_loop_gap_ms_during_sync``) while ``SyncEngine.run_once()`` pulls N posts from an
  in-process sandbox into (a) an empty store and (b) a stale one (every post changed on Late), with the window
  open and attached through a real SyncBridge; the worse of the two is reported.
In subprocesses (M = --startup-posts, spread over two years around today, so the store is large and the visible
month holds a realistic share): the time from process start to the first paint of the main window in normal mode
(store filled, ``--base-url http://127.0.0.1:9/api``: unreachable), and that process's peak RSS, against a bare
PySide6 QMainWindow of the same size (and, for reference, a minimal window of the calendar's kind made of PySide6
alone: ``minimal_window_first_paint_s``); medians of --runs alternating runs after a warm-up (which also writes the
bytecode cache, as an installed wheel has it). The child exits at the first paint (its peak RSS is the one at first
paint). The machine's load shows up in every figure: run it on an otherwise idle machine.
The List's figures (list_open_ms, list_search_ms, list_sync_ratio) and startup_empty_store_s: see
list_bench_parts.py.
The last line printed is the JSON result.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import httpx
import list_bench_parts
from bench_data import late_outcome, seed_outcomes
from week_bench_parts import dense_week_repaint

from latecal import heap
from latecal.core.models import Account, Post, Target
from latecal.store import Store

KEY = "sk_bench_sandbox"
PROFILE = "65f1c0a9e2b5af0012ab0001"
ACCOUNTS = {"twitter": "65f1c0a9e2b5af0012ac0001", "linkedin": "65f1c0a9e2b5af0012ac0002",
            "instagram": "65f1c0a9e2b5af0012ac0003"}
ZONE = ZoneInfo("Europe/Berlin")
TEXTS = ["Launch day! Our new spring collection is live", "Behind the scenes at the studio",
         "5 tips for better morning routines (thread)", "We're hiring a senior designer in Berlin",
         "Weekend sale: 20% off everything until Sunday", "New blog post: 1,000 support tickets later"]
REPAINT_RUNS = 21
PROBE_MS = 5

# The first-paint hook: the app runs unchanged; an event filter on the MainWindow reports its first Paint
# (after the frame is complete: a 0 ms timer) with the peak RSS, then ends the process.
_CHILD_COMMON = r"""
import json, os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer

def _hwm_kb():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))

def _report():
    cpu = os.times()
    data = {"t": time.time(), "hwm_kb": _hwm_kb(), "cpu": cpu.user + cpu.system}
    print("FIRST_PAINT " + json.dumps(data), flush=True)
    os._exit(0)

class FirstPaint(QObject):
    fired = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.fired:
            self.fired = True
            QTimer.singleShot(0, _report)
        return False
"""

APP_CHILD = _CHILD_COMMON + r"""
import latecal.ui.app.main_window as mw
_init = mw.MainWindow.__init__
_hook = FirstPaint()
def _hooked(self, *a, **kw):
    _init(self, *a, **kw)
    self.installEventFilter(_hook)
mw.MainWindow.__init__ = _hooked
from latecal.__main__ import main
sys.exit(main(sys.argv[1:]))
"""

BARE_CHILD = _CHILD_COMMON + r"""
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow()
w.setWindowTitle("bare")
w.resize(1280, 800)
hook = FirstPaint()
w.installEventFilter(hook)
w.show()
app.exec()
"""

# A reference, not a target: the smallest window of the calendar's kind (the Qt namespace, a toolbar with buttons,
# a combo box and a line edit, a status bar, and a graphics view with 126 chips painting two texts each, as
# many as the month shows at start-up) without any of the app's own code: what PySide6 alone costs for it.
MINIMAL_CHILD = _CHILD_COMMON + r"""
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QApplication, QComboBox, QGraphicsItem, QGraphicsScene, QGraphicsView, QLabel,
                               QLineEdit, QMainWindow, QPushButton, QStatusBar, QToolBar)

class Chip(QGraphicsItem):
    def __init__(self, rect, text):
        super().__init__()
        self.rect, self.text = rect, text
    def boundingRect(self):
        return self.rect
    def paint(self, painter, option, widget=None):
        painter.setBrush(QColor("#d6e6ff"))
        painter.drawRoundedRect(self.rect, 3, 3)
        painter.drawText(self.rect.adjusted(4, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, self.text)
        painter.drawText(self.rect.adjusted(40, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, "X IG")

app = QApplication([])
w = QMainWindow()
w.resize(1280, 800)
bar = QToolBar()
w.addToolBar(bar)
for text in ("Today", "<", ">", "Month", "Week", "Day", "List", "Sync"):
    bar.addWidget(QPushButton(text))
box = QComboBox()
box.addItems(["All accounts", "Acme"])
bar.addWidget(box)
bar.addWidget(QLineEdit())
w.setStatusBar(QStatusBar())
w.statusBar().addWidget(QLabel("Synced just now"))
scene = QGraphicsScene(0, 0, 1260, 700)
for i in range(126):
    scene.addItem(Chip(QRectF((i % 7) * 180, (i // 7) * 38, 170, 18), f"09:{i % 60:02d} Launch day! Our new"))
w.setCentralWidget(QGraphicsView(scene))
hook = FirstPaint()
w.installEventFilter(hook)
w.show()
app.exec()
"""


# -- data ------------------------------------------------------------------------------------------------------


def _month_days(anchor: date) -> list[date]:
    first = anchor.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return [first + timedelta(days=i) for i in range((nxt - first).days)]


def _when(day: date, rng: random.Random) -> datetime:
    at = dtime(rng.randint(7, 20), rng.choice([0, 15, 30, 45]))
    return datetime.combine(day, at, tzinfo=ZONE).astimezone(UTC)


def _seed_sandbox(server, n: int, days: list[date], rng: random.Random) -> list[dict]:
    """N posts in ``days`` that Late has just published (85 %) or failed (15 %); returns them as listed."""
    now = datetime.now(UTC)
    posts = []
    for i in range(n):
        platform = rng.choice(list(ACCOUNTS))
        failed = rng.random() < 0.15
        when = _when(days[i % len(days)], rng)
        posts.append(late_outcome(i, content=f"{rng.choice(TEXTS)} #{i}", platform=platform,
                                  account_id=ACCOUNTS[platform], when=when, failed=failed, updated=now))
    seed_outcomes(server, posts, profile=PROFILE, accounts=ACCOUNTS)
    out, cursor = [], None
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as http:
        while True:
            body = http.get("/v1/posts", params={"limit": 500, **({"cursor": cursor} if cursor else {})}).json()
            out += body["posts"]
            cursor = body["pagination"].get("nextCursor")
            if not cursor:
                return out


def _fill_stale(store: Store, remote: list[dict]) -> None:
    """The local copy from before Late acted: every post still scheduled, with an older updatedAt."""
    from latecal.late.wire import post_from_json

    store.replace_accounts([Account(aid, p, PROFILE, username=f"acme_{p}") for p, aid in ACCOUNTS.items()])
    with store.batch():
        for raw in remote:
            post = post_from_json(raw)
            post.status = "scheduled"
            post.remote_updated_at = post.remote_updated_at - timedelta(hours=2)
            post.targets = [Target(t.platform, t.account_id) for t in post.targets]
            store.upsert_remote(post)


def _fill_local(store: Store, n: int, days: list[date], rng: random.Random) -> None:
    """N synced posts over ``days`` with a realistic status mix (past: outcomes; future: scheduled/draft)."""
    now = datetime.now(UTC)
    store.replace_accounts([Account(aid, p, PROFILE, username=f"acme_{p}") for p, aid in ACCOUNTS.items()])
    with store.batch():
        for i in range(n):
            when = _when(days[i % len(days)], rng)
            platforms = rng.sample(list(ACCOUNTS), rng.choice([1, 1, 2]))
            if when < now:
                status = rng.choice(["published"] * 8 + ["failed", "partial"])
            else:
                status = rng.choice(["scheduled"] * 4 + ["draft"])
            targets = [Target(p, ACCOUNTS[p], status="published" if status == "published" else "pending")
                       for p in platforms]
            store.upsert_remote(Post(content=f"{rng.choice(TEXTS)} #{i}", scheduled_for=when, status=status,
                                     targets=targets, late_id=f"late-{i:06d}", remote_updated_at=now))


# -- in-process measurements -------------------------------------------------------------------------------------


def _median_ms(fn, runs: int = REPAINT_RUNS) -> float:
    fn()
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def _open_window(app, store: Store, anchor: date, view: str = "month"):
    from latecal.ui.app.main_window import MainWindow

    window = MainWindow(store, view=view, anchor=anchor, zone=ZONE)
    window.resize(1280, 800)
    window.show()
    _settle(app)
    return window


def _close(app, window) -> None:
    import shiboken6

    window.close()
    _settle(app)
    shiboken6.delete(window)


def _repaints(app, store: Store, anchor: date, empty_anchor: date) -> dict:
    window = _open_window(app, store, anchor)
    month = window.views.month.view.viewport()
    out = {"month_items": len(window.views.month.scene.posts)}
    out["month_repaint_ms"] = _median_ms(month.repaint)
    out.update(dense_week_repaint(app, window))  # the busiest week of these posts, at its busiest hours
    window._navigate("month", empty_anchor)
    _settle(app)
    assert not window.views.month.scene.posts, "the empty month is not empty"
    out["empty_month_repaint_ms"] = _median_ms(month.repaint)
    window._navigate("week", anchor.replace(day=15))
    _settle(app)
    out["week_items"] = len(window.views.week.scene.posts)
    out["week_repaint_ms"] = _median_ms(window.views.week.view.viewport().repaint)
    _close(app, window)
    return out


def _recolour(app, store: Store, anchor: date, count: int = 1000) -> float:
    """Median of 3: ``count`` posts change status in one store batch; until the month view shows them."""
    window = _open_window(app, store, anchor)
    scene = window.views.month.scene
    viewport = window.views.month.view.viewport()
    # the month's posts (chips exist only for those that fit their cells); fewer with --posts below 1000
    ids = sorted(scene.posts)[:count]
    wanted = set(ids)
    times = []
    for round_, status in enumerate(("failed", "published", "failed")):
        posts = [store.get_post(i) for i in ids]
        t0 = time.perf_counter()
        with store.batch():
            for p in posts:
                store.upsert_remote(replace(p, status=status,
                                            remote_updated_at=p.remote_updated_at + timedelta(minutes=round_ + 1)))
        app.processEvents()
        viewport.repaint()
        times.append((time.perf_counter() - t0) * 1000)
        assert all(scene.posts[i].status == status for i in ids), "the views did not recolour"
        assert all(item.post.status == status for item in scene.items_by_id.values() if item.local_id in wanted)
    _close(app, window)
    return statistics.median(times)


def _stall_during_sync(app, loop, store: Store, base_url: str, anchor: date, gc_freeze: bool) -> dict:
    """The longest gap between 5 ms probe ticks while one sync run pulls every post of the month."""
    from PySide6.QtCore import QTimer

    from latecal.late.client import LateClient
    from latecal.sync import SyncEngine
    from latecal.ui.app.sync_bridge import SyncBridge

    window = _open_window(app, store, anchor)
    before = len(window.views.month.scene.posts)
    ticks: list[float] = []
    _stall_during_sync.last_ticks = ticks  # for profiling scripts
    probe = QTimer()
    probe.setInterval(PROBE_MS)
    cpu_ticks: list[float] = []  # the loop thread's own CPU time at each tick: the gaps a loaded machine cannot widen
    probe.timeout.connect(lambda: (ticks.append(time.perf_counter()), cpu_ticks.append(time.thread_time())))

    async def run():
        async with LateClient(KEY, base_url) as client:
            engine = SyncEngine(store, client)
            bridge = SyncBridge(engine, window)
            window.attach_sync(bridge)  # sets the engine's window to the month on screen
            await asyncio.sleep(0.05)
            if gc_freeze:
                # What app.py does once the window and the services are up: the start-up heap leaves the GC's
                # generations, and each merged slice's additions after it (latecal/heap.py).
                heap.manage()
            probe.start()
            await asyncio.sleep(0.02)
            t0 = time.perf_counter()
            report = await engine.run_once()
            seconds = time.perf_counter() - t0
            await asyncio.sleep(0.02)
            probe.stop()
            return report, seconds

    try:
        report, seconds = loop.run_until_complete(run())
    finally:
        heap.release()
    assert not report.errors and not report.offline, report.summary()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    out = {"stall_ms": max(gaps), "p99_gap_ms": statistics.quantiles(gaps, n=100)[98], "sync_s": seconds,
           "changed": len(report.changed), "items_before": before,
           "items_after": len(window.views.month.scene.posts), "ticks": len(ticks),
           "max_cpu_gap_ms": max((b - a) * 1000 for a, b in itertools.pairwise(cpu_ticks))}
    _close(app, window)
    return out


def in_process(n: int, tmp: Path, stall_runs: int, gc_freeze: bool) -> dict:
    import qasync
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from latecal.sandbox.runner import SandboxServer

    def quiet(_kind, _context, message: str) -> None:  # offscreen's propagateSizeHints notice on every window
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    rng = random.Random(42)
    today = datetime.now(ZONE).date()
    anchor = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month: every post is past due
    empty_anchor = (anchor - timedelta(days=80)).replace(day=1)
    days = _month_days(anchor)
    out: dict = {"empty_store": [], "stale_store": []}
    with SandboxServer(api_keys=(KEY,), seed=42, rpm_limit=None) as server:
        remote = _seed_sandbox(server, n, days, rng)
        with Store.open(tmp / "stale.sqlite3") as stale:
            _fill_stale(stale, remote)
        del remote  # the bench's own copy must not weigh on the GC it measures
        with Store.open(tmp / "stale.sqlite3") as stale:
            out.update(_repaints(app, stale, anchor, empty_anchor))
        for run in range(stall_runs):  # a fresh empty and a fresh stale copy each time
            with Store.open(tmp / f"empty{run}.sqlite3") as empty:
                out["empty_store"].append(_stall_during_sync(app, loop, empty, server.base_url, anchor, gc_freeze))
            shutil.copy(tmp / "stale.sqlite3", tmp / f"stale{run}.sqlite3")
            with Store.open(tmp / f"stale{run}.sqlite3") as stale:
                out["stale_store"].append(_stall_during_sync(app, loop, stale, server.base_url, anchor, gc_freeze))
                if run == 0:
                    out["recolour_1000_ms"] = _recolour(app, stale, anchor)
    loop.close()
    return out


# -- subprocess measurements -------------------------------------------------------------------------------------


def _first_paint(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds from spawning to the first paint, peak RSS in MB) of one child run."""
    # Bytecode as an installed app has it (pip compiles wheels): the warm-up run writes it to a private cache,
    # also when the environment sets PYTHONDONTWRITEBYTECODE (source checkouts otherwise compile on every start).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # its own settings: a window size or view remembered from the developer's sessions must not count
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(cwd / "pycache"),
               XDG_CONFIG_HOME=str(cwd / "config"))
    t0 = time.time()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("FIRST_PAINT ")]
    if not lines:
        raise RuntimeError(f"no first paint from {cmd[:3]}: rc={proc.returncode}\n{proc.stderr[-2000:]}")
    data = json.loads(lines[-1].split(" ", 1)[1])
    return data["t"] - t0, data["hwm_kb"] / 1024


def startup(m: int, tmp: Path, runs: int) -> dict:
    data_dir = tmp / "startup"
    today = datetime.now(ZONE).date()
    days = [today + timedelta(days=d) for d in range(-365, 365)]
    with Store.open(data_dir / "posts.sqlite3") as store:
        _fill_local(store, m, days, random.Random(7))
        month = _month_days(today)
        start, end = (datetime.combine(d, dtime(), tzinfo=ZONE).astimezone(UTC)
                      for d in (month[0], month[-1] + timedelta(days=1)))
        visible = len(store.posts_between(start, end))
    (tmp / "app_child.py").write_text(APP_CHILD)
    (tmp / "bare_child.py").write_text(BARE_CHILD)
    (tmp / "minimal_child.py").write_text(MINIMAL_CHILD)
    app_cmd = [sys.executable, str(tmp / "app_child.py"), "--data-dir", str(data_dir),
               "--base-url", "http://127.0.0.1:9/api"]
    bare_cmd = [sys.executable, str(tmp / "bare_child.py")]
    minimal_cmd = [sys.executable, str(tmp / "minimal_child.py")]
    # the same app on an empty store: start-up must not grow with the store (issue 16)
    empty_cmd = [*app_cmd[:3], str(tmp / "startup_empty"), *app_cmd[4:]]
    for cmd in (app_cmd, bare_cmd, minimal_cmd, empty_cmd):
        _first_paint(cmd, tmp)  # warm-up: page cache, fontconfig cache, .pyc
    app_runs, bare_runs, minimal_runs, empty_runs = [], [], [], []
    for _ in range(runs):
        app_runs.append(_first_paint(app_cmd, tmp))
        empty_runs.append(_first_paint(empty_cmd, tmp))
        bare_runs.append(_first_paint(bare_cmd, tmp))
        minimal_runs.append(_first_paint(minimal_cmd, tmp))
    return {
        "minimal_window_first_paint_s": statistics.median(t for t, _ in minimal_runs),
        "startup_first_paint_s": statistics.median(t for t, _ in app_runs),
        "bare_window_first_paint_s": statistics.median(t for t, _ in bare_runs),
        "rss_mb": statistics.median(r for _, r in app_runs),
        "bare_rss_mb": statistics.median(r for _, r in bare_runs),
        "startup_visible_month_posts": visible,
        "startup_empty_store_s": statistics.median(t for t, _ in empty_runs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000, help="posts in the visible month (repaint, stall)")
    parser.add_argument("--startup-posts", type=int, default=None,
                        help="posts in the store for start-up and RSS (default: --posts)")
    parser.add_argument("--runs", type=int, default=7, help="start-up runs of each process (after a warm-up)")
    parser.add_argument("--stall-runs", type=int, default=3, help="sync runs per store kind (median of their maxima)")
    parser.add_argument("--no-gc-freeze", action="store_true",
                        help="measure the stall without the gc.freeze() app.py does after start-up")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-window", action="store_true")
    parser.add_argument("--json", action="store_true", help="print only the JSON result line")
    args = parser.parse_args(argv)
    m = args.startup_posts or args.posts
    detail: dict = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.skip_window:
            detail.update(in_process(args.posts, tmp, args.stall_runs, not args.no_gc_freeze))
        if not args.skip_startup:
            detail.update(startup(m, tmp, args.runs))
        if not args.skip_window:  # after start-up: the List is measured on its store of M posts
            detail.update(list_bench_parts.measure(tmp, m, sys.modules[__name__]))
    result = {"posts": args.posts}
    if not args.skip_window:
        result.update(
            month_repaint_ms=round(detail["month_repaint_ms"], 2),
            empty_month_repaint_ms=round(detail["empty_month_repaint_ms"], 2),
            week_repaint_ms=round(detail["week_repaint_ms"], 2),
            dense_week_repaint_ms=round(detail["dense_week_repaint_ms"], 2),
            recolour_1000_ms=round(detail["recolour_1000_ms"], 1),
            max_loop_stall_ms_during_sync=round(max(
                statistics.median(r["stall_ms"] for r in detail[kind]) for kind in ("empty_store", "stale_store")), 1),
            gc_freeze=not args.no_gc_freeze,
            worst_loop_stall_ms=round(max(r["stall_ms"] for k in ("empty_store", "stale_store") for r in detail[k]), 1),
            list_open_ms=round(detail["list_open_ms"], 1),
            list_search_ms=round(detail["list_search_ms"], 1),
            list_sync_ratio=round(detail["list_sync_ratio"], 2),
            p99_loop_gap_ms_during_sync=round(max(statistics.median(r["p99_gap_ms"] for r in detail[kind])
                                                  for kind in ("empty_store", "stale_store")), 1),
        )
    if not args.skip_startup:
        result.update(
            startup_posts=m,
            startup_first_paint_s=round(detail["startup_first_paint_s"], 3),
            bare_window_first_paint_s=round(detail["bare_window_first_paint_s"], 3),
            minimal_window_first_paint_s=round(detail["minimal_window_first_paint_s"], 3),
            rss_mb=round(detail["rss_mb"], 1),
            bare_rss_mb=round(detail["bare_rss_mb"], 1),
            startup_empty_store_s=round(detail["startup_empty_store_s"], 3),
        )
    if not args.json:
        print(json.dumps(detail, indent=1, default=str), file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
