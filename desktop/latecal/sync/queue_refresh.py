"""Reading the profiles' queues during the sync's accounts step (every ten minutes and on Sync): one
``GET /v1/queue/slots?all=true`` per profile. A profile whose queues cannot be read keeps what was cached for it,
and a queue Late cannot give (a restricted key, a 404) never fails the accounts step: the accounts and profiles
are already kept by then."""

from __future__ import annotations

import logging

from latecal.core.models import Profile
from latecal.core.queue_slots import QueueSchedule
from latecal.late.errors import LateError
from latecal.store.queue_cache import load_queues, save_queues
from latecal.sync.pull import RUN_STOPPERS

log = logging.getLogger(__name__)


async def refresh_queues(store, client, profiles: list[Profile]) -> None:
    cached: dict[str, list[QueueSchedule]] = {}
    for schedule in load_queues(store):
        cached.setdefault(schedule.profile_id, []).append(schedule)
    fresh: list[QueueSchedule] = []
    for profile in profiles:
        try:
            fresh += await client.list_queues(profile.id)
        except RUN_STOPPERS:  # offline, the key refused, Late's rate limit: the run stops, as for the accounts
            raise
        except LateError as exc:
            log.warning("could not read the queues of a profile: %s", exc)
            fresh += cached.get(profile.id, [])
    save_queues(store, fresh)
