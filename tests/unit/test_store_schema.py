"""Opening the store: pragmas, default location, migrations from every version, and bad files left untouched."""

from __future__ import annotations

import os
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from latecal.core.models import Account, Post, Target
from latecal.store import (
    SCHEMA_VERSION,
    CorruptStoreError,
    ForeignDatabaseError,
    MigrationError,
    NewerSchemaError,
    Store,
    StoreError,
    schema,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def schema_of(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        return [(t, n, " ".join(s.split())) for t, n, s in rows]
    finally:
        conn.close()


def test_open_creates_parents_and_sets_pragmas(tmp_path):
    path = tmp_path / "deep" / "er" / "store.sqlite3"
    with Store.open(path) as s:
        assert path.is_file()
        db = s._db
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert db.execute("PRAGMA synchronous").fetchone()[0] in (1, 2)  # NORMAL or FULL
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID


def test_user_edits_commit_with_synchronous_full(tmp_path):
    with Store.open(tmp_path / "s.sqlite3") as s:
        s.set_meta("k", "v")  # bookkeeping: NORMAL
        assert s._db.execute("PRAGMA synchronous").fetchone()[0] == 1
        s.save_post(Post(content="x"))
        assert s._db.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_closed_store_raises(tmp_path):
    s = Store.open(tmp_path / "s.sqlite3")
    s.close()
    s.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        s.count()


def test_path_that_is_a_folder(tmp_path):
    (tmp_path / "dir").mkdir()
    with pytest.raises(StoreError, match="folder"):
        Store.open(tmp_path / "dir")


# --------------------------------------------------------------------------- migrations


def seed(conn: sqlite3.Connection, version: int) -> None:
    """Rows that a user of schema ``version`` would have, written with that version's columns."""
    if version >= 1:
        conn.execute(
            "INSERT INTO posts (local_id, late_id, idempotency_key, title, content, hashtags, tags, media, targets, "
            "scheduled_us, timezone, status, published_us, remote_updated_us, sync_state, sync_error, deleted, "
            "remote_account_ids, conflict_remote, local_updated_us) VALUES ('p1', NULL, 'k1', 't', 'c', '[\"h\"]', "
            "'[]', '[]', '[{\"platform\":\"x\",\"account_id\":\"a\",\"status\":\"pending\",\"custom_content\":null,"
            "\"scheduled_for\":null,\"platform_post_id\":\"\",\"platform_post_url\":\"\",\"published_at\":null,"
            "\"error_message\":\"\",\"error_category\":\"\",\"platform_specific_data\":{}}]', 1772355600000000, "
            "'Europe/Berlin', 'draft', NULL, NULL, 'pending', '', 0, NULL, NULL, 0)"
        )
        conn.execute("INSERT INTO outbox (local_id, op, created_us) VALUES ('p1', 'create', 0)")
        conn.execute("INSERT INTO meta (key, value) VALUES ('last_sync', '2026-01-01')")
    if version >= 2:
        conn.execute(  # named columns: the health columns of version 7 come with their defaults
            "INSERT INTO accounts (id, position, platform, profile_id, username, display_name, avatar_url, "
            "is_active, needs_reconnection, is_premium) VALUES ('a', 0, 'twitter', 'prof', 'u', 'U', '', 1, 0, 0)"
        )
    if version >= 3:
        conn.execute("INSERT INTO editor_autosave VALUES ('new:1', '{}', 0)")


@pytest.mark.parametrize("start", range(SCHEMA_VERSION + 1))
def test_migrates_from_every_version(tmp_path, start):
    fresh = tmp_path / "fresh.sqlite3"
    Store.open(fresh).close()

    path = tmp_path / "old.sqlite3"
    path.touch()  # version 0 is an empty file
    if start:
        conn = sqlite3.connect(path, isolation_level=None)
        assert schema.migrate(conn, path, schema.MIGRATIONS[:start]) == start
        conn.execute("BEGIN")
        seed(conn, start)
        conn.execute("COMMIT")
        conn.close()

    with Store.open(path) as s:
        assert s._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert s.check_integrity() == []
        if start >= 1:
            p = s.get_post("p1")
            assert p.content == "c"
            assert p.hashtags == ["h"]
            assert p.targets == [Target("x", "a")]
            assert p.scheduled_for == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
            assert [e.op for e in s.outbox_entries()] == ["create"]
            assert s.get_meta("last_sync") == "2026-01-01"
        if start >= 2:
            assert s.accounts() == [Account("a", "twitter", "prof", "u", "U", "", True, False, False)]
        if start >= 3:
            assert s.load_autosaves() == {"new:1": "{}"}
        # every later step still works on the migrated file
        s.save_post(Post(content="new"))
        s.replace_profiles([])
        s.save_autosave("k", "{}")
    assert schema_of(path) == schema_of(fresh)


def test_each_migration_step_is_one_transaction(tmp_path):
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    bad = (*schema.MIGRATIONS, schema.Migration(SCHEMA_VERSION + 1, "broken", ("CREATE TABLE half (a)", "NOT SQL")))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(MigrationError, match=f"version {SCHEMA_VERSION + 1}.*broken") as info:
            schema.migrate(conn, path, bad)
        assert str(path) in str(info.value)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    finally:
        conn.close()


def test_migration_steps_are_numbered_in_order():
    assert [m.version for m in schema.MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))


def test_reopen_is_a_noop_migration(tmp_path):
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    before = schema_of(path)
    Store.open(path).close()
    assert schema_of(path) == before


# --------------------------------------------------------------------------- bad input


def a_real_store(path: Path) -> None:
    with Store.open(path) as s:
        for i in range(200):
            s.upsert_remote(Post(late_id=f"L{i}", content="x" * 300, targets=[Target("x", "a")], scheduled_for=T0))
        s.replace_accounts([Account(f"a{i}", "twitter", "p") for i in range(50)])


def assert_refused(path: Path, error: type[StoreError]) -> StoreError:
    before = snapshot(path)
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(error) as info:
        Store.open(path)
    assert str(path) in str(info.value)
    assert snapshot(path) == before, "the file must never be modified"
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        s for s in siblings if not s.endswith(("-wal", "-shm"))
    ]
    return info.value


