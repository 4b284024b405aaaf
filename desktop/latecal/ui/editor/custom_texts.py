"""The editor's optional text per account: one tab per ticked account, each with its own counter and problems.
An empty tab sends the main text to that account."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget

from latecal.core.models import Account
from latecal.core.platforms import display_name, glyph
from latecal.presentation.editor_texts import custom_text_hint
from latecal.ui.editor.feedback import CounterRow, ProblemLabel, tones


class CustomTexts(QWidget):
    #: a per-account text changed
    edited = Signal()

    def __init__(self, drop_filter: QObject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._drop_filter = drop_filter  # file drops on a text box attach the file instead of pasting its path
        self.texts: dict[str, str] = {}  # account id -> its text (kept while its account is unticked)
        self.widgets: dict[str, tuple[QPlainTextEdit, CounterRow, ProblemLabel]] = {}
        self.heading = QLabel(self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs)
        self.refresh_colours()

    def refresh_colours(self) -> None:
        self.heading.setText(f"<b>Text per account</b> <span style='color:{tones().muted}'>(optional)</span>")

    def load(self, texts: Mapping[str, str]) -> None:
        self.texts = dict(texts)

    def rebuild(self, selected: Iterable[tuple[str, str]], accounts: Mapping[str, Account], *,
                read_only: bool) -> None:
        """One tab per ticked (platform, account id); the tab that was current stays current. The same accounts
        as shown keep their tabs (and the caret in them): only a text that differs is set."""
        selected = list(selected)
        if selected and [account_id for _platform, account_id in selected] == list(self.widgets):
            for account_id, (edit, _counter, _problems) in self.widgets.items():
                edit.setReadOnly(read_only)
                if edit.toPlainText() != self.texts.get(account_id, ""):
                    edit.setPlainText(self.texts.get(account_id, ""))
            return
        current = self.tabs.tabText(self.tabs.currentIndex())
        self.tabs.clear()
        self.widgets.clear()
        for platform, account_id in selected:
            account = accounts.get(account_id)
            page = QWidget(self.tabs)
            edit = QPlainTextEdit(self.texts.get(account_id, ""), page)
            edit.setPlaceholderText(custom_text_hint(display_name(platform)))
            edit.setReadOnly(read_only)
            edit.setMaximumHeight(110)
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(lambda a=account_id, e=edit: self._edited(a, e))
            edit.viewport().installEventFilter(self._drop_filter)
            counter = CounterRow(page)
            problems = ProblemLabel(page)
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 4, 0, 0)
            layout.addWidget(edit)
            layout.addWidget(counter)
            layout.addWidget(problems)
            self.tabs.addTab(page, f"{glyph(platform)} · {account.label if account else account_id}")
            self.widgets[account_id] = (edit, counter, problems)
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i) == current:
                self.tabs.setCurrentIndex(i)
        shown = bool(self.widgets)
        self.tabs.setVisible(shown)
        self.heading.setVisible(shown)
        self.setVisible(shown)  # an empty row would still take the form's spacing

    def set_read_only(self, read_only: bool) -> None:
        for edit, _counter, _problems in self.widgets.values():
            edit.setReadOnly(read_only)

    def edit(self, account_id: str) -> QPlainTextEdit:
        return self.widgets[account_id][0]

    def edits(self) -> list[QPlainTextEdit]:
        return [edit for edit, _counter, _problems in self.widgets.values()]

    def text(self, account_id: str) -> str:
        return self.texts.get(account_id, "")

    def _edited(self, account_id: str, edit: QPlainTextEdit) -> None:
        self.texts[account_id] = edit.toPlainText()
        self.edited.emit()
