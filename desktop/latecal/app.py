"""Composition root: QApplication, the qasync loop, error hooks, the store, the main window and shutdown.

Start-up order matters: the first window is built and painted from the local SQLite store with Qt's own
event processing, before the asyncio stack (asyncio, ssl, qasync) and anything network-related (httpx,
keyring, the sandbox) is imported, so the calendar appears almost as fast as a bare Qt window. Then the
qasync loop starts, and ``ui.connection`` reads the key (off the UI thread) and starts syncing, or shows the
first-run welcome.
A session can end in a restart on the same loop: "Try the demo" (a new window on the demo store) or a
setting the views only take at construction (a new window on the same store).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_API", "pyside6")  # qasync picks its binding from this; set before importing it

import contextlib
import gc
import logging
import sqlite3
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from latecal import __version__, heap
from latecal.cli import Options
from latecal.logs import configure_logging, redact, rotate_log_file
from latecal.paths import AppPaths, resolve
from latecal.resources_access import APP_ID

if TYPE_CHECKING:
    from latecal.secrets import KeyStore
    from latecal.store import StoreError
    from latecal.ui.app.main_window import MainWindow
    from latecal.ui.app.operation_runner import OperationRunner
    from latecal.ui.widgets.settings import Settings

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_STORE_ERROR = 2
EXIT_DISPLAY_LOST = 3
#: the longest the first window waits for the window system to expose (paint) it before the loop starts anyway
FIRST_PAINT_TIMEOUT_MS = 500


def run(options: Options) -> int:
    from PySide6.QtWidgets import QApplication

    from latecal.store import Store, StoreError

    paths = resolve(options.data_dir, demo=options.demo)
    configure_logging(paths.log_file, rotate_now=False)  # rotating once the window is on screen
    log.info("Late Calendar %s starting (demo=%s, data=%s)", __version__, options.demo, paths.data_dir)

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "latecal"])
    app.setApplicationName("latecal")
    app.setApplicationDisplayName("Late Calendar")
    app.setDesktopFileName(APP_ID)  # Wayland matches the window to the desktop entry (and its icon) by this
    app.setApplicationVersion(__version__)
    app.setOrganizationName("latecal")
    app.setQuitOnLastWindowClosed(False)  # the session coroutine decides when to stop, after cleanup

    try:
        # The whole-file page check runs beside the first paint instead (``_PageCheck``), before any write.
        store = Store.open(paths.store_file, check_pages_now=False)
    except StoreError as exc:
        return _store_failed(exc, paths.store_file)

    from latecal.ui.app.error_reporting import ErrorReporter

    reporter = ErrorReporter()
    previous_hook = sys.excepthook
    sys.excepthook = reporter.excepthook
    try:
        context = SessionContext()
        page_check = _PageCheck(store)
        try:
            first_window = _open_window(app, store, options, context, reporter, problems_later=True)
            _paint_first_frame(app, first_window)
            # the Problems panel is hidden at start: its rows (as many as the store has old failures) come after
            first_window.load_problems()
        except (StoreError, sqlite3.DatabaseError) as exc:  # a damaged page met while reading the month
            from latecal.store import store_failure

            damage = page_check.result() or exc
            return _store_failed(damage if isinstance(damage, StoreError) else store_failure(paths.store_file, exc),
                                 paths.store_file)
        from latecal.ui.app.display_loss import end_on_x11_io_error, report_display_lost

        if app.platformName() == "xcb":
            end_on_x11_io_error(EXIT_DISPLAY_LOST)
        rotate_log_file()  # logging.handlers is not needed for the first paint
        # Only now the asyncio stack (asyncio, ssl, qasync: ~35 ms of imports): the calendar is already on screen.
        import asyncio

        import qasync

        if (damage := page_check.result()) is not None:
            import shiboken6

            first_window.hide()
            _drop_undo_history(context)
            shiboken6.delete(first_window)  # now: no event loop will run a deleteLater
            return _store_failed(damage, paths.store_file)
        try:
            with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
                return runner.run(
                    run_sessions(app, store, options, reporter, paths, context, first_window=first_window))
        except RuntimeError as exc:
            if "Event loop stopped before Future completed" not in str(exc):
                raise
            # Qt stopped the event loop under the session: the window system went away (an X server that died,
            # a Wayland compositor that crashed). Edits are in the store already; end without a traceback.
            report_display_lost()
            return EXIT_DISPLAY_LOST
    finally:
        sys.excepthook = previous_hook
        store.close()
        # Free the session's Qt wrappers while QApplication still exists: left to interpreter shutdown,
        # PySide6 may destroy them after Qt's own teardown and crash on exit.
        gc.collect()
        log.info("Late Calendar stopped")


class _PageCheck:
    """``Store.check_pages`` on a worker thread, started at once: SQLite reads the file without the GIL,
    beside the window's construction and first paint on the main thread."""

    def __init__(self, store) -> None:
        self._error: StoreError | None = None
        self._thread = threading.Thread(target=self._run, args=(store,), name="latecal-page-check", daemon=True)
        self._thread.start()

    def _run(self, store) -> None:
        from latecal.store import StoreError

        try:
            store.check_pages()
        except StoreError as exc:
            self._error = exc
        except Exception as exc:  # a check that could not run proves nothing: fail closed
            self._error = StoreError(f"the calendar database {store.path} could not be checked: {exc}")

    def result(self) -> StoreError | None:
        """The damage found, or None; waits for the check."""
        self._thread.join()
        return self._error


