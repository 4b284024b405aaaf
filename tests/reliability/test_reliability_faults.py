"""Faults: the scripted edits under each sandbox fault, with the calendar window open on the same loop.

The run completes (or resumes once the fault is cleared) with no exception escaping, the engine's reports
carry the errors, Late ends exactly as intended, and a 5 ms QTimer probe never sees the event loop stall
for more than 100 ms.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QTimer

from latecal.sandbox.runner import SandboxServer
from latecal.ui.app.main_window import MainWindow
from latecal.ui.app.sync_bridge import SyncBridge
from reliability.driver import Driver
from reliability.harness import assert_converged, close_driver, make_driver, scale
from reliability.script import BASE

EDITS = scale(60, 200)
STALL_LIMIT_S = 0.100

pytestmark = [pytest.mark.asyncio, pytest.mark.reliability_full]


class StallProbe:
    """A 5 ms repeating timer; the longest gap between its ticks is how long the loop was blocked."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.worst = 0.0
        self.ticks = 0

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.last:
            self.worst = max(self.worst, now - self.last)
        self.last = now
        self.ticks += 1

    def __enter__(self) -> StallProbe:
        self.last = time.perf_counter()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()


def _rules(*rules: dict) -> Callable[[SandboxServer, int], None]:
    """Arm the rules at the start and again every 20 steps (bursts come back during the run)."""

    def arm(server: SandboxServer, step: int) -> None:
        if step % 20 == 0:
            for rule in rules:
                server.add_fault(**rule)

    return arm


FAULTS: dict[str, Callable[[SandboxServer, int], None]] = {
    "429_storm": _rules({"kind": "rate_limit", "retryAfter": 1, "probability": 0.4, "count": 15}),
    "5xx_bursts": _rules({"kind": "status", "status": 503, "count": 3},
                         {"kind": "status", "status": 500, "processed": True, "probability": 0.3, "count": 3},
                         {"kind": "status", "status": 502, "route": "POST /v1/posts", "processed": True, "count": 2}),
    "drop_before_response_processed": _rules({"kind": "drop", "phase": "before_response", "processed": True,
                                              "probability": 0.25, "count": 6}),
    "drop_before_response_unprocessed": _rules({"kind": "drop", "phase": "before_response", "processed": False,
                                                "probability": 0.25, "count": 6}),
    "drop_mid_body_processed": _rules({"kind": "drop", "phase": "mid_body", "processed": True,
                                       "probability": 0.25, "count": 6}),
    "drop_mid_body_unprocessed": _rules({"kind": "drop", "phase": "mid_body", "processed": False,
                                         "probability": 0.25, "count": 6}),
    "malformed_json": _rules({"kind": "malformed", "probability": 0.25, "count": 6}),
    "latency_5s": lambda server, step: step in (0, 30) and server.add_fault(
        "latency", latencyMs=5000, count=scale(1, 3)),
    "slow_body": _rules({"kind": "slow_body", "chunks": 4, "chunkDelayMs": 30, "probability": 0.3, "count": 5}),
}


def _kind(name: str) -> str:
    return {"429": "rate_limit", "5xx": "status", "drop": "drop", "malformed": "malformed", "latency": "latency",
            "slow": "slow_body"}[name.split("_")[0]]


async def _run_with_window(qtbot, server, tmp_path, seed: int, arm: Callable[[int], None],
                           check: Callable[[Driver, StallProbe], None]) -> None:
    driver = make_driver(server, tmp_path, seed, EDITS)
    window = MainWindow(driver.store, zone="UTC", anchor=date(BASE.year, BASE.month, 1), clock=lambda: BASE)
    qtbot.addWidget(window)
    window.show()
    bridge = SyncBridge(driver.engine)
    window.attach_sync(bridge)
    bridge.start()  # the app's own long-lived sync task runs alongside the driver's syncs
    # As app.py does once start-up is done: freeze the heap so a full collection does not walk it. Here the heap
    # also holds every earlier test's leftovers, which made a gen-2 collection stall the loop >100 ms mid-run.
    gc.collect()
    gc.freeze()
    # What earlier tests wrote (a bundle build, hundreds of stores) may still be on its way to the disk: written back
    # during the run, it would slow the user's durable commits here, and the probe would time that, not the app.
    os.sync()
    try:
        with StallProbe() as probe:
            await driver.play(on_step=arm)
            server.clear_faults()
            await driver.drain()
        check(driver, probe)
    finally:
        gc.unfreeze()
        await bridge.aclose()
        await close_driver(driver)
        window.close()


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_script_survives_fault_without_stalling_the_ui(qtbot, server, tmp_path, fault):
    injected_before = dict(server.stats()["faultsInjected"])

    def check(driver: Driver, probe: StallProbe) -> None:
        assert server.stats()["faultsInjected"].get(_kind(fault), 0) > injected_before.get(_kind(fault), 0)
        assert_converged(server, driver)
        print(f"{fault}: worst stall {probe.worst * 1000:.0f} ms over {probe.ticks} ticks")
        assert probe.ticks > 50 and probe.worst < STALL_LIMIT_S, f"event loop stalled {probe.worst * 1000:.0f} ms"
        if fault != "slow_body" and not fault.startswith("latency"):
            assert driver.tally.reports_with_errors or driver.tally.offline_runs or driver.client.stats.retries

    await _run_with_window(qtbot, server, tmp_path, 500 + sorted(FAULTS).index(fault),
                           lambda step: FAULTS[fault](server, step), check)


async def test_401_mid_run_pauses_then_resumes_with_the_key_back(qtbot, server, tmp_path):
    """The sandbox stops accepting the key mid-run (as after a revocation) and accepts it again a second later."""
    accepted = set(server.sandbox.api_keys)
    loop = asyncio.get_running_loop()

    def arm(step: int) -> None:
        if step == EDITS // 3:
            server.sandbox.api_keys = {"sk_someone_else"}
            # Real time on purpose: a revocation that lasts a while, across the driver's own syncs and retries.
            loop.call_later(1.0, lambda: setattr(server.sandbox, "api_keys", set(accepted)))

    def check(driver: Driver, probe: StallProbe) -> None:
        assert driver.tally.auth_failed_runs >= 1
        assert_converged(server, driver)
        assert probe.worst < STALL_LIMIT_S, f"event loop stalled {probe.worst * 1000:.0f} ms"

    await _run_with_window(qtbot, server, tmp_path, 777, arm, check)
