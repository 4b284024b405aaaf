"""A dense week: every post is either a block or counted in its time's "+N", blocks are made only for what is
shown (never one per post), and the dense-week benchmark prints its fields (its speed is measured there, not
here: tests/bench/week_bench_parts.py, run by ui_bench)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from ui_support import BERLIN

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bench"))

import week_bench_parts  # noqa: E402

MONDAY = date(2027, 3, 8)


def test_every_post_of_a_dense_week_is_a_block_or_in_a_plus_n_and_blocks_stay_few(open_window, store):
    week_bench_parts._fill_week(store, 3000, MONDAY, BERLIN)
    window = open_window(view="week", anchor=MONDAY)
    scene = window.views.week.scene
    assert len(scene.posts) == 3000
    shown = [i for i, item in scene.items_by_id.items() if item.isVisible()]
    behind = [i for more in scene.more_items() for i in more.post_ids[-more.hidden:]]
    assert sorted(shown + behind) == sorted(scene.posts)  # none lost, none twice
    times = Counter((p.scheduled_for) for p in scene.posts.values())
    assert len(scene.items_by_id) <= 4 * len(times) < 3000  # items for what is shown, not one per post
    for more in scene.more_items():
        assert more.text == f"+{more.hidden}" and more.isVisible()


def test_the_benchmark_prints_the_dense_week_fields():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "bench" / "week_bench_parts.py"), "--posts", "300",
                           "--json"], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["dense_week_posts"] == 300 and result["dense_week_repaint_ms"] > 0
    assert "dense_week_repaint_ms" in (ROOT / "tests" / "bench" / "ui_bench.py").read_text()
