"""The words for a different time per platform in one post (Late's ``platforms[].scheduledFor``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from latecal.core.models import Post
from latecal.core.platforms import display_name
from latecal.presentation import time_format
from latecal.presentation.posts import quoted

#: the heading over the editor's per-platform times
OWN_TIMES_HEADING = "Times per platform (optional)"
#: the editor's per-platform time switch, and its tooltip
OWN_TIME = "Own time"
OWN_TIME_TIP = "Publish on this platform at a different time than the rest of the post"


def platform_names(platforms: Sequence[str]) -> str:
    names = list(dict.fromkeys(display_name(p) for p in platforms))
    return ", ".join(names) if names else "no platform"


def move_platforms_title(post: Post, platforms: Sequence[str], new_utc: datetime, zone: ZoneInfo) -> str:
    """The undo history's name for moving some platforms of a post alone."""
    wall = new_utc.astimezone(zone)
    return f"Move {quoted(post, 30)} on {platform_names(platforms)} to {time_format.day_and_clock(wall)}"
