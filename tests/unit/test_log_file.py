"""The app's log file rotates by size and keeps a fixed number of old files, newest first."""

from __future__ import annotations

import logging

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
