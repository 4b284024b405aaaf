"""A filter that takes several values: a tool button whose menu lists the choices with check marks. The menu
stays open while values are ticked (a click or Space toggles; Escape or a click outside closes it), and the
button says what is chosen ("Platforms: X, LinkedIn", "Accounts: 3")."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolButton, QWidget

from latecal.presentation import brand_texts as words
from latecal.ui.widgets.plain_text import menu_text


class _StayOpenMenu(QMenu):
    """Ticking a value leaves the menu open for the next one."""

    def mouseReleaseEvent(self, event) -> None:
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        action = self.activeAction()
        if event.key() == Qt.Key.Key_Space and action is not None and action.isCheckable():
            action.trigger()
            return
        super().keyPressEvent(event)


class MultiFilter(QToolButton):
    changed = Signal()

    def __init__(self, noun: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.noun = noun
        self.menu_ = _StayOpenMenu(self)
        self.setMenu(self.menu_)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(words.filter_name(noun))
        self.actions_by_value: dict[str, QAction] = {}
        self._labels: dict[str, str] = {}
        self._icons: dict[str, Callable[[], QIcon]] = {}  # drawn when the menu first opens, not on the first paint
        self.menu_.aboutToShow.connect(self.draw_icons)
        self._show_choice()

    def set_choices(self, entries: Iterable[tuple[str, str, Callable[[], QIcon] | None]]) -> None:
        """(label, value, icon maker) per choice; a value still chosen stays listed (and chosen) when it is no
        longer offered, so the button never says "all" while the calendar is filtered."""
        chosen = self.values()
        entries = list(entries)
        offered = {value for _label, value, _icon in entries}
        entries += [(self._labels.get(v, v), v, None) for v in sorted(chosen - offered)]
        self.menu_.clear()
        self.actions_by_value.clear()
        self._icons.clear()
        for label, value, icon in entries:
            action = QAction(menu_text(label), self.menu_)
            action.setCheckable(True)
            action.setChecked(value in chosen)
            if icon is not None:
                self._icons[value] = icon
            action.toggled.connect(self._toggled)
            self.menu_.addAction(action)
            self.actions_by_value[value] = action
            self._labels[value] = label
        self._show_choice()

    def draw_icons(self) -> None:
        """Each choice's icon (a network's mark, an account's picture, a profile's colour), made when shown."""
        for value, action in self.actions_by_value.items():
            if value in self._icons and action.icon().isNull():
                action.setIcon(self._icons[value]())

    def values(self) -> frozenset[str]:
        return frozenset(v for v, a in self.actions_by_value.items() if a.isChecked())

    def set_values(self, values: Iterable[str]) -> None:
        wanted = set(values)
        for value, action in self.actions_by_value.items():
            action.blockSignals(True)
            action.setChecked(value in wanted)
            action.blockSignals(False)
        self._show_choice()

    def chosen_labels(self) -> list[str]:
        return [self._labels[v] for v, a in self.actions_by_value.items() if a.isChecked()]

    def _toggled(self, _on: bool) -> None:
        self._show_choice()
        self.changed.emit()

    def _show_choice(self) -> None:
        labels = self.chosen_labels()
        self.setText(words.filter_button(self.noun, labels))
        self.setToolTip(words.filter_tip(self.noun, labels))
        font = self.font()
        font.setBold(bool(labels))  # a filter in force stands out
        self.setFont(font)
