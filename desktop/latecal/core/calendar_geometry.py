"""Calendar maths for the month and week/day views, with no Qt: dates ↔ grid cells, instants ↔ pixels, lanes.

The time axis of a day is *real elapsed time* from local midnight in the display zone, so a 23-hour DST day
has 1380 minutes of rows and a 25-hour day 1500 (02:00 appears twice, see ``hour_labels``). Paint code only
multiplies minutes by pixels; every DST decision is made here.

Weekdays are numbered like ``date.weekday()``: 0 = Monday … 6 = Sunday.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from latecal.core.models import utc
from latecal.core.zones import local_to_utc, utc_to_wall

GRID_ROWS = 6
DEFAULT_SNAP_MINUTES = 15
DEFAULT_ITEM_DURATION = timedelta(minutes=30)

# -- dates --------------------------------------------------------------------------------------------


def _check_week_start(week_start: int) -> None:
    if week_start not in range(7):
        raise ValueError(f"week_start must be 0 (Monday) … 6 (Sunday), got {week_start!r}")


def week_start_of(day: date, week_start: int = 0) -> date:
    _check_week_start(week_start)
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def week_days(anchor: date, week_start: int = 0) -> list[date]:
    """The seven days of the week containing ``anchor``."""
    first = week_start_of(anchor, week_start)
    return [first + timedelta(days=i) for i in range(7)]


def weekday_order(week_start: int = 0) -> list[int]:
    """Column order of weekdays for the header row, e.g. [6, 0, 1, …, 5] when weeks start on Sunday."""
    _check_week_start(week_start)
    return [(week_start + i) % 7 for i in range(7)]


def month_grid(year: int, month: int, week_start: int = 0) -> list[list[date]]:
    """Always 6 rows × 7 days; the first row holds the 1st, leading/trailing days come from the neighbours."""
    first = week_start_of(date(year, month, 1), week_start)
    return [[first + timedelta(days=r * 7 + c) for c in range(7)] for r in range(GRID_ROWS)]


def grid_cell(day: date, year: int, month: int, week_start: int = 0) -> tuple[int, int] | None:
    """(row, column) of ``day`` in that month's grid, or None when the grid does not show it."""
    index = (day - month_grid(year, month, week_start)[0][0]).days
    return divmod(index, 7) if 0 <= index < GRID_ROWS * 7 else None


def local_date(dt_utc: datetime, zone: ZoneInfo) -> date:
    """The calendar day an instant falls on in the display zone."""
    return utc_to_wall(dt_utc, zone).date()


# -- the time axis of one day -------------------------------------------------------------------------


