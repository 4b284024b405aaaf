"""Inline feedback in the editor: the problem list under a field and the per-platform character counters."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

AMBER = "#b26a00"
RED = "#c62828"
NEAR_LIMIT = 0.9  # from 90 % of the limit the counter turns amber


def counter_colour(count: int, limit: int | None) -> str | None:
    if limit is None:
        return None
    if count > limit:
        return RED
    if count >= NEAR_LIMIT * limit:
        return AMBER
    return None


class ProblemLabel(QLabel):
    """Red lines under a field, one per problem; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setStyleSheet(f"color: {RED};")
        self.messages: list[str] = []
        self.setVisible(False)

    def set_messages(self, messages: list[str]) -> None:
        self.messages = list(dict.fromkeys(messages))
        self.setText("<br>".join(f"⚠ {html.escape(m)}" for m in self.messages))
        self.setVisible(bool(self.messages))


class CounterRow(QWidget):
    """One "X 45 / 280" chip per platform; ``set_counts`` takes (key, label, count, limit) tuples."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)
        self._layout.addStretch(1)
        self.labels: dict[str, QLabel] = {}

    def set_counts(self, counts: list[tuple[str, str, int, int | None]]) -> None:
        wanted = {key for key, *_ in counts}
        for key in [k for k in self.labels if k not in wanted]:
            self.labels.pop(key).deleteLater()
        for key, name, count, limit in counts:
            label = self.labels.get(key)
            if label is None:
                label = self.labels[key] = QLabel(self)
                self._layout.insertWidget(self._layout.count() - 1, label)
            label.setText(f"{name} {count:,} / {limit:,}" if limit is not None else f"{name} {count:,}")
            colour = counter_colour(count, limit)
            weight = "bold" if colour == RED else "normal"
            label.setStyleSheet(f"color: {colour}; font-weight: {weight};" if colour else "color: gray;")
            label.setProperty("level", {RED: "over", AMBER: "near"}.get(colour or "", "ok"))
            label.setToolTip(
                f"{name} counts {count:,} characters" + (f" of {limit:,} allowed" if limit is not None else "")
            )
