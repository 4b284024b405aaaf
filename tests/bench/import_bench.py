"""A CSV import of N rows through File ▸ Import CSV… in a real (offscreen) window, with the event loop probed.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/import_bench.py --rows 5000 --json

In this process: a store with one profile and three accounts, a 1280×800 MainWindow on the month the rows fall in,
and a CSV of N rows in Late's format (two platforms each, times spread over two months, one row in 50 with a
problem so the preview has some to show).
- validate_s: from opening the file until every row is checked (the editor's rules, duplicates across the file
  and the store) and shown in the preview table;
- import_s: from Import until the one transaction has committed, the command is in the undo history and the
  window has applied the change set;
- max_loop_gap_ms: the longest gap between ticks of a 5 ms QTimer during both (the window must stay responsive:
  no gap over 100 ms); idle_max_loop_gap_ms: the same probe over 2 s of the idle window just before, which is the
  machine's own noise (on a loaded machine a starved process shows gaps with nothing to do).
The last line printed is the JSON result.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from latecal.core.models import Account, Profile
from latecal.store import Store

ZONE = ZoneInfo("Europe/Berlin")
IDLE_S = 2.0
NOW = datetime(2027, 3, 10, 11, 0, tzinfo=UTC)
TEXTS = ["Launch day! Our new spring collection is live", "Behind the scenes at the studio",
         "5 tips for better morning routines (thread)", "We're hiring a senior designer in Berlin",
         "Weekend sale: 20% off everything until Sunday", "New blog post: 1,000 support tickets later"]


def write_csv(path: Path, rows: int) -> None:
    lines = ["post_content,platforms,profiles,schedule_time,tz,media_urls"]
    for i in range(rows):
        day = date(2027, 4 + (i % 2), 1 + (i // 2) % 28)
        when = f"{day} {8 + i % 12:02d}:{(i * 7) % 60:02d}"
        text = f"{TEXTS[i % len(TEXTS)]} #{i}"
        media = "https://cdn.example.com/p.jpg" if i % 3 == 0 else ""
        platforms = "mastodon" if i % 50 == 49 else ("twitter,linkedin" if i % 3 else "linkedin,instagram")
        lines.append(f'"{text}","{platforms}",Acme,{when},Europe/Berlin,{media}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(rows: int, tmp: Path) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from latecal.ui.app import transfer_actions
    from latecal.ui.app.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    store = Store.open(tmp / "bench.sqlite3")
    store.replace_profiles([Profile("p-acme", "Acme", timezone="Europe/Berlin", is_default=True)])
    store.replace_accounts([Account("x1", "twitter", "p-acme", username="acme"),
                            Account("li1", "linkedin", "p-acme", username="acme-li"),
                            Account("ig1", "instagram", "p-acme", username="acme.ig")])
    csv_path = tmp / "plan.csv"
    write_csv(csv_path, rows)
    window = MainWindow(store, view="month", anchor=date(2027, 4, 1), zone=ZONE, clock=lambda: NOW)
    window.resize(1280, 800)
    window.show()
    for _ in range(5):
        app.processEvents()

    ticks: list[float] = []
    probe = QTimer(interval=5, timeout=lambda: ticks.append(time.perf_counter()))

    def wait(condition, limit_s: float = 600) -> None:
        end = time.perf_counter() + limit_s
        while not condition():
            if time.perf_counter() > end:
                raise TimeoutError("the import did not finish")
            app.processEvents()
            time.sleep(0.001)

    probe.start()
    # the machine's own noise first: the same probe while the window sits idle for IDLE_S
    ticks.append(time.perf_counter())
    wait_until = time.perf_counter() + IDLE_S
    wait(lambda: time.perf_counter() > wait_until)
    idle_gap = max((b - a) * 1000 for a, b in itertools.pairwise(ticks))
    ticks.clear()
    ticks.append(time.perf_counter())
    t0 = time.perf_counter()
    dialog = transfer_actions.import_file(window, str(csv_path))
    wait(lambda: dialog.checker is not None and dialog.checker.finished and not dialog.checking)
    validate_s = time.perf_counter() - t0
    validate_gap = max((b - a) * 1000 for a, b in itertools.pairwise(ticks))
    summary = dialog.checker.summary()
    done: list = []
    dialog.imported.connect(done.append)
    t1 = time.perf_counter()
    dialog.confirm()
    # until the window has every imported post: the relay passes a large change set on in pieces
    wait(lambda: bool(done) and window.runner.undo_stack.count() == 1 and not window.relay.pending())
    app.processEvents()  # the window applies the last piece
    import_s = time.perf_counter() - t1
    ticks.append(time.perf_counter())
    probe.stop()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    imported = len(done[0].posts)
    assert imported == summary.valid == store.count(), (imported, summary, store.count())
    window.close()
    store.close()
    return {"rows": rows, "validate_s": round(validate_s, 3), "import_s": round(import_s, 3),
            "max_loop_gap_ms": round(max(gaps), 1), "idle_max_loop_gap_ms": round(idle_gap, 1),
            "validate_max_loop_gap_ms": round(validate_gap, 1), "imported": imported,
            "with_problems": summary.with_problems}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--json", action="store_true", help="print only the JSON result line")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.rows, Path(tmp))
    if not args.json:
        print(f"{result['rows']} rows: checked in {result['validate_s']} s, imported in {result['import_s']} s, "
              f"longest event-loop gap {result['max_loop_gap_ms']} ms", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
