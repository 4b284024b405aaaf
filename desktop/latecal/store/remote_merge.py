"""Applying what the sync engine read from Late: insert or refresh pulled posts, record and resolve conflicts,
drop posts deleted on Late. The engine decides the policy; these steps apply it atomically.

A mixin of :class:`latecal.store.Store`: it uses the store's transaction and row helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from latecal.core.models import MediaItem, Post, new_local_id
from latecal.core.status import DELETED_ON_LATE, SyncState
from latecal.store import codec
from latecal.store.errors import PendingEditsError, StoreError
from latecal.store.records import ChangeSet, Op

#: late ids looked up in one query (far below any SQLite's limit on bound parameters)
_IDS_PER_LOOKUP = 500
_REFRESHED = ", ".join(f"{c} = ?" for c in (*codec.CONTENT_COLUMNS, "remote_updated_us", "idempotency_key",
                                             "remote_account_ids", "local_updated_us"))
_REFRESH_SQL = (f"UPDATE posts SET {_REFRESHED}, sync_state = 'synced', sync_error = '' "
                "WHERE local_id = ? AND deleted = 0 AND conflict_remote IS NULL")
_INSERTED = (*codec.POST_COLUMNS, "remote_account_ids", "local_updated_us")
_INSERT_SQL = f"INSERT INTO posts ({', '.join(_INSERTED)}) VALUES ({', '.join('?' * len(_INSERTED))})"


@dataclass(slots=True)
class LocalCopy:
    """The stored row of a post Late listed, with whether it has unpushed edits: what a pull decides on, read
    for a whole slice of a page in one query (``Store.local_copies``)."""

    row: codec.PostRow
    has_entries: bool
    decoded: Post | None = None  # the row's post, once read (``Store.local_post``)

    @property
    def local_id(self) -> str:
        return self.row.local_id

    @property
    def deleted(self) -> bool:
        return bool(self.row.deleted)

    @property
    def in_conflict(self) -> bool:
        return self.row.conflict_remote is not None

    @property
    def remote_updated_at(self) -> datetime | None:
        return codec.from_us(self.row.remote_updated_us)

    @property
    def status(self) -> str:
        return self.row.status

    @property
    def holds_local_text(self) -> bool:
        """Whether the copy holds anything a pull keeps from it (hashtags, a platform's own text, the local path of
        an upload): without any, Late's version is taken as it is, and the row need not be read into a post."""
        row = self.row
        return row.hashtags != "[]" or '"custom_content"' in row.targets or '"local_path"' in row.media


