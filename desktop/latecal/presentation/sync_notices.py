"""What the window says about a sync run: what stopped or slowed it, what Late refused, what changed on both
sides. Each is one ``Message`` with a key, so the next run without that matter takes it back."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from latecal.core.models import Post
from latecal.core.text import sentence
from latecal.core.zones import utc_to_wall
from latecal.presentation import time_format
from latecal.presentation.messages import CONFLICTS, RATE_LIMIT, SYNC_ERROR, Message, problem
from latecal.presentation.posts import named

NOT_CONNECTED = "Not connected to Late yet: changes are kept locally."
KEY_REFUSED = ("Late did not accept the API key: syncing is paused and your local changes are kept. "
               "Enter a new key (File ▸ Settings…).")


def _more(items: Sequence[object]) -> str:
    return f" (and {len(items) - 1} more)" if len(items) > 1 else ""


def run_error(errors: Sequence[str]) -> Message | None:
    """The error that stopped a run (the first, and how many more)."""
    return problem(f"Sync: {errors[0]}{_more(errors)}", SYNC_ERROR) if errors else None


def rate_limited(until: datetime | None, zone: ZoneInfo) -> Message | None:
    if until is None:
        return None
    at = time_format.clock(utc_to_wall(until, zone))
    return problem("Late asked the app to slow down (too many requests in a short time). It tries again at "
                   f"{at}; your changes are kept until then.", RATE_LIMIT)


def refusals(rejected: Mapping[str, str], lookup: Callable[[str], Post | None]) -> Message | None:
    """Late refused changes (a retry, an edit, a delete): which post and why, the first of them."""
    lines = [f"Late refused the change to {named(lookup(local_id))}: {sentence(reason)}"
             for local_id, reason in rejected.items()]
    return problem(f"{lines[0]}{_more(lines)}") if lines else None


def conflicts(local_ids: Sequence[str], lookup: Callable[[str], Post | None]) -> Message | None:
    if not local_ids:
        return None
    if len(local_ids) > 1:
        name = f"{len(local_ids)} posts were"
    else:
        post = lookup(local_ids[0])
        name = f"{named(post)} was"
    return problem(f"{name} changed on Late while you had edits here that were not sent. Both versions are kept: "
                   "right-click (or open) the post marked ◆ to keep yours or take Late's.", CONFLICTS)
