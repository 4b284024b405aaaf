"""Late's queue as user actions. Both talk to Late at once, so neither is undoable (the runner says so):

- ``queue_post``: a new post goes to Late with ``queuedFromProfile`` (and ``queueId``) and no time: Late picks the
  queue's next free slot under its slot locking. A time read beforehand from ``next-slot`` would bypass that lock
  (late-api.md §2.4, §10), so none is computed or sent here. The post Late made is stored as Late has it, in one
  transaction, under the editor's local id.
- ``save_queue``: a profile's weekly slots (``PUT /v1/queue/slots``), moving the posts already queued only when the
  user said so (``reshuffleExisting``); the cached queues take Late's answer.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from latecal.core.models import Post
from latecal.core.queue_slots import QueueSchedule, WeeklySlot
from latecal.late.errors import LateError
from latecal.late.queues import QueueUpdate
from latecal.late.wire import post_to_json
from latecal.operations.failure import why_failed
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.presentation import queue_texts as words
from latecal.store.queue_cache import load_queues, save_queues
from latecal.sync.outgoing import composed


def queue_body(post: Post, schedule: QueueSchedule) -> dict:
    """The create body: the post's content and targets, the queue, and no time of any kind."""
    body = post_to_json(composed(replace(post, scheduled_for=None)), intent=None)
    body.pop("scheduledFor", None)
    for target in body.get("platforms", []):
        target.pop("scheduledFor", None)  # a platform's own time would not be the queue's
    body.update(isDraft=False, queuedFromProfile=schedule.profile_id, queueId=schedule.id)
    return body


async def queue_post(store, client, post: Post, schedule: QueueSchedule, profile_name: str, *, zone: ZoneInfo,
                     initiator: object) -> OpResult:
    """Create ``post`` on Late in the queue's next free slot; the stored post carries the time Late gave it."""
    key = post.idempotency_key or str(uuid.uuid4())
    try:
        result = await client.create_post(queue_body(post, schedule), idempotency_key=key)
    except LateError as exc:
        return OpResult(message=say.problem(words.could_not_queue(exc.plain)))
    remote = result.post
    if remote is None or remote.scheduled_for is None:
        return OpResult(message=say.problem(words.could_not_queue(result.message or "Late gave it no time")))
    try:
        with store.batch(initiator=initiator) as batch:
            store.upsert_remote(replace(remote, local_id=post.local_id, idempotency_key=key,
                                        timezone=remote.timezone or post.timezone))
    except Exception as exc:  # Late has it; the next sync brings it back into the store
        return OpResult(message=say.problem(words.could_not_queue(why_failed(exc))))
    stored = store.get_post(post.local_id) or store.get_by_late_id(remote.late_id)
    message = say.info(words.queued_at(remote.scheduled_for, zone, profile_name))
    return OpResult(batch.changes, (stored,) if stored is not None else (), message)


@dataclass(frozen=True, slots=True)
class QueueSaved:
    update: QueueUpdate | None
    message: say.Message


async def save_queue(store, client, schedule: QueueSchedule, slots: list[WeeklySlot], profile_name: str, *,
                     reshuffle: bool) -> QueueSaved:
    """Send the queue's new weekly slots; what Late answered, and what to tell the user."""
    try:
        update = await client.update_queue(schedule.profile_id, schedule.timezone, slots, queue_id=schedule.id,
                                           reshuffle=reshuffle)
    except LateError as exc:
        return QueueSaved(None, say.problem(words.could_not_save_queue(exc.plain)))
    if update.schedule is not None:
        kept = [q for q in load_queues(store) if q.id != update.schedule.id]
        with contextlib.suppress(Exception):  # the cache only: the next sync reads the queues again
            save_queues(store, [*kept, update.schedule])
    return QueueSaved(update, say.info(words.queue_saved(profile_name, update.reshuffled)))