@dataclass(slots=True)
class PulledWrites:
    """Rows a slice of a pull writes, each post encoded once (``Store.stage_pulled``), written with two
    ``executemany`` (``Store.write_pulled``)."""

    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    refreshes: list[tuple[Any, ...]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    now_us: int | None = None  # the slice's one local_updated time

    def __bool__(self) -> bool:
        return bool(self.ids)


class RemoteMerge:

    # ------------------------------------------------------------------ a pull's slices, in bulk

    def local_copies(self, late_ids: Iterable[str]) -> dict[str, LocalCopy]:
        """The stored rows (tombstones included) of these Late posts, by late id; run it inside the batch that
        writes the slice, so nothing changes between the reading and the writing."""
        wanted = list(dict.fromkeys(late_ids))
        copies: dict[str, LocalCopy] = {}
        with self._lock:
            for first in range(0, len(wanted), _IDS_PER_LOOKUP):
                chunk = wanted[first:first + _IDS_PER_LOOKUP]
                cursor = self._db.execute(
                    f"{codec.POST_SELECT.replace(' FROM posts', '')}, "
                    "EXISTS (SELECT 1 FROM outbox o WHERE o.local_id = posts.local_id) "
                    f"FROM posts WHERE late_id IN ({', '.join('?' * len(chunk))})", tuple(chunk))
                cursor.row_factory = _local_copy
                copies.update((c.row.late_id, c) for c in cursor)
        return copies

    def local_post(self, copy: LocalCopy) -> Post:
        """The post a local copy holds, read once (CorruptStoreError when its row cannot be read). Shared: do not
        mutate it."""
        if copy.decoded is None:
            copy.decoded = self._decode(copy.row)
        return copy.decoded

    def conflict_version(self, copy: LocalCopy) -> Post | None:
        """Late's version kept while the post is in conflict."""
        return None if copy.row.conflict_remote is None else codec.post_from_json(copy.row.conflict_remote)

    def stage_pulled(self, writes: PulledWrites, post: Post, copy: LocalCopy | None) -> bool:
        """Add Late's ``post`` to ``writes``: a new row (``copy`` None; the post carries its new local id) or a
        refresh of a copy without unpushed edits, keeping its local media paths. False (nothing staged) when the
        copy already holds exactly this."""
        if not post.late_id:
            raise ValueError("a remote post needs its late_id")
        accounts = codec.ids_to_json(post.account_ids)
        if writes.now_us is None:
            writes.now_us = self._now_us()
        now = writes.now_us
        if copy is None:
            enc = codec.encode_post(post)
            enc["sync_state"], enc["sync_error"] = SyncState.SYNCED.value, ""
            writes.inserts.append((*(enc[c] for c in codec.POST_COLUMNS), accounts, now))
            writes.ids.append(post.local_id)
            return True
        row = copy.row
        if copy.holds_local_text:
            post = _with_local_paths(post, self.local_post(copy).media)
        enc = codec.encode_post(post)
        if (all(enc[c] == getattr(row, c) for c in codec.CONTENT_COLUMNS)
                and enc["remote_updated_us"] == row.remote_updated_us and accounts == row.remote_account_ids):
            return False
        writes.refreshes.append((*(enc[c] for c in codec.CONTENT_COLUMNS), enc["remote_updated_us"],
                                 row.idempotency_key or post.idempotency_key, accounts, now, row.local_id))
        writes.ids.append(row.local_id)
        return True

    def write_pulled(self, writes: PulledWrites, *, initiator: object | None = None) -> ChangeSet:
        """Write what ``stage_pulled`` staged: two statements whatever the slice's size. All or nothing (a
        savepoint inside a batch). A refresh only lands on a row still live, unedited and out of conflict."""
        with self._write(durable=False, initiator=initiator):
            if writes.inserts:
                self._db.executemany(_INSERT_SQL, writes.inserts)
            if writes.refreshes:
                self._db.executemany(_REFRESH_SQL, writes.refreshes)
            return self._record(changed=writes.ids)

    # ------------------------------------------------------------------ one post at a time

    def upsert_remote(self, post: Post, *, initiator: object | None = None) -> ChangeSet:
        """Insert or refresh, by late_id, a post read from Late. Refuses (PendingEditsError) when the local
        copy has unpushed edits, is deleted locally or is in conflict: the engine decides with mark_conflict.
        An identical copy is a no-op with an empty change set."""
        if not post.late_id:
            raise ValueError("a remote post needs its late_id")
        with self._write(durable=False, initiator=initiator):
            row = self._post_rows("late_id = ?", (post.late_id,)).fetchone()
            accounts = codec.ids_to_json(post.account_ids)
            if row is None:
                local_id = post.local_id if self._row(post.local_id) is None else new_local_id()
                if local_id != post.local_id:
                    post = replace(post, local_id=local_id)
                self._insert(post, key=post.idempotency_key, sync_state=SyncState.SYNCED,
                             remote_account_ids=post.account_ids)
                return self._record(changed=(local_id,))
            local_id = row.local_id
            if row.deleted or row.conflict_remote is not None or self._entries_for(local_id):
                raise PendingEditsError(f"post {local_id} (Late {post.late_id}) has unpushed local edits")
            post = _with_local_paths(post, self._decode(row).media)
            enc = codec.encode_post(post)
            same = all(enc[c] == getattr(row, c) for c in codec.CONTENT_COLUMNS) and (
                enc["remote_updated_us"] == row.remote_updated_us and accounts == row.remote_account_ids
            )
            if same:
                return ChangeSet()
            self._write_content(
                local_id,
                post,
                {
                    "remote_updated_us": enc["remote_updated_us"],
                    "idempotency_key": row.idempotency_key or post.idempotency_key,
                    "remote_account_ids": accounts,
                    "sync_state": SyncState.SYNCED.value,
                    "sync_error": "",
                    "local_updated_us": self._now_us(),
                },
            )
            return self._record(changed=(local_id,))

    def mark_conflict(self, local_id: str, remote: Post, message: str, *, initiator: object | None = None) -> ChangeSet:
        """Late changed the post while it had local edits: keep both, stop pushing it until resolved."""
        with self._write(durable=True, initiator=initiator):
            row = self._require(local_id)
            self._db.execute(
                "UPDATE posts SET conflict_remote = ?, sync_error = ? WHERE local_id = ?",
                (codec.post_to_json(remote), message, local_id),
            )
            self._refresh_sync_state(local_id)
            if row.deleted:
                return self._record(removed=(local_id,))
            return self._record(changed=(local_id,))

    def resolve_conflict(
        self, local_id: str, keep: Literal["local", "remote"], *, initiator: object | None = None
    ) -> ChangeSet:
        """``local``: the local version is pushed over Late's. ``remote``: Late's version replaces the local
        one and the pending edits are dropped (Late deleted it: the post goes here too). Do not call while a
        push of this post is in flight."""
        if keep not in ("local", "remote"):
            raise ValueError(f"keep must be 'local' or 'remote', not {keep!r}")
        with self._write(durable=True, initiator=initiator):
            row = self._require(local_id)
            if row.conflict_remote is None:
                raise StoreError(f"post {local_id} is not in conflict")
            remote = codec.post_from_json(row.conflict_remote)
            if keep == "remote" and remote.status == DELETED_ON_LATE:  # Late's side is that it is gone
                self._db.execute("DELETE FROM posts WHERE local_id = ?", (local_id,))  # its entries cascade
                return self._record(removed=(local_id,))
            deleted = bool(row.deleted)
            now = self._now_us()
            if remote.late_id and remote.late_id != row.late_id:
                self._claim_late_id(local_id, remote.late_id)
            late_id = remote.late_id or row.late_id
            accounts = codec.ids_to_json(remote.account_ids)
            if keep == "local":
                self._db.execute(
                    "UPDATE posts SET conflict_remote = NULL, sync_error = '', remote_updated_us = ?, "
                    "remote_account_ids = ?, local_updated_us = ? WHERE local_id = ?",
                    (codec.to_us(remote.remote_updated_at), accounts, now, local_id),
                )
                op = Op.DELETE if deleted else (Op.CREATE if late_id is None else Op.UPDATE)
                self._touch_main_entry(local_id, op, now)
            else:
                self._db.execute("DELETE FROM outbox WHERE local_id = ?", (local_id,))
                remote = _with_local_paths(remote, self._decode(row).media)
                self._write_content(
                    local_id,
                    remote,
                    {
                        "remote_updated_us": codec.to_us(remote.remote_updated_at),
                        "deleted": 0,
                        "conflict_remote": None,
                        "sync_error": "",
                        "remote_account_ids": accounts,
                        "local_updated_us": now,
                    },
                )
                deleted = False
            self._refresh_sync_state(local_id)
            return self._record(removed=(local_id,)) if deleted else self._record(changed=(local_id,))

    def remove_remote_deleted(self, local_id: str, *, initiator: object | None = None) -> ChangeSet:
        """Late no longer has the post: drop the row and its entries (the engine decided this is right)."""
        with self._write(durable=False, initiator=initiator):
            cur = self._db.execute("DELETE FROM posts WHERE local_id = ?", (local_id,))
            return self._record(removed=(local_id,)) if cur.rowcount else ChangeSet()


def _local_copy(_cursor: object, values: tuple[Any, ...]) -> LocalCopy:
    return LocalCopy(codec.PostRow._make(values[:-1]), bool(values[-1]))


def _with_local_paths(remote: Post, local: list[MediaItem]) -> Post:
    """Late does not know where an upload came from on this machine: keep our local_path per URL (on a copy)."""
    paths = {m.url: m.local_path for m in local if m.url and m.local_path}
    if not any(not m.local_path and m.url in paths for m in remote.media):
        return remote
    media = [replace(m, local_path=paths[m.url]) if not m.local_path and m.url in paths else m for m in remote.media]
    return replace(remote, media=media)
