"""Tray icon and "posts published / failed" notifications after each sync run.

``summarise`` turns a run's ``SyncReport.changed`` into one short notice (plain function, tested without a tray);
``StatusNotifier`` shows it through the system tray, or in the window's message bar where there is no tray
(offscreen, some Wayland desktops, a tray that cannot show messages).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from latecal.core.models import Post
from latecal.ui.post_item import failure_reasons, quoted

#: the outcomes worth interrupting someone for, in the order they are listed
OUTCOMES = ("failed", "partial", "published")
_PHRASES = {"published": "published", "partial": "partly published", "failed": "failed"}
MAX_TITLES = 3
NOTICE_MS = 8000


@dataclass(frozen=True, slots=True)
class Notice:
    title: str
    body: str
    #: True when something failed: shown with a warning icon
    warning: bool
    local_ids: tuple[str, ...] = ()


def _count_phrase(counts: dict[str, int]) -> str:
    """ "1 post failed, 5 published": the noun only on the first part, in the body's order (failures first)."""
    parts = []
    for outcome in OUTCOMES:
        n = counts.get(outcome, 0)
        if n:
            noun = ("post " if n == 1 else "posts ") if not parts else ""
            parts.append(f"{n} {noun}{_PHRASES[outcome]}")
    return ", ".join(parts)


def summarise(
    changed: Mapping[str, tuple[str | None, str]],
    lookup: Callable[[str], Post | None],
    *,
    max_titles: int = MAX_TITLES,
) -> Notice | None:
    """One notice for the posts that just published, partly published or failed; None if there are none.

    Only transitions count: a post seen for the first time (old status None) is history being pulled onto
    this machine, not news, so a first sync of a long calendar announces nothing.
    """
    by_outcome: dict[str, list[str]] = {o: [] for o in OUTCOMES}
    for local_id, (old, new) in changed.items():
        if old is not None and old != new and new in by_outcome:
            by_outcome[new].append(local_id)
    ids = [i for o in OUTCOMES for i in by_outcome[o]]  # failures first: they are what needs action
    if not ids:
        return None
    counts = {o: len(v) for o, v in by_outcome.items()}
    warning = bool(counts["failed"] or counts["partial"])
    posts = {i: lookup(i) for i in ids[:max_titles]}
    if len(ids) == 1:
        (outcome,) = (o for o in OUTCOMES if counts[o])
        post = posts[ids[0]]
        name = quoted(post, 60) if post else "A post"
        body = f"{name} {_PHRASES[outcome]}."
        reasons = failure_reasons(post) if post and outcome != "published" else []
        if reasons:
            body += " " + reasons[0]
        return Notice(f"Post {_PHRASES[outcome]}", body, warning, tuple(ids))
    # mixed outcomes say which post had which ("Failed: “A”. Published: “B”."): a bare list reads as all one
    mixed = sum(1 for n in counts.values() if n) > 1
    groups = []
    for outcome in OUTCOMES:
        named = [quoted(p) for i in by_outcome[outcome] if (p := posts.get(i)) is not None]
        rest = len(by_outcome[outcome]) - len(named)
        if not by_outcome[outcome]:
            continue
        text = ", ".join(named)
        if rest:
            text = f"{text} and {rest} more" if named else f"{rest} post{'s' if rest > 1 else ''}"
        groups.append(f"{_PHRASES[outcome].capitalize()}: {text}." if mixed else f"{text}.")
    return Notice(_count_phrase(counts), " ".join(groups), warning, tuple(ids))


class StatusNotifier(QObject):
    """The tray icon (menu: Show window / Sync now / Quit) and the notices for finished sync runs.

    ``window`` needs ``store``, ``show_message(text)``, ``show_info(text)``, ``sync_now()`` and ``close()``
    (the MainWindow).
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
        self.sync_action.triggered.connect(window.sync_now)
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
            self.tray.messageClicked.connect(self.show_window)
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
        changed = getattr(report, "changed", None) or {}
        notice = summarise(changed, self.window.store.get_post)
        if notice is not None:
            self.notify(notice)

    def notify(self, notice: Notice) -> None:
        self.last_notice = notice
        if self.uses_tray:
            assert self.tray is not None
            kind = QSystemTrayIcon.MessageIcon.Warning if notice.warning else QSystemTrayIcon.MessageIcon.Information
            self.tray.showMessage(notice.title, notice.body, kind, NOTICE_MS)
        else:  # a failure stays until dismissed; "published" is news that can go by itself
            # one post: the body says it all ("“X” published."); several: "3 posts published: X, Y and Z."
            text = notice.body if len(notice.local_ids) == 1 else f"{notice.title}: {notice.body}"
            (self.window.show_message if notice.warning else self.window.show_info)(text)
        self.notified.emit(notice)

    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_window()
