"""The local SQLite store: posts, their outbox, the accounts cache, meta values and editor autosaves.

Every user edit is one transaction that writes the post row and its outbox entry together, so a crash
can never leave an edit without its pending push or a push without its post.

Durability: WAL with ``synchronous=FULL`` for every transaction that holds a user edit (save, delete,
retry, conflict resolution, an operation's batch) and for the sync steps whose loss could post twice
(begin/finish of a create, rekey); ``NORMAL`` for the rest of the sync engine's bookkeeping and for pulled
pages (their conflict markings included: the next pull finds the same conflict again). A commit is in the
WAL before ``commit`` returns, so both survive a SIGKILL of the process; FULL also fsyncs the WAL, so a
user edit survives power loss or an OS crash too. A NORMAL step (an update's attempt counter, a finished
update, a pulled page) may be lost on power loss, which costs one idempotent replay or one re-pull, never
an edit. An fsync costs a fraction of a millisecond to a few ms, now and then over 100 ms on a slow disk:
fine at human editing speed, too much for the thousands of steps of a bulk sync on the UI's thread.

Threading: one connection opened with ``check_same_thread=False`` and guarded by a re-entrant lock,
so the store may be used from any thread; subscribers are called on the thread that made the change.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from latecal.core.models import Post, new_idempotency_key
from latecal.core.status import SyncState
from latecal.store import codec
from latecal.store.caches import Caches
from latecal.store.errors import (
    CorruptStoreError,
    DuplicateLateIdError,
    StoreError,
    UnknownPostError,
    store_failure,
    unwritable,
)
from latecal.store.push_protocol import PushProtocol
from latecal.store.records import ChangeSet, Op, OutboxEntry, StoredPost
from latecal.store.remote_merge import RemoteMerge
from latecal.store.schema import check_file, check_pages, migrate
from latecal.store.search import Search
from latecal.store.series import SeriesStore

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000

Listener = Callable[[ChangeSet, object | None], None]

_QUEUED = ChangeSet(queued=True)
#: ids bound in one ``IN (…)`` query: far below any SQLite's limit on parameters (999 before 3.32)
_IDS_PER_QUERY = 500
_ENTRY_SELECT = "SELECT seq, op, local_id, attempts, next_attempt_us, last_error, edits, parked, created_us FROM outbox"
_NOT_DELETED = "deleted = 0"
_UNSCHEDULED = "scheduled_us IS NULL"
_UNSCHEDULED_ORDER = "local_updated_us DESC, local_id"


@dataclass(slots=True)
class Committed:
    """What a ``batch`` committed: its one change set (empty until the batch ends)."""

    changes: ChangeSet = field(default_factory=ChangeSet)


def _entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(
        seq=row["seq"],
        op=row["op"],
        local_id=row["local_id"],
        attempts=row["attempts"],
        next_attempt_at=codec.from_us(row["next_attempt_us"]),
        last_error=row["last_error"],
        edits=row["edits"],
        parked=bool(row["parked"]),
        created_at=codec.from_us(row["created_us"]),  # type: ignore[arg-type]
    )


class Store(PushProtocol, RemoteMerge, Caches, SeriesStore, Search):
    """Open with :meth:`Store.open`; close with :meth:`close` or use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Callable[[], datetime]) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._path = path
        self._clock = clock
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._depth = 0  # nesting of write transactions (batch -> savepoints)
        self._changes: list[ChangeSet] = []
        self._marks: list[int] = []  # start of each open write's changes in _changes
        self._initiator: object | None = None
        self._sync_full: bool | None = None

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(
        cls, path: Path | str, *, clock: Callable[[], datetime] | None = None, check_pages_now: bool = True
    ) -> Store:
        """Open (creating it and its parent folders if needed) and migrate the store at ``path``.

        An existing file is validated read-only first: a damaged file, another program's database or a
        newer schema raises a :class:`StoreError` and the file is left exactly as it was.
        ``check_pages_now=False`` (the app's start-up) defers the whole-file page check unless a migration is
        due: the caller must run :meth:`check_pages` before anything writes to the store.
        """
        path = Path(path).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:  # a read-only mount, no permission, a full disk: named by store_failure
            raise store_failure(path, e) from e
        if path.is_dir():
            raise StoreError(f"the calendar database path {path} is a folder")
        check_file(path, pages=check_pages_now)  # first: a damaged file is named damaged wherever it lies
        if (cannot_write := unwritable(path)) is not None:
            raise cannot_write
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as e:
            raise store_failure(path, e) from e
        conn.row_factory = sqlite3.Row  # every read goes by column name
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()["journal_mode"]
            if mode.lower() != "wal":
                raise StoreError(f"the calendar database {path} cannot use WAL journaling (got {mode!r})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn, path)
        except sqlite3.DatabaseError as e:  # damaged only if SQLite says so: not a read-only folder or a full disk
            conn.close()
            raise store_failure(path, e) from e
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, clock or (lambda: datetime.now(UTC)))

    @property
    def path(self) -> Path:
        return self._path

    def check_pages(self) -> None:
        """The page check ``open(check_pages_now=False)`` deferred; any thread. Raises CorruptStoreError."""
        check_pages(self._path)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the store {self._path} is closed")
        return self._conn

    # ------------------------------------------------------------------ transactions and change sets

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(change_set, initiator)`` after every committed change; returns an unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    @contextmanager
    def batch(self, *, initiator: object | None = None, durable: bool = True) -> Iterator[Committed]:
        """Group several store calls into one durable transaction and one change notification.

        Each call inside runs in a savepoint, so a call that raises (e.g. PendingEditsError) and is caught
        leaves no trace while the rest of the batch commits. Used by the operations (one transaction per user
        action) and by the sync engine to apply a pulled page. After the block, the yielded ``Committed`` holds
        the batch's change set. ``durable=False`` (a pulled page: a pull can always be made again) commits without
        waiting for the disk; the batch still survives the process being killed, only not a power loss.
        """
        committed = Committed()
        with self._write(durable=durable, initiator=initiator, committed=committed):
            yield committed

    @contextmanager
    def _write(self, *, durable: bool, initiator: object | None = None,
               committed: Committed | None = None) -> Iterator[None]:
        with self._lock:
            db = self._db
            outer = self._depth == 0
            mark = len(self._changes)
            if outer:
                if self._sync_full is not durable:
                    # must be set outside a transaction; FULL fsyncs the WAL at commit
                    db.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
                    self._sync_full = durable
                db.execute("BEGIN IMMEDIATE")
                self._initiator = initiator
            else:
                db.execute(f"SAVEPOINT sp{self._depth}")
            self._depth += 1
            self._marks.append(mark)
            try:
                yield
            except BaseException:
                self._depth -= 1
                self._marks.pop()
                del self._changes[mark:]
                if outer:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                else:
                    db.execute(f"ROLLBACK TO sp{self._depth}")
                    db.execute(f"RELEASE sp{self._depth}")
                raise
            self._depth -= 1
            self._marks.pop()
            if not outer:
                db.execute(f"RELEASE sp{self._depth}")
                if committed is not None:
                    committed.changes = ChangeSet.combine(self._changes[mark:])
                return
            try:
                changes = self._committing()
                db.execute("COMMIT")
            except BaseException:
                del self._changes[mark:]
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            if committed is not None:
                committed.changes = changes
            if changes:
                self._emit(changes, self._initiator)

    def _committing(self) -> ChangeSet:
        """The outer transaction's change set, carrying its changed posts when anyone listens: read before COMMIT,
        so they are exactly what commits, and once, instead of once per listener and post."""
        changes = ChangeSet.combine(self._changes)
        self._changes.clear()
        if not changes.changed or not self._listeners:
            return changes
        return self._with_posts(changes)

    def _with_posts(self, changes: ChangeSet) -> ChangeSet:
        """``changes`` with the stored post of every changed id; an id without a live post moves to ``removed``."""
        ids = list(changes.changed)
        posts: dict[str, Post] = {}
        for first in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[first:first + _IDS_PER_QUERY]
            where = f"local_id IN ({', '.join('?' * len(chunk))}) AND {_NOT_DELETED}"
            for row in self._post_rows(where, tuple(chunk)):
                try:
                    posts[row.local_id] = self._decode(row)
                except CorruptStoreError:  # the change still commits; a post no view can show leaves them
                    log.exception("a changed post cannot be read")
        gone = changes.changed - posts.keys()
        return ChangeSet(frozenset(posts), changes.removed | gone, MappingProxyType(posts), changes.queued)

    def _emit(self, changes: ChangeSet, initiator: object | None) -> None:
        for listener in list(self._listeners):
            try:
                listener(changes, initiator)
            except Exception:  # the change is committed; one broken view must not hide it from the others
                log.exception("store listener %r failed", listener)

    def _record(self, changed: Iterable[str] = (), removed: Iterable[str] = ()) -> ChangeSet:
        """Note a change; returns everything the current call has changed so far (its return value: ids and
        ``queued``, no posts)."""
        self._changes.append(ChangeSet(frozenset(changed), frozenset(removed)))
        return ChangeSet.combine(self._changes[self._marks[-1]:])

    def _queued(self) -> None:
        """A user's change wrote an outbox entry: the transaction's change set says a push is queued."""
        self._changes.append(_QUEUED)

    def _now_us(self) -> int:
        return codec.to_us(self._clock())  # type: ignore[return-value]

    # ------------------------------------------------------------------ row helpers

    def _post_rows(self, where: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """The posts rows matching ``where``, as ``codec.PostRow``s."""
        cursor = self._db.execute(f"{codec.POST_SELECT} WHERE {where}", params)
        cursor.row_factory = codec.post_row
        return cursor

    def _row(self, local_id: str) -> codec.PostRow | None:
        return self._post_rows("local_id = ?", (local_id,)).fetchone()

    def _decode(self, row: codec.PostRow) -> Post:
        try:
            return codec.decode_post(row)
        except (ValueError, TypeError, KeyError) as e:  # JSONDecodeError is a ValueError
            raise CorruptStoreError(self._path, f"post {row.local_id!r} cannot be read: {e}") from e

    def _record_of(self, row: codec.PostRow) -> StoredPost:
        conflict = row.conflict_remote
        return StoredPost(
            post=self._decode(row),
            deleted=bool(row.deleted),
            remote_account_ids=codec.ids_from_json(row.remote_account_ids),
            conflict_remote=None if conflict is None else codec.post_from_json(conflict),
            local_updated_at=codec.from_us(row.local_updated_us),  # type: ignore[arg-type]
        )

    def _posts(self, where: str, params: tuple[Any, ...] = (), order: str = "scheduled_us, local_id") -> list[Post]:
        with self._lock:
            rows = self._post_rows(f"{where} ORDER BY {order}", params).fetchall()
        return [self._decode(r) for r in rows]

    def _entries_for(self, local_id: str) -> list[OutboxEntry]:
        rows = self._db.execute(_ENTRY_SELECT + " WHERE local_id = ? ORDER BY seq", (local_id,)).fetchall()
        return [_entry(r) for r in rows]

    def _main_entry(self, local_id: str) -> OutboxEntry | None:
        row = self._db.execute(_ENTRY_SELECT + " WHERE local_id = ? AND op != 'retry'", (local_id,)).fetchone()
        return None if row is None else _entry(row)

    def _entry_by_seq(self, seq: int) -> OutboxEntry | None:
        row = self._db.execute(_ENTRY_SELECT + " WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else _entry(row)

    def _require(self, local_id: str) -> codec.PostRow:
        row = self._row(local_id)
        if row is None:
            raise UnknownPostError(local_id)
        return row

    def _refresh_sync_state(self, local_id: str) -> None:
        """Derive sync_state from the row and its entries, so it can never disagree with the outbox."""
        row = self._db.execute("SELECT conflict_remote FROM posts WHERE local_id = ?", (local_id,)).fetchone()
        if row is None:
            return
        entries = self._db.execute(
            "SELECT coalesce(sum(parked), 0) AS parked, count(*) AS total FROM outbox WHERE local_id = ?", (local_id,)
        ).fetchone()
        if row["conflict_remote"] is not None:
            state = SyncState.CONFLICT
        elif entries["parked"]:
            state = SyncState.REJECTED
        elif entries["total"]:
            state = SyncState.PENDING
        else:
            state = SyncState.SYNCED
        if state in (SyncState.CONFLICT, SyncState.REJECTED):
            self._db.execute("UPDATE posts SET sync_state = ? WHERE local_id = ?", (state.value, local_id))
        else:
            self._db.execute(
                "UPDATE posts SET sync_state = ?, sync_error = '' WHERE local_id = ?", (state.value, local_id)
            )

    def _touch_main_entry(self, local_id: str, op: str, now: int) -> None:
        """Coalesce a user edit into the post's one create/update/delete entry (or start one)."""
        main = self._main_entry(local_id)
        if main is None:
            self._db.execute(
                "INSERT INTO outbox (local_id, op, created_us) VALUES (?, ?, ?)", (local_id, op, now)
            )
        else:
            # a new edit deserves a prompt push: clear any backoff and un-park a rejected entry
            self._db.execute(
                "UPDATE outbox SET op = ?, edits = edits + 1, parked = 0, next_attempt_us = NULL WHERE seq = ?",
                (op, main.seq),
            )
        self._queued()

    def _claim_late_id(self, local_id: str, late_id: str) -> None:
        """Give ``late_id`` to ``local_id``; a pulled copy of the same Late post (no local edits) is merged away.

        Happens when a pull saw our post before the create's answer arrived, or a 409 adopted an existing post.
        """
        other = self._db.execute(
            "SELECT local_id, conflict_remote FROM posts WHERE late_id = ? AND local_id != ?", (late_id, local_id)
        ).fetchone()
        if other is not None:
            other_id = other["local_id"]
            has_entries = self._db.execute("SELECT 1 FROM outbox WHERE local_id = ?", (other_id,)).fetchone()
            if has_entries or other["conflict_remote"] is not None:
                raise DuplicateLateIdError(
                    f"Late post {late_id} is already held by local post {other_id} with unpushed edits"
                )
            self._db.execute("DELETE FROM posts WHERE local_id = ?", (other_id,))
            self._record(removed=(other_id,))
        self._db.execute("UPDATE posts SET late_id = ? WHERE local_id = ?", (late_id, local_id))

    def _write_content(self, local_id: str, post: Post, extra: dict[str, Any]) -> None:
        enc = codec.encode_post(post)
        values = {c: enc[c] for c in codec.CONTENT_COLUMNS}
        values.update(extra)
        sets = ", ".join(f"{c} = :{c}" for c in values)
        self._db.execute(f"UPDATE posts SET {sets} WHERE local_id = :_id", {**values, "_id": local_id})

    def _insert(self, post: Post, *, key: str, sync_state: str, remote_account_ids: list[str] | None) -> None:
        enc = codec.encode_post(post)
        enc.update(
            idempotency_key=key,
            sync_state=sync_state,
            sync_error="",
            remote_account_ids=codec.ids_to_json(remote_account_ids),
            local_updated_us=self._now_us(),
        )
        cols = ", ".join(enc)
        self._db.execute(f"INSERT INTO posts ({cols}) VALUES ({', '.join(':' + c for c in enc)})", enc)

    # ------------------------------------------------------------------ queries

    def get_post(self, local_id: str, *, include_deleted: bool = False) -> Post | None:
        with self._lock:
            row = self._row(local_id)
        if row is None or (row.deleted and not include_deleted):
            return None
        return self._decode(row)

    def get_record(self, local_id: str) -> StoredPost | None:
        """The post with its store-side columns, tombstones included (for the sync engine)."""
        with self._lock:
            row = self._row(local_id)
        return None if row is None else self._record_of(row)

    def get_by_late_id(self, late_id: str, *, include_deleted: bool = False) -> Post | None:
        where = "late_id = ?" if include_deleted else f"late_id = ? AND {_NOT_DELETED}"
        posts = self._posts(where, (late_id,))
        return posts[0] if posts else None

    def has_conflicts(self) -> bool:
        """Whether any live post waits for the user to choose between its version and Late's."""
        with self._lock:
            row = self._db.execute(
                f"SELECT 1 FROM posts WHERE conflict_remote IS NOT NULL AND {_NOT_DELETED} LIMIT 1"
            ).fetchone()
        return row is not None

    def posts_between(self, start_utc: datetime, end_utc: datetime) -> list[Post]:
        """Live posts with ``start_utc <= scheduled_for < end_utc``, by time."""
        return self._posts(
            f"{_NOT_DELETED} AND scheduled_us >= ? AND scheduled_us < ?", (codec.to_us(start_utc), codec.to_us(end_utc))
        )

    def late_ids_between(self, start_utc: datetime, end_utc: datetime) -> list[tuple[str, str]]:
        """(local id, Late id) of the live posts on Late with ``start_utc <= scheduled_for < end_utc``, by time: a
        pull's check for posts missing from a listing, without reading the posts."""
        with self._lock:
            return self._db.execute(
                f"SELECT local_id, late_id FROM posts WHERE {_NOT_DELETED} AND late_id IS NOT NULL "
                "AND scheduled_us >= ? AND scheduled_us < ? ORDER BY scheduled_us, local_id",
                (codec.to_us(start_utc), codec.to_us(end_utc))).fetchall()

    def due_times_on_late(self, statuses: Iterable[str], due_before: datetime) -> list[datetime]:
        """The times, in order, of the live posts on Late in any of ``statuses`` scheduled before ``due_before``:
        where a pull must look for what Late did with them (no post is read)."""
        wanted = sorted(set(statuses))
        with self._lock:
            rows = self._db.execute(
                f"SELECT scheduled_us FROM posts WHERE {_NOT_DELETED} AND late_id IS NOT NULL "
                f"AND status IN ({', '.join('?' * len(wanted))}) AND scheduled_us < ? ORDER BY scheduled_us",
                (*wanted, codec.to_us(due_before))).fetchall()
        return [codec.from_us(row[0]) for row in rows]  # type: ignore[misc]

    def posts_with_status(self, statuses: Iterable[str], due_before: datetime | None = None) -> list[Post]:
        """Live posts in any of ``statuses``; with ``due_before``, only those scheduled before it."""
        wanted = sorted(set(statuses))
        if not wanted:
            return []
        where = f"{_NOT_DELETED} AND status IN ({', '.join('?' * len(wanted))})"
        params: tuple[Any, ...] = tuple(wanted)
        if due_before is not None:
            where += " AND scheduled_us < ?"
            params += (codec.to_us(due_before),)
        return self._posts(where, params)

    def unsent_schedules_due_before(self, when: datetime) -> list[Post]:
        """Live posts scheduled here before ``when`` whose schedule has not reached Late (the Missed candidates:
        a handful, where every past-due scheduled post could be thousands)."""
        return self._posts(f"{_NOT_DELETED} AND status = 'scheduled' AND sync_state = 'pending' AND scheduled_us < ?",
                           (codec.to_us(when),))

    def posts_needing_attention(self) -> list[Post]:
        """Live posts that are or may become problems (core/problems.py): failed, partly published or publishing,
        refused or in conflict, and those scheduled here whose schedule has not reached Late yet."""
        return self._posts(
            f"{_NOT_DELETED} AND (status IN ('failed', 'partial', 'publishing') "
            "OR sync_state IN ('rejected', 'conflict') OR (status = 'scheduled' AND sync_state = 'pending'))"
        )

    def unscheduled_drafts(self) -> list[Post]:
        """Live posts without a time (whatever their status), most recently edited first."""
        return self._posts(f"{_NOT_DELETED} AND {_UNSCHEDULED}", order=_UNSCHEDULED_ORDER)

    def unscheduled_draft_ids(self) -> list[str]:
        """The ids of ``unscheduled_drafts()``, in its order, without reading the posts (an index scan)."""
        with self._lock:
            rows = self._db.execute(f"SELECT local_id FROM posts WHERE {_NOT_DELETED} AND {_UNSCHEDULED} "
                                    f"ORDER BY {_UNSCHEDULED_ORDER}").fetchall()
        return [row[0] for row in rows]

    def all_posts(self, *, include_deleted: bool = False) -> list[Post]:
        return self._posts("1" if include_deleted else _NOT_DELETED)

    def count(self, *, include_deleted: bool = False) -> int:
        with self._lock:
            sql = "SELECT count(*) AS n FROM posts" + ("" if include_deleted else f" WHERE {_NOT_DELETED}")
            return self._db.execute(sql).fetchone()["n"]

    def outbox_entries(self, local_id: str | None = None) -> list[OutboxEntry]:
        """Every entry, parked ones included, in push order."""
        with self._lock:
            if local_id is not None:
                return self._entries_for(local_id)
            return [_entry(r) for r in self._db.execute(_ENTRY_SELECT + " ORDER BY seq").fetchall()]

    def pending_entries(self, now: datetime | None) -> list[OutboxEntry]:
        """Entries ready to push at ``now``, in order: not parked, not backing off, post not in conflict.
        ``now`` None: backing off or not (the push measures the wait itself, on the monotonic clock)."""
        with self._lock:
            rows = self._db.execute(
                _ENTRY_SELECT.replace("FROM outbox", "FROM outbox AS o")
                + " WHERE parked = 0 AND (? IS NULL OR next_attempt_us IS NULL OR next_attempt_us <= ?)"
                " AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.local_id = o.local_id"
                " AND p.conflict_remote IS NOT NULL) ORDER BY seq",
                (codec.to_us(now), codec.to_us(now)),
            ).fetchall()
        return [_entry(r) for r in rows]

    # ------------------------------------------------------------------ user edits

    def save_post(self, post: Post, *, initiator: object | None = None) -> Post:
        """Insert or update a post as the user edited it and queue its push, in one durable transaction.

        The user's content is taken from ``post``; the store-managed fields (late_id, idempotency_key,
        remote_updated_at, sync_state, sync_error) come from the stored row, because the editor's copy may
        be older than a push that finished meanwhile. Returns the post as stored.
        """
        if not isinstance(post, Post):
            raise TypeError(f"save_post needs a Post, got {type(post).__name__}")
        local_id = post.local_id
        with self._write(durable=True, initiator=initiator):
            now = self._now_us()
            row = self._row(local_id)
            if row is None:
                if post.late_id is not None and self.get_by_late_id(post.late_id, include_deleted=True):
                    raise DuplicateLateIdError(f"Late post {post.late_id} is already in the store")
                self._insert(post, key=post.idempotency_key or new_idempotency_key(), sync_state=SyncState.PENDING,
                             remote_account_ids=None)
                late_id = post.late_id
            else:
                late_id, key, deleted = row.late_id, row.idempotency_key, row.deleted
                enc = codec.encode_post(post)
                unchanged = all(enc[c] == getattr(row, c) for c in codec.CONTENT_COLUMNS)
                if unchanged and not deleted and not self._entries_for(local_id):
                    return self._decode(row)  # nothing to push: saving an untouched post is a no-op
                self._write_content(
                    local_id, post, {"idempotency_key": key or new_idempotency_key(), "deleted": 0,
                                     "local_updated_us": now}
                )
            self._touch_main_entry(local_id, Op.CREATE if late_id is None else Op.UPDATE, now)
            self._refresh_sync_state(local_id)
            self._record(changed=(local_id,))
            return self._decode(self._require(local_id))

    def delete_post(self, local_id: str, *, initiator: object | None = None) -> ChangeSet:
        """Delete a post. Never pushed (its create not even attempted) → it vanishes with its entry;
        otherwise it becomes a tombstone with a delete entry. Deleting a missing or deleted post is a no-op."""
        with self._write(durable=True, initiator=initiator):
            row = self._row(local_id)
            if row is None or row.deleted:
                return ChangeSet()
            main = self._main_entry(local_id)
            never_pushed = row.late_id is None and (main is None or (main.op == Op.CREATE and main.attempts == 0))
            if never_pushed:
                self._db.execute("DELETE FROM posts WHERE local_id = ?", (local_id,))  # cascades to the outbox
                return self._record(removed=(local_id,))
            now = self._now_us()
            self._db.execute(
                "UPDATE posts SET deleted = 1, conflict_remote = NULL, local_updated_us = ? WHERE local_id = ?",
                (now, local_id),
            )
            self._db.execute("DELETE FROM outbox WHERE local_id = ? AND op = 'retry'", (local_id,))
            self._touch_main_entry(local_id, Op.DELETE, now)
            self._refresh_sync_state(local_id)
            return self._record(removed=(local_id,))

    def cancel_delete(
        self, before: StoredPost, entries: list[OutboxEntry], *, initiator: object | None = None
    ) -> Post | None:
        """Undo ``delete_post`` while Late cannot have acted on the delete: the post comes back exactly as it
        was, with its conflict and its queued pushes as they stood (``before``: its record then; ``entries``:
        its outbox entries then). Also after Late refused the delete (the post is on Late as it was). None when
        the delete may have reached Late: bringing the post back is then a new edit."""
        local_id = before.post.local_id
        main_before = next((e for e in entries if e.op != Op.RETRY), None)
        with self._write(durable=True, initiator=initiator):
            row = self._row(local_id)
            if row is None:
                # ``delete_post`` drops the row of a post whose create was never tried; any other missing row
                # is a delete that went through
                never_tried = before.post.late_id is None and (
                    main_before is None or (main_before.op == Op.CREATE and main_before.attempts == 0))
                if not never_tried:
                    return None
                self._insert(before.post, key=before.post.idempotency_key, sync_state=SyncState.PENDING,
                             remote_account_ids=None)
                self._restore_entries(local_id, None, entries)
            else:
                main = self._main_entry(local_id)
                if main is None or main.op != Op.DELETE:
                    return None
                sent = self._db.execute(
                    "SELECT delete_sent FROM outbox WHERE seq = ?", (main.seq,)).fetchone()["delete_sent"]
                if sent and not main.parked:  # a delete attempt began, and Late did not refuse it
                    return None
                conflict = before.conflict_remote
                self._db.execute(
                    "UPDATE posts SET deleted = 0, conflict_remote = ?, sync_error = ?, local_updated_us = ? "
                    "WHERE local_id = ?",
                    (None if conflict is None else codec.post_to_json(conflict), before.post.sync_error,
                     codec.to_us(before.local_updated_at), local_id),
                )
                self._restore_entries(local_id, main, entries, has_late_id=row.late_id is not None)
            self._refresh_sync_state(local_id)
            self._record(changed=(local_id,))
            return self._decode(self._require(local_id))

    def _restore_entries(self, local_id: str, main: OutboxEntry | None, entries: list[OutboxEntry], *,
                         has_late_id: bool = False) -> None:
        """Put the post's outbox back as ``entries`` were; ``main`` (the delete they became) keeps its place in
        the queue as the earlier create or update, or goes when there was none."""
        self._db.execute("DELETE FROM outbox WHERE local_id = ? AND op = 'retry'", (local_id,))
        for e in entries:
            op = Op.UPDATE if e.op == Op.CREATE and has_late_id else e.op  # its create finished meanwhile
            values = (op, 0 if op != e.op else e.attempts, codec.to_us(e.next_attempt_at), e.last_error, e.edits,
                      int(e.parked))
            if main is not None and e.op != Op.RETRY:
                self._db.execute(
                    "UPDATE outbox SET op = ?, attempts = ?, next_attempt_us = ?, last_error = ?, edits = ?, "
                    "parked = ?, delete_sent = 0 WHERE seq = ?", (*values, main.seq))
                main = None
            else:
                self._db.execute(
                    "INSERT INTO outbox (op, attempts, next_attempt_us, last_error, edits, parked, local_id, "
                    "created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*values, local_id, codec.to_us(e.created_at)))
        if main is not None:  # nothing was queued before the delete
            self._db.execute("DELETE FROM outbox WHERE seq = ?", (main.seq,))
        if entries:
            self._queued()

    def request_retry(self, local_id: str, *, initiator: object | None = None) -> ChangeSet:
        """Queue Late's retry (failed platforms only) for a post that exists on Late."""
        with self._write(durable=True, initiator=initiator):
            row = self._require(local_id)
            if row.deleted:
                raise UnknownPostError(local_id)
            if row.late_id is None:
                raise StoreError(f"post {local_id} is not on Late yet, so it cannot be retried")
            self._db.execute(
                "INSERT INTO outbox (local_id, op, created_us) VALUES (?, 'retry', ?) "
                "ON CONFLICT (local_id) WHERE op = 'retry' "
                "DO UPDATE SET edits = edits + 1, parked = 0, next_attempt_us = NULL",
                (local_id, self._now_us()),
            )
            self._queued()
            self._refresh_sync_state(local_id)
            return self._record(changed=(local_id,))

    # ------------------------------------------------------------------ diagnostics

    def check_integrity(self) -> list[str]:
        """Problems found by SQLite's integrity and foreign-key checks and by the outbox invariants; [] if none."""
        with self._lock:
            db = self._db
            problems = [r["integrity_check"] for r in db.execute("PRAGMA integrity_check")
                        if r["integrity_check"] != "ok"]
            problems += [f"foreign key violation in {r['table']} row {r['rowid']}"
                         for r in db.execute("PRAGMA foreign_key_check")]
            rows = db.execute(
                "SELECT p.local_id, p.late_id, p.deleted, p.sync_state, p.conflict_remote IS NOT NULL AS conflict, "
                "o.op, o.parked, o.attempts, "
                "(SELECT count(*) FROM outbox r WHERE r.local_id = p.local_id) AS total, "
                "(SELECT count(*) FROM outbox r WHERE r.local_id = p.local_id AND r.parked = 1) AS n_parked "
                "FROM posts p LEFT JOIN outbox o ON o.local_id = p.local_id AND o.op != 'retry'"
            ).fetchall()
        for row in rows:
            problems += [f"post {row['local_id']}: {p}" for p in _broken_invariants(row)]
            try:
                self.get_record(row["local_id"])
            except StoreError as e:
                problems.append(str(e))
        return problems


def _broken_invariants(row: sqlite3.Row) -> list[str]:
    """What is wrong with one post and its main outbox entry (a row of ``check_integrity``'s query)."""
    late_id, deleted, op = row["late_id"], row["deleted"], row["op"]
    problems = []
    if op == Op.CREATE and late_id is not None:
        problems.append(f"create entry although it has Late id {late_id}")
    if op == Op.UPDATE and late_id is None:
        problems.append("update entry without a Late id")
    if op == Op.DELETE and late_id is None and not row["attempts"]:
        problems.append("delete entry for a create that was never attempted")
    if deleted and op != Op.DELETE:
        problems.append("deleted without a delete entry")
    if op == Op.DELETE and not row["parked"] and not deleted:
        problems.append("delete entry for a post that is not deleted")
    if op is None and late_id is None:
        problems.append("not on Late and nothing queued to create it")
    expected = (SyncState.CONFLICT if row["conflict"] else SyncState.REJECTED if row["n_parked"] else
                SyncState.PENDING if row["total"] else SyncState.SYNCED)
    if row["sync_state"] != expected:
        problems.append(f"sync_state {row['sync_state']!r}, expected {expected!r}")
    return problems
