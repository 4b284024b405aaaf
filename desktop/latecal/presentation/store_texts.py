"""What the user reads about a store failure: the cause in a few words, per kind of problem."""

from __future__ import annotations

from latecal.core.store_problem import StoreProblem

_CAUSES = {
    StoreProblem.READ_ONLY: "the calendar's folder cannot be written to",
    StoreProblem.DISK_FULL: "the disk is full",
    StoreProblem.LOCKED: "another program is holding the calendar's database",
    StoreProblem.DAMAGED: "the calendar's database is damaged",
}


def cause(problem: StoreProblem, detail: str = "") -> str:
    """The cause in a few words, to end a sentence ("Could not save Late's changes: the disk is full");
    ``detail`` (the error's own text) stands in for a problem of no known kind."""
    return _CAUSES.get(problem) or detail or "an unexpected error"
