"""The local SQLite store: posts and their outbox, the accounts cache, meta values, editor autosaves (Qt-free)."""

from __future__ import annotations

from latecal.store.errors import (
    CorruptStoreError,
    DuplicateLateIdError,
    ForeignDatabaseError,
    MigrationError,
    NewerSchemaError,
    PendingEditsError,
    StoreError,
    StoreUnavailableError,
    UnknownPostError,
    problem_of,
    store_failure,
)
from latecal.store.records import ChangeSet, Op, OutboxEntry, PushToken, StoredPost
from latecal.store.schema import SCHEMA_VERSION, unsent_changes
from latecal.store.store import Store

__all__ = [
    "SCHEMA_VERSION",
    "ChangeSet",
    "CorruptStoreError",
    "DuplicateLateIdError",
    "ForeignDatabaseError",
    "MigrationError",
    "NewerSchemaError",
    "Op",
    "OutboxEntry",
    "PendingEditsError",
    "PushToken",
    "Store",
    "StoreError",
    "StoreUnavailableError",
    "StoredPost",
    "UnknownPostError",
    "problem_of",
    "store_failure",
    "unsent_changes",
]
