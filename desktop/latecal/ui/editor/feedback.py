"""Inline feedback in the editor: the problem list under a field, the per-platform character counters, the
compact "Cannot schedule yet" box, and the colours they use in light and dark themes."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from latecal.presentation import editor_texts as texts
from latecal.ui.widgets.palette import is_dark_theme
from latecal.ui.widgets.plain_text import escaped, tooltip

# Light-theme tones, ≥ 4.5:1 on a white or light grey window; the dark ones are as readable on a dark window.
AMBER = "#9a5b00"
RED = "#c62828"
AMBER_DARK = "#ffb74d"
RED_DARK = "#ff8a80"
NEAR_LIMIT = 0.9  # from 90 % of the limit the counter turns amber
MUTED_SHARE = 0.62  # hints: this much of the text colour over the window colour (about 5:1 in both themes)
SHOWN_REASONS = 3  # the footer lists this many problems before it collapses the rest


@dataclass(frozen=True, slots=True)
class Tones:
    """Every colour the editor writes into a style sheet or rich text, for one palette."""

    dark: bool
    error: str
    warning: str
    muted: str
    note_fg: str
    note_bg: str
    conflict_fg: str
    conflict_bg: str
    conflict_border: str


def _blend(a: QColor, b: QColor, share_a: float) -> str:
    mix = [round(x * share_a + y * (1 - share_a)) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True)]
    return QColor(*mix).name()


def tones(palette: QPalette | None = None) -> Tones:
    """Colours for ``palette`` (the application's by default): hints derive from its text and window colours,
    the signal colours are picked per theme."""
    palette = palette or QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    dark = is_dark_theme(palette)
    muted = _blend(text, window, MUTED_SHARE)
    if dark:
        return Tones(dark, RED_DARK, AMBER_DARK, muted, "#ffe08a", "#3d3215", "#ffe2c2", "#42301a", "#e07b00")
    return Tones(dark, RED, AMBER, muted, "#5a4300", "#fff4d6", "#4a2a00", "#fff1e0", "#e07b00")


def counter_level(count: int, limit: int | None) -> str:
    if limit is None or count < NEAR_LIMIT * limit:
        return "ok"
    return "over" if count > limit else "near"


def counter_colour(count: int, limit: int | None, palette_tones: Tones | None = None) -> str | None:
    level = counter_level(count, limit)
    if level == "ok":
        return None
    t = palette_tones or tones()
    return t.error if level == "over" else t.warning


class ProblemLabel(QLabel):
    """Red lines under a field, one per problem; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.messages: list[str] = []
        self.refresh_colours()
        self.setVisible(False)

    def refresh_colours(self) -> None:
        self.setStyleSheet(f"color: {tones().error};")

    def set_messages(self, messages: list[str]) -> None:
        self.messages = list(dict.fromkeys(messages))
        self.setText("<br>".join(f"⚠ {escaped(m)}" for m in self.messages))
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
        self._counts: list[tuple[str, str, int, int | None]] = []

    def refresh_colours(self) -> None:
        self.set_counts(self._counts)

    def set_counts(self, counts: list[tuple[str, str, int, int | None]]) -> None:
        self._counts = list(counts)
        palette_tones = tones()
        wanted = {key for key, *_ in counts}
        for key in [k for k in self.labels if k not in wanted]:
            gone = self.labels.pop(key)
            gone.hide()  # gone from the row now, not when the event loop gets to deleting it
            gone.deleteLater()
        for key, name, count, limit in counts:
            label = self.labels.get(key)
            if label is None:
                label = self.labels[key] = QLabel(self)
                self._layout.insertWidget(self._layout.count() - 1, label)
            text, tip = texts.counter(name, count, limit)
            label.setText(text)
            level = counter_level(count, limit)
            colour = counter_colour(count, limit, palette_tones) or palette_tones.muted
            weight = "bold" if level == "over" else "normal"
            label.setStyleSheet(f"color: {colour}; font-weight: {weight};")
            label.setProperty("level", level)
            label.setToolTip(tooltip(tip))


class ScheduleReasons(QWidget):
    """The footer's "Cannot schedule yet": a count and the first few problems; the rest behind "Show all",
    in a box of bounded height, so a long list never pushes the form out of the window."""

    MAX_LINES = 6  # the tallest the list gets before it scrolls

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scheduleReasons")
        self.messages: list[str] = []
        self.expanded = False
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.items = QLabel(self)
        self.items.setWordWrap(True)
        self.items.setTextFormat(Qt.TextFormat.RichText)
        self.items.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the list is read with the fields; Tab skips it
        self.scroll.setWidget(self.items)
        self.toggle = QPushButton(self)
        self.toggle.setFlat(True)
        self.toggle.clicked.connect(self._toggle)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.heading, 1)
        top.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.scroll)
        self.refresh_colours()
        self.setVisible(False)

    def refresh_colours(self) -> None:
        colour = tones().warning
        self.heading.setStyleSheet(f"color: {colour};")
        self.items.setStyleSheet(f"color: {colour};")

    def set_messages(self, messages: list[str]) -> None:
        messages = list(dict.fromkeys(messages))
        if messages != self.messages:
            self.expanded = self.expanded and len(messages) > SHOWN_REASONS
        self.messages = messages
        self._render()
        self.setVisible(bool(messages))

    def shown_messages(self) -> list[str]:
        if self.expanded or len(self.messages) <= SHOWN_REASONS:
            return list(self.messages)
        return self.messages[: SHOWN_REASONS - 1]  # the last line goes to "Show all"

    def plain_text(self) -> str:
        """Every problem, in one string (what a screen reader gets, and what tests read)."""
        return texts.reasons_plain(self.messages)

    def _render(self) -> None:
        n = len(self.messages)
        self.heading.setText(f"<b>{texts.CANNOT_SCHEDULE_YET}</b> — {texts.problem_count(n)}, marked ⚠ above:")
        shown = self.shown_messages()
        self.items.setText("".join(f"• {escaped(m)}<br>" for m in shown).removesuffix("<br>"))
        hidden = n - len(shown)
        self.toggle.setVisible(n > SHOWN_REASONS)
        self.toggle.setText("Show fewer" if self.expanded else texts.show_all(n) if hidden else "")
        self.setAccessibleDescription(self.plain_text())
        self._fit()

    def _fit(self) -> None:
        """As tall as the shown lines, at most MAX_LINES (then the list scrolls): a label in a scroll area
        has no height-for-width of its own."""
        if not self.messages:
            return
        cap = self.MAX_LINES * self.items.fontMetrics().lineSpacing() + 4
        self.scroll.setFixedHeight(min(self.items.heightForWidth(max(self.width(), 100)), cap))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def _toggle(self) -> None:
        self.expanded = not self.expanded
        self._render()
