"""What the user reads about a store failure: the cause in a few words, per kind of problem, and why the store
cannot be opened with what to do about it."""

from __future__ import annotations

from pathlib import Path

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


CANNOT_OPEN = "Late Calendar cannot open its local store."


def cannot_open(problem: StoreProblem, path: Path, detail: str, *, unsent: int | None = None) -> str:
    """Why the store at ``path`` cannot be opened, and what to do: each kind has its own advice, and only a
    damaged file is ever to be moved aside, saying what that costs. ``detail`` is the error's own text (the
    whole sentence for a problem of no known kind); ``unsent``: the posts in the file with changes Late has not
    had yet (None: the file cannot tell)."""
    folder = path.parent
    if problem is StoreProblem.READ_ONLY:
        return (f"Late Calendar cannot write to {folder} ({detail}). "
                "Check the folder's permissions, or choose another folder with --data-dir.")
    if problem is StoreProblem.DISK_FULL:
        return (f"Late Calendar cannot save to {folder}: the disk is full. "
                "Free some space and start again; nothing was lost.")
    if problem is StoreProblem.LOCKED:
        return (f"Late Calendar cannot use {path}: another Late Calendar (or another program) is using it. "
                "Close it and try again; nothing was lost.")
    if problem is StoreProblem.DAMAGED:
        return f"The calendar database {path} is damaged ({detail}). It was left untouched. {_moving_aside(unsent)}"
    return detail


def _moving_aside(unsent: int | None) -> str:
    if unsent == 0:
        return ("Nothing in it is waiting to be sent to Late: move it aside (keep the copy) to start with an empty "
                "calendar, which fills again from Late as it syncs.")
    if unsent is None:
        held = "It may hold changes Late has not had yet"
    else:
        held = f"It holds changes to {unsent} post{'s' if unsent != 1 else ''} that Late has not had yet"
    return (f"{held}: moving it aside starts an empty calendar, and those changes would then never be sent. "
            "Keep the file if you move it.")
