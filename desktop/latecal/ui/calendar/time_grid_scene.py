"""Week and day views: a vertical time axis per day, posts as blocks side by side when they overlap.

Every column's y axis is real elapsed time from local midnight (calendar_geometry), so a 25-hour DST day is
one hour taller and shows 02:00 twice; the paint code only multiplies minutes by pixels. Drags snap to 15
minutes through ``datetime_for_y``; the snapped slot is outlined and tagged with its time meanwhile.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPen, QTransform
from PySide6.QtWidgets import QApplication, QGraphicsEllipseItem, QGraphicsLineItem, QGraphicsSceneMouseEvent

from latecal.core.calendar_geometry import (
    HourLabel,
    assign_lanes,
    datetime_for_y,
    day_height,
    day_minutes,
    drag_in_grid,
    hour_labels,
    lane_geometry,
    local_date,
    y_for,
)
from latecal.core.models import Post
from latecal.core.zones import utc_to_wall
from latecal.presentation import time_format
from latecal.presentation.calendar_texts import weekday_and_time
from latecal.ui.calendar.calendar_scene import CalendarScene
from latecal.ui.calendar.post_item import CHIP_HEIGHT, PostItem
from latecal.ui.widgets.palette import GridColours

GUTTER = 54.0
PX_PER_HOUR = 60.0  # 30 minutes = 30 px: two lines of a post block
#: narrower side-by-side lanes than this cascade instead (a block this wide shows its time and a word or two)
MIN_LANE_WIDTH = 56.0
CASCADE_INDENT = 14.0
BLOCK_MINUTES = 30  # a post is an instant; it is drawn 30 minutes tall (same as assign_lanes' default)
BLOCK_HEIGHT = max(BLOCK_MINUTES * PX_PER_HOUR / 60, CHIP_HEIGHT + 4)


class TimeGridScene(CalendarScene):
    block_items = True

    def __init__(self, zone: ZoneInfo, parent=None) -> None:
        super().__init__(zone, parent)
        self.days: list[date] = [date.today()]
        self.today = date.today()
        self.gutter_labels: list[HourLabel] = hour_labels(self.days[0], zone)
        self._w = 800.0
        self._by_day: dict[date, list[str]] = {}
        self._day_of: dict[str, date] = {}
        self.now_line = QGraphicsLineItem()
        self.now_line.setPen(QPen(GridColours().now_line, 2))
        self.now_line.setZValue(-1)  # under the posts: across their labels it read as a strike-through
        self.now_dot = QGraphicsEllipseItem(-4, -4, 8, 8)
        self.now_dot.setBrush(GridColours().now_line)
        self.now_dot.setPen(QPen(Qt.PenStyle.NoPen))
        self.now_dot.setZValue(-1)
        self.drop_hint.setZValue(5)  # over other posts (its tag must read), under the dragged block (z 10)
        self.addItem(self.now_line)
        self.addItem(self.now_dot)
        self._resize_rect()

    # -- geometry ------------------------------------------------------------------------------------

    def set_days(self, days: list[date], today: date) -> None:
        self.days, self.today = list(days), today
        normal = [d for d in days if day_minutes(d, self.zone) == 1440]
        # the gutter reads like an ordinary day; a DST column labels its own hours inside the column
        self.gutter_labels = hour_labels(days[0] if len(days) == 1 or not normal else normal[0], self.zone)
        self._resize_rect()
        self.update()

    def set_width(self, w: float) -> None:
        if w != self._w:
            self._w = max(w, GUTTER + 70)
            self._resize_rect()
            self.layout_all()

    def _resize_rect(self) -> None:
        self.setSceneRect(0, 0, self._w, self.total_height)
        self.update_now_line()

    @property
    def total_height(self) -> float:
        return max(day_height(d, self.zone, PX_PER_HOUR) for d in self.days) + 1

    @property
    def col_w(self) -> float:
        return (self._w - GUTTER) / len(self.days)

    def column_x(self, index: int) -> float:
        return GUTTER + index * self.col_w

    def column_of(self, day: date) -> int:
        return self.days.index(day)

    def hour_rows(self, day: date) -> list[HourLabel]:
        """The hour rows drawn for ``day``: 25 on the autumn DST day, 23 in spring."""
        return hour_labels(day, self.zone)

    def y_of(self, dt_utc: datetime) -> float:
        return y_for(dt_utc, local_date(dt_utc, self.zone), self.zone, PX_PER_HOUR)

    def day_at(self, scene_pos: QPointF) -> date | None:
        if scene_pos.x() < GUTTER:
            return None
        col = int((scene_pos.x() - GUTTER) // self.col_w)
        return self.days[col] if 0 <= col < len(self.days) else None

    # -- mirroring -----------------------------------------------------------------------------------

    def _day_for(self, post: Post) -> date:
        assert post.scheduled_for is not None
        return local_date(post.scheduled_for, self.zone)

    def accepts(self, post: Post) -> bool:
        return post.scheduled_for is not None and self._day_for(post) in self.days

    def layout_all(self) -> None:
        self._by_day.clear()
        self._day_of.clear()
        for local_id, item in self.items_by_id.items():
            day = self._day_for(item.post)
            self._day_of[local_id] = day
            self._by_day.setdefault(day, []).append(local_id)
        for day in list(self._by_day):
            self._layout_day(day)

    def relayout_for(self, old: Post | None, new: Post | None) -> None:
        self.relayout_many([(old, new)])

    def relayout_many(self, changes: list[tuple[Post | None, Post | None]]) -> None:
        touched: set[date] = set()
        for post in (p for pair in changes for p in pair):
            if post is None:
                continue
            previous = self._day_of.pop(post.local_id, None)
            if previous is not None:
                self._by_day[previous].remove(post.local_id)
                touched.add(previous)
            item = self.items_by_id.get(post.local_id)
            if item is not None:
                day = self._day_for(item.post)
                self._day_of[post.local_id] = day
                self._by_day.setdefault(day, []).append(post.local_id)
                touched.add(day)
        for day in touched:
            self._layout_day(day)

    def _layout_day(self, day: date) -> None:
        items = [self.items_by_id[i] for i in self._by_day.get(day, [])]
        if not items:
            self._by_day.pop(day, None)
            return
        lanes = assign_lanes([(it.local_id, it.post.scheduled_for, None) for it in items])
        col_x, col_w = self.column_x(self.column_of(day)), self.col_w
        bottom = day_height(day, self.zone, PX_PER_HOUR)
        cascaded: list[tuple[PostItem, int, float, float]] = []  # (item, lane, y, indent)
        for item in items:
            lane = lanes[item.local_id]
            y = min(y_for(item.post.scheduled_for, day, self.zone, PX_PER_HOUR), bottom - BLOCK_HEIGHT)
            if (col_w - 5) / lane.lane_count >= MIN_LANE_WIDTH:
                x, w = lane_geometry(lane, col_x + 2, col_w - 5)
                item.set_layer(0)
            else:
                # too many at once for side-by-side lanes (only "20…" would show): cascade them instead, each
                # one indented and on top of the earlier ones, so the newest reads whole and every one keeps
                # a visible, clickable strip in its status colour
                # the newest keeps at least 60% of the column however many share the slot
                indent = min(CASCADE_INDENT, (col_w - 5) * 0.4 / max(lane.lane_count - 1, 1))
                x, w = col_x + 2 + lane.lane * indent, col_w - 5 - lane.lane * indent
                item.set_layer(lane.lane / 100)  # under a dragged item (z 10)
                cascaded.append((item, lane.lane, y, indent))
            item.set_geometry(x + 1, y, w - 2, BLOCK_HEIGHT)
            item.set_strip(None)
        for item, lane, y, indent in cascaded:
            # the next block of the cascade starts on this one's first line: only a strip of it shows
            if any(next_lane == lane + 1 and y <= next_y < y + CHIP_HEIGHT for _n, next_lane, next_y, _i in cascaded):
                item.set_strip(indent)

    def posts_on(self, day: date) -> list[str]:
        return self._by_day.get(day, [])

    def first_post_y(self) -> float | None:
        """The top of the earliest time of day among the shown posts (so every day's first post is in view)."""
        ys = [item.y() for item in self.items_by_id.values()]
        return min(ys) if ys else None

    # -- dragging: snap to 15 minutes in the column under the pointer ------------------------------------

    def drag_position(self, item: PostItem, start: QPointF, scene_pos: QPointF, delta: QPointF) -> QPointF:
        col = min(max(int((scene_pos.x() - GUTTER) // self.col_w), 0), len(self.days) - 1)
        day = self.days[col]
        when = drag_in_grid(item.post.scheduled_for, day, delta.y() * 60 / PX_PER_HOUR, self.zone)
        item.drop_utc = when
        y = min(y_for(when, day, self.zone, PX_PER_HOUR), day_height(day, self.zone, PX_PER_HOUR) - BLOCK_HEIGHT)
        # the whole slot in its column, tagged with the snapped time: the block itself still shows its old time
        wall = utc_to_wall(when, self.zone)
        slot = QRectF(self.column_x(col), y, self.col_w, BLOCK_HEIGHT)
        self.show_drop_hint(item, slot, when, weekday_and_time(wall))
        return QPointF(self.column_x(col) + 3, y)

    def drop_datetime(self, item: PostItem, scene_pos: QPointF) -> datetime | None:
        return item.drop_utc

    def slot_hint(self, day: date, exact: datetime | None) -> tuple[QRectF, str]:
        assert exact is not None  # drop_slot always gives the snapped time here
        wall = utc_to_wall(exact, self.zone)
        rect = QRectF(self.column_x(self.column_of(day)), y_for(exact, day, self.zone, PX_PER_HOUR), self.col_w,
                      BLOCK_HEIGHT)
        return rect, weekday_and_time(wall)

    def drop_slot(self, scene_pos: QPointF) -> tuple[date, datetime | None] | None:
        day = self.day_at(scene_pos)
        if day is None:
            return None
        return day, datetime_for_y(scene_pos.y(), day, self.zone, PX_PER_HOUR)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        day = self.day_at(event.scenePos())
        if day is not None and self.itemAt(event.scenePos(), QTransform()) in (None, self.now_line, self.now_dot):
            self.slot_activated.emit(datetime_for_y(event.scenePos().y(), day, self.zone, PX_PER_HOUR))
            return
        super().mouseDoubleClickEvent(event)

    # -- now-line --------------------------------------------------------------------------------------

    def update_now_line(self, now: datetime | None = None) -> None:
        now = now or self.clock()
        day = local_date(now, self.zone)
        visible = day in self.days
        self.now_line.setVisible(visible)
        self.now_dot.setVisible(visible)
        if visible:
            x = self.column_x(self.column_of(day))
            y = y_for(now, day, self.zone, PX_PER_HOUR)
            self.now_line.setLine(x, y, x + self.col_w, y)
            self.now_dot.setPos(x, y)

    # -- the grid --------------------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        c = GridColours()
        painter.fillRect(rect, c.background)
        painter.fillRect(QRectF(0, rect.y(), GUTTER, rect.height()), c.header)
        small = QFont(QApplication.font())
        small.setPointSizeF(7.5)
        painter.setFont(small)
        gutter_texts = [label.text for label in self.gutter_labels]
        for index, day in enumerate(self.days):
            x, w = self.column_x(index), self.col_w
            height = day_height(day, self.zone, PX_PER_HOUR)
            if day == self.today:
                painter.fillRect(QRectF(x, 0, w, height), c.today)
            if height < self.total_height:  # a 23-hour day ends early: the rest is not part of it
                painter.fillRect(QRectF(x, height, w, self.total_height - height), c.outside)
            labels = self.hour_rows(day)
            own_labels = [label.text for label in labels] != gutter_texts
            for label in labels:
                y = label.minutes * PX_PER_HOUR / 60
                painter.setPen(QPen(c.line, 1))
                painter.drawLine(QPointF(x, y + 0.5), QPointF(x + w, y + 0.5))
                half = y + PX_PER_HOUR / 2
                painter.setPen(QPen(c.hour_line, 1, Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(x, half + 0.5), QPointF(x + w, half + 0.5))
                if own_labels:
                    painter.setPen(c.muted)
                    painter.drawText(QRectF(x + 3, y + 1, w - 6, 14), Qt.AlignmentFlag.AlignRight,
                                     time_format.hour_label(label.text))
        painter.setPen(c.muted)
        for label in self.gutter_labels:
            y = label.minutes * PX_PER_HOUR / 60
            painter.drawText(QRectF(2, y + 1, GUTTER - 8, 14), Qt.AlignmentFlag.AlignRight,
                             time_format.hour_label(label.text))
        painter.setPen(QPen(c.line, 1))
        for index in range(len(self.days) + 1):
            x = round(self.column_x(index)) + 0.5
            painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
