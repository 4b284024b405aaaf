"""Why a store transaction failed, in the user's words: "the disk is full" rather than SQLite's own text."""

from __future__ import annotations

from latecal.presentation.store_texts import cause
from latecal.store import problem_of


def why_failed(exc: BaseException) -> str:
    """The kind of store trouble in a few words when it has one (read-only, disk full, locked, damaged), else
    the error's own sentence (e.g. a post that is no longer in conflict)."""
    return cause(problem_of(exc), str(exc))
