"""The window's link to Late: which services run (demo sandbox or the user's key), the first-run welcome,
the "new key" prompt after a 401, and the Settings dialog's key and sync actions.

Dialogs are awaited with ``open_dialog`` (open() + a future), never ``exec()``. Changes that need a new
window or a new store (switching to the demo, another time zone, week start or base URL, a removed key) are
asked of the app session through ``restart_requested``; it rebuilds the window on the same loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from PySide6.QtCore import QObject, Signal

from latecal.late.client import LateClient
from latecal.late.urls import PRODUCTION_BASE_URL
from latecal.presentation import connection_texts as words
from latecal.secrets import Backend, KeyringUnavailable, KeyStore
from latecal.services import Services, check_key, start_demo, start_remote
from latecal.ui.app.sync_bridge import SyncBridge
from latecal.ui.dialogs.settings_dialog import SettingsDialog
from latecal.ui.dialogs.welcome_dialog import Choice, Mode, WelcomeDialog
from latecal.ui.editor.media_uploader import MediaUploader
from latecal.ui.widgets import settings as S
from latecal.ui.widgets.async_dialog import open_dialog

log = logging.getLogger(__name__)

#: settings whose change needs a new window (views take them at construction) or new services
RESTART_KEYS = frozenset({S.BASE_URL.key, S.TIME_ZONE.key, S.WEEK_START.key, S.CLOCK_24H.key})


class Restart:
    DEMO = "demo"  # reopen on the demo store with the embedded sandbox
    REBUILD = "rebuild"  # same store, new window and services (display settings, base URL, key removed)


class Connection(QObject):
    #: a Restart value; the session closes this window and opens a new one
    restart_requested = Signal(str)
    #: services are up (the bridge is attached); tests wait for it
    connected = Signal()

    def __init__(self, window, store, *, keystore: KeyStore, settings: S.Settings, demo: bool, state_file=None,
                 base_url_override: str | None = None, icon=None, checker=check_key) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.keystore = keystore
        self.settings = settings
        self.demo = demo
        self.state_file = state_file
        self.base_url_override = base_url_override
        self.icon = icon
        self.checker = checker
        self.services: Services | None = None
        self.bridge: SyncBridge | None = None
        self.dialog: WelcomeDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self._tasks: set[asyncio.Task] = set()  # strong references to fire-and-forget tasks (rule 6)
        self._start_sync = True

    # -- set-up ------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str | None:
        return self.base_url_override or self.settings.get(S.BASE_URL) or None

    async def start(self, *, interactive: bool, start_sync: bool = True) -> None:
        """Demo services, or the stored key's; without a key, the welcome dialog (when ``interactive``)."""
        self._start_sync = start_sync
        if self.demo:
            try:
                self._attach(await start_demo(self.store, self.state_file, idle_interval_s=self._interval()))
            except Exception as exc:  # a port or state-file problem must not take the calendar down
                log.exception("the demo sandbox did not start")
                self.window.show_message(words.demo_did_not_start(exc))
            return
        key = await self.keystore.aget()
        if key:
            self._connect(key)
        elif interactive:
            await self.ask_for_key(Mode.WELCOME)
        else:
            self._no_key_hint()

    def _interval(self) -> float:
        return float(self.settings.get(S.SYNC_INTERVAL_S))

    def _no_key_hint(self) -> None:
        self.window.show_message(words.NO_KEY)

    def _connect(self, key: str) -> bool:
        try:
            services = start_remote(self.store, key, self.base_url, idle_interval_s=self._interval())
        except ValueError as exc:  # e.g. a plain-http base URL to a remote host
            self.window.show_message(words.cannot_connect(exc))
            return False
        self._attach(services)
        return True

    def _attach(self, services: Services) -> None:
        self.services = services
        self.bridge = SyncBridge(services.engine, self.window)
        self.bridge.auth_failed.connect(self._on_auth_failed)
        self.window.attach_sync(self.bridge)
        self.window.attach_uploader(MediaUploader(services.client))
        self.window.attach_pictures(services.client.fetch_picture)
        if self._start_sync:
            self.bridge.start()
        self.connected.emit()

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for dialog in (self.dialog, self.settings_dialog):
            if dialog is not None and dialog.isVisible():
                dialog.reject()
        if self.bridge is not None:
            await self.bridge.aclose()
        if self.services is not None:
            await self.services.aclose()

    def _spawn(self, coro) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- the key dialog ------------------------------------------------------------------------------

    async def ask_for_key(self, mode: Mode) -> Choice:
        """Show the key dialog; a checked key replaces the client (or connects for the first time)."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return Choice.NONE
        status = await self.keystore.astatus()
        dialog = WelcomeDialog(self.keystore, self.base_url, mode=mode, status=status, icon=self.icon,
                               checker=self.checker, parent=self.window)
        self.dialog = dialog
        try:
            await open_dialog(dialog)
        finally:
            self.dialog = None
            dialog.deleteLater()
        if dialog.choice is Choice.DEMO:
            self.restart_requested.emit(Restart.DEMO)
        elif dialog.choice is Choice.KEY:
            key = dialog.take_key()
            if key:
                await self._use_key(key, dialog.stored_in)
        elif mode is Mode.WELCOME:
            self._no_key_hint()
        elif mode is Mode.REJECTED:
            self.window.show_message(words.PAUSED_FOR_KEY)
        return dialog.choice

    async def _use_key(self, key: str, stored_in: Backend | None) -> None:
        if self.services is None:
            if not self._connect(key):
                return
        elif self.services.demo:
            self.window.show_info(words.KEY_SAVED_IN_DEMO)
            return
        else:
            try:
                client = LateClient(key, self.base_url or PRODUCTION_BASE_URL)
            except ValueError as exc:
                self.window.show_message(words.cannot_connect(exc))
                return
            await self.services.replace_client(client)
            self.window.attach_uploader(MediaUploader(client))
            self.window.attach_pictures(client.fetch_picture)
        self.window.show_info(words.connected(in_memory=stored_in in (Backend.MEMORY, Backend.LOCKED)))

    def _on_auth_failed(self) -> None:
        # the engine paused itself; local edits stay in the store and the outbox
        if self.dialog is None:
            self._spawn(self.ask_for_key(Mode.REJECTED))

    # -- settings -------------------------------------------------------------------------------------

    def open_settings(self, system_zone: str = "") -> SettingsDialog:
        """File ▸ Settings…: non-blocking; the dialog's signals drive the rest."""
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            return self.settings_dialog
        dialog = SettingsDialog(self.settings, key_status=None, demo=self.demo, system_zone=system_zone,
                                parent=self.window)
        dialog.replace_key_requested.connect(lambda: self._spawn(self._replace_from_settings()))
        dialog.remove_key_requested.connect(lambda: self._spawn(self.remove_key()))
        dialog.applied.connect(self.apply_settings)
        self.settings_dialog = dialog
        dialog.open()
        self._spawn(self._refresh_key_status())
        return dialog

    async def _refresh_key_status(self) -> None:
        status = await self.keystore.astatus()
        if self.settings_dialog is not None:
            self.settings_dialog.set_key_status(status)

    async def _replace_from_settings(self) -> None:
        status = await self.keystore.astatus()
        await self.ask_for_key(Mode.REPLACE if status.has_key else Mode.SET)
        await self._refresh_key_status()

    async def remove_key(self) -> None:
        """Settings ▸ Remove: forget the key everywhere; syncing stops (the window is rebuilt without it)."""
        try:
            await self.keystore.adelete()
        except KeyringUnavailable as exc:
            self.window.show_message(words.could_not_remove(exc))
            return
        await self._refresh_key_status()
        if not self.demo and self.services is not None:
            if self.settings_dialog is not None:
                self.settings_dialog.reject()
            self.restart_requested.emit(Restart.REBUILD)
        else:
            self.window.show_info(words.KEY_REMOVED)

    def apply_settings(self, changed: set[str]) -> None:
        if S.SYNC_INTERVAL_S.key in changed and self.bridge is not None:
            self.bridge.set_interval(self._interval())
        if changed & RESTART_KEYS:
            self.restart_requested.emit(Restart.REBUILD)