def _store_failed(exc: StoreError, path: Path) -> int:
    from latecal.presentation import store_texts

    log.error("Cannot open the local store: %s", exc)
    _show_fatal(store_texts.CANNOT_OPEN, store_failure_text(exc, path))
    return EXIT_STORE_ERROR


def store_failure_text(exc: StoreError, path: Path) -> str:
    """What the user reads when the store at ``path`` cannot be opened: its kind of problem and what to do
    (the presentation's words), or the store's own sentence for a problem of no known kind."""
    from latecal.core.store_problem import StoreProblem
    from latecal.presentation import store_texts
    from latecal.store import CorruptStoreError, StoreUnavailableError, problem_of, unsent_changes

    problem = problem_of(exc)
    if problem is StoreProblem.OTHER:  # another program's database, a newer schema, an error of no known kind
        return str(exc)
    detail = exc.detail if isinstance(exc, StoreUnavailableError | CorruptStoreError) else str(exc)
    unsent = unsent_changes(path) if problem is StoreProblem.DAMAGED else None
    return store_texts.cannot_open(problem, path, detail, unsent=unsent)


@dataclass
class SessionContext:
    """What outlives one window: the key store (its in-memory fallback), the settings registry, and the operation
    runner with the undo history of the store the windows show (a setting that rebuilds the window keeps it;
    the demo drops it)."""

    keystore: KeyStore | None = None
    settings: Settings | None = None
    runner: OperationRunner | None = None


@dataclass(frozen=True)
class _Ended:
    code: int = EXIT_OK
    restart: str | None = None  # a connection.Restart value
    view: str = "month"
    anchor: date | None = None


async def run_sessions(app, store, options: Options, reporter, paths: AppPaths,
                       context: SessionContext | None = None, *, first_window: MainWindow | None = None) -> int:
    """One window session after another on the same loop. "Try the demo" in the welcome dialog, and settings
    that views only take at construction (time zone, week start) or a new base URL, restart the session
    in-process: cheaper and more predictable than relaunching the executable (a frozen bundle, a venv
    script, ``python -m``: each relaunches differently), and the demo still gets its own store.
    ``first_window``: the first session's window, already built (``_open_window``) and shown by ``run``."""
    from latecal.store import Store, StoreError

    context = context or SessionContext()
    opened = []  # stores opened here (the caller closes the first one)
    interactive = options.screenshot is None
    try:
        while True:
            ended = await _session(app, store, options, reporter, paths, context, welcome=interactive,
                                   window=first_window)
            first_window = None
            if ended.restart is None:
                return ended.code
            options = replace(options, view=ended.view, date=ended.anchor)
            if ended.restart == "demo":
                paths = resolve(options.data_dir, demo=True)
                try:
                    store = Store.open(paths.store_file)
                except StoreError as exc:
                    log.error("Cannot open the demo store: %s", exc)
                    print(f"latecal: cannot open the demo store: {store_failure_text(exc, paths.store_file)}",
                          file=sys.stderr)
                    return EXIT_STORE_ERROR
                opened.append(store)
                _drop_undo_history(context)  # those moves were on the other store
                options = replace(options, demo=True)
                log.info("switching to demo mode (data=%s)", paths.data_dir)
            else:
                interactive = False  # e.g. the key was removed on purpose: no welcome again
    finally:
        _drop_undo_history(context)
        for s in opened:
            s.close()


