"""Each kind of store trouble is named as what it is, on real filesystems: a read-only folder, a full disk and a
lock are never called damaged (their advice keeps the file and its unsent edits), and a damaged file's advice
says what moving it aside would cost."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from filesystem_support import fill, make_read_only, small_filesystem
from latecal.app import store_failure_text
from latecal.core.models import Post, Target
from latecal.core.store_problem import StoreProblem
from latecal.operations.edits import save_post
from latecal.presentation.store_texts import cannot_open
from latecal.store import CorruptStoreError, Store, StoreError, StoreUnavailableError, unsent_changes

UNSENT = 3


def _with_unsent_edits(path: Path, count: int = UNSENT) -> None:
    """A healthy store holding ``count`` new drafts that Late has not had yet (their create entries)."""
    with Store.open(path) as store:
        for i in range(count):
            store.save_post(Post(content=f"draft {i} " + "x" * 200, targets=[Target("twitter", "acc1")]))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(path: Path) -> StoreError:
    with pytest.raises(StoreError) as info:
        Store.open(path)
    return info.value


def _words(error: StoreError, path: Path) -> str:
    return store_failure_text(error, path)  # what the app's start-up shows


def _never_damaged(words: str) -> None:
    assert "damaged" not in words
    assert "aside" not in words


def test_an_intact_store_on_a_read_only_filesystem_is_not_called_damaged(tmp_path):
    with small_filesystem(tmp_path / "mnt") as mount:
        path = mount / "posts.sqlite3"
        _with_unsent_edits(path)
        before = _digest(path)
        make_read_only(mount)
        error = _refused(path)
        assert isinstance(error, StoreUnavailableError)
        assert error.problem is StoreProblem.READ_ONLY
        words = _words(error, path)
        assert words == (f"Late Calendar cannot write to {mount} (Read-only file system). "
                         "Check the folder's permissions, or choose another folder with --data-dir.")
        _never_damaged(words)
        assert _digest(path) == before


def test_a_store_left_by_a_crash_on_a_read_only_filesystem_is_refused_not_opened_read_only(tmp_path):
    """With its -wal and -shm files still there (the app was killed), SQLite itself would open the file read-only
    without a word, and the first edit would fail: the store asks the OS first."""
    with small_filesystem(tmp_path / "mnt") as mount:
        path = mount / "posts.sqlite3"
        killed = subprocess.run([sys.executable, "-c", (
            "import os, sys\nfrom latecal.store import Store\nfrom latecal.core.models import Post, Target\n"
            "s = Store.open(sys.argv[1])\ns.save_post(Post(content='unsent', targets=[Target('twitter', 'a')]))\n"
            "os._exit(0)"), str(path)], capture_output=True, text=True, timeout=60)
        assert killed.returncode == 0, killed.stderr
        assert {p.name for p in mount.iterdir()} >= {"posts.sqlite3-wal", "posts.sqlite3-shm"}
        make_read_only(mount)
        error = _refused(path)
        assert isinstance(error, StoreUnavailableError)
        assert error.problem is StoreProblem.READ_ONLY
        assert _words(error, path).startswith(f"Late Calendar cannot write to {mount} (Read-only file system).")


def test_a_new_store_on_a_read_only_filesystem_is_a_read_only_folder(tmp_path):
    with small_filesystem(tmp_path / "mnt") as mount:
        make_read_only(mount)
        path = mount / "data" / "posts.sqlite3"
        error = _refused(path)
        assert isinstance(error, StoreUnavailableError)
        assert error.problem is StoreProblem.READ_ONLY
        assert "Read-only file system" in error.detail
        assert f"cannot write to {mount / 'data'}" in _words(error, path)


def test_a_new_store_on_a_full_disk_says_the_disk_is_full(tmp_path):
    with small_filesystem(tmp_path / "mnt") as mount:
        fill(mount)
        path = mount / "posts.sqlite3"
        error = _refused(path)
        assert isinstance(error, StoreUnavailableError)
        assert error.problem is StoreProblem.DISK_FULL
        words = _words(error, path)
        assert words == (f"Late Calendar cannot save to {mount}: the disk is full. "
                         "Free some space and start again; nothing was lost.")


def test_a_save_on_a_full_disk_says_the_disk_is_full_and_keeps_the_store(tmp_path):
    with small_filesystem(tmp_path / "mnt") as mount:
        path = mount / "posts.sqlite3"
        _with_unsent_edits(path)
        with Store.open(path) as store:
            fill(mount)
            big = Post(content="y" * 200_000, targets=[Target("twitter", "acc1")])
            result = save_post(store, big, initiator=None)
            assert result.message is not None and result.message.problem
            assert result.message.text == "Could not save: the disk is full"
            assert store.get_post(big.local_id) is None
            assert store.count() == UNSENT
            (mount / "filler").unlink()
            assert save_post(store, big, initiator=None).message is None  # space again: the same save works
            assert store.count() == UNSENT + 1


def test_a_store_another_program_holds_is_locked_not_damaged(tmp_path):
    path = tmp_path / "posts.sqlite3"
    _with_unsent_edits(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        error = _refused(path)  # after the store's busy timeout
        assert isinstance(error, StoreUnavailableError)
        assert error.problem is StoreProblem.LOCKED
        words = _words(error, path)
        assert words == (f"Late Calendar cannot use {path}: another Late Calendar (or another program) is using it. "
                         "Close it and try again; nothing was lost.")
    finally:
        other.close()
    with Store.open(path) as store:
        assert store.count() == UNSENT


def test_a_save_while_another_program_holds_the_store_says_so(tmp_path):
    path = tmp_path / "posts.sqlite3"
    with Store.open(path) as store:
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            result = save_post(store, Post(content="hello", targets=[Target("twitter", "acc1")]), initiator=None)
        finally:
            other.close()
        assert result.message is not None
        assert result.message.text == "Could not save: another program is holding the calendar's database"
        assert store.count() == 0


def test_a_damaged_store_says_how_many_unsent_edits_moving_it_aside_would_drop(tmp_path):
    path = tmp_path / "posts.sqlite3"
    _with_unsent_edits(path)
    with Store.open(path) as store:  # many post rows after the outbox's pages
        for i in range(300):
            store.upsert_remote(Post(late_id=f"L{i}", content=f"post {i} " + "z" * 300, status="published",
                                     targets=[Target("twitter", "acc1")]))
    raw = bytearray(path.read_bytes())
    page = len(raw) // 4096 - 2  # a page of post rows near the end
    raw[page * 4096 : page * 4096 + 4096] = bytes(range(256)) * 16
    path.write_bytes(bytes(raw))
    error = _refused(path)
    assert isinstance(error, CorruptStoreError)
    assert unsent_changes(path) == UNSENT
    words = _words(error, path)
    assert words.startswith(f"The calendar database {path} is damaged (")
    assert (f"It holds changes to {UNSENT} posts that Late has not had yet: moving it aside starts an empty calendar, "
            "and those changes would then never be sent.") in words
    assert path.read_bytes() == bytes(raw)


def test_a_file_that_is_not_a_database_may_hold_unsent_edits(tmp_path):
    path = tmp_path / "posts.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 8000)
    error = _refused(path)
    assert isinstance(error, CorruptStoreError)
    assert unsent_changes(path) is None
    assert "It may hold changes Late has not had yet: moving it aside starts an empty calendar" in _words(error, path)


def test_moving_a_damaged_store_aside_is_advised_only_when_nothing_in_it_waits_for_late():
    path = Path("/data/posts.sqlite3")
    assert cannot_open(StoreProblem.DAMAGED, path, "x", unsent=0).endswith(
        "Nothing in it is waiting to be sent to Late: move it aside (keep the copy) to start with an empty calendar, "
        "which fills again from Late as it syncs.")
    assert "It holds changes to 1 post that Late has not had yet" in cannot_open(StoreProblem.DAMAGED, path, "x",
                                                                                  unsent=1)
