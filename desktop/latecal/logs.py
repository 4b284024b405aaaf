"""Logging set-up: a rotating file in the platform log directory plus warnings on stderr, both redacted.

The file rotates by size with the standard library's ``RotatingFileHandler`` (``log_rotation.py``). The app's
start-up writes through a plain ``FileHandler`` until the window is on screen (``rotate_log_file``):
``logging.handlers`` imports ``socket``, ``pickle`` and ``queue`` (~10 ms), which the first paint does without.

Redaction: a filter on every root handler rewrites ``Authorization`` headers, ``Bearer`` tokens and any
string equal to a secret the app has seen (``remember_secret``; ``latecal.secrets`` calls it whenever it
reads or stores the API key), in the message, its arguments and the formatted traceback. Handler filters,
not a logger filter: records from child loggers (``latecal.sync``, ``httpx``) only pass the handlers'.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import threading
from pathlib import Path

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
MAX_BYTES = 2_000_000
BACKUPS = 3
REDACTED = "[redacted]"
#: shorter "secrets" would blank out ordinary words; real Late keys are ~67 characters
MIN_SECRET_LEN = 8

_AUTH_HEADER = re.compile(
    r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?:(bearer|basic|token)\s+)?[^\s\"',;}\]]+"
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{4,}")


class RedactingFilter(logging.Filter):
    """Rewrites records in place, so every handler after this one sees the redacted text too."""

    def __init__(self) -> None:
        super().__init__("latecal-redact")
        self._secrets: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def remember(self, secret: str | None) -> None:
        if secret and len(secret.strip()) >= MIN_SECRET_LEN:
            with self._lock:
                self._secrets = self._secrets | {secret, secret.strip()}

    def redact(self, text: str) -> str:
        text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2) + ' ' if m.group(2) else ''}{REDACTED}", text)
        text = _BEARER.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
        # longest first, so a secret that contains another is removed whole
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the handler report it as usual
            return True
        clean = self.redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


REDACTOR = RedactingFilter()


def remember_secret(secret: str | None) -> None:
    """Redact ``secret`` from every log line from now on (old keys stay redacted after a key change)."""
    REDACTOR.remember(secret)
    install_redaction()


def redact(text: str) -> str:
    """The same redaction for text shown to the user (error dialogs, the message bar)."""
    return REDACTOR.redact(text)


def install_redaction(logger: logging.Logger | None = None) -> None:
    """Put the filter on every handler of ``logger`` (the root logger by default); idempotent."""
    for handler in (logger or logging.getLogger()).handlers:
        if REDACTOR not in handler.filters:
            handler.addFilter(REDACTOR)


def configure_logging(log_file: Path, *, level: int = logging.INFO, rotate_now: bool = True) -> None:
    """Idempotent per process; called again with another file (tests start the app more than once), the
    file handler moves there. ``rotate_now=False`` (the app's start-up) writes through a plain file handler
    until :func:`rotate_log_file`. A log file that cannot be written (a read-only folder) leaves logging on
    standard error only, with one warning."""
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "_latecal", False)]
    file_handlers = [h for h in ours if isinstance(h, logging.FileHandler)]
    if file_handlers and all(h.baseFilename == os.path.abspath(log_file) for h in file_handlers):
        if rotate_now:
            rotate_log_file()
        install_redaction()
        return
    for handler in file_handlers:
        root.removeHandler(handler)
        handler.close()
    unwritable: OSError | None = None
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        root.addHandler(_file_handler(log_file, rotating=rotate_now))
    except OSError as e:  # a read-only --data-dir, no permission: the app still starts and says why it cannot
        unwritable = e
    if not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler) for h in ours):
        stderr_handler = logging.StreamHandler()
        stderr_handler.setLevel(logging.WARNING)
        stderr_handler.setFormatter(logging.Formatter(_FORMAT))
        stderr_handler.addFilter(REDACTOR)
        stderr_handler._latecal = True  # type: ignore[attr-defined]
        root.addHandler(stderr_handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO; keep the file readable.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    install_redaction()
    if unwritable is not None:
        _say_stderr_only(log_file, unwritable)


def _say_stderr_only(log_file: Path | str, error: OSError) -> None:
    logging.getLogger(__name__).warning("cannot write the log file %s (%s); logging to standard error only",
                                        log_file, error.strerror or error)


def _give_up_on_write_error(handler: logging.FileHandler) -> None:
    """A log file that stops taking writes (a full disk) is dropped with one warning, instead of the standard
    library printing a traceback on standard error for every record from then on."""
    default = handler.handleError

    def handle_error(record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            default(record)
            return
        logging.getLogger().removeHandler(handler)
        with contextlib.suppress(OSError):  # closing flushes what is buffered: it fails the same way
            handler.close()
        _say_stderr_only(handler.baseFilename, error)

    handler.handleError = handle_error  # type: ignore[method-assign]


def rotate_log_file() -> None:
    """From now on the log file rotates (3 × 2 MB): the plain start-up handler makes way for the rotating one on
    the same file. Idempotent."""
    root = logging.getLogger()
    for plain in [h for h in root.handlers if getattr(h, "_latecal", False) and type(h) is logging.FileHandler]:
        root.addHandler(_file_handler(Path(plain.baseFilename), rotating=True))  # added first: no record is lost
        root.removeHandler(plain)
        plain.close()


def _file_handler(path: Path, *, rotating: bool) -> logging.FileHandler:
    if rotating:
        from latecal.log_rotation import RotatingLogFile

        handler: logging.FileHandler = RotatingLogFile(path, max_bytes=MAX_BYTES, backups=BACKUPS)
    else:
        handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(REDACTOR)  # before it is attached: no record reaches the file unredacted
    handler._latecal = True  # type: ignore[attr-defined]
    _give_up_on_write_error(handler)
    return handler


def close_log_file() -> None:
    """Detach and close the app's handlers (tests search the log directory after an in-process session)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_latecal", False)]:
        root.removeHandler(handler)
        handler.close()


def __getattr__(name: str) -> object:
    # ``RotatingLogFile`` is still importable from here, without importing ``logging.handlers`` with this module
    if name == "RotatingLogFile":
        from latecal.log_rotation import RotatingLogFile

        return RotatingLogFile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
