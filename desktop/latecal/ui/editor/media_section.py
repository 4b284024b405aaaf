"""The editor's "Media" row: the attached files, adding them (picker or drop), and their uploads.

Each file is checked against every selected platform before it is uploaded. Uploads run as asyncio tasks the
section keeps references to; a post cannot be scheduled while one is pending, failed or cancelled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from latecal.core.media import PICKER_EXTENSIONS, media_item_for_file
from latecal.core.models import Account, MediaItem, Target
from latecal.core.validation import Problem
from latecal.presentation import media_texts as words
from latecal.ui.editor.feedback import ProblemLabel
from latecal.ui.editor.media_files import file_problems, shape_problem
from latecal.ui.editor.media_list import CANCELLED, FAILED, UPLOADED, UPLOADING, WAITING, MediaEntry, MediaList
from latecal.ui.editor.media_uploader import is_connection_failure, upload_error_text


class MediaSection(QWidget):
    #: the attachments changed (added, removed, reordered, uploaded, alt text): the form is edited
    edited = Signal()
    #: an upload's progress moved: the schedule button's reasons follow
    progressed = Signal()
    #: an upload ended (uploaded, failed or cancelled): its MediaEntry
    upload_finished = Signal(object)

    def __init__(self, targets: Callable[[], list[Target]], accounts: Mapping[str, Account],
                 clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.targets = targets  # the accounts ticked now (a file is checked against each)
        self.accounts = accounts
        self.clock = clock
        self.uploader = None
        self.entries: list[MediaEntry] = []
        self.rejected: list[str] = []  # why the last files added were not attached
        self.read_only = False
        self.closing = False  # the editor is closing for good: uploads end without touching its widgets
        self._tasks: set[asyncio.Task] = set()
        self.list = MediaList(self)
        self.list.set_entries(self.entries)  # no files yet: the empty list takes no room
        self.add_button = QPushButton("Add images or videos…", self)
        self.add_button.clicked.connect(self.pick_files)
        self.hint = QLabel("…or drop files here.", self)
        self.problems = ProblemLabel(self)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(add_row)
        layout.addWidget(self.problems)
        self.list.move_requested.connect(self.move_media)
        self.list.remove_requested.connect(self.remove_media)
        self.list.cancel_requested.connect(self.cancel_upload)
        self.list.retry_requested.connect(self.start_upload)
        self.list.alt_text_changed.connect(self.edited)

    def items(self) -> list[MediaItem]:
        return [replace(e.item) for e in self.entries]

    def focus_chain(self) -> list[QWidget]:
        return [*self.list.focus_chain(), self.add_button]

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.list.set_read_only(read_only)  # re-colours the rows
        self.add_button.setEnabled(not read_only)
        self.hint.setVisible(not read_only)

    def load(self, media: list[MediaItem]) -> None:
        """Show the post's files; files attached before a crash or saved mid-upload are uploaded now (uploaded
        ones never again). The same files as shown keep their rows (uploads under way go on)."""
        if [e.item for e in self.entries] == list(media):
            return
        self.entries = [MediaEntry(replace(m), state=UPLOADED if m.url else WAITING) for m in media]
        self.list.set_entries(self.entries)
        for entry in self.entries:
            if entry.state == WAITING:
                self.start_upload(entry)

    def upload_problems(self) -> list[Problem]:
        """Where each file stands (uploads), and what only the file on disk tells (its shape)."""
        problems = [Problem("media", msg) for e in self.entries if (msg := e.problem())]
        targets = self.targets()  # e.g. Instagram ticked after the file
        return problems + [Problem("media", msg) for e in self.entries if (msg := shape_problem(e.item, targets))]

    def busy(self) -> bool:
        return any(e.state in (WAITING, UPLOADING) for e in self.entries)

    # -- adding, removing, ordering -----------------------------------------------------------------------

    def pick_files(self) -> None:
        """The file picker (a normal slot: a modal dialog must never run inside a coroutine)."""
        dialog = self.file_dialog()
        if dialog.exec():
            self.add_files(dialog.selectedFiles())

    def file_dialog(self) -> QFileDialog:
        dialog = QFileDialog(self, "Add images or videos")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilter(words.picker_filter(PICKER_EXTENSIONS))
        return dialog

    def add_files(self, paths: list[str]) -> list[MediaEntry]:
        """Attach files: each is checked against every selected platform first, then uploaded."""
        if self.read_only:
            return []
        added = []
        self.rejected = []
        targets = self.targets()
        for path in paths:
            if any(e.item.local_path == path for e in self.entries):
                continue  # attached already: never uploaded twice
            try:
                item = media_item_for_file(path)
            except OSError as exc:
                self.rejected.append(words.cannot_read(path, str(exc.strerror or exc)))
                continue
            problems = file_problems(item, targets, self.accounts, now=self.clock())
            if problems:
                self.rejected.append(words.not_added(item.filename, problems))
                continue
            entry = MediaEntry(item, state=WAITING)
            self.entries.append(entry)
            added.append(entry)
        self.list.set_entries(self.entries)
        for entry in added:
            self.start_upload(entry)
        self.edited.emit()
        return added

    def remove_media(self, entry: MediaEntry) -> None:
        self.cancel_upload(entry)
        if entry in self.entries:
            self.entries.remove(entry)
        self.list.set_entries(self.entries)
        self.edited.emit()

    def move_media(self, entry: MediaEntry, step: int) -> None:
        i = self.entries.index(entry)
        j = min(max(i + step, 0), len(self.entries) - 1)
        self.entries.insert(j, self.entries.pop(i))
        self.list.set_entries(self.entries)
        self.edited.emit()

    # -- uploads -------------------------------------------------------------------------------------------

    def start_upload(self, entry: MediaEntry) -> None:
        entry.sent, entry.total, entry.error, entry.retry_when_online = 0, entry.item.size or 0, "", False
        if self.uploader is None:
            entry.state, entry.error = FAILED, words.NOT_CONNECTED
        else:
            entry.state = WAITING
            entry.cancel = asyncio.Event()
            task = asyncio.ensure_future(self._upload(entry))
            entry.task = task
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self.list.refresh(entry)
        self.progressed.emit()

    async def _upload(self, entry: MediaEntry) -> None:
        from latecal.late.errors import UploadCancelled  # not at import time: the window paints before httpx loads

        assert self.uploader is not None and entry.cancel is not None
        try:
            result = await self.uploader.upload(
                entry.item.local_path,
                entry.item.mime_type,
                progress=lambda sent, total: self._on_progress(entry, sent, total),
                cancel=entry.cancel,
            )
        except (UploadCancelled, asyncio.CancelledError):
            entry.state = CANCELLED
        except Exception as exc:  # any failure is the file's state, shown on its row; never an app error
            entry.state, entry.error = FAILED, upload_error_text(exc)
            entry.retry_when_online = is_connection_failure(exc)
        else:
            if entry in self.entries:
                entry.item.url = result.public_url
                entry.item.size = result.size or entry.item.size
                entry.state = UPLOADED
            else:
                entry.state = CANCELLED  # removed while it was uploading
        finally:
            entry.task = None
            if not self.closing:
                self.list.refresh(entry)
                self.edited.emit()
            self.upload_finished.emit(entry)

    def _on_progress(self, entry: MediaEntry, sent: int, total: int) -> None:
        entry.state = UPLOADING
        entry.sent = sent
        entry.total = total if total > 0 else entry.total
        self.list.refresh(entry)
        self.progressed.emit()

    def cancel_upload(self, entry: MediaEntry) -> None:
        if entry.cancel is not None:
            entry.cancel.set()
        if entry.task is not None:
            entry.task.cancel()  # also stops a request that already sent its last byte

    def cancel_all(self) -> None:
        self.closing = True
        for entry in self.entries:
            self.cancel_upload(entry)

    def set_uploader(self, uploader) -> None:
        self.uploader = uploader
        for entry in self.entries:
            if entry.state == FAILED and entry.error == words.NOT_CONNECTED:
                self.start_upload(entry)

    def late_answered(self) -> None:
        """A sync reached Late: uploads that failed for want of a connection start again by themselves."""
        if self.uploader is None or self.closing:
            return
        for entry in self.entries:
            if entry.state == FAILED and entry.retry_when_online:
                self.start_upload(entry)
