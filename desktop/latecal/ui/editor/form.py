"""The editor's layout: the form (title, accounts, text, hashtags, text per account, media, when, results) over
a footer with the reasons a post cannot be scheduled yet, the status line and the buttons."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from latecal.presentation import editor_texts as texts
from latecal.ui.editor.accounts import AccountPicker
from latecal.ui.editor.conflict import ConflictBanner
from latecal.ui.editor.custom_texts import CustomTexts
from latecal.ui.editor.feedback import CounterRow, ProblemLabel, ScheduleReasons
from latecal.ui.editor.media_section import MediaSection
from latecal.ui.editor.results import ResultsPanel
from latecal.ui.editor.when_section import WhenSection
from latecal.ui.widgets.plain_text import plain_label

#: the PostEditor the form belongs to (typed loosely: the editor imports this module)
Editor = Any


def build_form(e: Editor) -> None:
    """Create the editor's widgets (as its attributes) and lay them out."""
    e.banner = plain_label(QLabel(e))  # Late's failure reasons are among its lines
    e.banner.setObjectName("editorBanner")
    e.banner.setWordWrap(True)
    e.banner.setVisible(False)
    e.conflict_banner = ConflictBanner(e)
    e.late_problems = ProblemLabel(e)
    e.status_problems = ProblemLabel(e)

    e.title_edit = QLineEdit(e)
    e.title_edit.setPlaceholderText("Title (for you, and the title on YouTube, Pinterest and Reddit)")
    e.picker = AccountPicker(list(e.accounts.values()), list(e.profiles.values()), e)
    e.target_problems = ProblemLabel(e)

    e.content_edit = QPlainTextEdit(e)
    e.content_edit.setPlaceholderText("What do you want to say?")
    e.content_edit.setMinimumHeight(120)
    e.content_edit.setTabChangesFocus(True)  # a tab character is never wanted in a post; Tab moves on
    e.counters = CounterRow(e)
    e.content_problems = ProblemLabel(e)
    e.hashtags_edit = QLineEdit(e)
    e.hashtags_edit.setPlaceholderText("#launch #spring — appended to the text on every platform")
    e.custom = CustomTexts(e, e)
    e.media = MediaSection(e.selected_targets, e.accounts, e.clock, e)
    e.when = WhenSection(e.display_zone, e.clock, e.default_zone_and_profile, e)
    e.picker.follow_when(e.when, e._edited)  # the per-platform times follow the post's time and zone
    e.results = ResultsPanel(e)

    e.reasons = ScheduleReasons(e)
    e.status_line = plain_label(QLabel(e))  # it may quote Late or the disk's error
    e.status_line.setObjectName("editorStatus")
    e.status_line.setWordWrap(True)
    e.save_draft_button = QPushButton("Save draft", e)
    e.schedule_button = QPushButton("Schedule", e)
    e.schedule_button.setDefault(True)
    e.publish_button = QPushButton("Publish now", e)
    e.delete_button = QPushButton("Delete", e)
    e.retry_button = QPushButton("Retry failed platforms", e)
    e.to_draft_button = QPushButton("Move back to draft", e)
    e.save_draft_button.setToolTip("Save as a draft (Ctrl+S saves and keeps a scheduled post scheduled)")
    e.schedule_button.setToolTip("Schedule for the time above (Ctrl+Return)")
    e.publish_button.setToolTip(texts.PUBLISH_NOW_TIP)  # Late acts at once: no undo

    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.addRow("Title", e.title_edit)
    accounts = QVBoxLayout()
    accounts.addWidget(e.picker)
    accounts.addWidget(e.target_problems)
    form.addRow("Post to", accounts)
    text = QVBoxLayout()
    text.addWidget(e.content_edit)
    text.addWidget(e.counters)
    text.addWidget(e.content_problems)
    form.addRow("Text", text)
    form.addRow("Hashtags", e.hashtags_edit)
    form.addRow(e.custom)
    form.addRow("Media", e.media)
    form.addRow("When", e.when)
    form.addRow(e.results)

    body = QWidget(e)
    body_layout = QVBoxLayout(body)
    for widget in (e.conflict_banner, e.banner, e.status_problems, e.late_problems):
        body_layout.addWidget(widget)
    body_layout.addLayout(form)
    body_layout.addStretch(1)
    scroll = QScrollArea(e)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the form wraps to the width
    # not a Tab stop of its own (an empty one between Schedule and Title); it still scrolls to the focused field
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidget(body)

    buttons = QHBoxLayout()
    for b in (e.delete_button, e.retry_button, e.to_draft_button):
        buttons.addWidget(b)
    buttons.addStretch(1)
    for b in (e.save_draft_button, e.publish_button, e.schedule_button):
        buttons.addWidget(b)
    footer = QFrame(e)
    footer.setFrameShape(QFrame.Shape.StyledPanel)
    footer_layout = QVBoxLayout(footer)
    footer_layout.addWidget(e.reasons)
    footer_layout.addWidget(e.status_line)
    footer_layout.addLayout(buttons)
    outer = QVBoxLayout(e)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll, 1)
    outer.addWidget(footer)
    e.form_scroll = scroll
    e.footer = footer

    # file drops on a text box attach the file instead of pasting its path
    for edit in (e.content_edit, e.title_edit, e.hashtags_edit):
        (edit.viewport() if isinstance(edit, QPlainTextEdit) else edit).installEventFilter(e)
    QShortcut(QKeySequence(QKeySequence.StandardKey.Close), e, e.close)
    QShortcut(QKeySequence("Ctrl+Return"), e, e._schedule_if_enabled)
    QShortcut(QKeySequence(QKeySequence.StandardKey.Save), e, e.save_in_place)


def fix_tab_order(e: Editor) -> None:
    """Tab walks the form top to bottom, then the footer's buttons left to right. Qt's default is the creation
    order, which puts the per-account texts and media rows (built later) after the buttons."""
    chain: list[QWidget] = [
        e.conflict_banner.keep_button,
        e.conflict_banner.take_button,
        e.title_edit,
        *e.picker.focus_chain(),
        e.content_edit,
        e.hashtags_edit,
        e.custom.tabs,
        *e.custom.edits(),
        *e.media.focus_chain(),
        *e.when.focus_chain(),
        *e.repeat.focus_chain(),
        e.results.body,
        e.reasons.toggle,
        e.delete_button,
        e.retry_button,
        e.to_draft_button,
        e.save_draft_button,
        e.publish_button,
        e.schedule_button,
    ]
    for first, second in itertools.pairwise(chain):
        QWidget.setTabOrder(first, second)


def apply_colours(e: Editor) -> None:
    """Every colour the editor sets itself, for the current palette (again when the theme changes)."""
    from latecal.ui.editor.feedback import tones

    t = tones()
    e.banner.setStyleSheet(
        f"#editorBanner {{ background: {t.note_bg}; color: {t.note_fg}; padding: 6px; border-radius: 4px; }}"
    )
    e.custom.refresh_colours()
    for label in (e.media.hint, e.when.hint, e.status_line):
        label.setStyleSheet(f"color: {t.muted};")
    for widget in (*e.findChildren(ProblemLabel), *e.findChildren(CounterRow), e.reasons,
                   e.conflict_banner, e.picker):
        widget.refresh_colours()
    e.media.set_read_only(e.read_only)  # re-colours the rows
    e.results.set_post(e.post, e.accounts)
