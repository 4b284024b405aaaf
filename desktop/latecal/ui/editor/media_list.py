"""The editor's attachments: one row per file with a preview, upload progress, alt text and its buttons."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from latecal.core.models import MediaItem
from latecal.core.platforms import format_bytes, media_kind
from latecal.presentation import media_texts as words
from latecal.ui.editor.feedback import tones
from latecal.ui.editor.media_thumbnails import THUMB_SIZE, thumbnail_for
from latecal.ui.widgets.plain_text import plain_label

UPLOADED, WAITING, UPLOADING, FAILED, CANCELLED = "uploaded", "waiting", "uploading", "failed", "cancelled"


@dataclass(eq=False)
class MediaEntry:
    """An attachment and where its upload stands (the task is kept here so it is not garbage-collected)."""

    item: MediaItem
    state: str = UPLOADED
    sent: int = 0
    total: int = 0
    error: str = ""
    #: it failed for want of a connection: it starts again by itself once a sync reaches Late
    retry_when_online: bool = False
    task: asyncio.Task | None = field(default=None, repr=False)
    cancel: asyncio.Event | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.item.filename or self.item.url.rsplit("/", 1)[-1] or "attachment"

    @property
    def percent(self) -> int:
        if self.state == UPLOADED:
            return 100
        return int(self.sent * 100 / self.total) if self.total > 0 else 0

    def problem(self) -> str | None:
        """Why this attachment stops the post from being scheduled, or None."""
        if self.state in (WAITING, UPLOADING):
            return words.still_uploading(self.name, self.percent)
        if self.state == FAILED:
            if self.retry_when_online:
                return words.not_uploaded_yet(self.name, self.error)
            return words.did_not_upload(self.name, self.error)
        if self.state == CANCELLED:
            return words.upload_cancelled(self.name)
        return None


def alt_text_hint(item: MediaItem) -> str:
    return words.alt_text_hint(media_kind(item.mime_type, item.type))


def _button(text: str, tip: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    return button


class MediaRow(QFrame):
    def __init__(self, entry: MediaEntry, owner: MediaList) -> None:
        super().__init__(owner)
        self.entry = entry
        self.setObjectName("mediaRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.thumb = QLabel(self)
        self.thumb.setFixedSize(THUMB_SIZE, THUMB_SIZE)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setPixmap(thumbnail_for(entry.item))
        self.name = plain_label(QLabel(self))
        self.status = plain_label(QLabel(self))  # an upload's failure quotes Late
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.setMaximumHeight(14)
        self.alt_text = QLineEdit(entry.item.alt_text, self)
        self.alt_text.setPlaceholderText(alt_text_hint(entry.item))
        self.alt_text.textEdited.connect(self._alt_text_edited)
        self.up = _button("↑", "Move up", self)
        self.down = _button("↓", "Move down", self)
        self.cancel = _button("Cancel", "Stop this upload", self)
        self.retry = _button("Retry", "Upload this file again", self)
        self.remove = _button("Remove", "Remove this attachment", self)
        self.up.clicked.connect(lambda: owner.move_requested.emit(self.entry, -1))
        self.down.clicked.connect(lambda: owner.move_requested.emit(self.entry, 1))
        self.cancel.clicked.connect(lambda: owner.cancel_requested.emit(self.entry))
        self.retry.clicked.connect(lambda: owner.retry_requested.emit(self.entry))
        self.remove.clicked.connect(lambda: owner.remove_requested.emit(self.entry))
        self._owner = owner

        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.name)
        text.addWidget(self.status)
        text.addWidget(self.progress)
        text.addWidget(self.alt_text)
        buttons = QVBoxLayout()
        buttons.setSpacing(0)
        arrows = QHBoxLayout()
        arrows.addWidget(self.up)
        arrows.addWidget(self.down)
        buttons.addLayout(arrows)
        for b in (self.cancel, self.retry, self.remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        row.addLayout(buttons)
        self.refresh()

    def _alt_text_edited(self, text: str) -> None:
        self.entry.item.alt_text = text
        self._owner.alt_text_changed.emit()

    def focus_chain(self) -> list[QWidget]:
        """The row's focusable widgets in reading order (hidden ones are skipped by Qt's Tab anyway)."""
        return [self.alt_text, self.up, self.down, self.cancel, self.retry, self.remove]

    def set_read_only(self, read_only: bool) -> None:
        self.alt_text.setReadOnly(read_only)
        for b in (self.up, self.down, self.remove):
            b.setVisible(not read_only)
        if read_only:
            self.cancel.setVisible(False)
            self.retry.setVisible(False)

    def refresh(self) -> None:
        e = self.entry
        size = f" · {format_bytes(e.item.size)}" if e.item.size else ""
        self.name.setText(f"{e.name}{size}")
        self.progress.setValue(e.percent)
        self.progress.setVisible(e.state in (WAITING, UPLOADING) or (e.state == UPLOADED and e.sent > 0))
        self.status.setText(words.upload_state(e.state, percent=e.percent, error=e.error, uploaded=e.item.uploaded))
        palette_tones = tones()
        colour = {FAILED: palette_tones.error, CANCELLED: palette_tones.warning}.get(e.state)
        self.status.setStyleSheet(f"color: {colour};" if colour else "")
        self.cancel.setVisible(e.state in (WAITING, UPLOADING))
        self.retry.setVisible(e.state in (FAILED, CANCELLED))


class MediaList(QWidget):
    move_requested = Signal(object, int)
    cancel_requested = Signal(object)
    retry_requested = Signal(object)
    remove_requested = Signal(object)
    alt_text_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[MediaRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._read_only = False

    def set_entries(self, entries: list[MediaEntry]) -> None:
        for row in self.rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self.rows = [MediaRow(e, self) for e in entries]
        for n, row in enumerate(self.rows):
            self._layout.addWidget(row)
            row.up.setEnabled(n > 0)
            row.down.setEnabled(n < len(self.rows) - 1)
            row.set_read_only(self._read_only)
        self.setVisible(bool(self.rows))

    def focus_chain(self) -> list[QWidget]:
        return [w for row in self.rows for w in row.focus_chain()]

    def row_for(self, entry: MediaEntry) -> MediaRow | None:
        return next((r for r in self.rows if r.entry is entry), None)

    def refresh(self, entry: MediaEntry) -> None:
        row = self.row_for(entry)
        if row is not None:
            row.refresh()
            row.set_read_only(self._read_only)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for row in self.rows:
            row.refresh()
            row.set_read_only(read_only)
