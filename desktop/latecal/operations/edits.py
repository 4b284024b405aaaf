"""Saving a post from its editor, and the undo and redo of such a save."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from latecal.core.lifecycle import duplicate_of, user_edit, with_edit_of
from latecal.core.models import Post
from latecal.core.scheduling import Refusal, is_past
from latecal.core.status import PostStatus, is_editable
from latecal.operations.failure import why_failed
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.store import Store


def save_post(store: Store, post: Post, *, initiator: object) -> OpResult:
    """Store the post as the editor has it (its row and its push, in one durable transaction)."""
    try:
        with store.batch(initiator=initiator) as batch:
            saved = store.save_post(post, initiator=initiator)
    except Exception as exc:  # e.g. the disk is full: the editor says so and keeps everything in the form
        return OpResult(message=say.problem(say.could_not_save(why_failed(exc))),
                        refused={post.local_id: Refusal.STORE_ERROR})
    return OpResult(batch.changes, (saved,))


def save_as_new_draft(store: Store, post: Post, *, now: datetime, initiator: object) -> OpResult:
    """The editor's changes to a post that is gone, or that Late took over, go to a new draft of their own."""
    return save_post(store, duplicate_of(post, now), initiator=initiator)


def put_back(store: Store, version: Post, *, expected: Post, now: datetime, zone: ZoneInfo,
             initiator: object) -> OpResult:
    """Give the post ``version``'s content again (an undo or redo of an editor save), only while it is still
    as ``expected`` left it (a newer edit, a drag or Late's publishing since is never thrown away) and never
    scheduled at a time that has passed."""
    local_id = version.local_id
    try:
        with store.batch(initiator=initiator) as batch:  # read and written in one transaction
            current = store.get_post(local_id)
            why, words = _put_back_refusal(current, version, expected, now, zone)
            if why is None:
                saved = store.save_post(with_edit_of(current, version), initiator=initiator)
    except Exception as exc:
        return OpResult(message=say.problem(say.could_not_save(why_failed(exc))),
                        refused={local_id: Refusal.STORE_ERROR})
    if why is not None:
        return OpResult(message=say.problem(words), refused={local_id: why})
    return OpResult(batch.changes, (saved,))


def _put_back_refusal(current: Post | None, version: Post, expected: Post, now: datetime,
                      zone: ZoneInfo) -> tuple[Refusal | None, str]:
    if current is None:
        return Refusal.GONE, say.GONE
    if user_edit(current) != user_edit(expected):
        return Refusal.CHANGED_SINCE, say.save_changed_since(current)
    if current.read_problems:  # Late sent what we could not read since: a change would overwrite it
        return Refusal.UNREADABLE, say.cannot_change(current, Refusal.UNREADABLE)
    if not is_editable(current.status):
        return Refusal.READ_ONLY, say.cannot_change(current, Refusal.READ_ONLY)
    if version.status == PostStatus.SCHEDULED and version.scheduled_for and is_past(version.scheduled_for, now):
        # Late would publish it at once: an undo or redo never sends out a post the user did not
        return Refusal.PAST, say.move_refused(current, Refusal.PAST, version.scheduled_for, zone)
    return None, ""
