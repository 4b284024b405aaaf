"""How a post is named and described wherever it appears: its first words, its time, why it failed, and the
lines of its tooltip. Late's text is plain text: views escape it when they lay it out as rich text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from latecal.core.account_health import BlockedTarget
from latecal.core.models import Account, Post
from latecal.core.platforms import display_name, glyph
from latecal.core.status import PostStatus, SyncState, TargetStatus, is_reschedulable, is_retryable
from latecal.core.stuck import STUCK_AFTER, is_stuck, publishing_since
from latecal.core.text import sentence
from latecal.core.zones import is_valid_zone, utc_to_wall
from latecal.presentation import time_format
from latecal.presentation.account_health_texts import late_says, will_not_post
from latecal.presentation.statuses import (
    MISSED_MEANING,
    late_status_line,
    read_problem_line,
    status_label,
    sync_mark_meaning,
    target_state,
)

NO_TEXT = "(no text)"
#: a post may have many platforms (Late allows it; a hostile answer sent 1,000): lists name this many, then count
LISTED_TARGETS = 8
#: failure reasons quoted in one line, each cut to REASON_LIMIT characters
LISTED_REASONS = 3
REASON_LIMIT = 300


def first_words(text: str, limit: int = 80) -> str:
    flat = " ".join(text[: 4 * limit + 16].split())  # only the start is shown: a 100 KB text is not split whole
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def post_summary(post: Post) -> str:
    return first_words(post.title or post.content) or NO_TEXT


def quoted(post: Post, limit: int = 40) -> str:
    """How messages name a post: its first words in quotes."""
    return f"“{first_words(post_summary(post), limit)}”"


def named(post: Post | None, limit: int = 40) -> str:
    """A post's quoted first words, or "A post" when it is gone."""
    return quoted(post, limit) if post is not None else "A post"


def local_time_text(post: Post, zone: ZoneInfo) -> str:
    return time_format.clock(utc_to_wall(post.scheduled_for, zone)) if post.scheduled_for else "--:--"


def when_text(post: Post, zone: ZoneInfo) -> str:
    """The list's "When" column: "Tue 10 Mar 14:05", or "No time"."""
    return time_format.at_in(post.scheduled_for, zone) if post.scheduled_for else "No time"


def failure_reasons(post: Post) -> list[str]:
    """Each failed platform's reason, for the first few; then how many more failed."""
    failed = [t for t in post.targets if t.status == TargetStatus.FAILED and t.error_message]
    reasons = [f"{display_name(t.platform)}: {sentence(_cut(t.error_message, REASON_LIMIT))}"
               for t in failed[:LISTED_REASONS]]
    if len(failed) > LISTED_REASONS:
        reasons.append(f"{len(failed) - LISTED_REASONS} more platforms failed.")
    return reasons


def more_platforms(hidden: int) -> str:
    """Under a list of platforms cut at its first ones."""
    return f"…and {hidden:,} more platforms"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _status_counts(post: Post) -> str:
    """"990 published, 10 failed": every target's status, counted."""
    counts = Counter(t.status for t in post.targets)
    return ", ".join(f"{n:,} {target_state(status).lower()}" for status, n in counts.most_common())


def shows_each_target(post: Post) -> bool:
    """Partly published and failed posts show each platform's own outcome."""
    return post.status in (PostStatus.PARTIAL, PostStatus.FAILED)


def platforms_text(post: Post) -> str:
    """The list's "Platforms" column: each platform once, or each with its outcome when they differ."""
    if shows_each_target(post):
        if len(post.targets) > LISTED_TARGETS:
            return f"{len(post.targets):,} platforms: {_status_counts(post)}"
        return ", ".join(f"{display_name(t.platform)} {t.status}" for t in post.targets) or "—"
    platforms = list(dict.fromkeys(post.platforms))
    named = ", ".join(display_name(p) for p in platforms[:LISTED_TARGETS]) or "—"
    return named + (f" and {len(platforms) - LISTED_TARGETS} more" if len(platforms) > LISTED_TARGETS else "")


def glyphs_text(post: Post) -> str:
    """The drafts tray's second line: the platforms as short marks."""
    return " ".join(dict.fromkeys(glyph(p) for p in post.platforms)) or "no accounts"


def draft_row(post: Post) -> str:
    """A row of the drafts tray: its first words, then its platforms and status."""
    return f"{first_words(post_summary(post), 60)}\n{glyphs_text(post)} · {status_label(post.status)}"


DRAFTS_HEADING = "Drafts without a time"


def account_text(platform: str, account: Account | None, account_id: str) -> str:
    """"X · Acme", or the id of an account this computer does not know."""
    return f"{display_name(platform)} · {account.label if account else account_id}"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a post's tooltip; ``style`` is how it stands out: "title", "bold", "italic" or ""."""

    text: str
    style: str = ""
    label: str = ""  # a bold lead-in ("Why it failed:") before the text