def _drop_undo_history(context: SessionContext) -> None:
    """Delete the runner (and its history) now: its commands point back at it, and the garbage collector freeing
    the C++ stack later (commands first) crashes the interpreter."""
    if context.runner is not None:
        import shiboken6

        shiboken6.delete(context.runner)
        context.runner = None


def _open_window(app, store, options: Options, context: SessionContext, reporter, *,
                 problems_later: bool = False) -> MainWindow:
    """A session's window on the store, with the user's display settings (not shown yet); errors the reporter
    catches from now on appear in its message bar."""
    from latecal.presentation import time_format
    from latecal.ui.app import window_state
    from latecal.ui.app.main_window import MainWindow
    from latecal.ui.widgets import settings as S
    from latecal.ui.widgets.display_zone import resolve_zone
    from latecal.ui.widgets.icons import app_icon

    if context.settings is None:
        context.settings = S.Settings()
    settings = context.settings
    time_format.set_clock_24h(settings.get(S.CLOCK_24H))
    icon = app_icon()
    app.setWindowIcon(icon)
    remember = options.screenshot is None
    view = window_state.opening_view(options.view, settings, remember=remember)
    zone = resolve_zone(settings.get(S.TIME_ZONE) or None)
    if context.runner is None:
        from latecal.ui.app.operation_runner import OperationRunner

        context.runner = OperationRunner(store, zone=zone)  # no parent: it outlives the window
    window = MainWindow(store, demo=options.demo, anchor=options.date, icon=icon, view=view, zone=zone,
                        week_start=settings.get(S.WEEK_START), runner=context.runner, problems_later=problems_later)
    if remember:
        window_state.restore(window, settings)
    reporter.reported.connect(window.show_message)
    return window


def _paint_first_frame(app, window: MainWindow) -> None:
    """Show the window and let Qt paint it before the event loop (and the asyncio stack) exists: Qt's own
    event processing until the window's first paint and what that paint posted, or ``FIRST_PAINT_TIMEOUT_MS``
    (a window system may not expose the window at once). Input events wait for the loop: nothing that
    needs asyncio can run here."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.done = True
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.start(FIRST_PAINT_TIMEOUT_MS)  # also wakes the wait below
    window.show()
    flags = QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
    try:
        while not watcher.done and deadline.isActive():
            app.processEvents(flags | QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        app.processEvents(flags)  # what the paint posted (e.g. zero-time timers)
    finally:
        deadline.stop()
        window.removeEventFilter(watcher)


async def _session(app, store, options: Options, reporter, paths: AppPaths, context: SessionContext,
                   *, welcome: bool, window: MainWindow | None = None) -> _Ended:
    """One window's life. ``window``: built and shown already (the first session, see ``run``)."""
    import asyncio

    import shiboken6

    loop = asyncio.get_running_loop()
    previous_handler = loop.get_exception_handler()
    loop.set_exception_handler(reporter.loop_exception_handler)
    if window is None:
        window = _open_window(app, store, options, context, reporter)
    assert context.settings is not None
    settings = context.settings
    icon = window.windowIcon()
    window.show()
    await asyncio.sleep(0)  # the first paint comes from the local store, before any network code is imported
    from latecal.ui.editor.manager import restore_autosaves

    restore_autosaves(window)  # editors that were open when the app last stopped (or crashed) come back

    from latecal.secrets import KeyStore
    from latecal.ui.app.connection import Connection
    from latecal.ui.widgets.display_zone import system_zone

    if context.keystore is None:
        context.keystore = KeyStore()
    connection = Connection(window, store, keystore=context.keystore, settings=settings, demo=options.demo,
                            state_file=paths.sandbox_state_file, base_url_override=options.base_url, icon=icon)
    window.settings_requested.connect(lambda: connection.open_settings(system_zone().key))
    window.about_requested.connect(lambda: _show_about(window, paths, icon))
    notifier = None
    if options.screenshot is None:
        notifier = _start_notifier(window, icon, settings, connection)

    ended: asyncio.Future[str | None] = loop.create_future()

    def finish(restart: str | None = None) -> None:
        if not ended.done():
            ended.set_result(restart)

    def on_quit() -> None:
        finish(None)  # e.g. the desktop session ends

    window.closed.connect(on_quit)
    app.aboutToQuit.connect(on_quit)
    connection.restart_requested.connect(finish)
    stop_watching_signals = _close_on_signals(window)
    log.info("session started (demo=%s)", options.demo)
    interactive = welcome and options.screenshot is None
    starting = loop.create_task(connection.start(interactive=interactive, start_sync=options.screenshot is None))
    try:
        if options.screenshot is not None:
            await starting
            return _Ended(code=await _screenshot(window, connection.services, options.screenshot))
        # The start-up heap is done growing: freezing it keeps full garbage collections from walking it
        # mid-sync (ui_bench: the longest event-loop stall during a 3,000-post sync fell from 105 to 32 ms);
        # from now on what a pull adds is frozen too, slice by slice (latecal/heap.py).
        heap.manage()
        restart = await ended
        return _Ended(restart=restart, view=window.mode, anchor=window.anchor)
    finally:
        if not starting.done():
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await starting
        await connection.aclose()
        with contextlib.suppress(RuntimeError, TypeError):
            app.aboutToQuit.disconnect(on_quit)
        with contextlib.suppress(RuntimeError, TypeError):
            reporter.reported.disconnect(window.show_message)
        loop.set_exception_handler(previous_handler)
        stop_watching_signals()
        # Destroy the window (and the bridge it parents) now, on the loop's thread: left to interpreter
        # shutdown, PySide6 frees them after Qt's teardown and the process crashes on exit.
        if notifier is not None:
            notifier.close()
        if options.screenshot is None:
            from latecal.ui.app import window_state

            window_state.save(window, settings)
        window.close()
        shiboken6.delete(window)
        heap.release()  # frozen objects are never collected; the next session and run() must see them


