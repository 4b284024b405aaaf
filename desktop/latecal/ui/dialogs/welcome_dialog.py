"""The key dialog: the first-run welcome (paste a key, or try the demo) and the "enter a new key" prompt
after Late rejected the stored one or the user chose Settings ▸ Replace.

A pasted key is checked with one cheap Late call before it is stored; 401, offline and a locked keyring
each get their own message. Show it with ``ui.async_dialog.open_dialog`` (never ``exec()`` under qasync).
The key is passed on once (``take_key``) and the field is cleared; it is never put into a message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from latecal.core.text import own_sentence
from latecal.presentation import connection_texts as words
from latecal.secrets import Backend, KeyringStatus, KeyStore
from latecal.services import KeyCheckResult, check_key
from latecal.ui.widgets.plain_text import plain_label


class Mode(StrEnum):
    WELCOME = "welcome"  # first run: no key yet
    REJECTED = "rejected"  # Late answered 401 to the stored key during sync
    REPLACE = "replace"  # Settings ▸ Replace…
    SET = "set"  # Settings ▸ Set…: no key yet, after "Not now" or in the demo


class Choice(StrEnum):
    KEY = "key"  # a checked key was stored (or kept in memory): take_key()
    DEMO = "demo"  # try the demo instead
    NONE = "none"  # not now


_TEXT = {
    Mode.WELCOME: (
        "Welcome to Late Calendar",
        "Plan, edit and watch your social media posts on a calendar. To see your own posts, paste your "
        "Late API key: you find it in Late's dashboard under <b>Settings&nbsp;▸&nbsp;API&nbsp;keys</b>.<br><br>"
        "No key yet? Try the demo: the whole app on a built-in practice server with sample accounts. "
        "Nothing is ever posted.",
    ),
    Mode.REJECTED: (
        "Late did not accept your API key",
        "The key may have been revoked or replaced. Syncing is paused; your local changes are kept and "
        "are sent to Late once a working key is set.",
    ),
    Mode.REPLACE: (
        "Replace the API key",
        "The new key is checked with Late before it replaces the old one.",
    ),
    Mode.SET: (
        "Set your Late API key",
        "Paste your Late API key: you find it in Late's dashboard under "
        "<b>Settings&nbsp;▸&nbsp;API&nbsp;keys</b>. It is checked with Late before it is stored.",
    ),
}

_ERROR_STYLE = "color: #b3261e;"
_INFO_STYLE = "color: palette(window-text);"


def keyring_note(status: KeyringStatus | None) -> str:
    return "" if status is None else words.keyring_note(status.backend, status.name)


def _current_task() -> asyncio.Task | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop (a plain Qt slot)
        return None


class WelcomeDialog(QDialog):
    def __init__(
        self,
        keystore: KeyStore,
        base_url: str | None,
        *,
        mode: Mode = Mode.WELCOME,
        status: KeyringStatus | None = None,
        icon: QIcon | None = None,
        checker: Callable[[str, str | None], Awaitable[KeyCheckResult]] = check_key,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.keystore = keystore
        self.base_url = base_url
        self.mode = mode
        self.checker = checker
        self.choice = Choice.NONE
        self.stored_in: Backend | None = None
        self.pending: asyncio.Task | None = None  # the running check; tests await it
        self._key: str | None = None
        title, intro = _TEXT[mode]
        self.setWindowTitle("Late Calendar" if mode is Mode.WELCOME else title)
        self.setMinimumWidth(520)

        header = QHBoxLayout()
        if icon is not None and not icon.isNull():
            logo = QLabel(self)
            logo.setPixmap(icon.pixmap(48, 48))
            logo.setAlignment(Qt.AlignmentFlag.AlignTop)
            header.addWidget(logo)
        self.title_label = QLabel(title, self)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        header.addWidget(self.title_label, 1)

        self.intro_label = QLabel(intro, self)
        self.intro_label.setWordWrap(True)
        self.intro_label.setTextFormat(Qt.TextFormat.RichText)

        self.key_edit = QLineEdit(self)
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("sk_…")
        self.key_edit.setAccessibleName("Late API key")
        self.key_edit.setClearButtonEnabled(True)
        self.key_edit.textChanged.connect(self._on_text_changed)
        self.key_edit.returnPressed.connect(self._on_connect_clicked)
        self.show_button = QPushButton("Show", self)
        self.show_button.setCheckable(True)
        self.show_button.setAutoDefault(False)
        self.show_button.toggled.connect(self._toggle_echo)
        key_row = QHBoxLayout()
        key_label = QLabel("&API key:", self)
        key_label.setBuddy(self.key_edit)
        key_row.addWidget(key_label)
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.show_button)

        self.status_label = plain_label(QLabel(self))  # quotes Late's answer to the key
        self.status_label.setObjectName("keyStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()
        self.keyring_label = QLabel(keyring_note(status), self)
        self.keyring_label.setObjectName("keyringNote")
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setStyleSheet("color: palette(placeholder-text);")
        self.keyring_label.setVisible(bool(self.keyring_label.text()))

        self.demo_button = QPushButton("Try the &demo", self)
        self.demo_button.setAutoDefault(False)
        self.demo_button.clicked.connect(self._choose_demo)
        self.demo_button.setVisible(mode is Mode.WELCOME)
        self.reread_button = QPushButton("&Read keyring again", self)
        self.reread_button.setAutoDefault(False)
        self.reread_button.clicked.connect(self._on_reread_clicked)
        self.reread_button.setVisible(status is not None and status.backend is Backend.LOCKED)
        self.later_button = QPushButton("Not now" if mode is Mode.WELCOME else "Cancel", self)
        self.later_button.setAutoDefault(False)
        self.later_button.clicked.connect(self.reject)
        self.connect_button = QPushButton("&Connect", self)
        self.connect_button.setDefault(True)
        self.connect_button.setEnabled(False)
        self.connect_button.clicked.connect(self._on_connect_clicked)
        # shown when Late accepted the key but the keyring is locked: go on with the key in memory
        self.session_button = QPushButton("Use for this &session only", self)
        self.session_button.setAutoDefault(False)
        self.session_button.clicked.connect(self._use_for_session)
        self.session_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.reread_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.session_button)
        buttons.addWidget(self.connect_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.intro_label)
        layout.addSpacing(4)
        layout.addLayout(key_row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.keyring_label)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        self.key_edit.setFocus()

    # -- the outcome -------------------------------------------------------------------------------

    def take_key(self) -> str | None:
        """The checked key, once; the dialog keeps no copy."""
        key, self._key = self._key, None
        return key

    def done(self, result: int) -> None:
        if self.pending is not None and not self.pending.done() and self.pending is not _current_task():
            self.pending.cancel()  # closed while a check was running: drop it
        self.key_edit.clear()  # no copy of the key lingers in a widget
        super().done(result)

    # -- actions -----------------------------------------------------------------------------------

    def _toggle_echo(self, shown: bool) -> None:
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_button.setText("Hide" if shown else "Show")

    def _on_text_changed(self, text: str) -> None:
        self.connect_button.setEnabled(bool(text.strip()))
        self.session_button.hide()  # a different key must be checked first

    def _use_for_session(self) -> None:
        key = self.key_edit.text().strip()
        if key:
            self._finish_with(key, Backend.LOCKED)

    def _choose_demo(self) -> None:
        self.choice = Choice.DEMO
        self.accept()

    def _on_connect_clicked(self) -> None:
        if not self.connect_button.isEnabled() or (self.pending is not None and not self.pending.done()):
            return
        self.pending = asyncio.get_running_loop().create_task(self.submit())

    def _on_reread_clicked(self) -> None:
        if self.pending is None or self.pending.done():
            self.pending = asyncio.get_running_loop().create_task(self.reread())

    def _say(self, text: str, *, error: bool) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(_ERROR_STYLE if error else _INFO_STYLE)
        self.status_label.show()

    def _busy(self, busy: bool) -> None:
        for widget in (self.key_edit, self.connect_button, self.demo_button, self.reread_button, self.session_button):
            widget.setEnabled(not busy)
        if not busy:
            self.connect_button.setEnabled(bool(self.key_edit.text().strip()))

    def _finish_with(self, key: str, where: Backend) -> None:
        self._key, self.stored_in, self.choice = key, where, Choice.KEY
        self.accept()

    async def submit(self) -> bool:
        """Check the typed key with Late, then store it. True when the dialog was accepted."""
        key = self.key_edit.text().strip()
        if not key:
            return False
        self.session_button.hide()
        self._busy(True)
        self._say(words.CHECKING_KEY, error=False)
        try:
            result = await self.checker(key, self.base_url)
            if not result.ok:
                self._say(result.message, error=True)
                return False
            try:
                where = await self.keystore.aset(key)
            except ValueError as exc:
                self._say(own_sentence(str(exc)), error=True)
                return False
            if where is Backend.LOCKED:
                self.session_button.show()
                self._say(words.KEYRING_LOCKED_AFTER_CHECK, error=True)
                return False
            self._finish_with(key, where)
            return True
        finally:
            if self.isVisible():
                self._busy(False)
                if self.choice is not Choice.KEY:  # not accepted: the keyboard goes back to the key, to fix it
                    self.key_edit.setFocus(Qt.FocusReason.OtherFocusReason)
                    self.key_edit.selectAll()

    async def reread(self) -> bool:
        """After the user unlocked the keyring: read the stored key again."""
        self._busy(True)
        try:
            key = await self.keystore.aget()
            status = await self.keystore.astatus()
        finally:
            self._busy(False)
        self.keyring_label.setText(keyring_note(status))
        if key:
            self._finish_with(key, status.backend)
            return True
        self._say(words.still_no_key(locked=status.backend is Backend.LOCKED), error=True)
        self.reread_button.setVisible(status.backend is Backend.LOCKED)
        return False
