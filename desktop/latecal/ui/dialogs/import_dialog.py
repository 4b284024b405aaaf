"""File ▸ Import CSV…: map the columns (when the file is not in Late's format), preview every row as it will be
with its problems, fix a cell or skip a row, then import as one undoable command. Nothing is written before
Import. Rows are checked in slices of a few milliseconds between events, so 5,000 rows keep the window live."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from latecal.core.csv_check import ImportChecker
from latecal.core.csv_columns import FIELDS, is_late_format, is_per_platform, missing_fields
from latecal.core.csv_reading import CsvTable, CsvUnreadable
from latecal.core.csv_rows import ImportContext, RowResult
from latecal.core.csv_values import write_when
from latecal.core.platforms import display_name
from latecal.operations import importing
from latecal.presentation import import_texts as texts
from latecal.ui.widgets.palette import status_accent
from latecal.ui.widgets.plain_text import set_plain, tooltip

PROGRESS_EVERY_S = 0.1
SLICE_S = 0.02  # each slice of checking or filling the table yields to the event loop after this long
COL_IMPORT, COL_ROW, COL_ACCOUNTS, COL_TIME, COL_ZONE, COL_TEXT, COL_MEDIA, COL_PROBLEMS, COL_LATE = range(9)
#: the preview's editable cells and the field a fix there sets
EDITABLE = {COL_TIME: "schedule_time", COL_TEXT: "post_content", COL_MEDIA: "media_urls"}


class Job(Protocol):
    """An import under way (``transfer_actions.ImportJob``): ``finished`` carries its ``OpResult``."""

    finished: SignalInstance

    def start(self) -> object: ...


class ImportDialog(QDialog):
    #: the import went through (its ``OpResult``)
    imported = Signal(object)

    def __init__(self, store, path: Path | str, *, zone: str, on_confirm: Callable[[list[RowResult], str], Job],
                 late_client: Callable[[], object] | None = None, clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(texts.DIALOG_TITLE)
        self.resize(1240, 640)
        self.store, self.path, self.zone, self.on_confirm = store, Path(path), zone, on_confirm
        self.late_client = late_client
        self.clock = clock or (lambda: datetime.now(UTC))
        self.table_data: CsvTable | None = None
        self.checker: ImportChecker | None = None
        self.late_task = None  # Late's dry run (an asyncio task), while it runs
        self.job: Job | None = None
        self._filling = False
        self._filled = 0
        self._across: Iterator[int] | None = None  # the check across the file, under way
        self._shown_at = 0.0  # when the progress was last shown
        self._shown: dict[int, str] = {}  # row -> the problems its row shows
        self._timer = QTimer(self, interval=0, timeout=self._work)
        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.mapping_box = QWidget(self)
        self.mapping_form = QFormLayout(self.mapping_box)
        self.mapping_combos: dict[str, QComboBox] = {}
        self.check_button = QPushButton(texts.CHECK_ROWS, self.mapping_box, clicked=self.start_check)
        self.progress = QProgressBar(self)
        self.cancel_button = QPushButton(texts.CANCEL_CHECK, self, clicked=self.cancel_check)
        self.preview = QTableWidget(0, len(texts.PREVIEW_HEADERS), self)
        self.preview.setHorizontalHeaderLabels(list(texts.PREVIEW_HEADERS))
        self.preview.verticalHeader().hide()  # the Row column numbers rows as the file does
        self.preview.setWordWrap(True)
        header = self.preview.horizontalHeader()
        # fixed widths: sizing a column to its contents measures every row again on every row added
        for col, width in ((COL_IMPORT, 52), (COL_ROW, 48), (COL_ACCOUNTS, 150), (COL_TIME, 115), (COL_ZONE, 115),
                           (COL_MEDIA, 90), (COL_PROBLEMS, 320), (COL_LATE, 140)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.preview.itemChanged.connect(self._on_item_changed)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton(texts.IMPORT_BUTTON.format(count=0),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        for w in (self.status, self.mapping_box, self.progress, self.cancel_button, self.preview, self.buttons):
            layout.addWidget(w)
        self.progress.hide()
        self.cancel_button.hide()
        self.mapping_box.hide()
        QTimer.singleShot(0, self, self._load)  # the dialog shows first; the file is read on the next turn

    # -- reading and mapping ------------------------------------------------------------------------------

    def _load(self) -> None:
        self.mapping_box.hide()
        try:
            self.table_data = importing.read_file(self.path)
        except CsvUnreadable as exc:
            set_plain(self.status, texts.unreadable(self.path.name, exc.problem))
            self.preview.hide()
            return
        table = self.table_data
        mapping = importing.remembered_mapping(self.store, table.header)
        set_plain(self.status, texts.read_as(len(table.rows), table.encoding, table.delimiter_name))
        if is_late_format(table.header) and not missing_fields(mapping):
            self.start_check(mapping)
            return
        self._show_mapping(table.header, mapping)

    def _show_mapping(self, header, mapping: dict[str, str]) -> None:
        hint = QLabel(texts.MAPPING_HINT, self.mapping_box)
        hint.setWordWrap(True)
        self.mapping_form.addRow(hint)
        for column in header:
            combo = QComboBox(self.mapping_box)
            combo.addItem(texts.NOT_IMPORTED, "")
            for f in FIELDS:
                combo.addItem(texts.FIELD_LABELS.get(f, f), f)
            if is_per_platform(mapping.get(column, "")):
                combo.addItem(mapping[column], mapping[column])
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(column, ""))))
            self.mapping_combos[column] = combo
            name = QLabel(self.mapping_box)
            set_plain(name, column)  # the file's own words: never markup
            self.mapping_form.addRow(name, combo)
        self.mapping_form.addRow(self.check_button)
        self.mapping_box.show()

    def chosen_mapping(self) -> dict[str, str]:
        return {column: combo.currentData() or "" for column, combo in self.mapping_combos.items()}

    # -- checking, in slices --------------------------------------------------------------------------------

    def start_check(self, mapping: dict[str, str] | None = None) -> None:
        assert self.table_data is not None
        if not isinstance(mapping, dict):  # the Check rows button
            mapping = self.chosen_mapping()
            if missing := missing_fields(mapping):
                set_plain(self.status, texts.missing_columns(missing))
                return
            importing.remember_mapping(self.store, self.table_data.header, mapping)
            self.mapping_box.hide()
        accounts = {a.id: a for a in self.store.accounts()}
        ctx = ImportContext(accounts, self.store.profiles(), self.clock(), self.zone)
        self.checker = importing.checker_for(self.store, self.table_data, mapping, ctx)
        self.preview.setRowCount(0)
        self._filled = 0
        self._across = None
        self.progress.setRange(0, 2 * max(1, self.checker.total))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self._timer.start()

    @property
    def checking(self) -> bool:
        return self._timer.isActive()

    def cancel_check(self) -> None:
        self._timer.stop()
        self.progress.hide()
        self.cancel_button.hide()
        self.import_button.setEnabled(False)
        set_plain(self.status, texts.CHECK_STOPPED)

    def _work(self) -> None:
        """One slice: check rows, then check them across the file, then fill the table; each until the deadline."""
        checker = self.checker
        assert checker is not None
        deadline = time.perf_counter() + SLICE_S
        while not checker.finished and time.perf_counter() < deadline:
            checker.check_some(25)
        if checker.finished and self._across is None and self.preview.rowCount() == 0:
            importing.load_neighbours(self.store, checker)
            self._across = checker.cross_check_steps(every=100)
        while self._across is not None and time.perf_counter() < deadline:
            if next(self._across, None) is None:
                self._across = None
                self.preview.setRowCount(checker.total)
        if checker.finished and self._across is None:
            self._fill_some(deadline)
        now = time.perf_counter()
        if now - self._shown_at > PROGRESS_EVERY_S:  # a progress bar repaints at once: not on every slice
            self._shown_at = now
            self.progress.setValue(len(checker.rows) + self._filled)
            set_plain(self.status, texts.checking(min(len(checker.rows), checker.total), checker.total))
        if checker.finished and self._across is None and self._filled >= checker.total:
            self._timer.stop()
            self.progress.hide()
            self.cancel_button.hide()
            self._refresh_summary()
            self._ask_late()

    def _fill_some(self, deadline: float) -> None:
        checker = self.checker
        assert checker is not None
        self._filling = True
        try:
            while self._filled < checker.total and time.perf_counter() < deadline:
                self._fill_row(checker.rows[self._filled])
                self._filled += 1
        finally:
            self._filling = False

    def _fill_row(self, row: RowResult) -> None:
        r = row.index - 1
        post = row.post
        accounts = self.checker.ctx.accounts if self.checker else {}
        include = QTableWidgetItem()
        include.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        include.setCheckState(Qt.CheckState.Unchecked if row.skipped or row.already_imported
                              else Qt.CheckState.Checked)
        cells = {COL_IMPORT: include, COL_ROW: _cell(str(row.index))}
        if post is not None:
            who = ", ".join(f"{display_name(a.platform)} {a.label}" for t in post.targets
                            if (a := accounts.get(t.account_id)))
            when = write_when(post.scheduled_for, post.timezone or self.zone) if post.scheduled_for else ""
            per_platform = [f"{display_name(t.platform)}: {t.custom_content}" for t in post.targets
                            if t.custom_content]
            cells[COL_ACCOUNTS] = _cell("\n".join([who or row.values.get("platforms", ""), *per_platform]))
            cells[COL_TIME] = _cell(when or row.values.get("schedule_time", ""), edit=True)
            cells[COL_ZONE] = _cell(post.timezone or self.zone)
            cells[COL_TEXT] = _cell(post.content, edit=True)
            cells[COL_MEDIA] = _cell(", ".join(m.filename or m.url for m in post.media), edit=True)
        else:
            cells[COL_TEXT] = _cell(row.values.get("post_content", ""))
        problems = self._shown[row.index] = self._problem_text(row)
        cells[COL_PROBLEMS] = _cell(problems)
        cells[COL_PROBLEMS].setToolTip(tooltip(problems))
        if row.problems and not row.skipped:
            cells[COL_PROBLEMS].setForeground(status_accent("failed"))
        for col in (COL_ACCOUNTS, COL_TEXT):
            if col in cells:
                cells[col].setToolTip(tooltip(cells[col].text()))
        for col, item in cells.items():
            self.preview.setItem(r, col, item)
        if (late := self.preview.item(r, COL_LATE)) is None:
            self.preview.setItem(r, COL_LATE, _cell(""))
        del late

    def _problem_text(self, row: RowResult) -> str:
        if row.already_imported:
            return texts.ALREADY
        if row.skipped:
            return texts.SKIPPED
        if not row.problems:
            return texts.READY
        assert self.checker is not None
        return "\n".join(texts.cell_problem(self.checker.column_of(f), m) for f, m in row.problems)

    def _refresh_summary(self) -> None:
        s = self.checker.summary() if self.checker else None
        if s is None:
            return
        set_plain(self.status, texts.summary(s.valid, s.already_imported, s.with_problems, s.skipped))
        self.import_button.setText(texts.IMPORT_BUTTON.format(count=s.valid))
        self.import_button.setEnabled(s.valid > 0 and not self.checking)

    # -- fixing and skipping -----------------------------------------------------------------------------

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.checker is None or not self.checker.finished:
            return
        index = item.row() + 1
        if item.column() == COL_IMPORT:
            self.checker.skip(index, item.checkState() != Qt.CheckState.Checked)
        elif item.column() in EDITABLE:
            self.checker.fix(index, EDITABLE[item.column()], item.text())
        else:
            return
        # on the next turn: the table is still inside the edited item's setData, and the row's items are replaced
        QTimer.singleShot(0, self, lambda: self._refill(index))

    def _refill(self, fixed: int) -> None:
        """The fixed (or skipped) row again, and each row whose problems the check across the file changed."""
        assert self.checker is not None
        self._filling = True
        try:
            for row in self.checker.rows:
                if row.index == fixed or self._shown.get(row.index) != self._problem_text(row):
                    self._fill_row(row)
        finally:
            self._filling = False
        self._refresh_summary()

    # -- Late's dry run and the import -----------------------------------------------------------------------

    def _ask_late(self) -> None:
        client = self.late_client() if self.late_client is not None else None
        if client is None or self.checker is None or not self.checker.importable():
            return
        import asyncio  # only with Late to ask: the app's loop is running by then

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self.late_task = loop.create_task(self._late_dry_run(client))

    async def _late_dry_run(self, client) -> None:
        from latecal.core.csv_writing import late_upload_csv
        from latecal.late.errors import LateError

        assert self.checker is not None
        ready = self.checker.importable()
        ctx = self.checker.ctx
        body = late_upload_csv([r.post for r in ready], ctx.accounts, ctx.profiles, self.zone)
        for r in ready:
            self._set_late(r.index, texts.CHECKING_LATE)
        try:
            result = await client.bulk_upload(body, dry_run=True)
        except LateError:
            for r in ready:
                self._set_late(r.index, "")
            set_plain(self.status, texts.LATE_UNREACHABLE)
            return
        for entry in result.rows:
            if 1 <= entry.row_index <= len(ready):
                self._set_late(ready[entry.row_index - 1].index,
                               texts.LATE_OK if entry.ok else texts.late_row_errors(entry.errors))

    def _set_late(self, index: int, text: str) -> None:
        self._filling = True
        try:
            self.preview.setItem(index - 1, COL_LATE, _cell(text))
        finally:
            self._filling = False

    def confirm(self) -> None:
        """Import every ready row as one command: one transaction, one change set, one undo step."""
        if self.checker is None or not self.checker.importable():
            set_plain(self.status, texts.NO_ROWS_TO_IMPORT)
            return
        self.import_button.setEnabled(False)
        self.preview.setEnabled(False)
        set_plain(self.status, texts.importing(len(self.checker.importable())))
        self.job = self.on_confirm(list(self.checker.rows), self.path.name)
        self.job.finished.connect(self._imported)
        self.job.start()

    def _imported(self, result) -> None:
        self.imported.emit(result)
        self.accept()

    def done(self, result: int) -> None:
        self._timer.stop()
        if self.late_task is not None and not self.late_task.done():
            self.late_task.cancel()
        super().done(result)


def _cell(text: str, *, edit: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)  # a table item shows plain text: no rich-text interpretation
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if edit else flags)
    return item
