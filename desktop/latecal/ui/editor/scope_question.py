"""The question a desktop calendar asks when a repeating post is changed: this one, this and following, or all."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from latecal.presentation import recurrence_texts as texts
from latecal.ui.widgets.plain_text import plain_box

THIS, FOLLOWING, ALL = "this", "following", "all"


def scope_box(parent: QWidget) -> QMessageBox:
    """The box (not shown): its ``answer`` property is "this", "following", "all", or unset when cancelled."""
    box = plain_box(QMessageBox(QMessageBox.Icon.Question, texts.SCOPE_TITLE, texts.SCOPE_QUESTION,
                                QMessageBox.StandardButton.NoButton, parent))
    this = box.addButton(texts.SCOPE_THIS, QMessageBox.ButtonRole.AcceptRole)
    following = box.addButton(texts.SCOPE_FOLLOWING, QMessageBox.ButtonRole.AcceptRole)
    every = box.addButton(texts.SCOPE_ALL, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(this)
    box.setEscapeButton(cancel)
    answers = {this: THIS, following: FOLLOWING, every: ALL}
    box.buttonClicked.connect(lambda b: box.setProperty("answer", answers.get(b)))
    return box


def ask_scope(parent: QWidget) -> str | None:
    """Run from a button's slot (never inside a coroutine): the scope chosen, None when cancelled."""
    box = scope_box(parent)
    box.exec()
    return box.property("answer") or None
