"""Errors raised by the local store. Each names the database file so a user can find it."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from latecal.core.store_problem import StoreProblem

_SQLITE_PROBLEMS = (
    ("SQLITE_READONLY", StoreProblem.READ_ONLY), ("SQLITE_CANTOPEN", StoreProblem.READ_ONLY),
    ("SQLITE_FULL", StoreProblem.DISK_FULL), ("SQLITE_BUSY", StoreProblem.LOCKED),
    ("SQLITE_LOCKED", StoreProblem.LOCKED), ("SQLITE_CORRUPT", StoreProblem.DAMAGED),
    ("SQLITE_NOTADB", StoreProblem.DAMAGED),
)
_OS_PROBLEMS = {errno.EROFS: StoreProblem.READ_ONLY, errno.EACCES: StoreProblem.READ_ONLY,
                errno.EPERM: StoreProblem.READ_ONLY, errno.ENOSPC: StoreProblem.DISK_FULL,
                errno.EDQUOT: StoreProblem.DISK_FULL, errno.EFBIG: StoreProblem.DISK_FULL}


def problem_of(exc: BaseException) -> StoreProblem:
    """The kind of a store failure, read from the error (and the errors it was raised from)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, CorruptStoreError):
            return StoreProblem.DAMAGED
        if isinstance(seen, StoreUnavailableError):
            return seen.problem
        if isinstance(seen, sqlite3.Error):
            name = getattr(seen, "sqlite_errorname", "") or ""
            for prefix, problem in _SQLITE_PROBLEMS:
                if name.startswith(prefix):
                    return problem
        if isinstance(seen, OSError) and seen.errno in _OS_PROBLEMS:
            return _OS_PROBLEMS[seen.errno]
        seen = seen.__cause__ or seen.__context__
    return StoreProblem.OTHER


class StoreError(Exception):
    """Base class: anything the store cannot do, with a message fit for a dialog."""


class CorruptStoreError(StoreError):
    """The file is not a readable SQLite database (random bytes, truncated, damaged pages).

    The message gives no advice: moving the file aside would drop the edits in it that Late has not had yet,
    and only the words shown to the user (``presentation.store_texts``) can say how many."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"The calendar database {path} is damaged or not a database ({detail}); it was left untouched."
        )
        self.path = path
        self.detail = detail


class StoreUnavailableError(StoreError):
    """The store cannot be used now, through no fault of the file: its folder is read-only, the disk is full,
    another program holds it. Never called damaged: the file (and the edits in it not yet sent) is kept."""

    def __init__(self, path: Path, problem: StoreProblem, detail: str) -> None:
        super().__init__(f"The calendar database {path} cannot be used now ({detail}); it was left untouched.")
        self.path = path
        self.problem = problem
        self.detail = detail


def store_failure(path: Path, exc: BaseException) -> StoreError:
    """The store's error for an SQLite or OS error met on ``path``: damaged only when SQLite says the file is
    damaged or not a database; anything else (read-only, disk full, locked, unknown) leaves the file's name clean."""
    problem = problem_of(exc)
    if problem is StoreProblem.DAMAGED:
        return CorruptStoreError(path, str(exc))
    detail = str(exc)
    if problem is StoreProblem.READ_ONLY and isinstance(exc, sqlite3.Error):  # "unable to open database file"
        detail = _why_read_only(path) or detail
    return StoreUnavailableError(path, problem, detail)


def unwritable(path: Path) -> StoreUnavailableError | None:
    """The error for a store whose file or folder cannot be written, else None. Asked of the OS before SQLite
    opens the file: SQLite would open it read-only without a word, and the first edit would fail."""
    reason = _why_read_only(path)
    return StoreUnavailableError(path, StoreProblem.READ_ONLY, reason) if reason else None


def _why_read_only(path: Path) -> str | None:
    """The OS's words for why the store's file or folder cannot be written (SQLite needs both), else None."""
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return os.strerror(errno.EROFS)
    except (OSError, AttributeError):  # no statvfs on Windows
        pass
    if any(p.exists() and not os.access(p, os.R_OK | os.W_OK) for p in (path, path.parent)):
        return os.strerror(errno.EACCES)
    return None


class ForeignDatabaseError(StoreError):
    """A valid SQLite file that belongs to something else: we must not add our tables to it."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"{path} is an SQLite database but not a Late Calendar store ({detail}); it was left untouched."
        )
        self.path = path


class NewerSchemaError(StoreError):
    """The file was written by a newer Late Calendar; migrating down could lose data, so we refuse."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"The calendar database {path} has schema version {found}, but this version of Late Calendar "
            f"only knows up to version {supported}. Update the app; the file was left untouched."
        )
        self.path = path
        self.found = found
        self.supported = supported


class MigrationError(StoreError):
    """A migration step failed; its transaction was rolled back, so the file is still at the old version."""


class UnknownPostError(StoreError):
    def __init__(self, local_id: str) -> None:
        super().__init__(f"no post with local id {local_id!r} in the store")
        self.local_id = local_id


class PendingEditsError(StoreError):
    """A remote version must not overwrite a post that still has unpushed local edits (use mark_conflict)."""


class DuplicateLateIdError(StoreError):
    """Two local posts would claim the same Late post and the other one has unpushed edits."""
