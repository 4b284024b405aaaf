"""Applying what the sync engine read from Late: insert or refresh pulled posts, record and resolve conflicts,
drop posts deleted on Late. The engine decides the policy; these steps apply it atomically.

A mixin of :class:`latecal.store.Store`: it uses the store's transaction and row helpers.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from latecal.core.models import MediaItem, Post, new_local_id
from latecal.core.status import DELETED_ON_LATE, SyncState
from latecal.store import codec
from latecal.store.errors import PendingEditsError, StoreError
from latecal.store.records import ChangeSet, Op


class RemoteMerge:

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


def _with_local_paths(remote: Post, local: list[MediaItem]) -> Post:
    """Late does not know where an upload came from on this machine: keep our local_path per URL (on a copy)."""
    paths = {m.url: m.local_path for m in local if m.url and m.local_path}
    if not any(not m.local_path and m.url in paths for m in remote.media):
        return remote
    media = [replace(m, local_path=paths[m.url]) if not m.local_path and m.url in paths else m for m in remote.media]
    return replace(remote, media=media)
