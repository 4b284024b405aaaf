"""Week and day views: a vertical time axis per day, posts as blocks side by side when they overlap.

Every column's y axis is real elapsed time from local midnight (calendar_geometry), so a 25-hour DST day is
one hour taller and shows 02:00 twice; the paint code only multiplies minutes by pixels. Drags snap to 15
minutes through ``datetime_for_y``; the snapped slot is outlined and tagged with its time meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsLineItem, QGraphicsSceneMouseEvent

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
from latecal.core.models import Account, Post, Profile
from latecal.core.queue_slots import QueueSchedule
from latecal.core.slot_groups import SlotGroup, group_by_time
from latecal.core.zones import utc_to_wall
from latecal.presentation.calendar_texts import weekday_and_time
from latecal.ui.calendar.calendar_scene import CalendarScene
from latecal.ui.calendar.post_item import CHIP_HEIGHT, PostItem
from latecal.ui.calendar.queue_layer import QueueLayer, QueueSlotItem
from latecal.ui.calendar.slot_more import SlotMoreItem
from latecal.ui.calendar.time_grid_paint import GUTTER, PX_PER_HOUR, paint_grid
from latecal.ui.widgets.palette import GridColours

#: narrower side-by-side lanes than this cascade instead (a block this wide shows its time and a word or two)
MIN_LANE_WIDTH = 56.0
CASCADE_INDENT = 14.0
BLOCK_MINUTES = 30  # a post is an instant; it is drawn 30 minutes tall (same as assign_lanes' default)
BLOCK_HEIGHT = max(BLOCK_MINUTES * PX_PER_HOUR / 60, CHIP_HEIGHT + 4)
MORE_WIDTH = 34.0  # a "+N" beside the one post a crowded time shows
ROW_HEIGHT = CHIP_HEIGHT + 1  # one post of a time stacked in rows (a column too narrow to share side by side)


class TimeGridScene(CalendarScene):
    block_items = True
    lazy_items = True  # a block is made when its post is first shown (not for those behind a "+N")
    #: a "+N" was clicked or activated: the ``SlotMoreItem`` whose posts should be listed
    slot_list_requested = Signal(object)

    def __init__(self, zone: ZoneInfo, parent=None) -> None:
        super().__init__(zone, parent)
        self.days: list[date] = [date.today()]
        self.today = date.today()
        self.gutter_labels: list[HourLabel] = hour_labels(self.days[0], zone)
        self._w = 800.0
        self._by_day: dict[date, list[str]] = {}
        self._day_of: dict[str, date] = {}
        self._more_by_day: dict[date, list[SlotMoreItem]] = {}
        self._hour_rows: dict[tuple[date, str], list[HourLabel]] = {}
        self._heights: dict[date, float] = {}
        self._rows_of: dict[datetime, int] = {}  # the day being laid out: times stacked in rows, how many fit
        self.now_line = QGraphicsLineItem()
        self.now_line.setPen(QPen(GridColours().now_line, 2))
        self.now_line.setZValue(-1)  # under the posts: across their labels it read as a strike-through
        self.now_dot = QGraphicsEllipseItem(-4, -4, 8, 8)
        self.now_dot.setBrush(GridColours().now_line)
        self.now_dot.setPen(QPen(Qt.PenStyle.NoPen))
        self.now_dot.setZValue(-1)
        self.queue_layer = QueueLayer(self)
        self.drop_hint.setZValue(5)  # over other posts (its tag must read), under the dragged block (z 10)
        self.addItem(self.now_line)
        self.addItem(self.now_dot)
        self._resize_rect()

    # -- geometry ------------------------------------------------------------------------------------

    def set_days(self, days: list[date], today: date) -> None:
        self.days, self.today = list(days), today
        self._heights = {}  # the shown days' heights (a DST day's differs), for the background
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
        return max(self.day_height_px(d) for d in self.days) + 1

    def day_height_px(self, day: date) -> float:
        """The column height of ``day`` (a DST day's differs), worked out once per shown days."""
        height = self._heights.get(day)
        if height is None:
            height = self._heights[day] = day_height(day, self.zone, PX_PER_HOUR)
        return height

    @property
    def col_w(self) -> float:
        return (self._w - GUTTER) / len(self.days)

    def column_x(self, index: int) -> float:
        return GUTTER + index * self.col_w

    def column_of(self, day: date) -> int:
        return self.days.index(day)

    def hour_rows(self, day: date) -> list[HourLabel]:
        """The hour rows drawn for ``day``: 25 on the autumn DST day, 23 in spring (worked out once per day and
        zone: every repaint draws them)."""
        key = (day, self.zone.key)
        rows = self._hour_rows.get(key)
        if rows is None:
            if len(self._hour_rows) > 64:
                self._hour_rows.clear()
            rows = self._hour_rows[key] = hour_labels(day, self.zone)
        return rows

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
        for day in list(self._more_by_day):
            for more in self._more_by_day.pop(day):
                self.removeItem(more)
        self._by_day.clear()
        self._day_of.clear()
        for local_id, post in self.posts.items():
            day = self._day_for(post)
            self._day_of[local_id] = day
            self._by_day.setdefault(day, []).append(local_id)
        for day in list(self._by_day):
            self._layout_day(day)
        self.queue_layer.place_all()

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
            current = self.posts.get(post.local_id)
            if current is not None:
                day = self._day_for(current)
                self._day_of[post.local_id] = day
                self._by_day.setdefault(day, []).append(post.local_id)
                touched.add(day)
        for day in touched:
            self._layout_day(day)
            self.queue_layer.place_day(day)

    def _layout_day(self, day: date) -> None:
        ids = self._by_day.get(day, [])
        for more in self._more_by_day.pop(day, []):
            self.removeItem(more)
        if not ids:
            self._by_day.pop(day, None)
            return
        # posts at one exact time share one place in the column, side by side (a fifth or more collapse into
        # "+N"); places of overlapping times get lanes, or cascade when lanes would be too narrow
        groups = group_by_time((i, self.posts[i].scheduled_for, _order_of(self.posts[i])) for i in ids)
        col_x, col_w = self.column_x(self.column_of(day)), self.col_w
        groups, heights = self._fit_rows(groups, day, col_w)
        lanes = assign_lanes([(g.when, g.when, g.when + timedelta(minutes=heights[g.when] * 60 / PX_PER_HOUR))
                              for g in groups], duration=timedelta(minutes=1))  # each as tall as it is drawn
        bottom = day_height(day, self.zone, PX_PER_HOUR)
        cascaded: list[tuple[list[PostItem], int, float, float]] = []  # (items, lane, y, indent)
        for group in groups:
            lane = lanes[group.when]
            y = min(y_for(group.when, day, self.zone, PX_PER_HOUR), bottom - max(heights[group.when], CHIP_HEIGHT))
            layer, cascade = 0.0, (col_w - 5) / lane.lane_count < MIN_LANE_WIDTH
            if not cascade:
                x, w = lane_geometry(lane, col_x + 2, col_w - 5)
            else:
                # too many at once for side-by-side lanes (only "20…" would show): cascade them instead, each
                # one indented and on top of the earlier ones, so the newest reads whole and every one keeps
                # a visible, clickable strip in its status colour
                # the newest keeps at least 60% of the column however many share the slot
                indent = min(CASCADE_INDENT, (col_w - 5) * 0.4 / max(lane.lane_count - 1, 1))
                x, w = col_x + 2 + lane.lane * indent, col_w - 5 - lane.lane * indent
                layer = lane.lane / 100  # under a dragged item (z 10)
            shown = self._place_group(group, x, y, w, layer, day)
            if cascade:
                cascaded.append((shown, lane.lane, y, indent))
        for items, lane, y, indent in cascaded:
            # the next block of the cascade starts on this one's first line: only a strip of it shows
            strip = indent if any(next_lane == lane + 1 and y <= next_y < y + CHIP_HEIGHT
                                  for _n, next_lane, next_y, _i in cascaded) else None
            for item in items:
                item.set_strip(strip)

    def _fit_rows(self, groups: list[SlotGroup], day: date, col_w: float
                  ) -> tuple[list[SlotGroup], dict[datetime, float]]:
        """Side by side, a time's posts are one block tall. Where the column is too narrow for that (a week on a
        small screen) they stack as one-line rows instead, each still showing time, platforms and words, as many
        rows as there is room for before the next time; the rest go behind its "+N" (a crowded day keeps one
        row per time: a post and "+N"). The groups as shown, and the height each takes in the column."""
        fitted, heights = [], {}
        self._rows_of.clear()
        tops = [y_for(g.when, day, self.zone, PX_PER_HOUR) for g in groups]
        bottom = day_height(day, self.zone, PX_PER_HOUR)
        for index, group in enumerate(groups):
            if group.columns == 1 or (col_w - 5) / group.columns >= MIN_LANE_WIDTH:
                fitted.append(group)
                heights[group.when] = BLOCK_HEIGHT
                continue
            room = (tops[index + 1] if index + 1 < len(groups) else bottom) - tops[index]
            rows = max(int(room // ROW_HEIGHT), 1)
            group = group.limited(max(rows, 2))
            fitted.append(group)
            self._rows_of[group.when] = rows if rows > 1 else 1
            heights[group.when] = min(group.columns * ROW_HEIGHT if rows > 1 else CHIP_HEIGHT, max(room, 1.0))
        return fitted, heights

    def _place_group(self, group: SlotGroup, x: float, y: float, w: float, layer: float, day: date) -> list[PostItem]:
        """Lay out one time's posts side by side in ``w`` (its "+N" last), or stacked in rows when ``w`` is too
        narrow for that; the items shown."""
        rows = self._rows_of.get(group.when)  # set by _fit_rows for a time stacked in rows
        stacked = rows is not None
        part = w if stacked else w / group.columns
        one_row = rows == 1  # a crowded day: a post and its "+N" on one line

        def place(thing, index: int) -> None:
            if one_row:
                more_w = min(MORE_WIDTH, w / 3)
                if index == 0:
                    thing.set_geometry(x + 1, y, w - more_w - 2, CHIP_HEIGHT)
                else:
                    thing.set_geometry(x + w - more_w, y, more_w - 1, CHIP_HEIGHT)
            elif stacked:
                thing.set_geometry(x + 1, y + index * ROW_HEIGHT, w - 2, CHIP_HEIGHT)
            else:
                thing.set_geometry(x + index * part + 1, y, part - 2, BLOCK_HEIGHT)

        shown: list[PostItem] = []
        for index, local_id in enumerate(group.shown):
            item = self.ensure_item(local_id)
            item.setVisible(True)
            item.set_layer(layer)
            place(item, index)
            item.set_strip(None)
            shown.append(item)
        for local_id in group.hidden:
            item = self.items_by_id.get(local_id)
            if item is not None:
                item.setVisible(False)  # hidden, not removed: it may be the block being dropped right now
        if group.hidden:
            more = SlotMoreItem(group.when, [str(i) for i in group.everyone], len(group.hidden), self.zone,
                                self._open_slot_list)
            place(more, len(group.shown))
            more.setZValue(layer)
            more.set_holds_selection(self.selected_id in group.hidden)
            self.addItem(more)
            self._more_by_day.setdefault(day, []).append(more)
        return shown

    def _open_slot_list(self, more: SlotMoreItem) -> None:
        self.slot_list_requested.emit(more)

    def more_items(self) -> list[SlotMoreItem]:
        """Every "+N" shown, day by day."""
        return [m for day in self.days for m in self._more_by_day.get(day, [])]

    def holder_of(self, local_id: str) -> SlotMoreItem | None:
        """The "+N" a post is behind, if it is."""
        return next((m for items in self._more_by_day.values() for m in items
                     if local_id in m.post_ids[-m.hidden:]), None)

    def show_selection(self, ids, current: str | None = None) -> None:
        super().show_selection(ids, current)
        # the current post hidden behind a "+N" (reached with the arrow keys) marks its "+N"
        holder = self.holder_of(current) if current is not None else None
        for items in self._more_by_day.values():
            for more in items:
                more.set_holds_selection(more is holder)

    def post_top(self, local_id: str) -> float:
        """Where a post's time is in its column (whether its block is shown or behind a "+N")."""
        post = self.posts[local_id]
        day = self._day_of.get(local_id) or self._day_for(post)
        return min(y_for(post.scheduled_for, day, self.zone, PX_PER_HOUR),
                   day_height(day, self.zone, PX_PER_HOUR) - BLOCK_HEIGHT)

    def set_queues(self, schedules: list[QueueSchedule], profiles: Mapping[str, Profile]) -> None:
        """Late's queues to draw as free slots (``queue_layer``), with the profiles they belong to."""
        self.queue_layer.set_queues(schedules, profiles)

    def set_accounts(self, accounts: Mapping[str, Account]) -> None:
        super().set_accounts(accounts)
        self.queue_layer.place_all()  # which profile a post belongs to decides which slots it fills

    def posts_on(self, day: date) -> list[str]:
        return self._by_day.get(day, [])

    def first_post_y(self) -> float | None:
        """The top of the earliest time of day among the shown posts (so every day's first post is in view)."""
        ys = [item.y() for item in self.items_by_id.values() if item.isVisible()]
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
        under = self.itemAt(event.scenePos(), QTransform())
        if day is not None and isinstance(under, QueueSlotItem):  # a free queue slot: a post for its very time
            self.slot_activated.emit(under.when)
            return
        if day is not None and under in (None, self.now_line, self.now_dot):
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
        paint_grid(self, painter, rect)


def _order_of(post: Post) -> str:
    """Posts at one time are shown in the order of their first words: the same three after every sync."""
    return (post.title or post.content)[:40].casefold()
