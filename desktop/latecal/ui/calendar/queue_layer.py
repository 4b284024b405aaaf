"""Late's queue slots on the week and day grids: each free slot of a profile's queue is an outlined box in the
profile's colour at the slot's instant (a wall time in the queue's zone, shown in the calendar's zone). A slot a
post of that profile already fills shows that post instead: its box is hidden.

The layer works out the slots of the shown days once per change of days or queues, and re-checks only a day's
slots when that day's posts change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Protocol

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsObject

from latecal.core.calendar_geometry import day_bounds_utc, local_date
from latecal.core.models import Profile
from latecal.core.queue_slots import QueueSchedule, filling, slot_times
from latecal.presentation import queue_texts as words
from latecal.ui.widgets.palette import is_dark_theme
from latecal.ui.widgets.plain_text import tooltip


class Grid(Protocol):
    """What the slots need of the week or day scene that holds them (a layer never imports its scene)."""

    days: list[date]
    zone: Any
    col_w: float
    posts: Mapping[str, Any]
    accounts: Mapping[str, Any]

    def addItem(self, item: QGraphicsItem) -> None: ...
    def removeItem(self, item: QGraphicsItem) -> None: ...
    def column_of(self, day: date) -> int: ...
    def column_x(self, col: int) -> float: ...
    def y_of(self, when: datetime) -> float: ...
    def clock(self) -> datetime: ...
    def posts_on(self, day: date) -> list[str]: ...

SLOT_Z = -0.5  # under every post, over the grid
SLOT_HEIGHT = 30.0  # as tall as a post's block (time_grid_scene.BLOCK_HEIGHT): the post that fills it covers it


class QueueSlotItem(QGraphicsObject):
    """One free slot of one queue. It takes no clicks: a double click on it is one on the empty grid there."""

    def __init__(self, schedule: QueueSchedule, when: datetime, colour: str, label: str, tip: str) -> None:
        super().__init__()
        self.schedule = schedule
        self.when = when
        self.colour = QColor(colour) if QColor.isValidColorName(colour) else QColor("#888888")
        self.label = label
        self._w, self._h = 60.0, 20.0
        self.setZValue(SLOT_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(tooltip(tip))
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_geometry(self, x: float, y: float, w: float, h: float) -> None:
        if (w, h) != (self._w, self._h):
            self.prepareGeometryChange()
            self._w, self._h = max(w, 4.0), max(h, 4.0)
        self.setPos(x, y)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._w, self._h)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        rect = QRectF(1, 1, self._w - 2, self._h - 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        fill = QColor(self.colour)
        fill.setAlpha(38 if is_dark_theme() else 26)
        painter.setBrush(QBrush(fill))
        painter.setPen(QPen(self.colour, 1.2, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(rect, 3, 3)
        font = QFont(QApplication.font())
        font.setPointSizeF(7.5)
        painter.setFont(font)
        text = QColor(self.colour)
        text = text.lighter(150) if is_dark_theme() else text.darker(130)
        painter.setPen(text)
        shown = painter.fontMetrics().elidedText(self.label, Qt.TextElideMode.ElideRight, int(rect.width() - 8))
        painter.drawText(rect.adjusted(5, 0, -3, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, shown)


class QueueLayer:
    def __init__(self, scene: Grid) -> None:
        self.scene = scene
        self.schedules: list[QueueSchedule] = []
        self.profiles: dict[str, Profile] = {}
        self.items: dict[date, list[QueueSlotItem]] = {}
        self._built_for: tuple = ()

    def set_queues(self, schedules: list[QueueSchedule], profiles: Mapping[str, Profile]) -> None:
        self.schedules, self.profiles = list(schedules), dict(profiles)
        self._built_for = ()
        self.place_all()

    def all_items(self) -> list[QueueSlotItem]:
        return [item for day in self.scene.days for item in self.items.get(day, [])]

    def _build(self) -> None:
        for items in self.items.values():
            for item in items:
                self.scene.removeItem(item)
        self.items.clear()
        scene, zone = self.scene, self.scene.zone
        start = day_bounds_utc(scene.days[0], zone)[0]
        end = day_bounds_utc(scene.days[-1], zone)[1]
        for schedule in self.schedules:
            profile = self.profiles.get(schedule.profile_id)
            if profile is None:  # a queue of a profile this workspace no longer lists
                continue
            label = words.slot_label(profile.name)
            for when in slot_times(schedule, start, end):
                item = QueueSlotItem(schedule, when, profile.color, label,
                                     words.slot_tip(schedule, profile.name, when, zone))
                scene.addItem(item)
                self.items.setdefault(local_date(when, zone), []).append(item)
        self._built_for = (tuple(scene.days), scene.zone.key)

    def place_all(self) -> None:
        if not self.schedules and not self.items:
            return
        if self._built_for != (tuple(self.scene.days), self.scene.zone.key):
            self._build()
        for day in self.items:
            self.place_day(day)

    def place_day(self, day: date) -> None:
        """Put the day's slots in its column, each hidden while a post of its profile fills it or once its time
        has passed."""
        items = self.items.get(day)
        if not items:
            return
        scene = self.scene
        col = scene.column_of(day)
        filled = self._filled(day)
        now = scene.clock()
        for item in items:
            item.set_geometry(scene.column_x(col) + 2, scene.y_of(item.when), scene.col_w - 5, SLOT_HEIGHT)
            # a slot whose time has passed can take no post: drawn, it would read as free
            item.setVisible(item.when > now and (item.schedule.profile_id, item.when) not in filled)

    def _filled(self, day: date) -> set[tuple[str, datetime]]:
        scene = self.scene
        posts = (scene.posts[i] for i in scene.posts_on(day) if i in scene.posts)
        return filling(posts, {a.id: a.profile_id for a in scene.accounts.values()})
