"""The app's size-rotating log file: the standard library's ``RotatingFileHandler``.

A module of its own, imported once the window is on screen (``logs.rotate_log_file``): ``logging.handlers``
imports ``socket``, ``pickle`` and ``queue`` (~10 ms), which the first paint does without.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path


class RotatingLogFile(RotatingFileHandler):
    """``app.log`` rotates to ``app.log.1`` … ``app.log.<backups>`` once a record would take it to ``max_bytes``."""

    def __init__(self, path: Path | str, *, max_bytes: int, backups: int) -> None:
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        # Never rotate an empty file (one record larger than the limit would leave an empty backup behind):
        # the rule of Python 3.13's handler (gh-116263), not yet 3.11's.
        if self.stream is not None and self.stream.tell() == 0:
            return False
        return super().shouldRollover(record)

    def doRollover(self) -> None:
        super().doRollover()
        if self.backupCount == 0 and self.stream is not None:
            # without backups the stdlib reopens the same file and keeps appending: start it again instead
            self.stream.seek(0)
            self.stream.truncate()
