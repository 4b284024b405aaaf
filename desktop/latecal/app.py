"""Composition root: QApplication, the qasync loop, error hooks, the store, the main window and shutdown.

Start-up order matters: the window paints from the local SQLite store before anything network-related
(httpx, keyring, the sandbox) is imported, so the calendar appears as fast as a bare Qt window.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_API", "pyside6")  # qasync picks its binding from this; set before importing it

import asyncio
import gc
import logging
import sys

from latecal import __version__
from latecal.cli import Options
from latecal.logs import configure_logging
from latecal.paths import AppPaths, resolve

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_STORE_ERROR = 2


def run(options: Options) -> int:
    from PySide6.QtWidgets import QApplication

    from latecal.store import Store, StoreError

    paths = resolve(options.data_dir, demo=options.demo)
    configure_logging(paths.log_file)
    log.info("Late Calendar %s starting (demo=%s, data=%s)", __version__, options.demo, paths.data_dir)

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "latecal"])
    app.setApplicationName("latecal")
    app.setApplicationDisplayName("Late Calendar")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("latecal")
    app.setQuitOnLastWindowClosed(False)  # the session coroutine decides when to stop, after cleanup

    try:
        store = Store.open(paths.store_file)
    except StoreError as exc:
        log.error("Cannot open the local store: %s", exc)
        _show_fatal(f"Late Calendar cannot open its local store.\n\n{exc}")
        return EXIT_STORE_ERROR

    from latecal.ui.error_reporting import ErrorReporter

    reporter = ErrorReporter()
    previous_hook = sys.excepthook
    sys.excepthook = reporter.excepthook
    try:
        import qasync

        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            return runner.run(_session(app, store, options, reporter, paths))
    finally:
        sys.excepthook = previous_hook
        store.close()
        # Free the session's Qt wrappers while QApplication still exists: left to interpreter shutdown,
        # PySide6 may destroy them after Qt's own teardown and crash on exit.
        gc.collect()
        log.info("Late Calendar stopped")


async def _session(app, store, options: Options, reporter, paths: AppPaths) -> int:
    import shiboken6

    from latecal.ui.icons import app_icon
    from latecal.ui.main_window import MainWindow

    loop = asyncio.get_running_loop()
    loop.set_exception_handler(reporter.loop_exception_handler)

    icon = app_icon()
    app.setWindowIcon(icon)
    window = MainWindow(store, demo=options.demo, anchor=options.date, icon=icon, view=options.view)
    reporter.reported.connect(window.show_message)
    window.show()
    await asyncio.sleep(0)  # the first paint comes from the local store, before any network code is imported

    services = await _start_services(options, paths, store, window)
    bridge = None
    try:
        if services is not None:
            from latecal.ui.sync_bridge import SyncBridge

            bridge = SyncBridge(services.engine, window)
            window.attach_sync(bridge)
        if options.screenshot is not None:
            return await _screenshot(window, services, options.screenshot)
        if bridge is not None:
            bridge.start()
        closed = asyncio.Event()
        window.closed.connect(closed.set)
        app.aboutToQuit.connect(closed.set)  # e.g. the desktop session ends
        await closed.wait()
        return EXIT_OK
    finally:
        if bridge is not None:
            await bridge.aclose()
        if services is not None:
            await services.aclose()
        # Destroy the window (and the bridge it parents) now, on the loop's thread: left to interpreter
        # shutdown, PySide6 frees them after Qt's teardown and the process crashes on exit.
        window.close()
        shiboken6.delete(window)


async def _start_services(options: Options, paths: AppPaths, store, window):
    """The client and sync engine (and the demo sandbox). None, with a message, when there is no key."""
    from latecal.services import start_demo, start_remote

    if options.demo:
        try:
            return await start_demo(store, paths.sandbox_state_file)
        except Exception as exc:  # a port or state-file problem must not take the calendar down
            log.exception("the demo sandbox did not start")
            window.show_message(f"The demo server could not start: {exc}")
            return None
    from latecal.secrets import KeyStore

    key = await KeyStore().aget()
    if not key:
        window.show_message(
            "No Late API key is set, so your posts are shown from this computer only. "
            "Set one with “latecal auth set”, or try the demo with “latecal --demo”."
        )
        return None
    try:
        return start_remote(store, key, options.base_url)
    except ValueError as exc:  # e.g. a plain-http base URL to a remote host
        window.show_message(f"Cannot connect to Late: {exc}")
        return None


async def _screenshot(window, services, path) -> int:
    """Save the window once the first sync has finished (or at once without a connection)."""
    if services is not None:
        report = await services.engine.run_once()
        if report.errors or report.offline:
            log.warning("first sync before the screenshot: %s", report.summary())
    await asyncio.sleep(0.05)  # let the views apply the changes and repaint
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = window.grab().save(str(path))
    window.close()
    if not saved:
        print(f"latecal: could not write the screenshot to {path}", file=sys.stderr)
    return EXIT_OK if saved else 1


def _show_fatal(message: str) -> None:
    """Print the message; also show a dialog when a person is looking at a real screen."""
    print(f"latecal: {message}", file=sys.stderr)
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, "Late Calendar", message)  # before the loop runs: a plain modal is safe here
