"""The app's log file rotates by size and keeps a fixed number of old files, newest first."""

from __future__ import annotations

import logging
import logging.handlers
import stat
import subprocess
import sys

from latecal import logs
from latecal.logs import RotatingLogFile


def _log(handler: RotatingLogFile, text: str) -> None:
    handler.handle(logging.LogRecord("latecal.test", logging.INFO, __file__, 1, text, None, None))


def test_the_log_rotates_by_size_and_keeps_three_old_files(tmp_path):
    path = tmp_path / "latecal.log"
    handler = RotatingLogFile(path, max_bytes=100, backups=3)
    try:
        for n in range(12):
            _log(handler, f"record {n:02d} " + "x" * 30)  # 40 characters + newline: two records per file
    finally:
        handler.close()
    files = {p.name: p.read_text().split() for p in tmp_path.iterdir()}
    assert sorted(files) == ["latecal.log", "latecal.log.1", "latecal.log.2", "latecal.log.3"]
    assert all(p.stat().st_size <= 100 for p in tmp_path.iterdir())
    numbers = {name: [words[i + 1] for i, w in enumerate(words) if w == "record"] for name, words in files.items()}
    assert numbers["latecal.log"] == ["10", "11"]
    assert numbers["latecal.log.1"] == ["08", "09"]
    assert numbers["latecal.log.3"] == ["04", "05"]  # older ones were dropped


def test_without_backups_the_log_starts_again(tmp_path):
    path = tmp_path / "latecal.log"
    handler = RotatingLogFile(path, max_bytes=100, backups=0)
    try:
        for n in range(5):
            _log(handler, f"record {n} " + "y" * 40)
    finally:
        handler.close()
    assert [p.name for p in tmp_path.iterdir()] == ["latecal.log"]
    assert path.read_text().split()[1] == "4"


def test_one_record_larger_than_the_limit_does_not_rotate_an_empty_file(tmp_path):
    path = tmp_path / "latecal.log"
    handler = RotatingLogFile(path, max_bytes=50, backups=2)
    try:
        _log(handler, "z" * 200)
    finally:
        handler.close()
    assert [p.name for p in tmp_path.iterdir()] == ["latecal.log"]
    assert path.read_text().strip() == "z" * 200


def test_rotation_renames_backups_with_their_permissions_and_starts_a_fresh_file(tmp_path):
    path = tmp_path / "latecal.log"
    handler = RotatingLogFile(path, max_bytes=100, backups=2)
    fresh = stat.S_IMODE(path.stat().st_mode)  # what the process's umask gives a new file
    path.chmod(0o600)
    try:
        for n in range(2):  # 50 characters each: the second rotates once
            _log(handler, f"record {n} " + "p" * 40)
    finally:
        handler.close()
    assert stat.S_IMODE((tmp_path / "latecal.log.1").stat().st_mode) == 0o600  # moved, not copied
    assert stat.S_IMODE(path.stat().st_mode) == fresh


def test_the_app_log_is_the_standard_rotating_handler_3_times_2_mb_with_the_redaction_filter(tmp_path):
    try:
        logs.configure_logging(tmp_path / "logs" / "latecal.log")
        (handler,) = _file_handlers()
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        assert (handler.maxBytes, handler.backupCount) == (2_000_000, 3)
        assert logs.REDACTOR in handler.filters
    finally:
        logs.close_log_file()


def test_start_up_writes_plainly_then_rotates_in_the_same_file_still_redacted(tmp_path):
    path = tmp_path / "logs" / "latecal.log"
    secret = "sk_rotate_" + "5e" * 20
    try:
        logs.configure_logging(path, rotate_now=False)
        (plain,) = _file_handlers()
        assert type(plain) is logging.FileHandler and logs.REDACTOR in plain.filters
        logs.remember_secret(secret)
        logging.getLogger("latecal.test").warning("before the first paint %s", secret)
        logs.rotate_log_file()
        logs.rotate_log_file()  # idempotent
        (rotating,) = _file_handlers()
        assert isinstance(rotating, RotatingLogFile) and rotating.baseFilename == plain.baseFilename
        assert logs.REDACTOR in rotating.filters
        logging.getLogger("latecal.test").warning("after it %s", secret)
        rotating.flush()
    finally:
        logs.close_log_file()
    text = path.read_text(encoding="utf-8")
    assert "before the first paint [redacted]" in text and "after it [redacted]" in text
    assert secret not in text


def test_start_up_logging_does_not_import_logging_handlers(tmp_path):
    """The first paint does without ``logging.handlers`` (tests/ui/test_first_paint.py): configuring the log for
    start-up must not import it, rotating it afterwards does."""
    code = (
        "import logging, sys, pathlib\n"
        "from latecal import logs\n"
        f"logs.configure_logging(pathlib.Path({str(tmp_path / 'x.log')!r}), rotate_now=False)\n"
        "logging.getLogger('latecal').warning('starting')\n"
        "before = 'logging.handlers' in sys.modules\n"
        "logs.rotate_log_file()\n"
        "print(before, 'logging.handlers' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["False", "True"]


def _file_handlers() -> list[logging.FileHandler]:
    return [h for h in logging.getLogger().handlers
            if isinstance(h, logging.FileHandler) and getattr(h, "_latecal", False)]
