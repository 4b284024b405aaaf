"""Run a blocking call (keyring, starting the sandbox) off the event loop's thread.

A plain daemon thread per call instead of the loop's default executor: under qasync that executor is a pool of
QThreads, and QThreads still alive while Python finalizes crash the interpreter on exit.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(ok: bool, value: Any) -> None:
        if future.done():
            return  # the awaiting task was cancelled meanwhile
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def work() -> None:
        try:
            result = fn(*args)
        except BaseException as exc:  # handed to the awaiting coroutine
            loop.call_soon_threadsafe(deliver, False, exc)
        else:
            loop.call_soon_threadsafe(deliver, True, result)

    threading.Thread(target=work, name=f"latecal-{getattr(fn, '__name__', 'call')}", daemon=True).start()
    return await future
