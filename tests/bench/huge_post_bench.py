"""What one huge post costs the calendar window: 1,000 platforms (each failed with a 500-character reason) and
100 KB of text, as a hostile or runaway answer from Late could hold (issue 15, item 9).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/huge_post_bench.py --json

A 1280×800 MainWindow in the week of the post, on a real store file with 1,000 accounts. Medians of --runs:
- insert_paint_ms: the post is written as a pull would (``store.upsert_remote``), until the views applied it and
  repainted;
- tooltip_ms / tooltip_chars: building the chip's tooltip (what a hover costs) and its length;
- list_switch_ms / month_switch_ms: switching to the List and to the month with the post in them;
- editor_open_ms: opening the post's editor (one window of its own, 1,000 accounts ticked) until it has painted;
- window_rss_mb: the process's RSS growth from before the post to after the views took it (the editor excluded).
The last line printed is the JSON result.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from latecal.core.models import Account, Post, Target
from latecal.store import Store
from ui_support import BERLIN, NOW, FakeSync, flush_events

PLATFORMS = ("twitter", "linkedin", "bluesky", "threads")


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def huge_post(accounts: list[Account], late_id: str) -> Post:
    text = ("lorem ipsum dolor sit amet " * 4000)[:100_000]
    targets = [Target(a.platform, a.id, status="failed" if i % 2 else "published", error_message="E" * 500)
               for i, a in enumerate(accounts)]
    return Post(late_id=late_id, content=text, targets=targets, scheduled_for=NOW + timedelta(hours=2),
                status="partial", sync_state="synced")


def run_once(app: QApplication, folder: Path, n: int, targets: int) -> dict[str, float]:
    from latecal.ui.app.main_window import MainWindow
    from latecal.ui.calendar.post_item import post_tooltip

    store = Store.open(folder / f"bench-{n}.sqlite3")
    accounts = [Account(f"a{i:04d}", PLATFORMS[i % 4], "p1", username=f"user{i}") for i in range(targets)]
    store.replace_accounts(accounts)
    window = MainWindow(store, zone=BERLIN, clock=lambda: NOW, sync=FakeSync(), view="week")
    window.resize(1280, 800)
    window.show()
    flush_events()
    out: dict[str, float] = {}
    rss0 = _rss_mb()
    started = time.perf_counter()
    store.upsert_remote(huge_post(accounts, f"{n:024x}"))
    flush_events()
    window.repaint()
    out["insert_paint_ms"] = _ms(started)
    post = store.get_by_late_id(f"{n:024x}")
    started = time.perf_counter()
    tip = post_tooltip(post, BERLIN)
    out["tooltip_ms"] = _ms(started)
    out["tooltip_chars"] = len(tip)
    for view in ("list", "month"):
        started = time.perf_counter()
        window.set_view(view)
        flush_events()
        window.repaint()
        out[f"{view}_switch_ms"] = _ms(started)
    out["window_rss_mb"] = _rss_mb() - rss0
    started = time.perf_counter()
    editor = window.commands.open_post(post.local_id)
    flush_events()
    if editor is not None:
        editor.repaint()
    out["editor_open_ms"] = _ms(started)
    for w in QApplication.topLevelWidgets():
        w.close()
        w.deleteLater()
    flush_events()
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        runs = [run_once(app, Path(tmp), n, args.targets) for n in range(args.runs)]
    result = {key: round(statistics.median(r[key] for r in runs), 2) for key in runs[0]}
    result["targets"] = args.targets
    result["text_chars"] = 100_000
    if not args.json:
        for key, value in result.items():
            print(f"{key:>20}: {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
