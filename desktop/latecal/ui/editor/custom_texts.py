"""The editor's optional text per account: a tab per ticked account over one text box, with that account's
counter and problems. An empty text sends the main text to that account.

One text box serves every tab (switching tabs shows that account's text): a post may have many accounts (an
agency's 50, or 1,000 in an answer from a broken server), and a box, counter and problem line per account made
opening such a post take seconds and a hundred megabytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabBar, QVBoxLayout, QWidget

from latecal.core.models import Account
from latecal.core.platforms import display_name, glyph
from latecal.presentation.editor_texts import custom_text_hint
from latecal.ui.editor.feedback import CounterRow, ProblemLabel, tones

Count = tuple[str, str, int, int | None]


class CustomTexts(QWidget):
    #: a per-account text changed
    edited = Signal()
    #: another account's tab was chosen: its counter is worth computing now
    account_shown = Signal(str)

    def __init__(self, drop_filter: QObject, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts: dict[str, str] = {}  # account id -> its text (kept while its account is unticked)
        self.accounts: list[tuple[str, str]] = []  # the tabs' (platform, account id), in order
        self.problems_by_account: dict[str, list[str]] = {}
        self._labels: dict[str, str] = {}
        self.heading = QLabel(self)
        self.tabs = QTabBar(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.currentChanged.connect(self._show_current)
        self.edit = QPlainTextEdit(self)
        self.edit.setMaximumHeight(110)
        self.edit.setTabChangesFocus(True)
        self.edit.textChanged.connect(self._edited)
        self.edit.viewport().installEventFilter(drop_filter)  # a dropped file attaches instead of pasting a path
        self.counter = CounterRow(self)
        self.problems = ProblemLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs)
        layout.addWidget(self.edit)
        layout.addWidget(self.counter)
        layout.addWidget(self.problems)
        self.refresh_colours()
        self.setVisible(False)

    def refresh_colours(self) -> None:
        self.heading.setText(f"<b>Text per account</b> <span style='color:{tones().muted}'>(optional)</span>")

    def load(self, texts: Mapping[str, str]) -> None:
        self.texts = dict(texts)
        self._show_current()

    def rebuild(self, selected: Iterable[tuple[str, str]], accounts: Mapping[str, Account], *,
                read_only: bool) -> None:
        """One tab per ticked (platform, account id); the account that was shown stays shown (with the caret,
        when its text is unchanged)."""
        selected = list(selected)
        self.edit.setReadOnly(read_only)
        if selected != self.accounts:
            shown = self.current_account()
            self.accounts = selected
            self._labels = {account_id: f"{glyph(platform)} · {accounts[account_id].label}" if account_id in accounts
                            else f"{glyph(platform)} · {account_id}" for platform, account_id in selected}
            with QSignalBlocker(self.tabs):
                while self.tabs.count():
                    self.tabs.removeTab(self.tabs.count() - 1)
                for _platform, account_id in selected:
                    self.tabs.addTab(self._tab_label(account_id))
                ids = [account_id for _platform, account_id in selected]
                self.tabs.setCurrentIndex(ids.index(shown) if shown in ids else 0)
        self._show_current()
        self.setVisible(bool(selected))  # an empty row would still take the form's spacing

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def current_account(self) -> str | None:
        index = self.tabs.currentIndex()
        return self.accounts[index][1] if 0 <= index < len(self.accounts) else None

    def account_ids(self) -> list[str]:
        return [account_id for _platform, account_id in self.accounts]

    def show_account(self, account_id: str) -> QPlainTextEdit:
        """Bring ``account_id``'s tab forward; the text box then holds its text."""
        self.tabs.setCurrentIndex(self.account_ids().index(account_id))
        return self.edit

    def edits(self) -> list[QPlainTextEdit]:
        return [self.edit] if self.accounts else []

    def text(self, account_id: str) -> str:
        return self.texts.get(account_id, "")

    def set_checks(self, problems: Mapping[str, list[str]], counts: list[Count]) -> None:
        """Each account's problems (a ⚠ on its tab) and the shown account's counter."""
        self.problems_by_account = {a: list(m) for a, m in problems.items() if m}
        for index, account_id in enumerate(self.account_ids()):
            label = self._tab_label(account_id)
            if self.tabs.tabText(index) != label:
                self.tabs.setTabText(index, label)
        self.counter.set_counts(counts)
        self.problems.set_messages(self.problems_by_account.get(self.current_account() or "", []))

    def _tab_label(self, account_id: str) -> str:
        return ("⚠ " if account_id in self.problems_by_account else "") + self._labels.get(account_id, account_id)

    def _show_current(self) -> None:
        account_id = self.current_account()
        if account_id is None:
            return
        platform = self.accounts[self.tabs.currentIndex()][0]
        self.edit.setPlaceholderText(custom_text_hint(display_name(platform)))
        text = self.texts.get(account_id, "")
        if self.edit.toPlainText() != text:
            with QSignalBlocker(self.edit):  # showing a text is not editing it
                self.edit.setPlainText(text)
        self.problems.set_messages(self.problems_by_account.get(account_id, []))
        self.account_shown.emit(account_id)

    def _edited(self) -> None:
        account_id = self.current_account()
        if account_id is None:
            return
        self.texts[account_id] = self.edit.toPlainText()
        self.edited.emit()
