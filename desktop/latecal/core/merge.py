"""The three-way merge of an open editor with a post that changed under it (a drag, a sync, an undo).

The user's unsaved changes always win; every part of the form the user left as it was loaded takes the stored
post's new value, so saving the user's changes never silently puts back an old time or text.
"""

from __future__ import annotations

from enum import StrEnum

from latecal.core.snapshot import EditorSnapshot, canonical_targets


class Part(StrEnum):
    TITLE = "title"
    CONTENT = "content"
    HASHTAGS = "hashtags"
    TARGETS = "targets"
    WHEN = "when"  # the time and its zone, together


def _value(snap: EditorSnapshot, part: Part) -> object:
    if part is Part.TARGETS:
        return canonical_targets(snap.targets)
    if part is Part.WHEN:
        return snap.scheduled_for, snap.timezone
    return getattr(snap, part.value)


def parts_to_take(base: EditorSnapshot, mine: EditorSnapshot, theirs: EditorSnapshot) -> list[Part]:
    """The parts ``theirs`` changed that the user left untouched (``mine`` equals ``base`` there), in form order.
    Only these are set: setting an unchanged field would reset its cursor and undo history."""
    return [part for part in Part
            if _value(mine, part) == _value(base, part) != _value(theirs, part)]
