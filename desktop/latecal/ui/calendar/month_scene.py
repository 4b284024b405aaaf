"""The month grid: 6 × 7 day cells with one chip per post, "+N more" when a cell overflows.

The grid is painted in ``drawBackground`` (no items for cells); chips are PostItems, created only for the
posts a cell shows (a busy month holds several hundred posts, of which ~130 fit). Dragging a chip to
another day keeps its time of day in the post's own zone (``move_keep_time``, ``zones.own_zone``); the day
under the pointer is tinted meanwhile (the scene's drop hint).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPainter, QPen, QTransform
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QVBoxLayout,
    QWidget,
)

from latecal.core.calendar_geometry import local_date, month_grid, move_keep_time, weekday_order
from latecal.core.models import Post
from latecal.core.scheduling import DEFAULT_TIME
from latecal.core.zones import local_to_utc
from latecal.operations.bulk import Shift
from latecal.presentation import calendar_texts as words
from latecal.ui.calendar.calendar_scene import CalendarScene
from latecal.ui.calendar.post_item import CHIP_HEIGHT, PostItem
from latecal.ui.widgets.palette import GridColours

HEADER_HEIGHT = 22.0
DAY_LABEL_HEIGHT = 20.0
CHIP_GAP = 2.0


class MoreItem(QGraphicsObject):
    """ "+N more" under the last chip of a full cell; a click opens that day."""

    def __init__(self, day: date, scene: MonthScene) -> None:
        super().__init__()
        self.day = day
        self.count = 0
        self._host = scene
        self._w = 80.0
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    @property
    def text(self) -> str:
        return words.more_label(self.count)

    def set_count(self, count: int, width: float) -> None:
        self.count = count
        if width != self._w:
            self.prepareGeometryChange()
            self._w = width
        self.setToolTip(words.more_tip(count, self.day))
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._w, CHIP_HEIGHT)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        font = QFont(QApplication.font())
        font.setPointSizeF(8.0)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(GridColours().selection)
        painter.drawText(self.boundingRect().adjusted(6, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, self.text)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.boundingRect().contains(event.pos()):
            self._host.more_requested.emit(self.day)


class MonthScene(CalendarScene):
    #: "+N more" clicked: the day (a date) whose full list should open
    more_requested = Signal(object)
    lazy_items = True  # a chip is made when its post first fits in its cell

    def __init__(self, zone: ZoneInfo, *, week_start: int = 0, parent=None) -> None:
        super().__init__(zone, parent)
        self.week_start = week_start
        self.year, self.month = 2000, 1
        self.today = date.today()
        self.grid: list[list[date]] = month_grid(self.year, self.month, week_start)
        self._w, self._h = 700.0, 500.0
        self._by_day: dict[date, list[str]] = {}
        self._day_of: dict[str, date] = {}
        self.more_items: dict[date, MoreItem] = {}
        self.drop_hint.setZValue(-1)  # under the chips: the cell is tinted, the chips stay legible
        self.setSceneRect(0, 0, self._w, self._h)

    # -- geometry ------------------------------------------------------------------------------------

    @property
    def first_day(self) -> date:
        return self.grid[0][0]

    @property
    def last_day(self) -> date:
        return self.grid[-1][-1]

    def set_month(self, year: int, month: int, today: date) -> None:
        self.year, self.month, self.today = year, month, today
        self.grid = month_grid(year, month, self.week_start)
        self.update()

    def set_size(self, w: float, h: float) -> None:
        if (w, h) == (self._w, self._h):
            return
        self._w, self._h = max(w, 140.0), max(h, 160.0)
        self.setSceneRect(0, 0, self._w, self._h)
        for day in list(self._by_day):  # the days are known: only the places and the room in each cell change
            self._layout_day(day)

    @property
    def cell_w(self) -> float:
        return self._w / 7

    @property
    def cell_h(self) -> float:
        return (self._h - HEADER_HEIGHT) / 6

    def cell_rect(self, day: date) -> QRectF:
        index = (day - self.first_day).days
        row, col = divmod(index, 7)
        return QRectF(col * self.cell_w, HEADER_HEIGHT + row * self.cell_h, self.cell_w, self.cell_h)

    def day_at(self, scene_pos: QPointF) -> date | None:
        col = int(scene_pos.x() // self.cell_w)
        row = int((scene_pos.y() - HEADER_HEIGHT) // self.cell_h)
        if not (0 <= col < 7 and 0 <= row < 6) or scene_pos.y() < HEADER_HEIGHT:
            return None
        return self.grid[row][col]

    def slot_hint(self, day: date, exact: datetime | None) -> tuple[QRectF, str]:
        return self.cell_rect(day), ""  # the whole day: the draft keeps its planned time of day, else 09:00

    def capacity(self) -> int:
        """How many chips fit under the day number."""
        return max(int((self.cell_h - DAY_LABEL_HEIGHT - CHIP_GAP) // (CHIP_HEIGHT + CHIP_GAP)), 0)

    # -- mirroring -----------------------------------------------------------------------------------

    def _day_for(self, post: Post) -> date:
        assert post.scheduled_for is not None
        return local_date(post.scheduled_for, self.zone)

    def accepts(self, post: Post) -> bool:
        return post.scheduled_for is not None and self.first_day <= self._day_for(post) <= self.last_day

    def layout_all(self) -> None:
        self._by_day.clear()
        self._day_of.clear()
        for local_id, post in self.posts.items():
            day = self._day_for(post)
            self._day_of[local_id] = day
            self._by_day.setdefault(day, []).append(local_id)
        for day in [d for d in self.more_items if d not in self._by_day]:
            self.removeItem(self.more_items.pop(day))
        for day in self._by_day:
            self._layout_day(day)

    def relayout_for(self, old: Post | None, new: Post | None) -> None:
        self.relayout_many([(old, new)])

    def relayout_many(self, changes: list[tuple[Post | None, Post | None]]) -> None:
        touched: set[date] = set()
        for post in (p for pair in changes for p in pair):
            if post is None:
                continue
            local_id = post.local_id
            previous = self._day_of.pop(local_id, None)
            if previous is not None:
                self._by_day[previous].remove(local_id)
                touched.add(previous)
            current = self.posts.get(local_id)
            if current is not None:
                day = self._day_for(current)
                self._day_of[local_id] = day
                self._by_day.setdefault(day, []).append(local_id)
                touched.add(day)
        for day in touched:
            self._layout_day(day)

    def _layout_day(self, day: date) -> None:
        ids = self._by_day.get(day, [])
        posts = sorted((self.posts[i] for i in ids), key=lambda p: (p.scheduled_for, p.local_id))
        rect = self.cell_rect(day)
        cap = self.capacity()
        shown = len(posts) if len(posts) <= cap else max(cap - 1, 0)
        x, w = rect.x() + 2, rect.width() - 4  # every pixel is words in a narrow month
        y = rect.y() + DAY_LABEL_HEIGHT
        for n, post in enumerate(posts):
            if n < shown:
                item = self.ensure_item(post.local_id)
                item.setVisible(True)
                item.set_geometry(x, y + n * (CHIP_HEIGHT + CHIP_GAP), w, CHIP_HEIGHT)
            elif (item := self.items_by_id.get(post.local_id)) is not None:
                self.forget_drag_of(item)
                item.setVisible(False)  # hidden, not removed: it may be the chip being dropped right now
        hidden = len(posts) - shown
        more = self.more_items.get(day)
        if hidden > 0:
            if more is None:
                more = self.more_items[day] = MoreItem(day, self)
                self.addItem(more)
            more.set_count(hidden, w)
            more.setPos(x, y + shown * (CHIP_HEIGHT + CHIP_GAP))
        elif more is not None:
            self.removeItem(self.more_items.pop(day))
        if not ids:
            self._by_day.pop(day, None)

    def visible_items(self, day: date) -> list[PostItem]:
        items = [self.items_by_id.get(i) for i in self._by_day.get(day, [])]
        return sorted((i for i in items if i is not None and i.isVisible()), key=lambda it: it.y())

    # -- dragging: keep the time of day ------------------------------------------------------------------

    def drag_position(self, item: PostItem, start: QPointF, scene_pos: QPointF, delta: QPointF) -> QPointF:
        day = self.day_at(scene_pos)
        self.show_drop_hint(item, self.cell_rect(day) if day else None, self.drop_datetime(item, scene_pos))
        return start + delta

    def drop_datetime(self, item: PostItem, scene_pos: QPointF) -> datetime | None:
        day = self.day_at(scene_pos)
        if day is None or item.post.scheduled_for is None:
            return None
        return move_keep_time(item.post.scheduled_for, day, self.zone, self.own_zone(item.post))

    def drag_shift(self, before: datetime, after: datetime) -> Shift:
        """A month drag moves the others by whole days, each keeping its time of day in its own zone."""
        return Shift(days=(local_date(after, self.zone) - local_date(before, self.zone)).days)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        day = self.day_at(event.scenePos())
        if day is not None and self.itemAt(event.scenePos(), QTransform()) in (None, self.band):
            self.slot_activated.emit(local_to_utc(day, DEFAULT_TIME, self.zone))
            return
        super().mouseDoubleClickEvent(event)

    # -- the grid --------------------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        c = GridColours()
        painter.fillRect(rect, c.background)
        painter.fillRect(QRectF(0, 0, self._w, HEADER_HEIGHT), c.header)
        font = QFont(QApplication.font())
        font.setPointSizeF(8.5)
        painter.setFont(font)
        painter.setPen(c.muted)
        for col, weekday in enumerate(weekday_order(self.week_start)):
            painter.drawText(
                QRectF(col * self.cell_w, 0, self.cell_w, HEADER_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                words.WEEKDAY_NAMES[weekday],
            )
        bold = QFont(font)
        bold.setBold(True)
        for row in self.grid:
            for day in row:
                cell = self.cell_rect(day)
                if not cell.intersects(rect):
                    continue
                inside = day.month == self.month
                if day == self.today:
                    painter.fillRect(cell, c.today)
                elif not inside:
                    painter.fillRect(cell, c.outside)
                label = words.month_day_label(day)
                label_rect = QRectF(cell.x() + 6, cell.y() + 2, cell.width() - 10, DAY_LABEL_HEIGHT - 4)
                if day == self.today:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(QBrush(c.today_badge))
                    painter.setFont(bold)
                    w = painter.fontMetrics().horizontalAdvance(label) + 10
                    painter.drawRoundedRect(QRectF(label_rect.x() - 4, label_rect.y(), w, label_rect.height()), 7, 7)
                    painter.setPen(Qt.GlobalColor.white)
                else:
                    painter.setFont(bold if inside else font)
                    painter.setPen(c.text if inside else c.muted)
                painter.drawText(label_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        painter.setPen(QPen(c.line, 1))
        for col in range(1, 7):
            x = round(col * self.cell_w) + 0.5
            painter.drawLine(QPointF(x, HEADER_HEIGHT), QPointF(x, self._h))
        for row in range(6):
            y = round(HEADER_HEIGHT + row * self.cell_h) + 0.5
            painter.drawLine(QPointF(0, y), QPointF(self._w, y))


class MonthView(QWidget):
    """The month scene shown at the viewport's size: no scrolling, the grid stretches with the window."""

    def __init__(self, zone: ZoneInfo, *, week_start: int = 0, parent=None) -> None:
        super().__init__(parent)
        self.scene = MonthScene(zone, week_start=week_start, parent=self)
        self.view = _MonthGraphicsView(self.scene, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)


class _MonthGraphicsView(QGraphicsView):
    def __init__(self, scene: MonthScene, parent: QWidget) -> None:
        super().__init__(scene, parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # the viewport's size (no frame, no scroll bars); not viewport(): PySide6's first QWidget* return creates
        # ~70 enum types of QWidget subclasses (~4 ms of start-up)
        size = self.maximumViewportSize()
        self.scene().set_size(size.width(), size.height())
