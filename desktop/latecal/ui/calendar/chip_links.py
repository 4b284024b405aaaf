"""The chips of one post that goes out at several times are linked: hovering one outlines the others, so the
user sees at once that they are one post (``core.target_times``).

An event filter on the view's viewport (not on each chip: chips are many and painted often) finds the chip under
the mouse and places one outline per sibling; nothing is drawn for a post with one chip.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsView

from latecal.ui.calendar.post_item import PostItem

#: chip key → the keys of every chip of its post (empty for a post with one chip)
Siblings = Callable[[str], list[str]]
LINK_COLOUR = "#1e88e5"


class ChipLinks(QObject):
    def __init__(self, view: QGraphicsView, siblings: Siblings) -> None:
        super().__init__(view)
        self.view = view
        self.siblings = siblings
        self.hovered: str | None = None
        self.outlines: list[QGraphicsRectItem] = []
        view.viewport().setMouseTracking(True)
        view.viewport().installEventFilter(self)

    def linked_keys(self) -> list[str]:
        """The chips outlined now (the siblings of the hovered chip)."""
        return [o.data(0) for o in self.outlines]

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseMove and not event.buttons():
            self._hover(self._chip_at(event.position().toPoint()))
        elif kind == QEvent.Type.Leave:
            self._hover(None)
        return False

    def _chip_at(self, pos) -> PostItem | None:
        item = self.view.itemAt(pos)
        while item is not None and not isinstance(item, PostItem):
            item = item.parentItem()
        return item

    def _hover(self, chip: PostItem | None) -> None:
        key = chip.local_id if chip is not None else None
        if key == self.hovered:
            return
        self.hovered = key
        self._clear()
        if chip is None or key is None:
            return
        scene = self.view.scene()
        for other in self.siblings(key):
            item = scene.items_by_id.get(other) if other != key else None
            if item is None or not item.isVisible():
                continue
            outline = QGraphicsRectItem(item.sceneBoundingRect().adjusted(-2, -2, 2, 2))
            pen = QPen(QColor(LINK_COLOUR), 2, Qt.PenStyle.DashLine)
            outline.setPen(pen)
            outline.setZValue(10_000)
            outline.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            outline.setData(0, other)
            scene.addItem(outline)
            self.outlines.append(outline)

    def _clear(self) -> None:
        for outline in self.outlines:
            if outline.scene() is not None:
                outline.scene().removeItem(outline)
        self.outlines.clear()