def test_random_bytes_are_refused_untouched(tmp_path):
    path = tmp_path / "s.sqlite3"
    path.write_bytes(random.Random(1).randbytes(8192))
    err = assert_refused(path, CorruptStoreError)
    assert "damaged or not a database" in str(err)


def test_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "s.sqlite3"
    path.write_text("these are my notes, not a database\n" * 100)
    assert_refused(path, CorruptStoreError)


@pytest.mark.parametrize("keep", [10, 100, 0.5, 0.9, -4096])
def test_truncated_store_is_refused_untouched(tmp_path, keep):
    path = tmp_path / "s.sqlite3"
    a_real_store(path)
    size = path.stat().st_size
    cut = keep if isinstance(keep, int) and keep > 0 else int(size * keep) if isinstance(keep, float) else size + keep
    with path.open("r+b") as f:
        f.truncate(cut)
    assert_refused(path, CorruptStoreError)


def test_damaged_pages_are_refused_untouched(tmp_path):
    path = tmp_path / "s.sqlite3"
    a_real_store(path)
    damage_pages(path)
    assert_refused(path, CorruptStoreError)


def damage_pages(path: Path, pages=(2, 3, 5)) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    for page in pages:
        data[page * 4096 : page * 4096 + 4096] = rng.randbytes(4096)
    path.write_bytes(bytes(data))


def test_the_deferred_page_check_finds_damage_and_nothing_was_written(tmp_path):
    """The app's start-up opens with the page check deferred (it runs beside the first paint): the damage is
    still found before anything writes, and opening wrote nothing."""
    path = tmp_path / "s.sqlite3"
    a_real_store(path)
    damage_pages(path)
    before = snapshot(path)
    store = Store.open(path, check_pages_now=False)  # a WAL store at the current schema: nothing to write
    try:
        with pytest.raises(CorruptStoreError, match=str(path)) as info:
            store.check_pages()
    finally:
        store.close()
    assert snapshot(path) == before
    # SQLite's first finding and a count, not five raw lines of page numbers and offsets
    assert "SQLite's page check:" in str(info.value) and str(info.value).count("page") <= 4


