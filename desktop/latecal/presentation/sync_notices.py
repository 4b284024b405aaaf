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

# the matters of a run's outcome besides those in ``messages`` (the message bar's keys)
UNSENT = "sync-unsent"  # changes waiting to be sent again after a 5xx or a garbled answer
UNREADABLE = "sync-unreadable"  # posts from Late that could not be read

NOT_CONNECTED = "Not connected to Late yet: changes are kept locally."
KEY_REFUSED = ("Late did not accept the API key: syncing is paused and your local changes are kept. "
               "Enter a new key (File ▸ Settings…).")


def _more(items: Sequence[object]) -> str:
    return f" (and {len(items) - 1} more)" if len(items) > 1 else ""


def run_error(errors: Sequence[str]) -> Message | None:
    """The error that stopped a run (the first, and how many more)."""
    return problem(f"Sync: {errors[0]}{_more(errors)}", SYNC_ERROR) if errors else None


def _at(when: datetime, zone: ZoneInfo, now: datetime | None) -> str:
    """18:42, or Wed 11 Mar 18:42 when that is not today (a daily cap's wait)."""
    wall = utc_to_wall(when, zone)
    same_day = now is None or utc_to_wall(now, zone).date() == wall.date()
    return time_format.clock(wall) if same_day else time_format.day_and_clock(wall)


def rate_limited(until: datetime | None, zone: ZoneInfo, now: datetime | None = None) -> Message | None:
    """Late answered 429: said at once with its time, and again when Sync is pressed before then."""
    if until is None:
        return None
    return problem(f"Late asked to wait until {_at(until, zone, now)} (too many requests in a short time): your "
                   "changes are kept and sent then.", RATE_LIMIT)


def unsent(count: int, reason: str, retry_at: datetime | None, zone: ZoneInfo,
           now: datetime | None = None) -> Message | None:
    """Changes that failed without a refusal (Late answered 503, say) and wait to be tried again."""
    if not count:
        return None
    changes = "1 change" if count == 1 else f"{count} changes"
    why = f": {reason.rstrip('.')}" if reason else ""
    when = f"; retrying at {_at(retry_at, zone, now)}" if retry_at is not None else ""
    return problem(f"{changes} could not be sent{why}{when}.", UNSENT)


def unreadable(bad_posts: int, kept_marked: int = 0) -> Message | None:
    """Posts Late sent that could not be read (skipped), and posts kept without the fields that could not be."""
    parts = []
    if bad_posts:
        posts = "1 post" if bad_posts == 1 else f"{bad_posts} posts"
        parts.append(f"{posts} from Late could not be read and {'is' if bad_posts == 1 else 'are'} not shown.")
    if kept_marked:
        posts = "1 post" if kept_marked == 1 else f"{kept_marked} posts"
        parts.append(f"{posts} from Late had fields that could not be read: shown with what could be.")
    return problem(" ".join(parts), UNREADABLE) if parts else None


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
