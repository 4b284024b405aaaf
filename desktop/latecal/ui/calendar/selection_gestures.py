"""What the calendar scenes share for selecting several posts and moving them together.

The scene paints the window's one ``PostSelection`` (``show_selection``) and turns gestures into calls on it:
Ctrl+click toggles a post, Shift+click selects every post from the last one clicked to this one in time order
(Ctrl+Shift adds that range), a rubber band on empty space selects what it covers (with Ctrl or Shift: adds
it), Escape clears. Dragging one selected post hands the whole selection's move to ``group_move_handler``;
dropping it outside the view (on the drafts tray) goes to ``outside_drop_handler``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsRectItem

from latecal.core.target_times import owner_id
from latecal.operations.bulk import Shift, shift_between
from latecal.ui.calendar.post_item import PostItem
from latecal.ui.calendar.selection import PostSelection
from latecal.ui.widgets.palette import GridColours

#: (the posts to move, how far, the dragged post's exact new time) -> whether any moved
GroupMoveHandler = Callable[[list[str], Shift, dict[str, datetime]], bool]
#: (the posts dropped, where on the screen) -> whether something there took them
OutsideDropHandler = Callable[[list[str], QPoint], bool]

_CTRL = Qt.KeyboardModifier.ControlModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier


class SelectionGestures:
    """Mixed into ``CalendarScene`` (a QGraphicsScene with ``posts``, ``items_by_id`` and ``drop_hint``)."""

    selection: PostSelection | None = None
    group_move_handler: GroupMoveHandler | None = None
    outside_drop_handler: OutsideDropHandler | None = None
    #: told where a post dragged out of the view is on the screen (None: back in the view, or dropped); answers
    #: whether a drop there would be taken (then no slot in the view is marked)
    outside_hover_handler: Callable[[QPoint | None], bool] | None = None

    def init_selection(self) -> None:
        self.selected_id: str | None = None
        self.selected_ids: frozenset[str] = frozenset()
        self._press_mods = Qt.KeyboardModifier.NoModifier
        self._collapse_to: str | None = None  # a plain press on a selected post: only it, unless it is dragged
        self._band_origin: QPointF | None = None
        self._band_base: frozenset[str] = frozenset()
        self._outside: QPoint | None = None  # where a dragged post is on the screen, while outside the view
        self.band = QGraphicsRectItem()
        colour = QColor(GridColours().selection)
        self.band.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
        colour.setAlpha(40)
        self.band.setBrush(colour)
        self.band.setZValue(20)
        self.band.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.band.setVisible(False)
        self.addItem(self.band)

    # -- painting the selection ------------------------------------------------------------------------------

    def select(self, local_id: str | None) -> None:
        self.show_selection([] if local_id is None else [local_id], local_id)

    def show_selection(self, ids: Iterable[str], current: str | None = None) -> None:
        """Highlight exactly ``ids`` (only the items whose state changes repaint)."""
        wanted = frozenset(ids)
        for key in wanted ^ self.selected_ids:
            item = self.items_by_id.get(key)
            if item is not None:
                item.set_selected(key in wanted)
                if item.isVisible():
                    self.update(item.sceneBoundingRect())  # its outline comes or goes (drawForeground)
        for key, lifted in ((self.selected_id, False), (current, True)):
            if key is not None and (item := self.items_by_id.get(key)) is not None:
                item.set_current(lifted)
        self.selected_ids, self.selected_id = wanted, current

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        """The selected posts' outlines, over the items: a change of selection repaints no item's own pixmap."""
        if not self.selected_ids:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        colour = GridColours().selection
        tint = QColor(colour)
        tint.setAlpha(60)  # a tint as well as the edge: on a blue "scheduled" chip an edge alone hardly shows
        painter.setPen(QPen(colour, 2))
        painter.setBrush(tint)
        for key in self.selected_ids:
            item = self.items_by_id.get(key)
            if item is not None and item.isVisible():
                box = item.sceneBoundingRect()
                if box.intersects(rect):
                    painter.drawRoundedRect(box.adjusted(1.5, 1.5, -1.5, -1.5), 3, 3)
        painter.restore()

    def selected_here(self) -> list[str]:
        """The selected posts this scene shows (filters respected), in time order."""
        chosen = [self.posts[i] for i in self.selected_ids if i in self.posts]
        return [p.local_id for p in sorted(chosen, key=lambda p: (p.scheduled_for, p.local_id))]

    # -- clicks ------------------------------------------------------------------------------------------------

    def press_selects(self, local_id: str) -> bool:
        """A post was pressed: True for a plain press that selects only it (the window hears of it); a press with
        Ctrl or Shift, or on one of several selected posts, is settled here."""
        selection, mods = self.selection, self._press_mods
        if selection is None:
            return True
        if mods & _SHIFT:
            span = self._range_to(local_id)
            if mods & _CTRL:
                selection.replace(selection.ids | frozenset(span), local_id, anchor=False)
            else:
                selection.replace(span, local_id, anchor=False)
        elif mods & _CTRL:
            selection.toggle(local_id)
        elif local_id in selection.ids and len(selection) > 1:
            self._collapse_to = local_id  # the press may start a drag of them all
        else:
            return True
        return False

    def _range_to(self, local_id: str) -> list[str]:
        ordered = [p.local_id for p in sorted(self.posts.values(), key=lambda p: (p.scheduled_for, p.local_id))]
        start = self.selection.anchor if self.selection is not None else None
        if start not in ordered or local_id not in ordered:
            return [local_id]
        a, b = sorted((ordered.index(start), ordered.index(local_id)))
        return ordered[a:b + 1]

    # -- the rubber band ---------------------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        self._press_mods = event.modifiers()
        self._collapse_to = None
        super().mousePressEvent(event)
        if (event.button() == Qt.MouseButton.LeftButton and self.mouseGrabberItem() is None
                and self.selection is not None):
            self._band_origin = event.scenePos()
            self._band_base = self.selection.ids if self._press_mods & (_CTRL | _SHIFT) else frozenset()
            event.accept()

    def mouseMoveEvent(self, event) -> None:
        if self._band_origin is not None:
            rect = QRectF(self._band_origin, event.scenePos()).normalized()
            if self.band.isVisible() or (event.scenePos() - self._band_origin).manhattanLength() >= \
                    QApplication.startDragDistance():
                self.band.setRect(rect)
                self.band.setVisible(True)
                self.selection.replace(self._band_base | frozenset(self.covered(rect)))
            event.accept()
            return
        super().mouseMoveEvent(event)
        self._follow_outside(event.scenePos())

    def mouseReleaseEvent(self, event) -> None:
        if self._band_origin is not None:
            if not self.band.isVisible() and not self._press_mods & (_CTRL | _SHIFT):
                self.selection.clear()  # a click on empty space
            self._end_band()
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if self._collapse_to is not None and self.selection is not None:
            self.selection.only(self._collapse_to)  # a click (not a drag) on one of several selected posts
        self._collapse_to = None

    def covered(self, rect: QRectF) -> list[str]:
        """The posts whose chips or blocks the band touches."""
        return [it.local_id for it in self.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
                if isinstance(it, PostItem) and it.isVisible()]

    def _end_band(self) -> None:
        self._band_origin = None
        self.band.setVisible(False)

    def escape_selection(self) -> bool:
        """Escape: a rubber band is cancelled (the selection goes back to what it was), else the selection is
        cleared. False when there was nothing to undo."""
        if self.selection is None:
            return False
        if self._band_origin is not None:
            self.selection.replace(self._band_base)
            self._end_band()
            return True
        if len(self.selection):
            self.selection.clear()
            return True
        return False

    # -- dragging several ------------------------------------------------------------------------------------

    def group_of(self, item: PostItem) -> list[str]:
        """What a drag of ``item`` moves: the selected posts shown here when it is one of them, else just it (a
        post selected at each of its platforms' times is one post: a drag of one of its chips moves that one)."""
        if self.group_size(item) < 2:
            return [item.local_id]
        return self.selected_here()

    def group_size(self, item: PostItem) -> int:
        """How many posts a drag of ``item`` moves (counted, not sorted: asked on every mouse move)."""
        if item.local_id not in self.selected_ids:
            return 1
        return len({owner_id(i) for i in self.selected_ids if i in self.posts})

    def drag_shift(self, before: datetime, after: datetime) -> Shift:
        """How far the others move when the dragged post goes from ``before`` to ``after``."""
        return shift_between(before, after, self.zone)

    def group_dropped(self, item: PostItem, new_time: datetime) -> bool:
        ids = self.group_of(item)
        if len(ids) < 2 or self.group_move_handler is None or item.post.scheduled_for is None:
            return False
        self.group_move_handler(ids, self.drag_shift(item.post.scheduled_for, new_time), {item.local_id: new_time})
        return True

    def _follow_outside(self, scene_pos: QPointF) -> None:
        """While a post is dragged past the edge of the view: no slot is marked, whoever is under it hears."""
        if self._dragged is None or not self.views():
            return
        view = self.views()[0]
        port = view.viewport()
        local = view.mapFromScene(scene_pos)
        outside = port.mapToGlobal(local) if not port.rect().contains(local) else None
        if self.outside_hover_handler is not None and self.outside_hover_handler(outside):
            self.drop_hint.setVisible(False)
        self._outside = outside

    def dropped_outside_cancelled(self) -> None:
        """Escape during a drag: whoever was told a post hovers over it hears that it does not any more."""
        if self._outside is not None and self.outside_hover_handler is not None:
            self.outside_hover_handler(None)
        self._outside = None

    def dropped_outside(self, item: PostItem, scene_pos: QPointF) -> bool:
        """A drop past the edge of the view: True when something there (the drafts tray) took it; otherwise the
        drop lands as the scene says (a week column clamps to its nearest day)."""
        self._collapse_to = None
        where, self._outside = self._outside, None
        if where is None:
            return False
        if self.outside_hover_handler is not None:
            self.outside_hover_handler(None)
        return self.outside_drop_handler is not None and self.outside_drop_handler(self.group_of(item), where)
