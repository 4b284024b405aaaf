"""The one long-lived worker thread (``threads.in_worker``): work runs off the loop's thread, one job after another,
its result or its exception handed back to the awaiting coroutine."""

from __future__ import annotations

import asyncio
import threading

import pytest

from latecal.threads import in_worker

pytestmark = pytest.mark.asyncio


async def test_work_runs_on_one_thread_that_is_not_the_loops():
    loop_thread = threading.current_thread()
    threads = await asyncio.gather(*(in_worker(threading.current_thread) for _ in range(5)))
    assert all(t is not loop_thread for t in threads)
    assert len(set(threads)) == 1 and threads[0].daemon  # reused, never holding the process open at exit


async def test_jobs_run_in_order_and_the_loop_runs_meanwhile():
    order: list[int] = []
    started, release = threading.Event(), threading.Event()

    def blocking() -> str:
        started.set()
        release.wait(5)
        order.append(1)
        return "done"

    first = asyncio.ensure_future(in_worker(blocking))
    second = asyncio.ensure_future(in_worker(order.append, 2))
    while not started.is_set():
        await asyncio.sleep(0.001)  # the loop keeps turning while the worker is busy
    release.set()
    assert await first == "done"
    await second
    assert order == [1, 2]


async def test_an_exception_reaches_the_awaiting_coroutine_and_the_worker_goes_on():
    def broken() -> None:
        raise ValueError("this page cannot be read")

    with pytest.raises(ValueError, match="cannot be read"):
        await in_worker(broken)
    assert await in_worker(sum, [1, 2, 3]) == 6
