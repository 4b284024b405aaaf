"""File ▸ Export…: the posts the window shows (its filters and dates) by default, or every post between two
dates, as CSV (Late's bulk format, which imports back) or iCalendar."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QWidget,
)

from latecal.core.models import Post
from latecal.operations import exporting
from latecal.presentation import export_texts as texts
from latecal.ui.widgets.plain_text import set_plain


class ExportDialog(QDialog):
    def __init__(self, store, *, zone: str, shown: Callable[[], Sequence[Post]], start: date, end: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(texts.DIALOG_TITLE)
        self.store, self.zone, self.shown = store, zone, shown
        form = QFormLayout(self)
        self.format = QComboBox(self)
        self.format.addItem(texts.FORMAT_CSV, "csv")
        self.format.addItem(texts.FORMAT_ICS, "ics")
        self.only_shown = QCheckBox(texts.SHOWN_ONLY, self)
        self.only_shown.setChecked(True)
        self.start = QDateEdit(QDate(start.year, start.month, start.day), self, calendarPopup=True)
        self.end = QDateEdit(QDate(end.year, end.month, end.day), self, calendarPopup=True)
        self.only_shown.toggled.connect(lambda on: (self.start.setEnabled(not on), self.end.setEnabled(not on)))
        self.start.setEnabled(False)
        self.end.setEnabled(False)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = buttons.addButton(texts.EXPORT_BUTTON, QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.clicked.connect(self._ask_path)
        buttons.rejected.connect(self.reject)
        form.addRow(self.format)
        form.addRow(self.only_shown)
        form.addRow(texts.FROM_LABEL, self.start)
        form.addRow(texts.TO_LABEL, self.end)
        form.addRow(self.status)
        form.addRow(buttons)

    def posts(self) -> list[Post]:
        if self.only_shown.isChecked():
            return sorted(self.shown(), key=lambda p: (p.scheduled_for is None, p.scheduled_for or 0, p.local_id))
        selection = exporting.Selection(self.start.date().toPython(), self.end.date().toPython(), zone=self.zone)
        return exporting.select_posts(self.store, selection)

    def _ask_path(self) -> None:
        kind = self.format.currentData()
        path, _ = QFileDialog.getSaveFileName(self, texts.DIALOG_TITLE, f"posts.{kind}",
                                              texts.CSV_FILTER if kind == "csv" else texts.ICS_FILTER)
        if path and self.export_to(Path(path)):
            self.accept()

    def export_to(self, path: Path) -> bool:
        """Write the chosen posts to ``path``; False (and the reason shown) when nothing was written."""
        posts = self.posts()
        if not posts:
            set_plain(self.status, texts.nothing_to_export())
            return False
        accounts = {a.id: a for a in self.store.accounts()}
        if self.format.currentData() == "csv":
            data = exporting.csv_text(posts, accounts, self.store.profiles(), self.zone).encode("utf-8")
        else:
            data = exporting.ics_bytes(posts, accounts, self.zone)
        try:
            path.write_bytes(data)
        except OSError as exc:
            set_plain(self.status, texts.cannot_write(str(path), exc.strerror or str(exc)))
            return False
        set_plain(self.status, texts.exported(len(posts), str(path)))
        return True