def stuck_text(post: Post, now: datetime, zone: ZoneInfo) -> str:
    """ "Publishing since 18:08 (16 min)": how long Late has been at it."""
    since = publishing_since(post)
    if since is None:
        return ""
    minutes = max(int((now - since).total_seconds() // 60), 0)
    took = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"
    return f"Publishing since {time_format.clock(utc_to_wall(since, zone))} ({took})"


def tooltip_lines(post: Post, zone: ZoneInfo, *, now: datetime | None = None, stuck_after: timedelta = STUCK_AFTER,
                  blocked: Sequence[BlockedTarget] = (), missed: bool = False) -> list[Line]:
    """When, status, each target's outcome, failure reasons, the sync mark's meaning, and each platform whose
    account cannot post by the post's time (``blocked``: ``core.account_health.blocked_targets``). ``now``: the
    window's clock (the wall clock when not given), for a post publishing far longer than Late takes; ``missed``:
    the post is Missed (``core.missed``, which only the caller's clock can tell)."""
    when = time_format.full(utc_to_wall(post.scheduled_for, zone)) if post.scheduled_for else "No time set"
    lines = [Line(post_summary(post), "title"), Line(f"{when} · {status_label(post.status)}")]
    now = now if now is not None else datetime.now(UTC)
    if is_stuck(post, now, stuck_after):
        lines.append(Line(f"{stuck_text(post, now, zone)}: Late has not finished it yet.", "bold"))
    if own := own_zone_text(post, zone):
        lines.append(Line(own))
    lines += [Line(text, style) for text, style in ((late_status_line(post.status), "italic"),
                                                     (read_problem_line(post.read_problems), "bold")) if text]
    lines += [Line(f"{display_name(t.platform)}: {t.status}") for t in post.targets[:LISTED_TARGETS]]
    if len(post.targets) > LISTED_TARGETS:
        lines.append(Line(f"…{len(post.targets):,} platforms in all: {_status_counts(post)}", "italic"))
    for b in blocked[:LISTED_TARGETS]:
        lines.append(Line(will_not_post(b, zone), "bold", label="⚠"))
        if late_says(b):
            lines.append(Line("Late: " + late_says(b), "italic"))
    reasons = failure_reasons(post)
    if reasons:
        lines.append(Line(" ".join(reasons), label="Why it failed:"))
    if is_retryable(post.status):
        lines.append(Line("Right-click → Retry to publish the failed platforms again.", "italic"))
    mark = MISSED_MEANING if missed else sync_mark_meaning(post.sync_state)
    if mark:
        lines.append(Line(mark, "bold"))
    if post.sync_error and post.sync_state in (SyncState.REJECTED, SyncState.CONFLICT):
        lines.append(Line("Late: " + _cut(post.sync_error, REASON_LIMIT)))
    if not is_reschedulable(post.status):
        lines.append(Line(f"{status_label(post.status)} posts cannot be moved.", "italic"))
    return lines


def zone_place(name: str) -> str:
    """The place an IANA zone is named after: "Europe/Berlin" → "Berlin", "America/New_York" → "New York"."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def own_zone_text(post: Post, zone: ZoneInfo) -> str:
    """"09:00 in Berlin (03:00 here)" for a post kept in a zone other than the one shown; "" otherwise."""
    walls = _own_and_shown(post, zone)
    if walls is None:
        return ""
    there, here = walls
    return f"{time_format.clock(there)} in {zone_place(post.timezone or '')} ({time_format.clock(here)} here)"


def own_zone_hint(post: Post, zone: ZoneInfo) -> str:
    """A chip's short hint for the same: "09:00 Berlin"; "" for a post in the zone shown."""
    walls = _own_and_shown(post, zone)
    return f"{time_format.clock(walls[0])} {zone_place(post.timezone or '')}" if walls else ""


def _own_and_shown(post: Post, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The post's wall time in its own zone and in the zone shown, when those clocks differ."""
    own = post.timezone
    if post.scheduled_for is None or not own or own == zone.key or not is_valid_zone(own):
        return None
    there, here = utc_to_wall(post.scheduled_for, own), utc_to_wall(post.scheduled_for, zone)
    return None if there.utcoffset() == here.utcoffset() else (there, here)  # (same clock, another name)


def disconnection_reason(account: Account) -> str:
    return "disconnected: reconnect it in Late" if account.needs_reconnection else "inactive in Late"


def account_choice(platform: str, account: Account | None, account_id: str) -> tuple[str, str]:
    """An account's checkbox in the editor: its text, and a tooltip when it cannot be chosen ("" when it can)."""
    text = account_text(platform, account, account_id)
    if account is None:
        return f"{text} — not among your accounts", ""
    if not account.connected:
        reason = disconnection_reason(account)
        return f"{text} — {reason}", f"{account.label} is {reason}; it cannot be chosen until it is reconnected."
    return text, ""
