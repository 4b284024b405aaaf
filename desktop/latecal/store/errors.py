"""Errors raised by the local store. Each names the database file so a user can find it."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class: anything the store cannot do, with a message fit for a dialog."""


class CorruptStoreError(StoreError):
    """The file is not a readable SQLite database (random bytes, truncated, damaged pages)."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"The calendar database {path} is damaged or not a database ({detail}). "
            "It was left untouched; move it aside to start with an empty store."
        )
        self.path = path
        self.detail = detail


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
