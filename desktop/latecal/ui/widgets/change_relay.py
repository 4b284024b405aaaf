"""The one route by which a store change reaches the screen: the calendar views, the drafts tray and every open
editor listen here, and nowhere else.

The store calls its subscribers on the thread that wrote (the store may be written from any thread; today the
app writes on the GUI thread, which qasync shares with asyncio); the relay's signal carries each committed
change set, with the posts it changed and its initiator, to the GUI thread either way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal


class ChangeRelay(QObject):
    #: (ChangeSet, initiator) after every committed store transaction
    changed = Signal(object, object)

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        unsubscribe = store.subscribe(self.changed.emit)
        self._unsubscribe: Callable[[], None] | None = unsubscribe
        self.destroyed.connect(lambda _obj=None: unsubscribe())  # a relay that is gone hears nothing more

    def close(self) -> None:
        """Stop listening to the store (the window is closing)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
