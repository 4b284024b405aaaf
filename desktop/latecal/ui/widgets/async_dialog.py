"""Await a dialog without a nested event loop: ``open()`` plus a future completed by ``finished``.

``QDialog.exec()`` inside a coroutine starts a second event loop in which other tasks resume, and qasync
then fails with "Cannot enter into task" (style-anchors §3.1 rule 3, toolchain P2). This is the
``randovania/gui/lib/async_dialog.py`` pattern: the dialog stays window-modal for the user while the
asyncio loop keeps running.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialog


async def open_dialog(dialog: QDialog) -> int:
    """Open ``dialog`` and wait for its result code; cancelling the awaiting task rejects the dialog."""
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(finished)
    dialog.open()
    try:
        return await future
    except asyncio.CancelledError:
        dialog.reject()
        raise
    finally:
        dialog.finished.disconnect(finished)
