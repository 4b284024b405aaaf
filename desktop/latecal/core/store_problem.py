"""The kinds of trouble the local store can be in: each has its own words and its own advice."""

from __future__ import annotations

from enum import StrEnum


class StoreProblem(StrEnum):
    READ_ONLY = "read_only"  # the file or its folder cannot be written (read-only mount, permissions)
    DISK_FULL = "disk_full"  # no space left (or a file-size limit)
    LOCKED = "locked"  # another program holds the database
    DAMAGED = "damaged"  # the file really fails SQLite's integrity check
    OTHER = "other"
