"""The store's schema as an ordered list of migration steps, and the checks made before touching a file.

``PRAGMA user_version`` holds the number of steps applied. Each step runs in its own transaction together
with the version bump, so a crash or an error mid-migration leaves the file at the previous version.
Steps are append-only: once released, a step is never edited; a change is a new step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from latecal.store.errors import (
    CorruptStoreError,
    ForeignDatabaseError,
    MigrationError,
    NewerSchemaError,
    store_failure,
)
from latecal.store.search_schema import SEARCH_STEPS

# "LCAL": marks the file as ours, so we never add tables to another program's database.
APPLICATION_ID = 0x4C43414C

Step = str | Callable[[sqlite3.Connection], None]


@dataclass(frozen=True, slots=True)
class Migration:
    version: int  # user_version after this step
    description: str
    steps: tuple[Step, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "posts, outbox and meta",
        (
            f"PRAGMA application_id = {APPLICATION_ID}",
            # Times are integer microseconds since the epoch in UTC: exact for Python datetimes, and an
            # integer index makes calendar range queries cheap. Lists are JSON text.
            """CREATE TABLE posts (
                local_id TEXT PRIMARY KEY NOT NULL,
                late_id TEXT,
                idempotency_key TEXT NOT NULL,
                title TEXT NOT NULL,
                content TEXT NOT NULL,
                hashtags TEXT NOT NULL,
                tags TEXT NOT NULL,
                media TEXT NOT NULL,
                targets TEXT NOT NULL,
                scheduled_us INTEGER,
                timezone TEXT,
                status TEXT NOT NULL,
                published_us INTEGER,
                remote_updated_us INTEGER,
                sync_state TEXT NOT NULL CHECK (sync_state IN ('synced', 'pending', 'rejected', 'conflict')),
                sync_error TEXT NOT NULL,
                deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
                remote_account_ids TEXT,
                conflict_remote TEXT,
                local_updated_us INTEGER NOT NULL
            )""",
            # Partial indexes: every post query excludes tombstones, so they never cost index space or time.
            "CREATE INDEX posts_by_time ON posts(scheduled_us) WHERE deleted = 0",
            "CREATE INDEX posts_by_status ON posts(status, scheduled_us) WHERE deleted = 0",
            "CREATE UNIQUE INDEX posts_by_late_id ON posts(late_id) WHERE late_id IS NOT NULL",
            # AUTOINCREMENT: a seq is never reused, so a stale PushToken can never match a newer entry.
            """CREATE TABLE outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                local_id TEXT NOT NULL REFERENCES posts(local_id) ON DELETE CASCADE,
                op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete', 'retry')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_us INTEGER,
                last_error TEXT NOT NULL DEFAULT '',
                edits INTEGER NOT NULL DEFAULT 1,
                parked INTEGER NOT NULL DEFAULT 0 CHECK (parked IN (0, 1)),
                created_us INTEGER NOT NULL
            )""",
            "CREATE INDEX outbox_by_post ON outbox(local_id, op)",
            # Coalescing is enforced by the database too: one create/update/delete and one retry per post.
            "CREATE UNIQUE INDEX outbox_one_change_per_post ON outbox(local_id) WHERE op != 'retry'",
            "CREATE UNIQUE INDEX outbox_one_retry_per_post ON outbox(local_id) WHERE op = 'retry'",
            "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
        ),
    ),
    Migration(
        2,
        "accounts and profiles cache",
        (
            """CREATE TABLE profiles (
                id TEXT PRIMARY KEY NOT NULL,
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                color TEXT NOT NULL,
                timezone TEXT,
                is_default INTEGER NOT NULL
            )""",
            """CREATE TABLE accounts (
                id TEXT PRIMARY KEY NOT NULL,
                position INTEGER NOT NULL,
                platform TEXT NOT NULL,
                profile_id TEXT NOT NULL,
                username TEXT NOT NULL,
                display_name TEXT NOT NULL,
                avatar_url TEXT NOT NULL,
                is_active INTEGER NOT NULL,
                needs_reconnection INTEGER NOT NULL,
                is_premium INTEGER NOT NULL
            )""",
        ),
    ),
    Migration(
        3,
        "editor autosave",
        (
            """CREATE TABLE editor_autosave (
                key TEXT PRIMARY KEY NOT NULL,
                data TEXT NOT NULL,
                saved_us INTEGER NOT NULL
            )""",
        ),
    ),
    Migration(
        4,
        "fingerprint of the content last sent for an outbox entry",
        # Lets a pull recognise Late's copy as our own push whose answer was lost (a crash, a dropped
        # connection), instead of calling it a conflicting remote edit.
        ("ALTER TABLE outbox ADD COLUMN sent_fp TEXT",),
    ),
    Migration(
        5,
        "whether a delete of an outbox entry was ever sent",
        # Undoing a delete restores the post exactly only while Late cannot have acted on it; the attempt
        # count cannot tell (a delete keeps the count of the edit it replaced, a finished push resets it).
        ("ALTER TABLE outbox ADD COLUMN delete_sent INTEGER NOT NULL DEFAULT 0",),
    ),
    Migration(
        6,
        "the fields of a post Late sent that could not be read",
        # JSON list of Late's field names (Post.read_problems); a post with any is read-only in the app.
        ("ALTER TABLE posts ADD COLUMN read_problems TEXT NOT NULL DEFAULT '[]'",),
    ),
    Migration(
        7,
        "each account's health: whether it can post, when its token expires, Late's issues",
        # Scheduled posts to an account that cannot post by their time are flagged on the calendar.
        (
            "ALTER TABLE accounts ADD COLUMN can_post INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE accounts ADD COLUMN token_expires_us INTEGER",
            "ALTER TABLE accounts ADD COLUMN issues TEXT NOT NULL DEFAULT '[]'",
        ),
    ),
    Migration(
        8,
        "recurring posts: Late's recycling of a post, and local series with their occurrences and exceptions",
        (
            "ALTER TABLE posts ADD COLUMN recycling TEXT",  # Late's RecyclingState as JSON, or NULL
            "ALTER TABLE posts ADD COLUMN recycled_from TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE posts ADD COLUMN series_id TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE posts ADD COLUMN occurrence INTEGER NOT NULL DEFAULT 0",
            "CREATE INDEX posts_by_series ON posts(series_id, occurrence) WHERE series_id != ''",
            # rule: core.recurrence.Rule as JSON; template: the post occurrences are copied from (codec JSON);
            # made_until_us: how far ahead occurrences exist; on_late: Late's recycling carries the series
            """CREATE TABLE series (
                id TEXT PRIMARY KEY NOT NULL,
                rule TEXT NOT NULL,
                zone TEXT NOT NULL,
                first_us INTEGER NOT NULL,
                template TEXT NOT NULL,
                on_late INTEGER NOT NULL CHECK (on_late IN (0, 1)),
                made_until_us INTEGER NOT NULL
            )""",
            # occurrences that differ from the rule: skipped (no post) or detached (edited on their own)
            """CREATE TABLE series_exceptions (
                series_id TEXT NOT NULL REFERENCES series(id) ON DELETE CASCADE,
                occurrence INTEGER NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('skipped', 'detached')),
                PRIMARY KEY (series_id, occurrence)
            )""",
        ),
    ),
    Migration(
        9,
        "full-text search over every live post (title, text, per-platform texts, hashtags, tags, accounts)",
        # The List searches the whole store, not only the loaded weeks; triggers keep it in step (search.py).
        SEARCH_STEPS,
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)
assert all(m.version == i + 1 for i, m in enumerate(MIGRATIONS)), "migration versions must be 1, 2, 3, ..."


def check_file(path: Path, *, pages: bool = True) -> int:
    """Validate an existing file without writing to it; return its schema version.

    Runs on a read-only connection: nothing here can modify, reset or checkpoint the file, whatever it holds.
    ``pages=False`` leaves out SQLite's page check (it reads the whole file: ~7 ms for 10,000 posts warm,
    ~70 ms from a cold disk) when opening will not write (no migration due, already WAL); the caller then runs
    :func:`check_pages` before it writes anything.
    """
    if not path.exists() or path.stat().st_size == 0:
        return 0  # an empty file is a valid, empty SQLite database at version 0
    conn = _read_only(path)
    try:
        version = _value(conn, "PRAGMA user_version", "user_version")
        app_id = _value(conn, "PRAGMA application_id", "application_id")
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(path, version, SCHEMA_VERSION)
        # Deferred only when opening writes nothing: no migration due, and already in WAL mode (switching a
        # rollback-journal file to WAL rewrites its header).
        wal = _value(conn, "PRAGMA journal_mode", "journal_mode").lower() == "wal"
        if pages or version < SCHEMA_VERSION or not wal:
            _quick_check(conn, path)
        if version == 0:
            objects = _value(conn, "SELECT count(*) AS n FROM sqlite_master", "n")
            if objects:
                raise ForeignDatabaseError(path, f"it already holds {objects} tables or indexes")
        elif app_id != APPLICATION_ID:
            raise ForeignDatabaseError(path, f"application id {app_id:#x}")
        return version
    except sqlite3.DatabaseError as e:
        raise store_failure(path, e) from e
    finally:
        conn.close()


def check_pages(path: Path) -> None:
    """SQLite's quick check of every page, on its own read-only connection (safe on a worker thread while
    the store's connection is open); raises :class:`CorruptStoreError` (or, when the check cannot run, e.g. the
    folder is unreadable, :class:`~latecal.store.errors.StoreUnavailableError`)."""
    conn = _read_only(path)
    try:
        _quick_check(conn, path)
    except sqlite3.DatabaseError as e:
        raise store_failure(path, e) from e
    finally:
        conn.close()


def _read_only(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as e:
        raise store_failure(path, e) from e


def unsent_changes(path: Path) -> int | None:
    """How many posts in the file at ``path`` hold changes Late has not had yet (its outbox), read without
    writing; None when the file cannot tell (not a database, the outbox's pages damaged, unreadable)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        return int(conn.execute("SELECT count(DISTINCT local_id) FROM outbox").fetchone()[0])
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    problems = [r["quick_check"] for r in _rows(conn, "PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        # SQLite's first finding names the place; the rest (up to 4 more) would only bury the message
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise CorruptStoreError(path, f"SQLite's page check: {problems[0]}{more}")


def migrate(conn: sqlite3.Connection, path: Path, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Apply the missing steps, one transaction each; return the final version.

    The version is re-read inside each write transaction, so two processes opening the same file at once
    never apply a step twice.
    """
    latest = len(migrations)
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = _value(conn, "PRAGMA user_version", "user_version")
            if current > latest:
                raise NewerSchemaError(path, current, latest)
            if current == latest:
                conn.execute("COMMIT")
                return current
            step = migrations[current]
            try:
                for s in step.steps:
                    if callable(s):
                        s(conn)
                    else:
                        conn.execute(s)
            except sqlite3.Error as e:
                raise MigrationError(
                    f"{path}: migration to schema version {step.version} ({step.description}) failed: {e}; "
                    f"the file stays at version {current}"
                ) from e
            conn.execute(f"PRAGMA user_version = {step.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _rows(conn: sqlite3.Connection, sql: str) -> sqlite3.Cursor:
    """``sql``'s rows read by column name, whatever the connection's row factory (migrate takes any connection)."""
    cursor = conn.execute(sql)
    cursor.row_factory = sqlite3.Row
    return cursor


def _value(conn: sqlite3.Connection, sql: str, column: str) -> Any:
    return _rows(conn, sql).fetchone()[column]
