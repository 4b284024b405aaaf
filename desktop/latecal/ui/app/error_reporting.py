"""Turns uncaught exceptions (Qt slots, asyncio tasks) into a logged entry and a visible, non-modal message.

The app never shows a traceback to the user and never exits because of one bad callback.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox

from latecal.logs import redact
from latecal.presentation import connection_texts as words

log = logging.getLogger(__name__)


class ErrorReporter(QObject):
    #: a one-line message for the message bar (redacted: an exception's text never shows the key)
    reported = Signal(str)

    def report(self, message: str) -> None:
        self.reported.emit(redact(message))

    def excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("Unexpected error", exc_info=(exc_type, exc, tb))
        self.report(words.went_wrong(user_text(exc), background=False))

    def loop_exception_handler(self, loop, context: dict) -> None:
        exc = context.get("exception")
        if exc is not None:
            log.error("Unhandled error in a background task: %s", context.get("message"), exc_info=exc)
            self.report(words.went_wrong(user_text(exc), background=True))
        else:
            log.error("Event loop problem: %s", context.get("message"))


def user_text(exc: BaseException) -> str:
    """A short human description of an exception: its message, else its type name."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text or type(exc).__name__


def fatal_box(headline: str, message: str) -> QMessageBox:
    """The dialog for an error that ends the app before its window is up (a store that cannot be opened). Plain
    text: a folder's name is never read as markup."""
    box = QMessageBox(QMessageBox.Icon.Critical, "Late Calendar", f"{headline}\n\n{message}")
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box
