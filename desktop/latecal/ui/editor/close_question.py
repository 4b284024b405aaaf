"""The question an editor with unsaved changes asks when it is closed: save, discard or cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from latecal.presentation import editor_texts as texts

if TYPE_CHECKING:
    from latecal.ui.editor.window import PostEditor

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_unsaved_changes(editor: PostEditor) -> str:
    """The default close question: a plain modal box, run from closeEvent (a normal slot, never a coroutine)."""
    box = unsaved_changes_box(editor)
    box.exec()
    return box.property("answer") or CANCEL


def unsaved_changes_box(editor: PostEditor) -> QMessageBox:
    title, text, detail = texts.unsaved_question(editor.summary(), read_only=editor.read_only,
                                                 status=editor.post.status)
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, editor)
    box.setInformativeText(detail)
    save = box.addButton("Save as new draft" if editor.read_only else "Save", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    answers = {save: SAVE, discard: DISCARD, cancel: CANCEL}
    box.buttonClicked.connect(lambda b: box.setProperty("answer", answers.get(b, CANCEL)))
    return box
