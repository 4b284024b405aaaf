"""Where the window was: its size and position, the drafts dock, and the view, saved when it closes and
restored on the next start (not for ``--screenshot``: those pictures must not depend on the last session).

Qt's own byte formats (``saveGeometry``/``saveState``): ``restoreGeometry`` moves a window that would be
off every screen (a monitor unplugged since) back onto one.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QByteArray

from latecal.ui.widgets import settings as S


class Window(Protocol):
    """A QMainWindow that knows which view it shows."""

    mode: str

    def saveGeometry(self) -> QByteArray: ...
    def saveState(self) -> QByteArray: ...
    def restoreGeometry(self, geometry: QByteArray) -> bool: ...
    def restoreState(self, state: QByteArray) -> bool: ...


def restore(window: Window, settings: S.Settings) -> None:
    """Before the window is shown; a missing or unreadable saved state leaves Qt's defaults."""
    # the docks first: hiding one after the geometry would shrink the window by the dock's width
    layout = settings.get(S.WINDOW_LAYOUT)
    if layout:
        window.restoreState(QByteArray(layout))
    geometry = settings.get(S.WINDOW_GEOMETRY)
    if geometry:
        window.restoreGeometry(QByteArray(geometry))


def save(window: Window, settings: S.Settings) -> None:
    settings.set(S.WINDOW_GEOMETRY, window.saveGeometry().data())
    settings.set(S.WINDOW_LAYOUT, window.saveState().data())
    settings.set(S.LAST_VIEW, window.mode)


def opening_view(requested: str | None, settings: S.Settings, *, remember: bool) -> str:
    """``--view`` when given; else the view of the last session (interactive runs) or the month."""
    if requested is not None:
        return requested
    return settings.get(S.LAST_VIEW) if remember else "month"
