"""What the week and day views say about a crowded time: the "+N" of posts collapsed at one time and the list
it opens."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from latecal.core.models import Post
from latecal.core.platforms import glyph
from latecal.core.zones import utc_to_wall
from latecal.presentation import time_format
from latecal.presentation.posts import local_time_text, post_summary


def more_at_time(count: int) -> str:
    return f"+{count}"


def more_at_time_tip(count: int, total: int, when: datetime, zone: ZoneInfo) -> str:
    wall = utc_to_wall(when, zone)
    return (f"{count} more posts at {time_format.clock(wall)} ({total} in all): click, or press Enter, "
            "to list them")


def slot_list_title(total: int, when: datetime, zone: ZoneInfo) -> str:
    return f"{total} posts at {time_format.at_in(when, zone)}"


def slot_list_entry(post: Post, zone: ZoneInfo) -> str:
    """One line of the list: time, platform marks and first words (plain text: the list shows it as such)."""
    marks = " ".join(dict.fromkeys(glyph(p) for p in post.platforms))
    return " ".join(part for part in (local_time_text(post, zone), marks, post_summary(post)) if part)
