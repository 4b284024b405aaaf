"""Session-wide test set-up: offscreen Qt, one qasync loop, a private keyring, private QSettings, a hard watchdog.

See reference/toolchain.md §2 and §7 for why each piece is here (pitfalls P1-P5). Tests marked
``secretservice`` swap the in-memory keyring for the real Secret Service with the ``secret_service`` fixture.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists (P5)
os.environ.setdefault("QT_API", "pyside6")  # before qasync is imported (Q1)
# Second guard besides the fixture below: a keyring created outside it stores nothing anywhere.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication


def _redirect_qsettings(path: str) -> None:
    """Every QSettings of the app (INI, user scope) and any native one land under ``path``."""
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, path)
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, os.path.join(path, "system"))


# Before any test module is imported: not even a module-level QSettings reaches the user's real settings.
_SESSION_SETTINGS_DIR = tempfile.mkdtemp(prefix="latecal-qsettings-")
_redirect_qsettings(_SESSION_SETTINGS_DIR)

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


@pytest.fixture
def app(qapp):
    """The QApplication for tests that run app sessions: closing a session's window must end the session,
    not the test's Qt loop."""
    old = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(False)
    yield qapp
    qapp.setQuitOnLastWindowClosed(old)


@pytest.fixture(autouse=True)
def mem_keyring():
    import keyring

    from memkeyring import MemoryKeyring

    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory):
    """A fresh, empty settings directory per test (the app's Settings() opens its QSettings there)."""
    path = tmp_path_factory.mktemp("qsettings")
    _redirect_qsettings(str(path))
    yield path
    _redirect_qsettings(_SESSION_SETTINGS_DIR)


@pytest.fixture
def secret_service(mem_keyring):
    """The real Secret Service instead of the in-memory keyring, only where scripts/test.sh says the session
    bus is a throwaway one (gnome-keyring inside dbus-run-session): LATECAL_SECRET_SERVICE_TESTS=1. There a
    missing Secret Service fails the test; without the variable the test skips, so running pytest on a
    desktop never writes to, or deletes from, the developer's real keyring."""
    import keyring
    from keyring.backends import SecretService

    from latecal.secrets import SERVICE, USERNAME

    if os.environ.get("LATECAL_SECRET_SERVICE_TESTS") != "1":
        pytest.skip("needs LATECAL_SECRET_SERVICE_TESTS=1 and a throwaway Secret Service (scripts/test.sh)")
    backend = SecretService.Keyring()
    try:
        usable = backend.priority > 0
        reason = "" if usable else "the Secret Service backend has no priority"
    except Exception as exc:  # priority raises when secretstorage or the session bus is missing
        usable, reason = False, f"{type(exc).__name__}: {exc}"
    if not usable:
        pytest.fail(f"no Secret Service on the session D-Bus ({reason})")
    if backend.get_password(SERVICE, USERNAME) is not None:
        pytest.fail("this Secret Service already holds a Late key: not a throwaway keyring, refusing to touch it")
    keyring.set_keyring(backend)
    yield backend
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        backend.delete_password(SERVICE, USERNAME)
    keyring.set_keyring(mem_keyring)


# Hard per-test watchdog: pytest-timeout cancels its timer once a test fails, so a wedged teardown
# would otherwise hang CI forever (P3).
_WATCHDOG_S = float(os.environ.get("TEST_WATCHDOG_S", "240"))
_REAL_STDERR: int | None = None


# The README's screenshots are written only by scripts/screenshots.sh: a test that touches docs/ fails the run.
_DOCS = Path(__file__).resolve().parents[1] / "docs"
_DOCS_BEFORE: dict[str, tuple[int, int]] = {}


def _docs_files() -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in _DOCS.rglob("*") if p.is_file()}


def pytest_collection_modifyitems(session, config, items):
    """The bundle build last: it writes a few hundred MB, and their write-back to the disk would land in the tests
    that time the event loop (tests/reliability), slowing the durable commits they make."""
    items.sort(key=lambda item: item.get_closest_marker("bundle") is not None)


def pytest_configure(config):
    global _REAL_STDERR
    _REAL_STDERR = os.dup(sys.__stderr__.fileno())
    _DOCS_BEFORE.update(_docs_files())


def pytest_sessionfinish(session, exitstatus):
    if _docs_files() != _DOCS_BEFORE:
        changed = sorted(set(_docs_files().items()) ^ set(_DOCS_BEFORE.items()))
        print(f"\nthe test run wrote into docs/: {sorted({path for path, _ in changed})}", file=sys.__stderr__)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config):
    shutil.rmtree(_SESSION_SETTINGS_DIR, ignore_errors=True)


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
