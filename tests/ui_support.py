"""Shared by the calendar window tests: the fixed clock and zone, post builders, a sync-bridge double, real sync
reports and a mouse drag. A plain module (not a conftest) so any test folder can import it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QObject, QPoint, QPointF, Qt, Signal

from latecal.core.models import Post, Target
from latecal.sync.report import SyncReport

BERLIN = ZoneInfo("Europe/Berlin")
# "Now" for every window under test: Wednesday 10 March 2027, 12:00 in Berlin (CET, before the DST change).
NOW = datetime(2027, 3, 10, 11, 0, tzinfo=UTC)


def at(day, hh: int, mm: int = 0) -> datetime:
    """A Berlin wall time as an aware UTC datetime."""
    return datetime.combine(day, time(hh, mm), tzinfo=BERLIN).astimezone(UTC)


def make_post(text: str, when: datetime | None, status: str = "scheduled", platforms=("twitter",), **kw) -> Post:
    kw.setdefault("targets", [Target(p, f"acc-{p}") for p in platforms])
    return Post(content=text, scheduled_for=when, status=status, **kw)


def run_report(**fields) -> SyncReport:
    """A real report of a sync run that finished at NOW and read Late to the end, with ``fields`` (what a test's
    fake run found; ``pulled=False`` for a run that did not)."""
    fields.setdefault("pulled", True)
    return SyncReport(started_at=NOW, finished_at=NOW, **fields)


class FakeSync(QObject):
    """Same signals, methods and attributes as the real sync bridge; records what the window asks of it."""

    started = Signal()
    finished = Signal(object)
    progress = Signal(int, int)
    sending = Signal(int, int)
    online_changed = Signal(bool)
    auth_failed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.running = False
        self.online = True
        self.last_synced: datetime | None = None
        self.sync_requests = 0  # runs the user asked for (Sync, F5, the tray)
        self.windows: list[tuple[datetime, datetime]] = []

    def sync_requested(self) -> None:
        self.sync_requests += 1

    def set_visible_window(self, start: datetime, end: datetime) -> None:
        self.windows.append((start, end))


class PushWatch:
    """Counts the store's change sets that queue a push for a user edit. The sync engine wakes on exactly these
    (tests/integration/test_sync_wake.py), so each one counted is a push the user's action asked for, and one
    action should make exactly one."""

    def __init__(self, store) -> None:
        self.count = 0
        store.subscribe(self._seen)

    def _seen(self, changes, _initiator) -> None:
        if changes.queued:
            self.count += 1


def flush_events() -> None:
    """Deliver what Qt has queued (window-system geometry, layout requests, palette changes, paints, zero-time
    timers) instead of waiting a few milliseconds and hoping it was."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()


async def settle() -> None:
    """Deliver what is already queued instead of sleeping: queued signals (posted events) and the loop callbacks
    they schedule, which may post again."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        await asyncio.sleep(0)


def scene_to_viewport(view, point: QPointF) -> QPoint:
    return view.mapFromScene(point)


def drag(qtbot, view, start: QPointF, end: QPointF, steps: int = 6) -> None:
    """An in-scene drag with the mouse: press, a few moves, release (no QDrag involved)."""
    viewport = view.viewport()
    a, b = scene_to_viewport(view, start), scene_to_viewport(view, end)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for i in range(1, steps + 1):
        p = a + (b - a) * i / steps
        qtbot.mouseMove(viewport, QPoint(round(p.x()), round(p.y())))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def render_item(item, background=Qt.GlobalColor.transparent):
    """A graphics item painted on its own, as the view paints it: a QImage of its bounding rect."""
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    rect = item.boundingRect()
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(background)
    painter = QPainter(image)
    item.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()
    return image
