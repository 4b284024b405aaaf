"""Saving a post from its editor, and the undo and redo of such a save."""

from __future__ import annotations

from datetime import datetime

from latecal.core.lifecycle import duplicate_of, user_edit, with_edit_of
from latecal.core.models import Post
from latecal.core.scheduling import Refusal
from latecal.core.status import is_editable
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.store import Store


def save_post(store: Store, post: Post, *, initiator: object) -> OpResult:
    """Store the post as the editor has it (its row and its push, in one durable transaction)."""
    try:
        with store.batch(initiator=initiator) as batch:
            saved = store.save_post(post, initiator=initiator)
    except Exception as exc:  # e.g. the disk is full: the editor says so and keeps everything in the form
        return OpResult(message=say.problem(say.could_not_save(str(exc))), refused={post.local_id: Refusal.STORE_ERROR})
    return OpResult(batch.changes, (saved,))


def save_as_new_draft(store: Store, post: Post, *, now: datetime, initiator: object) -> OpResult:
    """The editor's changes to a post that is gone, or that Late took over, go to a new draft of their own."""
    return save_post(store, duplicate_of(post, now), initiator=initiator)


def put_back(store: Store, version: Post, *, expected: Post, initiator: object) -> OpResult:
    """Give the post ``version``'s content again (an undo or redo of an editor save), only while it is still
    as ``expected`` left it: a newer edit, a drag or Late's publishing since is never thrown away."""
    current = store.get_post(version.local_id)
    if current is None:
        return OpResult(message=say.problem(say.GONE), refused={version.local_id: Refusal.GONE})
    if user_edit(current) != user_edit(expected):
        return OpResult(message=say.problem(say.save_changed_since(current)),
                        refused={version.local_id: Refusal.CHANGED_SINCE})
    if not is_editable(current.status):
        return OpResult(message=say.problem(say.cannot_change(current, Refusal.READ_ONLY)),
                        refused={version.local_id: Refusal.READ_ONLY})
    return save_post(store, with_edit_of(current, version), initiator=initiator)
