"""Settling a post changed both here and on Late (not undoable: one side's edits are dropped or sent)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from latecal.core.lifecycle import deleted_on_late, duplicate_of, keeps_as_copy
from latecal.core.scheduling import Refusal
from latecal.operations.failure import why_failed
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.store import Store

Keep = Literal["local", "remote"]


def resolve_conflict(store: Store, local_id: str, keep: Keep, *, now: datetime, initiator: object) -> OpResult:
    """``"local"`` sends this version over Late's, ``"remote"`` takes Late's and drops the edits made here.
    When Late no longer takes updates to its version (published, publishing, deleted), keeping ours saves it as
    a new draft beside the post Late has, in the same transaction: the edits are never lost, and never refused."""
    record = store.get_record(local_id)
    post = record.post if record is not None else None
    late = record.conflict_remote if record is not None else None
    if post is None or late is None:  # e.g. a menu opened before its editor or a sync settled it
        return OpResult(message=say.info(say.NOT_IN_CONFLICT), refused={local_id: Refusal.NOT_IN_CONFLICT})
    as_copy = keep == "local" and keeps_as_copy(late)
    try:
        with store.batch(initiator=initiator) as batch:
            if as_copy:
                copy = store.save_post(duplicate_of(post, now), initiator=initiator)
                store.resolve_conflict(local_id, "remote", initiator=initiator)
            else:
                store.resolve_conflict(local_id, keep, initiator=initiator)
    except Exception as exc:  # e.g. already settled from its editor
        return OpResult(message=say.problem(say.conflict_not_settled(post, why_failed(exc))),
                        refused={local_id: Refusal.STORE_ERROR})
    if as_copy:
        return OpResult(batch.changes, (copy,), say.info(say.kept_as_new_draft(late, copy)))
    now_stored = store.get_post(local_id)
    posts = (now_stored,) if now_stored is not None else ()
    if keep == "local":
        text = say.kept_mine(post)
    elif deleted_on_late(late):
        text = say.deleted_as_on_late(post)
    else:
        text = say.took_late(post)
    return OpResult(batch.changes, posts, say.info(text))