def _close_on_signals(window) -> Callable[[], None]:
    """SIGTERM (the desktop session ends, ``kill``) and SIGINT (Ctrl+C in a terminal) close the window as its
    close button does: open editors autosave, the window's place is saved, the store closes cleanly. Python
    runs a signal handler only when it next gets control; a wake-up socket watched by Qt gives it at once.
    Returns the undo."""
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier

    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signals reach only the main thread (e.g. a test driving sessions elsewhere)
    reader, writer = socket.socketpair()
    for end in (reader, writer):
        end.setblocking(False)
    previous_fd = signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def drain() -> None:  # the handler itself has run by the time Qt reports the byte
        with contextlib.suppress(OSError):
            reader.recv(64)

    notifier.activated.connect(drain)
    handled = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, lambda _signum, _frame: window.close()) for signum in handled}

    def undo() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        reader.close()
        writer.close()

    return undo


def _start_notifier(window, icon, settings, connection):
    """Tray notifications when posts publish or fail, following Settings ▸ Notifications both ways."""
    from latecal.ui.app.tray import StatusNotifier
    from latecal.ui.widgets import settings as S

    notifier = StatusNotifier(window, icon=icon, notifications_enabled=settings.get(S.NOTIFICATIONS))
    notifier.notify_action.toggled.connect(lambda on: settings.set(S.NOTIFICATIONS, on))

    def follow(key: str) -> None:
        if key == S.NOTIFICATIONS.key:
            notifier.notify_action.setChecked(settings.get(S.NOTIFICATIONS))

    settings.changed.connect(follow)
    window.destroyed.connect(lambda: settings.changed.disconnect(follow))
    connection.connected.connect(lambda: notifier.attach(connection.bridge))
    return notifier


async def _screenshot(window, services, path) -> int:
    """Save the window once the first sync has finished (or at once without a connection)."""
    import asyncio

    if services is not None:
        report = await services.engine.run_once()
        if report.errors or report.offline:
            log.warning("first sync before the screenshot: %s", report.summary())
    # let the views apply the changes and repaint (the List paints a burst of changes at most every 100 ms)
    await asyncio.sleep(0.25)
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = window.grab().save(str(path))
    window.close()
    if not saved:
        print(f"latecal: could not write the screenshot to {path}", file=sys.stderr)
    return EXIT_OK if saved else 1


def _show_about(window, paths: AppPaths, icon) -> None:
    from PySide6.QtCore import Qt

    from latecal.ui.dialogs.about_dialog import AboutDialog

    dialog = AboutDialog(data_dir=paths.data_dir, log_dir=paths.log_dir, icon=icon, parent=window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()  # never exec() on the qasync loop


def _show_fatal(headline: str, message: str) -> None:
    """Print the headline and message on one line; also show a dialog when a person is looking at a real
    screen."""
    headline, message = redact(headline), redact(message)
    print(f"latecal: {headline} {message}", file=sys.stderr)
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return
    from latecal.ui.app.error_reporting import fatal_box

    fatal_box(headline, message).exec()  # before the loop runs: a plain modal is safe here
