"""The one route by which a store change reaches the screen: the calendar views, the drafts tray and every open
editor listen here, and nowhere else.

The store calls its subscribers on the thread that wrote: the GUI thread (which qasync shares with asyncio) for
every user action and sync, a worker thread for a CSV import. A change set written on the GUI thread is passed on
at once; one written elsewhere arrives queued and, when it is large (thousands of imported posts), is passed on a
few hundred posts at a time with the event loop running between, so the window never freezes for it. A change set
written here while pieces wait is passed on after them: the views always see changes in the order they happened.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, QTimer, Signal

PIECE = 250  # posts per piece of a large change set from another thread: ~10-20 ms of the views' work


class ChangeRelay(QObject):
    #: (ChangeSet, initiator) after every committed store transaction (a large one from another thread in pieces)
    changed = Signal(object, object)
    _from_elsewhere = Signal(object, object)  # queued: a change set written on another thread

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._waiting: list[tuple[object, object]] = []  # pieces not passed on yet, in order
        self._from_elsewhere.connect(self._in_pieces)
        unsubscribe = store.subscribe(self._heard)
        self._unsubscribe: Callable[[], None] | None = unsubscribe
        self.destroyed.connect(lambda _obj=None: unsubscribe())  # a relay that is gone hears nothing more

    def pending(self) -> int:
        """Pieces of a change set not passed on yet (the window is still catching up with an import)."""
        return len(self._waiting)

    def _heard(self, changes, initiator) -> None:
        if QThread.currentThread() is not self.thread():
            self._from_elsewhere.emit(changes, initiator)
            return
        self._flush()  # what came before goes first
        self.changed.emit(changes, initiator)

    def _in_pieces(self, changes, initiator) -> None:
        was_idle = not self._waiting
        self._waiting += [(piece, initiator) for piece in changes.pieces(PIECE)]
        if was_idle:
            self._next()

    def _next(self) -> None:
        if self._waiting:
            self.changed.emit(*self._waiting.pop(0))
        if self._waiting:
            QTimer.singleShot(0, self, self._next)

    def _flush(self) -> None:
        while self._waiting:
            self.changed.emit(*self._waiting.pop(0))

    def close(self) -> None:
        """Stop listening to the store (the window is closing)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
