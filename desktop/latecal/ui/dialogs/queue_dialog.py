"""A profile's posting queue on Late: its weekly slots (in the queue's zone), edited here and saved with
``PUT /v1/queue/slots``, with Late's preview of the next free slots. Saving says first how many posts are already
queued and asks whether Late should move them onto the new slots (``reshuffleExisting``, off unless chosen).

Late acts on a save at once: it cannot be undone here (the dialog says so). The dialog is not modal and asks its
question with a window-modal box that does not block (no nested event loop); the requests run as tasks it keeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from latecal.core.models import Post, Profile
from latecal.core.queue_slots import QueueSchedule, WeeklySlot
from latecal.presentation import queue_texts as words
from latecal.presentation import time_format
from latecal.ui.widgets.plain_text import menu_text, plain_box, plain_label, set_plain

_MONDAY_FIRST = (1, 2, 3, 4, 5, 6, 0)  # how the day box lists Late's 0 = Sunday … 6 = Saturday


class QueueDialog(QDialog):
    #: Late keeps new slots for a queue (the window redraws the calendar's queue slots)
    queue_saved = Signal(object)

    def __init__(self, queues: list[tuple[QueueSchedule, Profile]], *, runner, client: Callable[[], object | None],
                 queued_posts: Callable[[QueueSchedule], list[Post]], zone, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queues = list(queues)
        self.runner, self._client, self._queued_posts = runner, client, queued_posts
        self.zone = zone
        self.tasks: set[asyncio.Task] = set()
        self.question: QMessageBox | None = None
        self.queue_box = QComboBox(self)  # which profile's queue (several profiles, or several queues of one)
        for schedule, profile in self.queues:
            self.queue_box.addItem(menu_text(words.queue_name(schedule, profile.name)))
        self.queue_box.setVisible(len(self.queues) > 1)
        self.zone_label = plain_label(QLabel(self))
        self.slot_list = QListWidget(self)
        self.day_box = QComboBox(self)
        for dow in _MONDAY_FIRST:
            self.day_box.addItem(words.day_name(dow), dow)
        self.time_edit = QTimeEdit(QTime(9, 0), self)
        self.time_edit.setDisplayFormat(time_format.qt_time_format())
        self.add_button = QPushButton(words.ADD_SLOT, self)
        self.remove_button = QPushButton(words.REMOVE_SLOT, self)
        self.preview_heading = QLabel(words.PREVIEW_HEADING, self)
        self.preview = QListWidget(self)
        self.status = plain_label(QLabel(self))
        self.status.setWordWrap(True)
        note = QLabel(words.SAVE_CANNOT_UNDO, self)
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        adder = QHBoxLayout()
        for widget in (self.day_box, self.time_edit, self.add_button, self.remove_button):
            adder.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.queue_box)
        layout.addWidget(self.zone_label)
        layout.addWidget(self.slot_list, 1)
        layout.addLayout(adder)
        layout.addWidget(self.preview_heading)
        layout.addWidget(self.preview, 1)
        layout.addWidget(note)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.add_button.clicked.connect(self.add_slot)
        self.remove_button.clicked.connect(self.remove_slot)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.queue_box.currentIndexChanged.connect(self.show_queue)
        self.resize(460, 540)
        self.show_queue(0)

    def show_queue(self, index: int) -> None:
        """Show (and preview) the ``index``-th queue; edits not saved to the one shown before are dropped."""
        self.schedule, self.profile = self.queues[index]
        self.slots = sorted(self.schedule.slots, key=_week_order)
        self.setWindowTitle(words.dialog_title(self.schedule, self.profile.name))
        set_plain(self.zone_label, f"{words.QUEUE_ZONE_HINT} {self.schedule.timezone}")
        set_plain(self.status, "")
        self._show_slots()
        self._spawn(self._load_preview())

    # -- the slots -----------------------------------------------------------------------------------------------

    def _show_slots(self) -> None:
        self.slot_list.clear()
        for slot in self.slots:
            item = QListWidgetItem(f"{words.day_name(slot.day_of_week)} {time_format.clock(slot.at)}")
            self.slot_list.addItem(item)
        if not self.slots:
            self.slot_list.addItem(QListWidgetItem(words.NO_SLOTS))
        self.remove_button.setEnabled(bool(self.slots))

    def add_slot(self) -> None:
        at = self.time_edit.time()
        slot = WeeklySlot(self.day_box.currentData(), time(at.hour(), at.minute()))
        if slot not in self.slots:
            self.slots = sorted([*self.slots, slot], key=_week_order)
            self._show_slots()
        self.slot_list.setCurrentRow(self.slots.index(slot))

    def remove_slot(self) -> None:
        row = self.slot_list.currentRow()
        if 0 <= row < len(self.slots):
            del self.slots[row]
            self._show_slots()
            self.slot_list.setCurrentRow(min(row, len(self.slots) - 1))

    # -- Late ----------------------------------------------------------------------------------------------------

    def _spawn(self, coro) -> None:
        try:
            task = asyncio.get_running_loop().create_task(coro)
        except RuntimeError:  # no event loop yet (Late not connected): nothing to ask
            coro.close()
            return
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _load_preview(self) -> None:
        client = self._client()
        if client is None:
            set_plain(self.status, words.QUEUE_NEEDS_LATE)
            return
        self.preview.clear()
        self.preview.addItem(words.PREVIEW_LOADING)
        from latecal.late.errors import LateError

        try:
            slots = await client.preview_queue(self.schedule.profile_id, queue_id=self.schedule.id, count=10)
        except LateError as exc:
            self.preview.clear()
            set_plain(self.status, words.could_not_read_queue(exc.plain))
            return
        self._show_preview(slots)

    def _show_preview(self, slots) -> None:
        self.preview.clear()
        for when in slots:
            self.preview.addItem(words.preview_line(when, self.zone))

    def queued_now(self) -> list[Post]:
        """The posts already in the queue's slots from now on: what a reshuffle would move."""
        return self._queued_posts(self.schedule)

    def save(self) -> None:
        client = self._client()
        if client is None:
            set_plain(self.status, words.QUEUE_NEEDS_LATE)
            return
        queued = self.queued_now()
        if not queued:
            self._spawn(self._save(client, reshuffle=False))
            return
        box = self.question = QMessageBox(QMessageBox.Icon.Question, words.RESHUFFLE_TITLE,
                                          words.reshuffle_question(len(queued), self.profile.name),
                                          QMessageBox.StandardButton.NoButton, self)
        plain_box(box)
        move = box.addButton(words.MOVE_THEM, QMessageBox.ButtonRole.YesRole)
        keep = box.addButton(words.KEEP_TIMES, QMessageBox.ButtonRole.NoRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)  # Late moves nothing unless asked

        def answered() -> None:
            chosen = box.clickedButton()
            if chosen in (move, keep):
                self._spawn(self._save(client, reshuffle=chosen is move))

        box.finished.connect(answered)
        box.open()

    async def _save(self, client, *, reshuffle: bool) -> None:
        self.save_button.setEnabled(False)
        try:
            saved = await self.runner.save_queue(self.schedule, list(self.slots), self.profile.name, client,
                                                 reshuffle=reshuffle)
        finally:
            self.save_button.setEnabled(True)
        set_plain(self.status, saved.message.text)
        if saved.update is None:
            return
        if saved.update.schedule is not None:
            self.schedule = saved.update.schedule
            self.queues[self.queue_box.currentIndex()] = (self.schedule, self.profile)
        self._show_preview(saved.update.next_slots)
        self.queue_saved.emit(self.schedule)


def _week_order(slot: WeeklySlot) -> tuple[int, time]:
    return _MONDAY_FIRST.index(slot.day_of_week), slot.at
