"""Tray icon and "posts published / failed" notifications after each sync run.

``presentation.tray_notices.summarise`` words a run's ``SyncReport.changed`` as one short notice;
``StatusNotifier`` shows it through the system tray, or in the window's message bar where there is no tray
(offscreen, some Wayland desktops, a tray that cannot show messages). Either way the window's notices of the
session keep it, and a click on the tray message opens its (first) post.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from latecal.presentation.tray_notices import Notice, summarise
from latecal.ui.widgets.message_bar import ERROR, INFO
from latecal.ui.widgets.plain_text import clipped, notification_body

NOTICE_MS = 8000


class StatusNotifier(QObject):
    """The tray icon (menu: Show window / Sync now / Quit) and the notices for finished sync runs.

    ``window`` needs ``store``, ``message_bar``, ``commands.open_post(local_id)``, ``request_sync()`` and
    ``close()`` (the MainWindow).
    """

    #: every notice shown, whichever way (for tests and for a future notification log)
    notified = Signal(object)

    def __init__(self, window, *, icon: QIcon | None = None, tray_available: bool | None = None,
                 notifications_enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.window = window
        self.notifications_enabled = notifications_enabled
        self.last_notice: Notice | None = None
        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()

        self.menu = QMenu(window)  # a popup, still its own top-level; parented so it dies with the window
        self.show_action = QAction("Show window", self.menu)
        self.sync_action = QAction("Sync now", self.menu)
        self.notify_action = QAction("Notify when posts publish or fail", self.menu)
        self.notify_action.setCheckable(True)
        self.notify_action.setChecked(notifications_enabled)
        self.quit_action = QAction("Quit", self.menu)
        self.show_action.triggered.connect(self.show_window)
        self.sync_action.triggered.connect(window.request_sync)
        self.notify_action.toggled.connect(self._set_enabled)
        self.quit_action.triggered.connect(window.close)  # the session ends cleanly on the window's `closed`
        self.menu.addAction(self.show_action)
        self.menu.addAction(self.sync_action)
        self.menu.addSeparator()
        self.menu.addAction(self.notify_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)

        self.tray: QSystemTrayIcon | None = None
        if tray_available:
            self.tray = QSystemTrayIcon(icon or window.windowIcon(), self)
            self.tray.setToolTip(window.windowTitle())
            self.tray.setContextMenu(self.menu)
            self.tray.activated.connect(self._on_activated)
            self.tray.messageClicked.connect(self.open_notice)
            self.tray.show()

    def attach(self, bridge) -> None:
        """Listen to a sync bridge's ``finished(report)``."""
        bridge.finished.connect(self.on_sync_finished)

    def close(self) -> None:
        if self.tray is not None:
            self.tray.hide()  # otherwise a ghost icon can stay in some trays until the process exits

    @property
    def uses_tray(self) -> bool:
        return self.tray is not None and self.tray.supportsMessages()

    def _set_enabled(self, enabled: bool) -> None:
        self.notifications_enabled = enabled

    def on_sync_finished(self, report) -> None:
        if not self.notifications_enabled:
            return
        notice = summarise(report.changed, self.window.store.get_post)
        if notice is not None:
            self.notify(notice)

    def notify(self, notice: Notice) -> None:
        self.last_notice = notice
        kind_of_bar = ERROR if notice.warning else INFO
        if self.uses_tray:
            assert self.tray is not None
            kind = QSystemTrayIcon.MessageIcon.Warning if notice.warning else QSystemTrayIcon.MessageIcon.Information
            self.tray.showMessage(clipped(notice.title, 120), notification_body(notice.body), kind, NOTICE_MS)
            self.window.message_bar.record(notice.one_line, kind=kind_of_bar, local_ids=notice.local_ids)
        else:  # a failure stays until dismissed; "published" is news that can go by itself
            self.window.message_bar.show_message(notice.one_line, kind=kind_of_bar, local_ids=notice.local_ids)
        self.notified.emit(notice)

    def open_notice(self) -> None:
        """The tray message was clicked: the window comes up with the notice's first post still here opened."""
        self.show_window()
        ids = self.last_notice.local_ids if self.last_notice is not None else ()
        first = next((i for i in ids if self.window.store.get_post(i) is not None), None)
        if first is not None:
            self.window.commands.open_post(first)

    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_window()
