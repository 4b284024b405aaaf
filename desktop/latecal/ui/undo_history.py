"""The window's one undo history (moves, scheduled drafts, deletes) outlives the window that made it."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack


def rebind_commands(stack: QUndoStack, kind: type, attr: str, owner: object) -> None:
    """A setting rebuilt the window on the same store: the commands of ``kind`` in the handed-over history
    now act through ``owner``, this window's controller (stored in their ``attr``)."""
    for i in range(stack.count()):
        command = stack.command(i)
        if isinstance(command, kind):
            setattr(command, attr, owner)


def push(stack: QUndoStack, command: QUndoCommand) -> bool:
    """Apply ``command`` through the history; False when it did nothing (obsolete after its redo, so dropped).
    Compares the index, not the count: a push after an undo replaces the undone commands."""
    before = stack.index()
    stack.push(command)
    return stack.index() > before
