"""The chips of one post that goes out at several times are linked: hovering one outlines the others, so the
user sees at once that they are one post (``core.target_times``).

An event filter on the view's viewport (not on each chip: chips are many and painted often) finds the chip under
the mouse and places one outline per sibling; nothing is drawn for a post with one chip. The outlines belong to the
scene: once the scene or the view is gone, they are forgotten, never touched.
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
        self.view: QGraphicsView | None = view
        self.siblings = siblings
        self.hovered: str | None = None
        self.outlines: list[QGraphicsRectItem] = []
        view.viewport().setMouseTracking(True)
        view.viewport().installEventFilter(self)
        view.destroyed.connect(self._gone)  # events sent while the view is torn down find nothing to touch
        if (scene := view.scene()) is not None:
            scene.destroyed.connect(self._gone)

    def _gone(self, *_args) -> None:
        self.view = None
        self.outlines.clear()  # the scene owns and deletes them

    def linked_keys(self) -> list[str]:
        """The chips outlined now (the siblings of the hovered chip)."""
        return [o.data(0) for o in self.outlines]

    def eventFilter(self, watched, event) -> bool:
        if self.view is None:
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseMove and not event.buttons():
            self._hover(self._chip_at(event.position().toPoint()))
        elif kind in (QEvent.Type.Leave, QEvent.Type.Hide):
            self._hover(None)
        return False

    def _chip_at(self, pos) -> PostItem | None:
        item = self.view.itemAt(pos) if self.view is not None else None
        while item is not None and not isinstance(item, PostItem):
            item = item.parentItem()
        return item

    def _hover(self, chip: PostItem | None) -> None:
        key = chip.local_id if chip is not None else None
        if key == self.hovered:
            return
        self.hovered = key
        self._clear()
        if key is None or self.view is None:
            return
        scene = self.view.scene()
        for other in self.siblings(key):
            item = scene.items_by_id.get(other) if other != key else None
            if item is None or not item.isVisible():
                continue
            outline = QGraphicsRectItem(item.sceneBoundingRect().adjusted(-2, -2, 2, 2))
            outline.setPen(QPen(QColor(LINK_COLOUR), 2, Qt.PenStyle.DashLine))
            outline.setZValue(10_000)
            outline.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            outline.setData(0, other)
            scene.addItem(outline)
            self.outlines.append(outline)

    def _clear(self) -> None:
        outlines, self.outlines = self.outlines, []
        if self.view is None:
            return
        scene = self.view.scene()
        for outline in outlines:
            if outline.scene() is scene and scene is not None:
                scene.removeItem(outline)
