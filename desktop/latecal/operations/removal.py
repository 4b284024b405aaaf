"""Deleting posts, and bringing them back (an undo) without ever publishing one twice.

Undo puts a post back exactly as it was while its delete still waits in the outbox (or Late refused it). Once
the delete may have reached Late, the post can only come back as a new edit: as it was when Late may simply
create it again (a draft, or a post scheduled ahead), otherwise as a draft copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from latecal.core.lifecycle import comes_back_as_it_was, duplicate_of, user_edit
from latecal.core.models import Post
from latecal.core.scheduling import Refusal
from latecal.core.status import is_deletable, is_editable
from latecal.operations.failure import why_failed
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.store import Store
from latecal.store.records import OutboxEntry, StoredPost


@dataclass(frozen=True, slots=True)
class Deleted:
    """What an undo needs of one deleted post: its record and its queued pushes as they were."""

    before: StoredPost
    entries: tuple[OutboxEntry, ...]

    @property
    def post(self) -> Post:
        return self.before.post


@dataclass(frozen=True, slots=True)
class Deletion(OpResult):
    deleted: tuple[Deleted, ...] = ()


@dataclass(frozen=True, slots=True)
class Restoration(OpResult):
    #: the id each restored post had -> the id it has now (a draft copy has its own)
    renamed: dict[str, str] | None = None


def delete_posts(store: Store, local_ids: Sequence[str], *, initiator: object,
                 unchanged: Mapping[str, Post] | None = None) -> Deletion:
    """Delete every post that may be deleted, in one transaction; returns what an undo needs. ``unchanged``
    (an undo of a post's creation): each post must still be as it was then, and still editable, or it stays:
    a later edit, Publish now or Late's publishing is never thrown away."""
    refused: dict[str, Refusal] = {}
    said: list[say.Message] = []
    doomed: list[Deleted] = []
    try:
        with store.batch(initiator=initiator) as batch:  # read and written in one transaction
            for local_id in local_ids:
                record = store.get_record(local_id)
                why, words = _delete_refusal(record, (unchanged or {}).get(local_id), unchanged is not None)
                if why is not None:
                    refused[local_id] = why
                    if words:
                        said.append(say.problem(words))
                    continue
                assert record is not None
                doomed.append(Deleted(record, tuple(store.outbox_entries(local_id))))
                store.delete_post(local_id, initiator=initiator)
    except Exception as exc:  # a store error must not leave a half-applied command behind
        first = store.get_post(local_ids[0]) if local_ids else None
        failed = {i: Refusal.STORE_ERROR for i in local_ids if i not in refused}
        return Deletion(message=say.problem(say.delete_failed(first, why_failed(exc)) if first else say.GONE),
                        refused={**refused, **failed})
    posts = tuple(g.post for g in doomed)
    return Deletion(batch.changes, posts, say.first_of(said), refused, deleted=tuple(doomed))


def _delete_refusal(record: StoredPost | None, was: Post | None, guarded: bool) -> tuple[Refusal | None, str]:
    if record is None or record.deleted:
        return Refusal.GONE, ""
    post = record.post
    if guarded and (was is None or user_edit(post) != user_edit(was) or not is_editable(post.status)):
        return Refusal.CHANGED_SINCE, say.save_changed_since(post)
    if not is_deletable(post.status):
        return Refusal.NOT_DELETABLE, say.not_deletable(post)
    return None, ""


def restore_posts(store: Store, deleted: Sequence[Deleted], *, now: datetime, initiator: object) -> Restoration:
    """Bring deleted posts back, in one transaction. A post already back (e.g. its editor saved it again)
    counts as restored as it is."""
    notes: list[say.Message] = []
    restored: list[Post] = []
    renamed: dict[str, str] = {}
    try:
        with store.batch(initiator=initiator) as batch:
            for gone in deleted:
                post, note = _restore_one(store, gone, now, initiator)
                if post is None:  # already back (e.g. its editor saved it again): nothing to announce
                    renamed[gone.post.local_id] = gone.post.local_id
                    continue
                restored.append(post)
                renamed[gone.post.local_id] = post.local_id
                if note:
                    notes.append(say.problem(note, say.RESTORED))
    except Exception as exc:
        return Restoration(message=say.problem(say.restore_failed(deleted[0].post, why_failed(exc))),
                           refused={g.post.local_id: Refusal.STORE_ERROR for g in deleted})
    return Restoration(batch.changes, tuple(restored), say.first_of(notes), renamed=renamed)


def _restore_one(store: Store, gone: Deleted, now: datetime, initiator: object) -> tuple[Post | None, str]:
    post = gone.post
    restored = store.cancel_delete(gone.before, list(gone.entries), initiator=initiator)
    if restored is not None:
        return restored, ""
    current = store.get_record(post.local_id)
    if current is not None and not current.deleted:
        return None, ""
    if comes_back_as_it_was(post, now):
        # a tombstone is brought back by saving it; a post Late deleted is created anew, with a new key
        again = post if current is not None else replace(post, late_id=None, idempotency_key="")
        return store.save_post(again, initiator=initiator), ""
    copy = store.save_post(duplicate_of(post, now), initiator=initiator)
    return copy, say.came_back_as_copy(post)
