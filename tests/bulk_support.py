"""Helpers for the multi-select and bulk-action tests on the sandbox: posts made on Late, real clicks and keys."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import httpx
from PySide6.QtCore import QPoint, QPointF, Qt

from latecal.core.calendar_geometry import local_date
from sandbox_support import ACCOUNTS, KEY
from ui_support import BERLIN, flush_events, settle

NO_MODS = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def berlin(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=BERLIN)


def tomorrow(server) -> date:
    return local_date(server.sandbox.state.now(), BERLIN) + timedelta(days=1)


def create_on_sandbox(server, text: str, when: datetime, platform: str = "linkedin") -> str:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        r = http.post("/v1/posts", json={"content": text, "scheduledFor": when.isoformat(),
                                         "platforms": [{"platform": platform, "accountId": ACCOUNTS[platform]}]})
        assert r.status_code == 201, r.text
        return r.json()["post"]["_id"]


def _late_posts(server) -> list[dict]:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        return http.get("/v1/posts", params={"limit": 500}).json()["posts"]


def late_times(server) -> dict[str, datetime]:
    """Late's own scheduled time of every post, by content."""
    return {p["content"]: datetime.fromisoformat(p["scheduledFor"].replace("Z", "+00:00"))
            for p in _late_posts(server) if p.get("scheduledFor")}


def late_statuses(server) -> dict[str, str]:
    return {p["content"]: p["status"] for p in _late_posts(server)}


async def sync(bridge) -> object:
    report = await bridge.engine.run_once()
    await settle()
    return report


def local_ids(store, server_ids: list[str]) -> list[str]:
    return [store.get_by_late_id(i).local_id for i in server_ids]


def show(window, mode: str, day: date) -> None:
    window._navigate(mode, day)
    window.focus_calendar()
    flush_events()


def view_of(window):
    return window.views.page().view


def point_of(window, local_id: str) -> QPoint:
    item = window.views.scene().items_by_id[local_id]
    view = view_of(window)
    view.ensureVisible(item, 4, 4)
    return view.mapFromScene(item.sceneBoundingRect().center())


def click(qtbot, window, local_id: str, mods=NO_MODS) -> None:
    qtbot.mouseClick(view_of(window).viewport(), Qt.MouseButton.LeftButton, mods, point_of(window, local_id))


def press_key(qtbot, window, key, mods=NO_MODS) -> None:
    qtbot.keyClick(view_of(window), key, mods)


def band(qtbot, window, start: QPointF, end: QPointF, mods=NO_MODS, steps: int = 5) -> None:
    """A rubber band with the mouse, from one point of the scene to another."""
    view = view_of(window)
    viewport = view.viewport()
    a, b = view.mapFromScene(start), view.mapFromScene(end)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, mods, a)
    for i in range(1, steps + 1):
        p = a + (b - a) * i / steps
        qtbot.mouseMove(viewport, QPoint(round(p.x()), round(p.y())))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, mods, b)


def selected(window) -> set[str]:
    return set(window.mirror.selection.ids)


def highlighted(window) -> set[str]:
    """The posts whose items the current view paints as selected."""
    return {i for i, item in window.views.scene().items_by_id.items() if item.selected}
