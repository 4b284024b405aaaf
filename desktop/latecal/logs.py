"""Logging set-up: a rotating file in the platform log directory plus warnings on stderr."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def configure_logging(log_file: Path, *, level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_latecal", False) for h in root.handlers):
        return  # already configured in this process (tests start the app more than once)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    file_handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    file_handler._latecal = True  # type: ignore[attr-defined]
    stderr_handler = logging.StreamHandler()
    stderr_handler.setLevel(logging.WARNING)
    stderr_handler.setFormatter(logging.Formatter(_FORMAT))
    stderr_handler._latecal = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    root.addHandler(stderr_handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO; keep the file readable.
    logging.getLogger("httpx").setLevel(logging.WARNING)