def day_bounds_utc(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of the local day as UTC instants: 23 h or 25 h long on DST days.

    A midnight that does not exist (zones switching at 00:00) starts the day at the first instant after the gap.
    """
    return local_to_utc(day, time(0), zone), local_to_utc(day + timedelta(days=1), time(0), zone)


def day_minutes(day: date, zone: ZoneInfo) -> int:
    """Length of the local day in real minutes: 1440, or 1380 / 1500 on DST days in most zones."""
    start, end = day_bounds_utc(day, zone)
    return round((end - start).total_seconds() / 60)


def minutes_from_midnight(dt_utc: datetime, day: date, zone: ZoneInfo) -> float:
    """Real minutes elapsed since local midnight of ``day``; negative or past the end when outside the day."""
    start, _ = day_bounds_utc(day, zone)
    return (utc(dt_utc) - start).total_seconds() / 60


def time_at(day: date, minutes: float, zone: ZoneInfo) -> datetime:
    """Inverse of ``minutes_from_midnight``: the UTC instant ``minutes`` real minutes after local midnight."""
    start, _ = day_bounds_utc(day, zone)
    return start + timedelta(minutes=minutes)


def snap(minutes: float, step: int = DEFAULT_SNAP_MINUTES) -> int:
    """Nearest multiple of ``step`` (halves round up, so a drag halfway between rows moves down)."""
    if step <= 0:
        raise ValueError(f"snap step must be positive, got {step}")
    return math.floor(minutes / step + 0.5) * step


def snap_datetime(dt_utc: datetime, zone: ZoneInfo, step: int = DEFAULT_SNAP_MINUTES) -> datetime:
    """Snap an instant to the nearest ``step`` minutes of the display zone's grid.

    Measured from local midnight in real minutes, so across a gap 01:59 CET snaps to 03:00 CEST (the next row),
    and in a fold each occurrence of 02:10 snaps within its own hour.
    """
    day = local_date(dt_utc, zone)
    return time_at(day, snap(minutes_from_midnight(dt_utc, day, zone), step), zone)


def y_for(dt_utc: datetime, day: date, zone: ZoneInfo, px_per_hour: float) -> float:
    return minutes_from_midnight(dt_utc, day, zone) * px_per_hour / 60


def day_height(day: date, zone: ZoneInfo, px_per_hour: float) -> float:
    return day_minutes(day, zone) * px_per_hour / 60


def datetime_for_y(
    y: float, day: date, zone: ZoneInfo, px_per_hour: float, step: int = DEFAULT_SNAP_MINUTES
) -> datetime:
    """The snapped UTC instant at ``y`` in the column of ``day``, clamped so it stays on that day."""
    if px_per_hour <= 0:
        raise ValueError(f"px_per_hour must be positive, got {px_per_hour}")
    last = (day_minutes(day, zone) - 1) // step * step  # the last row start that is still this day
    minutes = min(max(snap(y * 60 / px_per_hour, step), 0), last)
    return time_at(day, minutes, zone)


class HourLabel(NamedTuple):
    minutes: int  # real minutes from local midnight: multiply by px_per_minute for y
    text: str  # local wall time "HH:MM"


def hour_labels(day: date, zone: ZoneInfo) -> list[HourLabel]:
    """One label per real hour of the day: "02:00" twice on a 25-hour day, absent on a 23-hour day."""
    start, _ = day_bounds_utc(day, zone)
    return [
        HourLabel(h * 60, f"{utc_to_wall(start + timedelta(hours=h), zone):%H:%M}")
        for h in range(day_minutes(day, zone) // 60)
    ]


# -- overlap lanes ------------------------------------------------------------------------------------


class Lane(NamedTuple):
    lane: int  # 0-based column within the cluster
    lane_count: int  # columns the cluster is split into (same for every item of a cluster)


def assign_lanes(
    items: Sequence[tuple[Hashable, datetime, datetime | None]],
    duration: timedelta = DEFAULT_ITEM_DURATION,
) -> dict[Hashable, Lane]:
    """Side-by-side lanes for overlapping items, after KOrganizer's ``placeSubCells``.

    Posts are instants, so each item occupies at least ``duration`` from its start (an ``end`` of None or
    before that is stretched). Intervals are half-open: one ending at 10:00 does not overlap one starting then.
    Items chained by overlaps form a cluster; each takes the lowest lane that is free at its start, and every
    item of a cluster reports the cluster's lane count so they share the column width evenly.
    """
    spans = []
    for order, (key, start, end) in enumerate(items):
        start = utc(start)
        stop = start + duration
        if end is not None and utc(end) > stop:
            stop = utc(end)
        spans.append((start, stop, order, key))
    spans.sort(key=lambda s: (s[0], s[2]))

    result: dict[Hashable, Lane] = {}
    cluster: list[tuple[Hashable, int]] = []
    lane_ends: list[datetime] = []  # per lane, when its last item ends
    cluster_end: datetime | None = None

    def close() -> None:
        for key, lane in cluster:
            result[key] = Lane(lane, len(lane_ends))

    for start, stop, _order, key in spans:
        if cluster_end is not None and start >= cluster_end:
            close()
            cluster, lane_ends = [], []
        lane = next((i for i, e in enumerate(lane_ends) if e <= start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(stop)
        else:
            lane_ends[lane] = stop
        cluster.append((key, lane))
        cluster_end = stop if cluster_end is None else max(cluster_end, stop)
    close()
    return result


def lane_geometry(lane: Lane, x: float, width: float) -> tuple[float, float]:
    """(x, width) of an item's box inside a day column starting at ``x`` with ``width``."""
    w = width / lane.lane_count
    return x + lane.lane * w, w


# -- moving posts -------------------------------------------------------------------------------------


def move_keep_time(dt_utc: datetime, new_day: date, zone: ZoneInfo, own: ZoneInfo | None = None) -> datetime:
    """Move an instant to ``new_day`` (a day as the display ``zone`` shows it) keeping its time of day in the
    post's ``own`` zone (the display zone when None).

    For month-view drags: a Berlin 09:00 post shown in New York stays 09:00 in Berlin, also across a DST change
    only one of the zones makes; it moves by as many days as the drag did. A wall time missing on the new day
    (DST gap) shifts forward; one that happens twice takes the first occurrence.
    """
    own = own or zone
    days = new_day - local_date(dt_utc, zone)
    wall = utc_to_wall(dt_utc, own)
    return local_to_utc(wall.date() + days, wall.time(), own)


def drag_in_grid(dt_utc: datetime, new_day: date, delta_minutes: float, zone: ZoneInfo,
                 step: int = DEFAULT_SNAP_MINUTES) -> datetime:
    """Where a week/day block lands: dragged to the column of ``new_day`` and ``delta_minutes`` up or down.
    Taken from the post's time, not from where its block is drawn (a post at 23:45 is drawn higher to fit its
    day). Within its own day the time moves by real minutes, as the grid is laid out (so both of a fall-back
    night's 01:30s can be reached); to another day the wall-clock time moves, so a drag straight across keeps
    the time of day, also into a 23- or 25-hour day."""
    if local_date(dt_utc, zone) == new_day:
        last = (day_minutes(new_day, zone) - 1) // step * step
        return time_at(new_day, min(max(snap(minutes_from_midnight(dt_utc, new_day, zone) + delta_minutes, step), 0),
                                    last), zone)
    wall = utc_to_wall(dt_utc, zone)
    minutes = min(max(snap(wall.hour * 60 + wall.minute + delta_minutes, step), 0), 24 * 60 - step)
    return local_to_utc(new_day, time(minutes // 60, minutes % 60), zone)
