"""The "+N" of a crowded time in the week and day views, and the list of that time's posts it opens.

The list is a menu (arrow keys, Enter, Escape, type-to-find work as in any menu); choosing a post opens it as a
double click on its block would. A post of the time selected with the keyboard marks the "+N" it hides behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsObject, QGraphicsSceneMouseEvent, QMenu, QWidget

from latecal.core.models import Post
from latecal.presentation import slot_texts as words
from latecal.ui.widgets.palette import GridColours
from latecal.ui.widgets.plain_text import menu_text, tooltip


class SlotMoreItem(QGraphicsObject):
    """ "+N" beside the first posts of a time that holds more than fit; a click (or Enter when it has focus)
    asks its scene to list them all."""

    def __init__(self, when: datetime, post_ids: Sequence[str], hidden: int, zone: ZoneInfo,
                 on_open: Callable[[SlotMoreItem], None]) -> None:
        super().__init__()
        self.when = when
        self.post_ids = tuple(post_ids)  # every post of the time, in the order shown
        self.hidden = hidden
        self.holds_selection = False
        self._on_open = on_open
        self._w, self._h = 30.0, 18.0
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable)
        self.setToolTip(tooltip(words.more_at_time_tip(hidden, len(self.post_ids), when, zone)))
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    @property
    def text(self) -> str:
        return words.more_at_time(self.hidden)

    def set_geometry(self, x: float, y: float, w: float, h: float) -> None:
        if (w, h) != (self._w, self._h):
            self.prepareGeometryChange()
            self._w, self._h = max(w, 4.0), max(h, 4.0)
        self.setPos(x, y)

    def set_holds_selection(self, holds: bool) -> None:
        if holds != self.holds_selection:
            self.holds_selection = holds
            self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._w, self._h)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        c = GridColours()
        rect = QRectF(0.5, 0.5, self._w - 1, self._h - 1)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        focused = self.holds_selection or self.hasFocus()
        painter.setPen(QPen(c.selection, 2 if focused else 1))
        painter.setBrush(QBrush(c.header))
        painter.drawRoundedRect(rect, 3, 3)
        font = QFont(QApplication.font())
        font.setPointSizeF(8.0)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(c.selection)
        painter.drawText(QRectF(0, 0, self._w, min(self._h, 18.0)), Qt.AlignmentFlag.AlignCenter, self.text)

    def focusInEvent(self, event) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        self.update()
        super().focusOutEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.boundingRect().contains(event.pos()):
            self._on_open(self)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._on_open(self)
            event.accept()
            return
        super().keyPressEvent(event)


def slot_list_menu(parent: QWidget, posts: Sequence[Post], when: datetime, zone: ZoneInfo,
                   on_choose: Callable[[str], None]) -> QMenu:
    """The menu listing every post of one time; choosing one calls ``on_choose(local_id)``."""
    menu = QMenu(parent)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    title = menu.addAction(menu_text(words.slot_list_title(len(posts), when, zone)))
    title.setEnabled(False)
    menu.addSeparator()
    for post in posts:
        action = menu.addAction(menu_text(words.slot_list_entry(post, zone)))
        action.setData(post.local_id)
        action.triggered.connect(lambda _checked=False, i=post.local_id: on_choose(i))
    return menu


def popup_at(menu: QMenu, global_pos: QPoint) -> None:
    """Show without blocking (no nested event loop), the first post ready for the arrow keys and Enter."""
    actions = [a for a in menu.actions() if a.isEnabled() and not a.isSeparator()]
    menu.popup(global_pos, actions[0] if actions else None)
    if actions:
        menu.setActiveAction(actions[0])
