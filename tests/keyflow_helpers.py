"""Helpers for the key / first-run / session tests: a seeded sandbox, the app's sessions on the test loop,
and waiting on the running loop without a nested Qt event loop (toolchain P2)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from PySide6.QtWidgets import QApplication

from latecal.app import SessionContext, run_sessions
from latecal.cli import Options
from latecal.paths import resolve
from latecal.sandbox.runner import SandboxServer
from latecal.store import Store
from latecal.ui.app.error_reporting import ErrorReporter

PROFILE_ID = "65f1c0a9e2b5af0012ab0101"
ACCOUNTS = {"twitter": "65f1c0a9e2b5af0012ac0101", "instagram": "65f1c0a9e2b5af0012ac0102"}


def seed(server: SandboxServer) -> None:
    server.seed(
        profiles=[{"_id": PROFILE_ID, "name": "Acme", "color": "#ff0000", "timezone": "UTC", "isDefault": True}],
        accounts=[{"_id": aid, "platform": p, "profileId": PROFILE_ID, "username": f"acme_{p}",
                   "displayName": f"Acme {p}", "isActive": True} for p, aid in ACCOUNTS.items()],
    )


def create_remote_post(server: SandboxServer, key: str, text: str, hours: float = 3) -> dict[str, Any]:
    when = datetime.fromisoformat(server.now()) + timedelta(hours=hours)
    body = {"content": text, "scheduledFor": when.isoformat().replace("+00:00", "Z"),
            "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"]}]}
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as http:
        response = http.post("/v1/posts", json=body)
    response.raise_for_status()
    return response.json()["post"]


def remote_posts(server: SandboxServer, key: str) -> list[dict[str, Any]]:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as http:
        return http.get("/v1/posts", params={"limit": 500}).json()["posts"]


async def until(condition: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        await asyncio.sleep(0.02)


def visible(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def visible_dialog(kind: type):
    """A visible dialog of ``kind``: top-level or parented to a window."""
    for top in QApplication.topLevelWidgets():
        if isinstance(top, kind) and top.isVisible():
            return top
        for child in top.findChildren(kind):
            if child.isVisible():
                return child
    return None


def start_sessions(qapp, options: Options, context: SessionContext | None = None):
    """run_sessions on the running test loop; returns (task, first store). Close the window to end it."""
    paths = resolve(options.data_dir, demo=options.demo)
    store = Store.open(paths.store_file)
    task = asyncio.get_running_loop().create_task(
        run_sessions(qapp, store, options, ErrorReporter(), paths, context or SessionContext())
    )
    return task, store
