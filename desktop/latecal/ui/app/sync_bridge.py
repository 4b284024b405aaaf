"""The Qt face of the Qt-free sync engine: signals for the window, and the one long-lived sync task."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Signal

from latecal.sync import SyncEngine, SyncListener, SyncReport

log = logging.getLogger(__name__)

#: pulled around what is on screen, so a step to the next week or month finds its posts already there
WINDOW_MARGIN = timedelta(days=7)


class SyncBridge(QObject):
    started = Signal()
    #: (posts read so far, posts expected)
    progress = Signal(int, int)
    #: the SyncReport of the run that just ended
    finished = Signal(object)
    online_changed = Signal(bool)
    auth_failed = Signal()
    #: (changes sent so far, changes to send) while a run pushes
    sending = Signal(int, int)

    def __init__(self, engine: SyncEngine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.online = True
        self.last_synced: datetime | None = None
        self._task: asyncio.Task | None = None
        engine.add_listener(SyncListener(started=self.started.emit, progress=self.progress.emit,
                                          finished=self._on_finished, sending=self.sending.emit))

    @property
    def running(self) -> bool:
        return self.engine.running

    def start(self) -> None:
        """Start the sync task on the running loop; the bridge keeps the only reference it needs."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.engine.run_forever(), name="latecal-sync")

    async def aclose(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def sync_requested(self) -> datetime | None:
        """The user pressed Sync (F5, the tray): a run at once. While paused for a rejected key nothing would run,
        so the key is asked for again (and the window says why) instead of nothing happening. While Late asks to
        wait (a 429 with its Retry-After) nothing is asked of Late before that time, which is returned for the
        window to say; the run then starts by itself."""
        if self.engine.paused_for_auth:
            self.auth_failed.emit()
            return None
        held_until = self.engine.limited_until
        if held_until is not None:
            return held_until
        self.engine.sync_now(asked=True)
        return None

    def set_interval(self, seconds: float) -> None:
        """Settings ▸ Sync every: the calm cadence from now on, starting with a run at once."""
        self.engine.idle_interval_s = seconds
        self.engine.sync_now()

    def set_visible_window(self, start: datetime, end: datetime) -> None:
        previous = self.engine.window
        self.engine.set_window(start - WINDOW_MARGIN, end + WINDOW_MARGIN)
        if previous is None or start < previous[0] or end > previous[1]:
            self.engine.sync_now()  # dates not pulled yet are on screen

    def _on_finished(self, report: SyncReport) -> None:
        online = not report.offline
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)
        if report.synced:
            self.last_synced = report.finished_at
        if report.auth_failed:
            self.auth_failed.emit()
        self.finished.emit(report)
