"""The window's selection shares itself with a list view through the List's API (``selected_ids()``,
``select_ids(ids)``, a selection-changed signal): a QListWidget stands in for the List, real clicks select."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget

from latecal.ui.calendar.selection import PostSelection


class _List(QListWidget):
    ids_changed = Signal()

    def __init__(self, ids):
        super().__init__()
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.addItems(ids)
        self.itemSelectionChanged.connect(self.ids_changed)

    def selected_ids(self) -> list[str]:
        return [i.text() for i in self.selectedItems()]

    def select_ids(self, ids) -> None:
        self.blockSignals(True)  # as a model/view list does when told: no echo of its own
        try:
            for row in range(self.count()):
                item = self.item(row)
                self.selectionModel().select(self.indexFromItem(item), QItemSelectionModel.SelectionFlag.Select
                                             if item.text() in ids else QItemSelectionModel.SelectionFlag.Deselect)
        finally:
            self.blockSignals(False)
        self.viewport().update()


def test_the_selection_and_the_list_follow_each_other(qtbot):
    selection = PostSelection()
    agenda = _List(["a", "b", "c", "d"])
    qtbot.addWidget(agenda)
    agenda.show()
    selection.replace(["b"])
    selection.follow_list(agenda, agenda.ids_changed)
    assert agenda.selected_ids() == ["b"]  # told at once

    first = agenda.visualItemRect(agenda.item(0)).center()
    third = agenda.visualItemRect(agenda.item(2)).center()
    qtbot.mouseClick(agenda.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseClick(agenda.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, third)
    assert selection.ids == {"a", "c"}

    selection.toggle("d")  # from the calendar (a Ctrl+click there)
    assert sorted(agenda.selected_ids()) == ["a", "c", "d"]
    selection.clear()
    assert agenda.selected_ids() == []
