"""What a placing operation is asked to do (light: the undo history holds these before any operation runs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Verb(StrEnum):
    """What the user did: the rules and the words differ."""

    MOVE = "move"  # a drag or a nudge (and its undo and redo)
    SCHEDULE = "schedule"  # a draft given a time, or sent back to the drafts (and their undo and redo)


@dataclass(frozen=True, slots=True)
class Placement:
    """Put ``local_id`` at ``when`` (None: no time), with ``status`` when given; ``expected`` is the time it must
    still have (what the user saw), so an undo never throws away a newer time set elsewhere. ``accounts`` names
    the platforms to move alone (a per-platform time, Late's ``platforms[].scheduledFor``): empty, the whole post;
    ``expected`` is then their time."""

    local_id: str
    when: datetime | None
    expected: datetime | None
    status: str | None = None
    accounts: tuple[str, ...] = ()
