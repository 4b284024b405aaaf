"""The editor's conflict banner: the post was changed on Late while edits made here were not sent yet.

It shows what Late has (only what differs from the version kept here, besides the text) and offers the two
ways out. Choosing is the window's job (``conflict_handler``): the banner only asks for it. When Late has
stopped taking changes (it published the post, is publishing it, or holds it for approval), keeping ours
can only make it a new draft, and the banner says so.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from latecal.core.models import Account, Post
from latecal.core.platforms import display_name
from latecal.core.status import DELETED_ON_LATE
from latecal.core.zones import utc_to_wall
from latecal.ui import time_format
from latecal.ui.editor_feedback import relative_when, tones
from latecal.ui.palette import status_label
from latecal.ui.post_actions import KEEP_AS_DRAFT_LABEL, KEEP_LABEL, deleted_on_late, keeps_as_copy, take_label
from latecal.ui.post_item import first_words

EXCERPT = 160  # characters of Late's text shown in the banner
TITLE = "Late has a different version of this post."
KEEP_TIP = "Save your version as shown here and send it to Late over Late's changes."
KEEP_AS_DRAFT_TIP = "Your version becomes a new draft here; the post stays as Late has it."


def refusal_sentence(status: str, post: str = "this post") -> str:
    """What Late is doing with a post it no longer lets us change, e.g. "Late has already published this post"."""
    pattern = {"published": "Late has already published {}", "publishing": "Late is publishing {}",
               "pending_approval": "Late holds {} for approval", DELETED_ON_LATE: "Late has deleted {}",
               }.get(status, "Late no longer accepts changes to {}")
    return pattern.format(post)


def _accounts_text(post: Post, accounts: Mapping[str, Account]) -> str:
    if not post.targets:
        return "no accounts"
    names = []
    for t in post.targets:
        account = accounts.get(t.account_id)
        names.append(f"{display_name(t.platform)} · {account.label if account else t.account_id}")
    return ", ".join(names)


def _time_text(when: datetime | None, zone: str) -> str:
    return f"{time_format.day_and_clock(utc_to_wall(when, zone))} ({zone})" if when else "no time (a draft)"


def conflict_lines(
    mine: Post, late: Post, accounts: Mapping[str, Account], *, zone: str, now: datetime
) -> tuple[str, list[tuple[str, str]]]:
    """The banner's explanation and Late's version as (what, value) pairs, plain text. Times are in ``zone``
    (the editor's, named as in the Time row)."""
    changed = f" {relative_when(late.remote_updated_at, zone, now)} ({zone})" if late.remote_updated_at else ""
    if deleted_on_late(late):
        return ("your changes cannot be applied to it any more. Keep them as a new draft, or delete the post here "
                "too.", [])
    if keeps_as_copy(late):
        heading = (f"your changes cannot be applied to it. It changed on Late{changed}, before they were sent. "
                   "Keep them as a new draft, or take Late's version and drop them.")
    else:
        heading = (f"It was changed on Late{changed} while your changes here were not sent yet. Neither version is "
                   "sent until you choose one.")
    rows: list[tuple[str, str]] = []
    if late.title != mine.title:
        rows.append(("Title", late.title or "(none)"))
    if late.content == mine.content:
        rows.append(("Text", "the same as yours"))
    else:
        rows.append(("Text", f"“{first_words(late.content, EXCERPT)}”" if late.content.strip() else "(no text)"))
    if late.scheduled_for != mine.scheduled_for:
        rows.append(("Time", f"{_time_text(late.scheduled_for, zone)}; yours: {_time_text(mine.scheduled_for, zone)}"))
    else:
        rows.append(("Time", _time_text(late.scheduled_for, zone)))
    if late.status != mine.status:
        rows.append(("Status", status_label(late.status)))
    if late.account_ids != mine.account_ids:
        rows.append(("Posts to", _accounts_text(late, accounts)))
    if [m.url for m in late.media] != [m.url for m in mine.media]:
        n = len(late.media)
        rows.append(("Media", "none" if not n else "1 attachment" if n == 1 else f"{n} attachments"))
    return heading, rows


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
        self.keep_button = QPushButton(KEEP_LABEL, self)
        self.keep_button.setToolTip(KEEP_TIP)
        self.take_button = QPushButton("Take Late's version", self)
        self.take_button.setToolTip("Replace the version kept here with Late's; your changes are dropped.")
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
        self.note = QLabel(self)
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
        """``late``: Late's side. When Late accepts no update to it any more (published, publishing, deleted...),
        keeping ours makes a new draft (see conflict_lines)."""
        published = keeps_as_copy(late)
        title = f"{refusal_sentence(late.status)}:" if published else TITLE
        self.rows = rows
        self.heading_text = f"{title} {explanation}"
        self.heading.setText(f"<b>{html.escape(title)}</b> {html.escape(explanation)}")
        self.keep_button.setText(KEEP_AS_DRAFT_LABEL if published else KEEP_LABEL)
        self.keep_button.setToolTip(KEEP_AS_DRAFT_TIP if published else KEEP_TIP)
        self.take_button.setText(take_label(late))
        self.take_button.setToolTip("Delete the post here as well; your changes are dropped." if deleted_on_late(late)
                                    else "Replace the version kept here with Late's; your changes are dropped.")
        items = "".join(
            f"<tr><td style='padding-right:8px'>{html.escape(what)}</td><td>{html.escape(value)}</td></tr>"
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
