"""The user's choices for Missed posts (``core.missed``): publish now, or keep as a draft. (Reschedule is the
post's editor: a new time is an ordinary save.)

Publish now is not undoable: Late publishes the post as soon as it has it. Keep as draft is an ordinary
placement (``placing.place``), so the undo history can hold it; it keeps the post's planned time, where the
user last saw it on the calendar, so it can be dragged to a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from latecal.core.missed import is_missed
from latecal.core.models import Post
from latecal.core.scheduling import Refusal
from latecal.core.status import PostStatus
from latecal.operations.failure import why_failed
from latecal.operations.placement import Placement
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.presentation import missed_texts as words
from latecal.store import Store


def missed_posts(store: Store, now: datetime) -> list[Post]:
    """Every Missed post, earliest first."""
    due = store.unsent_schedules_due_before(now)
    return sorted((p for p in due if is_missed(p, now)), key=lambda p: (p.scheduled_for, p.local_id))


def publish_now(store: Store, local_ids: Sequence[str], *, now: datetime, initiator: object) -> OpResult:
    """Send the Missed posts to be published at once: each gets ``now`` as its time, which Late takes as
    "publish now" (its one-minute grace). Should the push wait longer than that (still offline), the post is
    Missed again and the user asked again: nothing goes out at a time the user did not choose."""
    refused: dict[str, Refusal] = {}
    said: list[say.Message] = []
    saved: list[Post] = []
    try:
        with store.batch(initiator=initiator) as batch:  # read and written in one transaction
            for local_id in local_ids:
                post = _still_missed(store, local_id, now, refused, said)
                if post is not None:
                    saved.append(store.save_post(post.moved_to(now), initiator=initiator))
    except Exception as exc:  # e.g. a full disk: nothing of this action is kept, and the user hears why
        failed = {i: Refusal.STORE_ERROR for i in local_ids if i not in refused}
        return OpResult(message=say.problem(say.could_not_save(why_failed(exc))), refused={**refused, **failed})
    message = words.publishing_now(saved) if saved else say.first_of(said)
    return OpResult(batch.changes, tuple(saved), message, refused)


def draft_placements(store: Store, local_ids: Sequence[str], *, now: datetime
                     ) -> tuple[list[Placement], dict[str, str], OpResult]:
    """Keep as draft, for the undo history to make: the placements (status draft, the time as planned), the
    statuses to put back on undo, and what was refused (posts no longer Missed)."""
    placements: list[Placement] = []
    statuses: dict[str, str] = {}
    refused: dict[str, Refusal] = {}
    said: list[say.Message] = []
    for local_id in local_ids:
        post = _still_missed(store, local_id, now, refused, said)
        if post is not None:
            placements.append(Placement(local_id, post.scheduled_for, post.scheduled_for, PostStatus.DRAFT))
            statuses[local_id] = post.status
    return placements, statuses, OpResult(message=say.first_of(said), refused=refused)


def _still_missed(store: Store, local_id: str, now: datetime, refused: dict[str, Refusal],
                  said: list[say.Message]) -> Post | None:
    """The post if it is still Missed; else its refusal and why are noted (gone, or changed since it was asked)."""
    post = store.get_post(local_id)
    if post is not None and is_missed(post, now):
        return post
    refused[local_id] = Refusal.GONE if post is None else Refusal.CHANGED_SINCE
    said.append(say.problem(words.no_longer_missed(post)))
    return None
