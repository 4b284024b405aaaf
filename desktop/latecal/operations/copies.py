"""Duplicating posts: each copy is a new local draft (same text, media, accounts and per-platform settings;
the same time when that is still ahead)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from latecal.core.lifecycle import duplicate_of
from latecal.core.scheduling import Refusal
from latecal.operations.failure import why_failed
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.store import Store


def duplicate_posts(store: Store, local_ids: Sequence[str], *, now: datetime, initiator: object) -> OpResult:
    originals = [p for i in local_ids if (p := store.get_post(i)) is not None]
    refused = {i: Refusal.GONE for i in local_ids if store.get_post(i) is None}
    if not originals:
        return OpResult(refused=refused)
    try:
        with store.batch(initiator=initiator) as batch:
            copies = tuple(store.save_post(duplicate_of(p, now), initiator=initiator) for p in originals)
    except Exception as exc:
        return OpResult(message=say.problem(say.could_not_save(why_failed(exc))),
                        refused={p.local_id: Refusal.STORE_ERROR for p in originals})
    return OpResult(batch.changes, copies, say.info(say.duplicated(originals[0], copies[0])), refused)
