"""Opt-in pytest plugin: when the fault tests' StallProbe sees the event loop blocked, say where it was.

    PYTHONPATH=tests/reliability .venv/bin/python -m pytest -p stall_trace -s \
        tests/reliability/test_reliability_faults.py

A watcher thread samples the main thread's stack every 2 ms while the probe's last tick is over 30 ms old;
garbage collections are timed too. After each probed run it prints every stall over 50 ms with its most
frequent stacks and the collections inside it. Diagnostic only: the probe's own numbers are unchanged.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
from collections import Counter

SAMPLE_S = 0.002
LATE_S = 0.030
REPORT_S = 0.050


def _where(frame, depth: int = 5) -> str:
    stack = traceback.extract_stack(frame)[-depth:] if frame else []
    return " <- ".join(f"{f.name}@{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(stack))


def traced(probe_class: type) -> type:
    class Traced(probe_class):
        def __enter__(self):
            self._episodes: list[tuple[float, list[tuple[float, str]]]] = []
            self._gcs: list[tuple[float, float, int]] = []
            self._gc_start = 0.0
            self._stop = threading.Event()
            gc.callbacks.append(self._gc)
            probe = super().__enter__()
            threading.Thread(target=self._watch, args=(threading.main_thread().ident,), daemon=True).start()
            return probe

        def _gc(self, phase: str, info: dict) -> None:
            now = time.perf_counter()
            if phase == "start":
                self._gc_start = now
            else:
                self._gcs.append((self._gc_start, now - self._gc_start, info["generation"]))

        def _watch(self, main_id: int) -> None:
            while not self._stop.wait(SAMPLE_S):
                start = self.last
                late = time.perf_counter() - start
                if late > LATE_S:
                    if not self._episodes or self._episodes[-1][0] != start:
                        self._episodes.append((start, []))
                    self._episodes[-1][1].append((late, _where(sys._current_frames().get(main_id))))

        def __exit__(self, *exc: object) -> None:
            self._stop.set()
            super().__exit__(*exc)
            gc.callbacks.remove(self._gc)
            out = sys.__stderr__
            print(f"\nstall trace: worst {self.worst * 1000:.0f} ms over {self.ticks} ticks", file=out)
            for start, samples in self._episodes:
                length = samples[-1][0]
                if length < REPORT_S:
                    continue
                print(f"  stall of {length * 1000:.0f}+ ms ({len(samples)} samples):", file=out)
                for where, n in Counter(w for _late, w in samples).most_common(3):
                    print(f"    {n:3d}x {where}", file=out)
                for at, took, gen in self._gcs:
                    if start <= at <= start + length and took > 0.005:
                        print(f"    gc generation {gen}: {took * 1000:.1f} ms", file=out)

    return Traced


def pytest_collection_modifyitems(session, config, items) -> None:
    for module in {item.module for item in items if hasattr(item.module, "StallProbe")}:
        module.StallProbe = traced(module.StallProbe)
