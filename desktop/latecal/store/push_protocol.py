"""The push protocol the sync engine follows for each outbox entry: begin (recorded before any network I/O),
then finish or fail; plus the two steps of recreating a Late post under a new Idempotency-Key.

A mixin of :class:`latecal.store.Store`: it uses the store's transaction and row helpers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from latecal.core.models import Post, new_idempotency_key
from latecal.store import codec
from latecal.store.errors import StoreError
from latecal.store.records import ChangeSet, Op, OutboxEntry, PushToken

SENT_KEPT = 4  # fingerprints of recent attempts kept per pending change


class PushProtocol:

    def begin_push(self, entry: OutboxEntry) -> PushToken:
        """Record an attempt before any network I/O and return the token to finish or fail it with.

        Act on ``token.op`` (the entry may have been coalesced since it was listed) and read the post
        after this call. Beginning a create is durable: once a create may have reached Late, deleting the
        post must not make it vanish locally.
        """
        with self._lock:
            current = self._entry_by_seq(entry.seq)
            durable = current is not None and current.op == Op.CREATE
            with self._write(durable=durable):
                current = self._entry_by_seq(entry.seq)
                if current is None or current.local_id != entry.local_id:
                    raise StoreError(f"outbox entry {entry.seq} for post {entry.local_id} no longer exists")
                if current.parked:
                    raise StoreError(f"outbox entry {entry.seq} for post {entry.local_id} is parked")
                self._db.execute(
                    "UPDATE outbox SET attempts = attempts + 1, delete_sent = delete_sent OR op = 'delete' "
                    "WHERE seq = ?", (current.seq,))
                return PushToken(current.seq, current.local_id, current.op, current.edits, current.attempts + 1)

    def finish_push(
        self,
        token: PushToken,
        *,
        late_id: str | None = None,
        remote_post: Post | None = None,
        remote_account_ids: list[str] | None = None,
        initiator: object | None = None,
    ) -> ChangeSet:
        """Late accepted the push. The entry is removed unless the post was edited meanwhile (then it stays,
        a create becoming an update). A finished delete removes the tombstone. ``remote_post`` (Late's answer)
        refreshes the fields Late owns: status (unless edited meanwhile), publish times, per-target outcomes."""
        local_id = token.local_id
        with self._write(durable=token.op == Op.CREATE, initiator=initiator):
            row = self._row(local_id)
            if row is None:
                return ChangeSet()
            if late_id is not None and late_id != row.late_id:
                self._claim_late_id(local_id, late_id)
            elif token.op == Op.CREATE and row.late_id is None:
                raise ValueError("finish_push of a create needs the Late id of the created post")
            entry = self._entry_by_seq(token.seq)
            if entry is not None and entry.local_id != local_id:
                entry = None
            edited = entry is None or entry.edits != token.edits or entry.op != token.op
            if remote_account_ids is not None:
                self._db.execute(
                    "UPDATE posts SET remote_account_ids = ? WHERE local_id = ?",
                    (codec.ids_to_json(remote_account_ids), local_id),
                )
            if remote_post is not None:
                # status is the user's intent too: take Late's only when no newer local edit is queued
                include_status = not edited and (token.op != Op.RETRY or self._main_entry(local_id) is None)
                self._apply_remote_outcome(local_id, remote_post, include_status=include_status)
            if entry is not None:
                if token.op == Op.DELETE and entry.op == Op.DELETE:
                    self._db.execute("DELETE FROM posts WHERE local_id = ?", (local_id,))
                    return self._record(removed=(local_id,))
                if not edited:
                    self._db.execute("DELETE FROM outbox WHERE seq = ?", (entry.seq,))
                elif token.op == Op.DELETE:
                    # Late deleted the post while the user brought it back: it must be created anew, with a
                    # new key (the old one belongs to the deleted Late post).
                    self._db.execute(
                        "UPDATE posts SET late_id = NULL, remote_account_ids = NULL, idempotency_key = ? "
                        "WHERE local_id = ?",
                        (new_idempotency_key(), local_id),
                    )
                    self._db.execute(
                        "UPDATE outbox SET op = 'create', attempts = 0, last_error = '', next_attempt_us = NULL "
                        "WHERE seq = ?",
                        (entry.seq,),
                    )
                else:
                    # edited in flight: the newer content still has to go; a create is now an update
                    op = Op.UPDATE if entry.op == Op.CREATE else entry.op
                    self._db.execute(
                        "UPDATE outbox SET op = ?, attempts = 0, last_error = '', next_attempt_us = NULL WHERE seq = ?",
                        (op, entry.seq),
                    )
            self._refresh_sync_state(local_id)
            deleted = self._require(local_id).deleted
            return self._record(removed=(local_id,)) if deleted else self._record(changed=(local_id,))

    def fail_push(
        self,
        token: PushToken,
        error: str,
        *,
        retry_at: datetime | None,
        rejected: bool,
        late_id: str | None = None,
        initiator: object | None = None,
    ) -> ChangeSet:
        """The push failed. ``rejected`` (Late answered 400/403): the local edit is kept, the post shows
        Late's message and the entry is parked until the user edits again — unless the user already edited
        during the push, in which case the new content gets a fresh try. Transient: the entry stays and
        backs off until ``retry_at``. ``late_id`` records a Late post learned during the attempt (a
        replayed create before a failed delete). A rejected delete brings the post back with the message."""
        local_id = token.local_id
        with self._write(durable=False, initiator=initiator):
            row = self._row(local_id)
            if row is None:
                return ChangeSet()
            if late_id is not None and late_id != row.late_id:
                self._claim_late_id(local_id, late_id)
                row = self._require(local_id)
            entry = self._entry_by_seq(token.seq)
            if entry is None or entry.local_id != local_id:
                self._refresh_sync_state(local_id)
                return ChangeSet()
            edited = entry.edits != token.edits or entry.op != token.op
            if rejected and not edited:
                if token.op == Op.DELETE and row.late_id is None:
                    # the replayed create was refused, so nothing exists on Late: the delete is complete
                    self._db.execute("DELETE FROM posts WHERE local_id = ?", (local_id,))
                    return self._record(removed=(local_id,))
                self._db.execute(
                    "UPDATE outbox SET parked = 1, last_error = ?, next_attempt_us = NULL WHERE seq = ?",
                    (error, entry.seq),
                )
                # a refused delete un-hides the post so the user sees why; deleting again retries it
                self._db.execute("UPDATE posts SET sync_error = ?, deleted = 0 WHERE local_id = ?", (error, local_id))
            elif rejected:
                self._db.execute(
                    "UPDATE outbox SET last_error = ?, next_attempt_us = NULL WHERE seq = ?", (error, entry.seq)
                )
            else:
                self._db.execute(
                    "UPDATE outbox SET last_error = ?, next_attempt_us = ? WHERE seq = ?",
                    (error, codec.to_us(retry_at), entry.seq),
                )
            self._refresh_sync_state(local_id)
            deleted = self._require(local_id).deleted
            return self._record(removed=(local_id,)) if deleted else self._record(changed=(local_id,))

    def learn_late_id(self, token: PushToken, late_id: str) -> None:
        """Keep the Late id a push learned midway (a replayed create before a delete), durably and before
        anything else is sent for the post: a crash after that never has to replay the create again."""
        with self._write(durable=True):
            row = self._row(token.local_id)
            if row is not None and row.late_id != late_id:
                self._claim_late_id(token.local_id, late_id)

    def detach_for_recreate(self, token: PushToken) -> PushToken | None:
        """After the old Late post of an update was deleted (a change of accounts, or it vanished on Late):
        forget its Late id, mint a new Idempotency-Key and turn the entry into a create — atomically and
        durably, so a crash at any point either deletes again (a 404 is fine) or replays this very create.
        Returns the token of the create push, already begun; None when the user deleted the post meanwhile
        (its Late post is gone, so that delete is done too)."""
        with self._lock, self._write(durable=True):
            entry = self._entry_by_seq(token.seq)
            if entry is None or entry.local_id != token.local_id:
                raise StoreError(f"outbox entry {token.seq} for post {token.local_id} no longer exists")
            if entry.op == Op.DELETE:
                self._db.execute("DELETE FROM posts WHERE local_id = ?", (token.local_id,))  # its entries cascade
                self._record(removed=(token.local_id,))
                return None
            self._db.execute(
                "UPDATE posts SET late_id = NULL, remote_account_ids = NULL, idempotency_key = ?, "
                "remote_updated_us = NULL WHERE local_id = ?",
                (new_idempotency_key(), token.local_id),
            )
            self._db.execute(
                "UPDATE outbox SET op = 'create', attempts = 1, last_error = '', next_attempt_us = NULL "
                "WHERE seq = ?",
                (entry.seq,),
            )
            return PushToken(entry.seq, entry.local_id, Op.CREATE.value, entry.edits, 1)

    def note_sent(self, token: PushToken, fingerprint: str) -> None:
        """Record what a create/update is about to send, before it is sent (see ``sent_fingerprints``)."""
        with self._write(durable=False):
            row = self._db.execute("SELECT sent_fp FROM outbox WHERE seq = ?", (token.seq,)).fetchone()
            sent = [f for f in (row["sent_fp"] or "").split() if f != fingerprint] if row else []
            sent = [*sent, fingerprint][-SENT_KEPT:]
            self._db.execute("UPDATE outbox SET sent_fp = ? WHERE seq = ?", (" ".join(sent), token.seq))

    def sent_fingerprints(self, local_id: str) -> frozenset[str]:
        """The fingerprints of what the attempts of the post's pending change sent: Late may hold any of them
        (an answer lost, a create replayed and then updated, an update that failed after Late saved it)."""
        with self._lock:
            row = self._db.execute(
                "SELECT sent_fp FROM outbox WHERE local_id = ? AND op != 'retry' AND attempts > 0", (local_id,)
            ).fetchone()
        return frozenset((row["sent_fp"] or "").split()) if row else frozenset()

    def conflict_in_push(self, token: PushToken, remote: Post, message: str, *, late_id: str,
                         initiator: object | None = None) -> ChangeSet:
        """A push found Late's copy changed by someone else: keep both versions for the user to choose, as a
        pull does (``mark_conflict``). The post takes its Late id and its queued change becomes an update, which
        waits (``pending_entries`` skips posts in conflict) until ``resolve_conflict``."""
        local_id = token.local_id
        with self._write(durable=True, initiator=initiator):
            row = self._require(local_id)
            if late_id != row.late_id:
                self._claim_late_id(local_id, late_id)
            entry = self._entry_by_seq(token.seq)
            if row.deleted or entry is None or entry.op == Op.DELETE:
                return self._record()  # the user deleted it meanwhile: the delete goes on, now knowing its Late id
            self._db.execute(
                "UPDATE outbox SET op = CASE op WHEN 'create' THEN 'update' ELSE op END, attempts = 0, "
                "next_attempt_us = NULL, last_error = '' WHERE seq = ?", (token.seq,))
            self._db.execute(
                "UPDATE posts SET conflict_remote = ?, sync_error = ? WHERE local_id = ?",
                (codec.post_to_json(replace(remote, late_id=late_id)), message, local_id),
            )
            self._refresh_sync_state(local_id)
            return self._record(changed=(local_id,))

    def adopt_remote_base(self, local_id: str, remote: Post, *, initiator: object | None = None) -> ChangeSet:
        """Late holds what we last sent (its answer was lost): take its updatedAt, accounts and per-target
        outcomes as the new base, keep the local content and its pending push."""
        with self._write(durable=False, initiator=initiator):
            self._require(local_id)
            self._db.execute(
                "UPDATE posts SET remote_account_ids = ? WHERE local_id = ?",
                (codec.ids_to_json(remote.account_ids), local_id),
            )
            self._apply_remote_outcome(local_id, remote, include_status=False)
            return self._record(changed=(local_id,))

    def rekey(self, local_id: str) -> str:
        """Mint and durably persist a new Idempotency-Key (before recreating the post on Late)."""
        with self._write(durable=True):
            self._require(local_id)
            key = new_idempotency_key()
            self._db.execute("UPDATE posts SET idempotency_key = ? WHERE local_id = ?", (key, local_id))
            return key

    def _apply_remote_outcome(self, local_id: str, remote: Post, *, include_status: bool) -> None:
        """Copy the fields only Late writes: publish times, per-target outcomes, updatedAt, maybe status."""
        local = self._decode(self._require(local_id))
        by_account = {t.account_id: t for t in remote.targets}
        for t in local.targets:
            r = by_account.get(t.account_id)
            if r is not None:
                t.status = r.status
                t.scheduled_for = r.scheduled_for
                t.platform_post_id = r.platform_post_id
                t.platform_post_url = r.platform_post_url
                t.published_at = r.published_at
                t.error_message = r.error_message
                t.error_category = r.error_category
        values: dict[str, Any] = {
            "targets": codec.targets_to_json(local.targets),
            "published_us": codec.to_us(remote.published_at),
            "remote_updated_us": codec.to_us(remote.remote_updated_at),
        }
        if include_status:
            values["status"] = remote.status
        sets = ", ".join(f"{c} = :{c}" for c in values)
        self._db.execute(f"UPDATE posts SET {sets} WHERE local_id = :_id", {**values, "_id": local_id})
