"""The question an editor with unsaved changes asks when it is closed: save, discard or cancel."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMessageBox

from latecal.core.models import Post
from latecal.presentation import editor_texts as texts
from latecal.ui.widgets.plain_text import plain_box

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class Editor(Protocol):
    """The editor being closed (a QWidget: the box opens on it)."""

    post: Post
    read_only: bool

    def summary(self) -> str: ...


def ask_unsaved_changes(editor: Editor) -> str:
    """The default close question: a plain modal box, run from closeEvent (a normal slot, never a coroutine)."""
    box = unsaved_changes_box(editor)
    box.exec()
    return box.property("answer") or CANCEL


def unsaved_changes_box(editor: Editor) -> QMessageBox:
    title, text, detail = texts.unsaved_question(editor.summary(), read_only=editor.read_only,
                                                 status=editor.post.status)
    box = plain_box(QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                                editor))  # type: ignore[arg-type]  # the editor is a QWidget; the text names the post
    box.setInformativeText(detail)
    save = box.addButton("Save as new draft" if editor.read_only else "Save", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    answers = {save: SAVE, discard: DISCARD, cancel: CANCEL}
    box.buttonClicked.connect(lambda b: box.setProperty("answer", answers.get(b, CANCEL)))
    return box
