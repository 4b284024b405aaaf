"""What may need the user about a post, as flags the calendar's filters offer ("not sent", "rejected", "conflict",
"missed", "stuck", "an account cannot post"): the same rules the Problems panel and the chips use."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from latecal.core.account_health import blocked_targets
from latecal.core.missed import is_missed
from latecal.core.models import Account, Post
from latecal.core.status import SyncState
from latecal.core.stuck import is_stuck


class Attention(StrEnum):
    NOT_SENT = "not_sent"  # changes made here that Late has not got yet
    REJECTED = "rejected"  # Late refused the last change
    CONFLICT = "conflict"  # changed here and on Late
    MISSED = "missed"  # its time passed before it reached Late
    STUCK = "stuck"  # publishing for too long
    CANNOT_POST = "cannot_post"  # a platform's account cannot post by its time


def attention_of(post: Post, now: datetime, accounts: Mapping[str, Account]) -> set[Attention]:
    flags: set[Attention] = set()
    if post.sync_state == SyncState.PENDING:
        flags.add(Attention.NOT_SENT)
    elif post.sync_state == SyncState.REJECTED:
        flags.add(Attention.REJECTED)
    elif post.sync_state == SyncState.CONFLICT:
        flags.add(Attention.CONFLICT)
    if is_missed(post, now):
        flags.add(Attention.MISSED)
    if is_stuck(post, now):
        flags.add(Attention.STUCK)
    if accounts and blocked_targets(post, accounts, now):
        flags.add(Attention.CANNOT_POST)
    return flags