def test_a_healthy_store_passes_the_deferred_page_check(tmp_path):
    path = tmp_path / "s.sqlite3"
    a_real_store(path)
    with Store.open(path, check_pages_now=False) as store:
        store.check_pages()
        assert len(store.posts_between(T0 - timedelta(days=1), T0 + timedelta(days=1))) == 200


@pytest.mark.parametrize("pragma", [f"user_version = {SCHEMA_VERSION - 1}", "journal_mode = DELETE"])
def test_a_damaged_store_opening_would_write_to_is_checked_even_with_the_check_deferred(tmp_path, pragma):
    """A due migration, or switching a rollback-journal file to WAL (it rewrites the header), is a write:
    then the page check is not deferred, and the damaged file is refused untouched."""
    path = tmp_path / "s.sqlite3"
    a_real_store(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA {pragma}")
    conn.commit()
    conn.close()
    damage_pages(path)
    before = snapshot(path)
    with pytest.raises(CorruptStoreError):
        Store.open(path, check_pages_now=False)
    assert snapshot(path) == before


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_newer_schema_is_refused_untouched(tmp_path, journal):
    path = tmp_path / "s.sqlite3"
    a_real_store(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")  # a newer app might not use WAL: we must not switch it
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    err = assert_refused(path, NewerSchemaError)
    assert err.found == SCHEMA_VERSION + 5
    assert err.supported == SCHEMA_VERSION
    assert f"version {SCHEMA_VERSION + 5}" in str(err)
    assert f"version {SCHEMA_VERSION}" in str(err)


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "s.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    assert_refused(path, ForeignDatabaseError)

    other = tmp_path / "o.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("CREATE TABLE posts (x)")
    conn.commit()
    conn.close()
    assert_refused(other, ForeignDatabaseError)


def test_unreadable_post_row_names_the_file(tmp_path):
    path = tmp_path / "s.sqlite3"
    with Store.open(path) as s:
        p = s.save_post(Post(content="x"))
        s._db.execute("UPDATE posts SET targets = '{not json' WHERE local_id = ?", (p.local_id,))
        with pytest.raises(CorruptStoreError, match=str(path)):
            s.get_post(p.local_id)
        assert any("cannot be read" in problem for problem in s.check_integrity())


# --------------------------------------------------------------------------- indexes


def plan(store: Store, sql: str, params: tuple = ()) -> str:
    return " | ".join(r[3] for r in store._db.execute("EXPLAIN QUERY PLAN " + sql, params))


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        ("SELECT * FROM posts WHERE deleted = 0 AND scheduled_us >= ? AND scheduled_us < ?", "posts_by_time"),
        ("SELECT * FROM posts WHERE deleted = 0 AND scheduled_us IS NULL", "posts_by_time"),
        ("SELECT * FROM posts WHERE deleted = 0 AND status IN (?, ?) AND scheduled_us < ?", "posts_by_status"),
        ("SELECT * FROM posts WHERE late_id = ?", "posts_by_late_id"),
        ("SELECT * FROM outbox WHERE local_id = ? AND op != 'retry'", "outbox_"),
    ],
)
def test_queries_use_indexes(tmp_path, sql, index):
    with Store.open(tmp_path / "s.sqlite3") as s:
        params = tuple(0 for _ in range(sql.count("?")))
        assert index in plan(s, sql, params)


def test_queries_issued_by_the_store_use_indexes(tmp_path):
    with Store.open(tmp_path / "s.sqlite3") as s:
        seen: list[str] = []
        s._db.set_trace_callback(seen.append)
        s.posts_between(T0, T0)
        s.posts_with_status(["scheduled"], due_before=T0)
        s.get_by_late_id("x")
        s._db.set_trace_callback(None)
        plans = [plan(s, sql) for sql in seen]
        assert "USING INDEX posts_by_time" in plans[0]
        assert "USING INDEX posts_by_status" in plans[1]
        assert "posts_by_late_id" in plans[2]
        assert "SCAN posts" not in " ".join(plans)


def test_no_stray_files_besides_the_database(tmp_path):
    with Store.open(tmp_path / "s.sqlite3") as s:
        s.save_post(Post(content="x"))
    assert sorted(os.listdir(tmp_path)) == ["s.sqlite3"]  # WAL checkpointed and removed on close
