"""Run a blocking call (keyring, starting the sandbox) off the event loop's thread.

A plain daemon thread per call instead of the loop's default executor: under qasync that executor is a pool of
QThreads, and QThreads still alive while Python finalizes crash the interpreter on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` on a new daemon thread (a blocking call that may take long: keyring, a sandbox's start)."""
    work, future = _job(fn, args)
    threading.Thread(target=work, name=f"latecal-{getattr(fn, '__name__', 'call')}", daemon=True).start()
    return await future


async def in_worker(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` on the one long-lived worker thread, for short and frequent work (reading a listed page):
    starting a thread waits until it runs, which under a busy GIL took up to 25 ms of the loop's thread. Jobs run
    one after another, so none may block for long."""
    work, future = _job(fn, args)
    _worker_jobs().put(work)
    return await future


_jobs: queue.SimpleQueue[Callable[[], None]] | None = None
_jobs_lock = threading.Lock()


def _worker_jobs() -> queue.SimpleQueue[Callable[[], None]]:
    global _jobs
    with _jobs_lock:
        if _jobs is None:
            jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
            threading.Thread(target=_serve, args=(jobs,), name="latecal-worker", daemon=True).start()
            _jobs = jobs
        return _jobs


def _serve(jobs: queue.SimpleQueue[Callable[[], None]]) -> None:
    while True:
        job = jobs.get()
        with contextlib.suppress(RuntimeError):  # the loop that waited for it is closed: nobody is left to tell
            job()


def _job(fn: Callable[..., T], args: tuple[Any, ...]) -> tuple[Callable[[], None], asyncio.Future[T]]:
    """A callable running ``fn(*args)`` that hands its outcome to the returned future, on its loop."""
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

    return work, future
