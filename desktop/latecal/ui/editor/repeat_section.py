"""The editor's "Repeat" row: how often the post repeats, on which weekdays, until when, with which texts in turn;
and, for a post that is an occurrence of a series, Skip. Saving a repeating post goes through the runner as one
step in the history (``save_with_repeat``); a change to an occurrence first asks "this one / following / all"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from latecal.core.models import Post
from latecal.core.recurrence import MAX_VARIATIONS, Freq, Rule, rule_of_recycling
from latecal.operations.result import OpResult
from latecal.presentation import recurrence_texts as texts
from latecal.ui.editor.scope_question import ask_scope

_FREQS = (None, Freq.DAILY, Freq.WEEKLY, Freq.MONTHLY)
_END_NEVER, _END_ON, _END_AFTER = range(3)


class RepeatSection(QWidget):
    edited = Signal()
    skip_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.freq_combo = QComboBox(self)
        self.freq_combo.addItems([texts.REPEAT_NEVER, *(texts.FREQ_LABELS[f] for f in _FREQS[1:])])
        self.interval = QSpinBox(self, minimum=1, maximum=99)
        self.interval.setPrefix(f"{texts.EVERY_LABEL} ")
        self.unit = QLabel(self)
        self.weekdays = [QCheckBox(name, self) for name in texts.WEEKDAY_NAMES]
        self.end_combo = QComboBox(self)
        self.end_combo.addItems([texts.END_NEVER, texts.END_ON, texts.END_AFTER])
        self.until = QDateEdit(self, calendarPopup=True)
        self.until.setDisplayFormat("d MMM yyyy")
        self.count = QSpinBox(self, minimum=2, maximum=999)
        self.count.setSuffix(texts.TIMES_SUFFIX)
        self.variations_label = QLabel(texts.VARIATIONS_LABEL, self)
        self.variations = QPlainTextEdit(self)
        self.variations.setToolTip(texts.VARIATIONS_TIP)
        self.variations.setTabChangesFocus(True)
        self.variations.setFixedHeight(70)
        self.skip_button = QPushButton(texts.SKIP_ACTION, self)
        self.skip_button.setVisible(False)
        self.stop_button = QPushButton(texts.STOP_ACTION, self)
        self.stop_button.setToolTip(texts.STOP_TIP)
        self.stop_button.setVisible(False)

        first = QHBoxLayout()
        for w in (self.freq_combo, self.interval, self.unit):
            first.addWidget(w)
        first.addStretch(1)
        first.addWidget(self.skip_button)
        first.addWidget(self.stop_button)
        days = QHBoxLayout()
        for box in self.weekdays:
            days.addWidget(box)
        days.addStretch(1)
        end = QHBoxLayout()
        for w in (self.end_combo, self.until, self.count):
            end.addWidget(w)
        end.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for row in (first, days, end):
            layout.addLayout(row)
        layout.addWidget(self.variations_label)
        layout.addWidget(self.variations)

        for signal in (self.freq_combo.currentIndexChanged, self.end_combo.currentIndexChanged,
                       self.interval.valueChanged):
            signal.connect(self._show_parts)
        for signal in (self.freq_combo.currentIndexChanged, self.interval.valueChanged,
                       self.end_combo.currentIndexChanged, self.until.dateChanged, self.count.valueChanged,
                       self.variations.textChanged,
                       *(b.toggled for b in self.weekdays)):
            signal.connect(self.edited)
        self.skip_button.clicked.connect(self.skip_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        self._show_parts()

    def focus_chain(self) -> list[QWidget]:
        return [self.freq_combo, self.interval, *self.weekdays, self.end_combo, self.until, self.count,
                self.variations, self.skip_button, self.stop_button]

    def _show_parts(self) -> None:
        freq = _FREQS[self.freq_combo.currentIndex()]
        on = freq is not None
        self.interval.setVisible(on)
        self.unit.setVisible(on)
        if on:
            self.unit.setText(texts.UNIT_LABELS[freq][self.interval.value() != 1])
        for box in self.weekdays:
            box.setVisible(freq is Freq.WEEKLY)
        for w in (self.end_combo, self.variations_label, self.variations):
            w.setVisible(on)
        self.until.setVisible(on and self.end_combo.currentIndex() == _END_ON)
        self.count.setVisible(on and self.end_combo.currentIndex() == _END_AFTER)

    def rule(self) -> Rule | None:
        freq = _FREQS[self.freq_combo.currentIndex()]
        if freq is None:
            return None
        lines = tuple(t.strip() for t in self.variations.toPlainText().splitlines() if t.strip())[:MAX_VARIATIONS]
        end = self.end_combo.currentIndex()
        return Rule(freq, self.interval.value(),
                    tuple(i for i, b in enumerate(self.weekdays) if b.isChecked()) if freq is Freq.WEEKLY else (),
                    until=self.until.date().toPython() if end == _END_ON else None,
                    count=self.count.value() if end == _END_AFTER else None, variations=lines)

    def show_rule(self, rule: Rule | None, *, occurrence: bool, default_until: date, editable: bool = True) -> None:
        """Fill the fields from ``rule`` (None: does not repeat); ``occurrence``: the post belongs to a series;
        ``editable`` False (a post gone out): only Stop repeating stays, since Late still takes that."""
        widgets = [self.freq_combo, self.interval, self.end_combo, self.until, self.count, self.variations,
                   *self.weekdays]
        for w in widgets:
            w.blockSignals(True)
        try:
            self.freq_combo.setCurrentIndex(_FREQS.index(rule.freq) if rule else 0)
            self.interval.setValue(rule.interval if rule else 1)
            for i, box in enumerate(self.weekdays):
                box.setChecked(bool(rule) and i in rule.weekdays)
            self.end_combo.setCurrentIndex(_END_ON if rule and rule.until else _END_AFTER if rule and rule.count
                                           else _END_NEVER)
            until = rule.until if rule and rule.until else default_until
            self.until.setDate(QDate(until.year, until.month, until.day))
            self.count.setValue(rule.count if rule and rule.count else 4)
            self.variations.setPlainText("\n".join(rule.variations) if rule else "")
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.skip_button.setVisible(occurrence)
        self.stop_button.setVisible(occurrence)
        for w in self.focus_chain():
            w.setEnabled(editable or w is self.stop_button)
        self._show_parts()


def attach(editor) -> RepeatSection:
    """Add the Repeat row under the editor's "When" row, filled from the editor's post."""
    section = RepeatSection(editor)
    form = next(f for f in editor.when.parentWidget().findChildren(QFormLayout) if f.indexOf(editor.when) >= 0)
    row, _role = form.getWidgetPosition(editor.when)
    form.insertRow(row + 1, texts.REPEAT_LABEL, section)
    section.edited.connect(editor._edited)
    editor.ask_scope = ask_scope  # injectable, like the close question
    section.skip_requested.connect(lambda: skip(editor))
    section.stop_requested.connect(lambda: editor.runner.stop_series(editor.post.local_id))
    editor.saved.connect(lambda _post: load(editor, section))  # e.g. an occurrence now in a series of its own
    load(editor, section)
    return section


def load(editor, section: RepeatSection) -> None:
    post: Post = editor.post
    series = editor.store.get_series(post.series_id) if post.series_id else None
    # a post Late repeats without a series here (set up elsewhere) shows Late's rule
    rule = series.rule if series else rule_of_recycling(post.recycling) if post.recycling else None
    section.show_rule(rule, occurrence=series is not None,
                      default_until=(post.scheduled_for or editor.clock()).date() + timedelta(days=90),
                      editable=not editor.read_only)


#: asks which occurrences a change is for ("this" | "following" | "all" | None); replaced in tests
Ask = Callable[[QWidget], str | None]


def save_with_repeat(editor, post: Post) -> OpResult | None:
    """Save ``post`` as its Repeat row says; None when the row has nothing to do with this save (a plain save)."""
    section: RepeatSection = editor.repeat
    stored = None if editor.is_new else editor.store.get_post(post.local_id)
    if stored is not None and stored.series_id:
        if section.rule() is None:  # "Does not repeat": the series ends with this post
            return editor.runner.save_and_stop(post, initiator=editor)
        series = editor.store.get_series(stored.series_id)
        # one post Late repeats: nothing to choose between; else the desktop calendar's question
        scope = "all" if series is not None and series.on_late else editor.ask_scope(editor)
        if scope is None:
            return OpResult()
        return editor.runner.edit_series(post, scope, section.rule(), initiator=editor)
    rule = section.rule()
    if rule is None or post.scheduled_for is None:
        return None
    return editor.runner.save_repeating(post, rule, initiator=editor)


def skip(editor) -> None:
    editor.runner.skip_occurrence(editor.post.local_id)
