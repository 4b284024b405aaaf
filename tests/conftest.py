"""Session-wide test set-up: offscreen Qt, one qasync loop, a private keyring, a hard watchdog.

See reference/toolchain.md §2 and §7 for why each piece is here (pitfalls P1-P5).
"""

from __future__ import annotations

import asyncio
import faulthandler
import os
import sys
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists (P5)
os.environ.setdefault("QT_API", "pyside6")  # before qasync is imported (Q1)
# Second guard besides the fixture below: a keyring created outside it stores nothing anywhere.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

import pytest
import qasync
from PySide6.QtWidgets import QApplication

_QLOOP: qasync.QEventLoop | None = None


def _session_qloop() -> qasync.QEventLoop:
    """One qasync loop for the whole session: a loop per test segfaults in Qt's timer code (P1)."""
    global _QLOOP
    if _QLOOP is None or _QLOOP.is_closed():
        _QLOOP = qasync.QEventLoop(QApplication.instance() or QApplication([]))
    return _QLOOP


def pytest_asyncio_loop_factories(config, item):
    return {"qasync": _session_qloop}


@pytest.fixture
def qloop(qapp):
    """The session's qasync loop for synchronous tests that drive it with run_until_complete."""
    loop = _session_qloop()
    asyncio.set_event_loop(loop)
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


@pytest.fixture(autouse=True)
def mem_keyring():
    import keyring

    from memkeyring import MemoryKeyring

    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


# Hard per-test watchdog: pytest-timeout cancels its timer once a test fails, so a wedged teardown
# would otherwise hang CI forever (P3).
_WATCHDOG_S = float(os.environ.get("TEST_WATCHDOG_S", "240"))
_REAL_STDERR: int | None = None


def pytest_configure(config):
    global _REAL_STDERR
    _REAL_STDERR = os.dup(sys.__stderr__.fileno())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    def fire():
        assert _REAL_STDERR is not None
        os.write(_REAL_STDERR, f"\n*** watchdog: {item.nodeid} > {_WATCHDOG_S:.0f}s\n".encode())
        faulthandler.dump_traceback(file=_REAL_STDERR, all_threads=True)
        os._exit(70)

    timer = threading.Timer(_WATCHDOG_S, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
