"""A log file that cannot be written (a read-only folder, a full disk) leaves logging on stderr with one warning:
never a traceback, never one complaint per record."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from filesystem_support import fill, make_read_only, small_filesystem

_CHILD = """
import logging, pathlib, sys
from latecal import logs
logs.configure_logging(pathlib.Path(sys.argv[1]), rotate_now=sys.argv[2] == "rotating")
log = logging.getLogger("latecal.test")
for i in range(50):
    log.info("record %d %s", i, "x" * 200)
log.warning("still heard")
print("file handlers:", sum(isinstance(h, logging.FileHandler) for h in logging.getLogger().handlers))
"""


def _log_to(path: Path, mode: str = "plain") -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-c", _CHILD, str(path), mode], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "Logging error" not in run.stderr, run.stderr
    assert "still heard" in run.stderr
    return run


def test_a_read_only_log_folder_logs_to_stderr_with_one_warning(tmp_path):
    with small_filesystem(tmp_path / "mnt") as mount:
        make_read_only(mount)
        run = _log_to(mount / "logs" / "latecal.log")
    assert run.stderr.count("logging to standard error only") == 1
    assert f"cannot write the log file {mount / 'logs' / 'latecal.log'} (Read-only file system)" in run.stderr
    assert "file handlers: 0" in run.stdout


def test_a_log_file_on_a_full_disk_is_dropped_with_one_warning(tmp_path):
    for mode in ("plain", "rotating"):
        with small_filesystem(tmp_path / mode) as mount:
            (mount / "logs").mkdir()
            fill(mount)
            run = _log_to(mount / "logs" / "latecal.log", mode)
        assert run.stderr.count("logging to standard error only") == 1, run.stderr
        assert "(No space left on device)" in run.stderr
        assert "file handlers: 0" in run.stdout
