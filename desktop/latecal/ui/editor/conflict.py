"""The editor's conflict banner (the post changed on Late while edits made here were not sent yet) and the
editor's side of the two ways out.

The banner shows what Late has (only what differs from the version kept here, besides the text) and offers the
choices. Choosing is the window's job (``conflict_handler``); the editor saves unsaved edits first, so what is
kept is what is on screen, and follows the stored post once the choice is in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from latecal.core.lifecycle import keep_save_status, keeps_as_copy
from latecal.core.models import Post
from latecal.core.status import SyncState
from latecal.presentation import conflicts as words
from latecal.presentation import editor_texts as texts
from latecal.ui.editor.feedback import tones
from latecal.ui.widgets.plain_text import escaped, plain_box, plain_label

KEEP_LOCAL, KEEP_REMOTE = "local", "remote"  # conflict_handler's choices


class ConflictBanner(QFrame):
    keep_requested = Signal()
    take_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictBanner")
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keep_button = QPushButton(words.KEEP_LABEL, self)
        self.keep_button.setToolTip(words.KEEP_TIP)
        self.take_button = QPushButton(words.take_label(None), self)
        self.take_button.setToolTip(words.TAKE_TIP)
        self.keep_button.clicked.connect(self.keep_requested)
        self.take_button.clicked.connect(self.take_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.take_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.details)
        # why a choice did nothing (e.g. the form cannot be saved), next to the button that was pressed
        self.note = plain_label(QLabel(self))
        self.note.setWordWrap(True)
        font = self.note.font()
        font.setBold(True)
        self.note.setFont(font)
        self.note.setVisible(False)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.rows: list[tuple[str, str]] = []
        self.heading_text = ""
        self.refresh_colours()
        self.setVisible(False)

    def refresh_colours(self) -> None:
        t = tones()
        self.setStyleSheet(
            f"#conflictBanner {{ background: {t.conflict_bg}; border: 1px solid {t.conflict_border};"
            f" border-left: 4px solid {t.conflict_border}; border-radius: 4px; }}"
            f" #conflictBanner QLabel {{ color: {t.conflict_fg}; background: transparent; }}"
        )

    def show_conflict(self, explanation: str, rows: list[tuple[str, str]], *, can_choose: bool, late: Post) -> None:
        """``late``: Late's side; when Late accepts no update to it any more, keeping ours makes a new draft."""
        title = words.banner_title(late)
        self.rows = rows
        self.heading_text = f"{title} {explanation}"
        self.heading.setText(f"<b>{escaped(title)}</b> {escaped(explanation)}")
        self.keep_button.setText(words.keep_label(late))
        self.keep_button.setToolTip(words.keep_tip(late))
        self.take_button.setText(words.take_label(late))
        self.take_button.setToolTip(words.take_tip(late))
        items = "".join(
            f"<tr><td style='padding-right:8px'>{escaped(what)}</td><td>{escaped(value, 500)}</td></tr>"
            for what, value in rows
        )
        self.details.setText(f"Late's version:<table style='margin-top:2px'>{items}</table>" if rows else "")
        self.details.setVisible(bool(rows))
        for button in (self.keep_button, self.take_button):
            button.setEnabled(can_choose)
        self.setVisible(True)

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def text(self) -> str:
        """Everything the banner says, plain (for tests and screen readers)."""
        note = [self.note.text()] if self.note.isVisibleTo(self) else []
        return " ".join([self.heading_text, *(f"{what}: {value}" for what, value in self.rows), *note])


class ConflictChoice:
    """The PostEditor's part in settling a conflict (a mixin: it acts on the editor's form and stored post)."""

    def conflict_remote(self) -> Post | None:
        """Late's version while the post is in conflict, else None."""
        if self.is_new or self.post.sync_state != SyncState.CONFLICT:
            return None
        record = self.store.get_record(self.post.local_id)
        return record.conflict_remote if record is not None else None

    def _update_conflict(self) -> None:
        remote = self.conflict_remote()
        if remote is None:
            self.conflict_banner.setVisible(False)
            self.conflict_banner.show_note("")
            # settled elsewhere (the calendar's menu, a sync): an open "Take Late's version?" has nothing to answer
            self._close_confirm_box()
            return
        heading, rows = words.conflict_lines(self.post, remote, self.accounts, zone=self.effective_zone(),
                                             now=self.clock())
        self.conflict_banner.show_conflict(heading, rows, can_choose=self.conflict_handler is not None,
                                           late=remote)

    def _close_confirm_box(self) -> None:
        box, self.confirm_box = self.confirm_box, None
        if box is not None and box.isVisible():
            box.close()

    def keep_my_version(self) -> None:
        """Keep the version shown here over Late's (the window resolves it; when Late has published the post,
        the window saves ours as a new draft). Unsaved edits are saved first, so what is kept is what is on
        screen; when they cannot be saved, the banner says why and nothing is chosen."""
        remote = self.conflict_remote()
        if self.conflict_handler is None or remote is None:
            return
        self.conflict_banner.show_note("")
        if self.is_dirty() and self._save_for_keep(remote) is None:
            return
        if self.conflict_handler(self.post.local_id, KEEP_LOCAL) is False:
            return  # the window refused (and said why); otherwise the relay has brought its result here already
        if keeps_as_copy(remote) and self.conflict_remote() is None:
            # the form now shows Late's post: say where the text that was here went
            self.show_note(texts.KEPT_AS_COPY)

    def _save_for_keep(self, late: Post) -> Post | None:
        """Save the form as the close question's Save does; when Late has published its version, ours becomes a
        new draft, so only a draft's rules apply and the status is left for the window to settle."""
        status, check = keep_save_status(self.post.status, late)
        problems = self.problems_for(check)
        if problems:
            self.revalidate()  # each problem shows beside its field as well
            self.conflict_banner.show_note(texts.nothing_kept_problems([p.message for p in problems]))
            return None
        self._save_error = ""
        saved = self._save(status, undoable=False)  # kept over Late's at once: no undo for either half
        if saved is None:
            self.conflict_banner.show_note(texts.nothing_kept(self._save_error))
        return saved

    def take_late_version(self) -> None:
        """Replace the stored version with Late's, then the form. Unsaved edits here would be lost, so ask
        first: a window-modal box opened with open() and answered through a signal, never a nested exec()."""
        if self.conflict_handler is None or self.conflict_remote() is None:
            return
        if not self.is_dirty():
            self._take_late_version_now()
            return
        self._close_confirm_box()
        title, question, detail = words.TAKE_QUESTION
        box = plain_box(QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton,
                                    self))
        box.setInformativeText(detail)
        take = box.addButton("Take Late's version", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.buttonClicked.connect(lambda b: self._take_late_version_now() if b is take else None)
        self.confirm_box = box
        box.open()

    def _take_late_version_now(self) -> None:
        if self.conflict_remote() is None:
            return  # resolved meanwhile (another window, a sync)
        self._taking_remote = True
        if self.conflict_handler is not None and self.conflict_handler(self.post.local_id, KEEP_REMOTE) is False:
            self._taking_remote = False  # the window refused (and said why)
