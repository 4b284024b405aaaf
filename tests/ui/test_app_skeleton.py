"""The app skeleton: start-up from the store, screenshots, bad store files, and errors shown, not raised."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from latecal.core.models import Post, Target
from latecal.store import Store
from latecal.ui.app.error_reporting import ErrorReporter
from latecal.ui.app.main_window import MainWindow


def _run_latecal(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "latecal", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def _post(text: str, when: datetime, status: str = "scheduled") -> Post:
    return Post(content=text, scheduled_for=when, status=status, targets=[Target("twitter", "acc1")])


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "posts.sqlite3")
    yield s
    s.close()


def test_window_paints_posts_from_the_store(qtbot, store):
    now = datetime.now(UTC)
    store.save_post(_post("Launch day teaser", now + timedelta(days=1)))
    store.save_post(_post("Last week's recap", now - timedelta(days=6), status="published"))
    window = MainWindow(store, view="list")
    qtbot.addWidget(window)
    texts = [window.views.list.row_at(i).text(3) for i in range(window.views.list.row_count())]
    assert texts == ["Last week's recap", "Launch day teaser"]


def test_window_follows_store_changes(qtbot, store):
    window = MainWindow(store, view="list")
    qtbot.addWidget(window)
    assert window.views.list.row_count() == 0
    post = store.save_post(_post("Fresh idea", datetime.now(UTC) + timedelta(hours=3)))
    assert window.views.list.post_ids() == [post.local_id]


def test_uncaught_slot_error_is_shown_not_raised(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    reporter = ErrorReporter()
    reporter.reported.connect(window.show_message)
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as exc:
        reporter.excepthook(type(exc), exc, exc.__traceback__)
    assert "disk on fire" in window.message_bar.label.text()
    assert not window.message_bar.isHidden()


@pytest.mark.asyncio
async def test_failing_background_task_reaches_the_message_bar(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    reporter = ErrorReporter()
    reporter.reported.connect(window.show_message)
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    loop.set_exception_handler(reporter.loop_exception_handler)
    try:

        async def boom():
            raise ValueError("bad payload")

        task = loop.create_task(boom())
        await asyncio.wait([task])
        assert task.done()
        del task  # the handler runs when the unretrieved task is collected
        import gc

        gc.collect()
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(previous)
    assert "bad payload" in window.message_bar.label.text()


def test_screenshot_renders_the_window(tmp_path):
    out = tmp_path / "shot.png"
    result = _run_latecal("--data-dir", str(tmp_path / "data"), "--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull()
    assert image.width() >= 800
    assert image.height() >= 500


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\x13" * 3000])
def test_corrupt_store_is_reported_and_left_untouched(tmp_path, content):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "posts.sqlite3"
    db.write_bytes(content)
    result = _run_latecal("--data-dir", str(data), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert f"The calendar database {db} is damaged" in result.stderr
    assert "It may hold changes Late has not had yet: moving it aside starts an empty calendar" in result.stderr
    assert db.read_bytes() == content
    assert not (tmp_path / "x.png").exists()


def test_damaged_pages_stop_the_app_before_it_writes(tmp_path):
    """Start-up defers SQLite's whole-file page check to a thread beside the first paint; damage it finds
    still ends the app before the session (sync, screenshots, edits) starts, with the file untouched."""
    data = tmp_path / "data"
    db = data / "posts.sqlite3"
    with Store.open(db) as store:
        for i in range(300):
            store.upsert_remote(
                Post(late_id=f"L{i}", content=f"post {i} " + "x" * 300, scheduled_for=datetime.now(UTC),
                     status="scheduled", targets=[Target("twitter", "acc1")])
            )
    raw = bytearray(db.read_bytes())
    page = len(raw) // 4096 - 2  # a page of post rows near the end, past the schema
    raw[page * 4096 : page * 4096 + 4096] = bytes(range(256)) * 16
    db.write_bytes(bytes(raw))
    result = _run_latecal("--data-dir", str(data), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 2, result.stderr
    assert "cannot open its local store" in result.stderr
    assert f"The calendar database {db} is damaged" in result.stderr
    # the outbox's pages can still be read: nothing waits for Late, so moving the file aside costs nothing
    assert "Nothing in it is waiting to be sent to Late: move it aside" in result.stderr
    assert db.read_bytes() == bytes(raw)
    assert not (tmp_path / "x.png").exists()


def test_help_about_opens_the_about_dialog_with_the_paths(qtbot, store, tmp_path):
    from PySide6.QtWidgets import QLabel

    from latecal.app import _show_about
    from latecal.paths import resolve
    from latecal.ui.dialogs.about_dialog import AboutDialog

    window = MainWindow(store)
    qtbot.addWidget(window)
    paths = resolve(tmp_path, demo=False)
    window.about_requested.connect(lambda: _show_about(window, paths, None))
    window.actions_by_name["about"].trigger()
    (dialog,) = window.findChildren(AboutDialog)
    assert dialog.isVisible()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert str(paths.data_dir) in texts
    assert str(paths.log_dir) in texts
    dialog.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_termination_signal_closes_the_app_cleanly(tmp_path, signum):
    """Logging out of the desktop (SIGTERM) or Ctrl+C (SIGINT) closes the window as its close button does:
    exit 0, the window's place saved, the store closed, no traceback."""
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    proc = subprocess.Popen([sys.executable, "-m", "latecal", "--data-dir", str(data), "--base-url",
                             "http://127.0.0.1:9/api"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    log = data / "logs" / "latecal.log"
    try:
        deadline = time.monotonic() + 60
        while not (log.exists() and "session started" in log.read_text()):
            assert proc.poll() is None and time.monotonic() < deadline, "the app did not start"
            time.sleep(0.05)
        proc.send_signal(signum)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "Late Calendar stopped" in log.read_text()
    assert "window" in (tmp_path / "config" / "latecal" / "latecal.ini").read_text()  # its place was saved


@contextlib.contextmanager
def _xvfb():
    """A private X server for one test; yields its display name."""
    xvfb = shutil.which("Xvfb")
    assert xvfb, "Xvfb is installed by scripts/setup.sh"
    display = f":{200 + os.getpid() % 500}"
    server = subprocess.Popen([xvfb, display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        socket = Path(f"/tmp/.X11-unix/X{display[1:]}")
        deadline = time.monotonic() + 10
        while not socket.exists():  # the server is ready once its socket is there
            assert server.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.02)
        yield display, server
    finally:
        if server.poll() is None:
            server.kill()
        server.wait()


def _x11_env(display: str, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=display, XDG_CONFIG_HOME=str(tmp_path / "config"))
    for name in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):  # no desktop keyring: no unrelated dialogs
        env.pop(name, None)
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="X11")
def test_losing_the_display_ends_the_app_without_a_traceback(tmp_path):
    """The X server dies under the app (e.g. a crashed session). Whichever part of Qt notices first (its event
    dispatcher, which stops the loop, or an Xlib call such as the welcome dialog being shown, which calls
    libX11's I/O error handler), the app ends with a line saying why and exit code 3, no traceback, and the
    store keeps every post."""
    data = tmp_path / "data"
    data.mkdir()
    store = Store.open(data / "posts.sqlite3")
    kept = store.save_post(_post("Survives the crash", datetime.now(UTC) + timedelta(days=1)))
    store.close()
    command = [sys.executable, "-m", "latecal", "--data-dir", str(data), "--base-url", "http://127.0.0.1:9/api"]
    log = data / "logs" / "latecal.log"
    proc = None
    with _xvfb() as (display, server):
        try:
            proc = subprocess.Popen(command, env=_x11_env(display, tmp_path),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 60
            while not (log.exists() and "session started" in log.read_text()):
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else ""
                time.sleep(0.05)
            server.kill()
            _out, err = proc.communicate(timeout=30)
        finally:
            if proc is not None and proc.poll() is None:
                proc.kill()
    assert "Traceback" not in err
    assert proc.returncode == 3 and "the connection to the display was lost" in err, err
    assert "connection to the display was lost" in log.read_text()
    reopened = Store.open(data / "posts.sqlite3")  # checks every page
    try:
        assert reopened.get_post(kept.local_id).content == "Survives the crash"
    finally:
        reopened.close()


_XLIB_NOTICES_FIRST = """
import ctypes, sys, time
xlib = ctypes.CDLL("libX11.so.6")  # in the app, Qt's xcb plugin has loaded it
from latecal.ui.app.display_loss import end_on_x11_io_error
assert end_on_x11_io_error(3)
xlib.XOpenDisplay.restype = ctypes.c_void_p
xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
xlib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
display = xlib.XOpenDisplay(None)
assert display, "no display"
print("connected", flush=True)
sys.stdin.readline()  # the test kills the server now
for _ in range(100):
    xlib.XSync(display, 0)  # an Xlib round trip on the dead connection: the I/O error handler runs
    time.sleep(0.05)
print("the handler did not end the process", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="X11")
def test_a_dead_connection_found_by_xlib_ends_the_process_like_the_event_loop_path(tmp_path):
    """The path the app test above cannot choose: Xlib meets the dead connection first. Qt's handler would call
    exit(1); ours says why and exits with the app's code."""
    with _xvfb() as (display, server):
        proc = subprocess.Popen([sys.executable, "-c", _XLIB_NOTICES_FIRST], env=_x11_env(display, tmp_path),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline() == "connected\n", proc.stderr.read()
            server.kill()
            server.wait()
            out, err = proc.communicate("go\n", timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 3, (out, err)
    assert err.splitlines()[-1] == "latecal: the connection to the display was lost"
