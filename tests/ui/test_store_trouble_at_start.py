"""The real app started on a store in trouble: a read-only data folder, a full disk, a store another program
holds, a damaged file. Each ends with its own one-line message and exit code 2, never a traceback, and the
files are left as they were."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from filesystem_support import fill, make_read_only, small_filesystem
from latecal.app import EXIT_STORE_ERROR, store_failure_text
from latecal.core.models import Post, Target
from latecal.presentation.store_texts import CANNOT_OPEN
from latecal.store import Store, StoreError
from latecal.ui.app.error_reporting import fatal_box

UNSENT = 2


def _start(data: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, str]:
    """``latecal --data-dir DATA --screenshot`` (a screenshot ends the app once it is up); returns the run and
    the app's one ``latecal:`` line on stderr."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    shot = tmp_path / "shot.png"
    run = subprocess.run([sys.executable, "-m", "latecal", "--data-dir", str(data), "--screenshot", str(shot)],
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == EXIT_STORE_ERROR, run.stderr
    assert "Traceback" not in run.stderr and "Logging error" not in run.stderr, run.stderr
    assert not shot.exists()
    (line,) = [line for line in run.stderr.splitlines() if line.startswith("latecal: ")]
    assert line.startswith("latecal: Late Calendar cannot open its local store. ")
    return run, line


def _with_unsent_edits(path: Path) -> str:
    with Store.open(path) as store:
        for i in range(UNSENT):
            store.save_post(Post(content=f"draft {i}", targets=[Target("twitter", "acc1")]))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_read_only_data_folder_is_a_message_not_a_traceback(tmp_path):
    with small_filesystem(tmp_path / "mnt") as data:
        make_read_only(data)
        run, line = _start(data, tmp_path)
    assert line.endswith(f"Late Calendar cannot write to {data} (Read-only file system). "
                         "Check the folder's permissions, or choose another folder with --data-dir.")
    # no log file can be written there: the log goes to stderr only, said once
    assert run.stderr.count("logging to standard error only") == 1
    assert f"cannot write the log file {data / 'logs' / 'latecal.log'} (Read-only file system)" in run.stderr


def test_an_intact_store_in_a_read_only_folder_keeps_its_unsent_edits(tmp_path):
    with small_filesystem(tmp_path / "mnt") as data:
        digest = _with_unsent_edits(data / "posts.sqlite3")
        make_read_only(data)
        _run, line = _start(data, tmp_path)
        assert hashlib.sha256((data / "posts.sqlite3").read_bytes()).hexdigest() == digest
    assert f"cannot write to {data} (Read-only file system)." in line
    assert "damaged" not in line and "aside" not in line


def test_a_full_disk_says_so_and_that_nothing_was_lost(tmp_path):
    with small_filesystem(tmp_path / "mnt") as data:
        digest = _with_unsent_edits(data / "posts.sqlite3")
        (data / "posts.sqlite3-wal").unlink(missing_ok=True)
        fill(data)
        run, line = _start(data / "new", tmp_path)  # a store to create on the full disk
        assert hashlib.sha256((data / "posts.sqlite3").read_bytes()).hexdigest() == digest
    assert line.endswith(f"Late Calendar cannot save to {data / 'new'}: the disk is full. "
                         "Free some space and start again; nothing was lost.")
    assert run.stderr.count("logging to standard error only") <= 1


def test_a_store_another_program_holds_is_named_locked(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _with_unsent_edits(data / "posts.sqlite3")
    other = sqlite3.connect(data / "posts.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        _run, line = _start(data, tmp_path)
    finally:
        other.close()
    assert line.endswith(f"Late Calendar cannot use {data / 'posts.sqlite3'}: another Late Calendar (or another "
                         "program) is using it. Close it and try again; nothing was lost.")


def test_a_damaged_store_says_what_moving_it_aside_would_cost(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "posts.sqlite3"
    db.write_bytes(b"this is not a database at all" * 100)
    _run, line = _start(data, tmp_path)
    assert f"The calendar database {db} is damaged (file is not a database). It was left untouched." in line
    assert line.endswith("It may hold changes Late has not had yet: moving it aside starts an empty calendar, and "
                         "those changes would then never be sent. Keep the file if you move it.")


def test_the_start_up_dialog_shows_the_words_as_plain_text(qtbot, tmp_path):
    """What a person sees on a real screen: the dialog ``run`` shows, with the read-only store's words; a folder
    whose name looks like markup is shown as it is."""
    with small_filesystem(tmp_path / "<b>calendar</b>") as data:
        make_read_only(data)
        path = data / "posts.sqlite3"
        with pytest.raises(StoreError) as refused:
            Store.open(path)
        box = fatal_box(CANNOT_OPEN, store_failure_text(refused.value, path))
    qtbot.addWidget(box)
    box.show()
    assert box.text() == (f"Late Calendar cannot open its local store.\n\nLate Calendar cannot write to {data} "
                          "(Read-only file system). Check the folder's permissions, or choose another folder with "
                          "--data-dir.")
    (label,) = [w for w in box.findChildren(QLabel) if w.isVisible() and str(data) in w.text()]
    assert label.textFormat() == Qt.TextFormat.PlainText
    box.close()
