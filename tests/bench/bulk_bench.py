"""Acting on many selected posts at once, timed from the key press until the week view has repainted.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bulk_bench.py --posts 500 --json

N posts spread over one week, shown in the week view of a 1280×800 MainWindow on a real SQLite store (offscreen,
one process). Each figure is the median over --runs rounds of: a real key event sent to the calendar view
(QTest.keyClick: the window's shortcuts run as for a user) until the event loop has delivered the calendar
viewport's next paint event, the repaint that shows the result:
- select_all_ms: Ctrl+A selects every post the view shows (Escape clears between rounds, untimed);
- move_ms: Alt+→ moves the whole selection a day later: one command, one store transaction of N posts (each
  with its outbox entry), one change set the view applies;
- undo_ms: Ctrl+Z puts them all back (again one transaction).
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from latecal.core.models import Post, Target
from latecal.store import Store
from latecal.ui.app.main_window import MainWindow

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 3, 10, 11, 0, tzinfo=UTC)  # a Wednesday; the posts are in the following week
WEEK_START = datetime(2027, 3, 15, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin


def _posts(count: int) -> list[Post]:
    """Posts over Monday to Saturday, 08:00-20:00 on 15-minute steps (Sunday stays free: a day later, every post
    is still in the week on screen)."""
    slots = [WEEK_START + timedelta(days=d, minutes=15 * s) for d in range(6) for s in range(48)]
    return [Post(content=f"Campaign post {n}: spring collection teaser", scheduled_for=slots[n % len(slots)],
                 status="scheduled", targets=[Target("twitter", "acc-twitter")]) for n in range(count)]


def _deliver() -> None:
    for _ in range(2):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()


class _PaintWatch(QObject):
    """Notes that the calendar's viewport received a paint event (its painting is over once the event loop
    call that delivered it returns)."""

    def __init__(self, viewport) -> None:
        super().__init__()
        self.painted = False
        viewport.installEventFilter(self)

    def eventFilter(self, _obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def _timed(window, key, mods) -> float:
    """From the key press until the viewport has painted what it did (the first paint after the press)."""
    view = window.views.page().view
    watch = _PaintWatch(view.viewport())
    start = time.perf_counter()
    QTest.keyClick(view, key, mods)
    while not watch.painted:
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        assert time.perf_counter() - start < 30, "no repaint after the key"
    elapsed = (time.perf_counter() - start) * 1000
    view.viewport().removeEventFilter(watch)
    _deliver()  # anything left over (e.g. the header's update) before the next round
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="(the JSON line is always printed last)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.sqlite3", clock=lambda: NOW)
        with store.batch():
            for post in _posts(args.posts):
                store.save_post(post)
        window = MainWindow(store, zone=ZONE, clock=lambda: NOW, view="week", anchor=WEEK_START.date())
        window.resize(1280, 800)
        window.show()
        window.activateWindow()
        _deliver()
        window.focus_calendar()
        _deliver()
        shown = len(window.views.scene().posts)
        assert shown == args.posts, f"{shown} of {args.posts} posts in the week"
        view = window.views.page().view
        start = time.perf_counter()
        for _ in range(args.runs):  # for reference: the machine's speed right now (a full repaint from the caches)
            view.viewport().repaint()
        plain = (time.perf_counter() - start) * 1000 / args.runs
        select, move, undo = [], [], []
        for _ in range(args.runs):
            select.append(_timed(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier))
            assert len(window.mirror.selection) == args.posts
            move.append(_timed(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier))
            undo.append(_timed(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
            QTest.keyClick(window.views.page().view, Qt.Key.Key_Escape)
            _deliver()
            assert len(window.mirror.selection) == 0
        assert window.runner.undo_stack.index() == 0  # every move was undone
        window.close()
        store.close()
    app.processEvents()
    result = {"posts": args.posts, "select_all_ms": round(statistics.median(select), 1),
              "move_ms": round(statistics.median(move), 1), "undo_ms": round(statistics.median(undo), 1)}
    print(f"reference: a plain repaint of the week {plain:.1f} ms")
    print(f"runs: select {[round(t) for t in select]} move {[round(t) for t in move]} undo {[round(t) for t in undo]}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
