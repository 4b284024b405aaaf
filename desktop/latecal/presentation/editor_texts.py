"""The post editor's sentences: its status line, its notes, its window title and its close question."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from latecal.core.models import Post
from latecal.core.status import PostStatus, SyncState
from latecal.core.text import own_sentence
from latecal.core.zones import utc_to_wall, wall_to_utc
from latecal.presentation import time_format
from latecal.presentation.posts import failure_reasons, first_words, post_summary, quoted
from latecal.presentation.statuses import done_while_editing, status_label

DELETED_NOTE = "This post was deleted. Your text is still here: Ctrl+S saves it as a new draft."
#: Late refuses the same text and media for the same account within 24 hours of the first (§2.7 rule 3)
COPY_NOTE = ("A copy: Late refuses the same text for the same account within 24 hours of the original, "
             "so change the text a little before you schedule it.")
CAME_BACK_AS_COPY = "The post came back as a new draft. Your changes here are for that draft: Ctrl+S saves them."
KEPT_AS_COPY = "Your version was saved as a new draft; this is the post as Late has it."
FIX_TO_KEEP_SCHEDULED = "Fix the problems listed to keep it scheduled, or move it back to draft."
FIX_BEFORE_LATE = "Fix the problems listed first: Late refuses them for this post."
NO_TIME_HINT = "No time yet: the post waits in the drafts tray."
PUBLISH_NOW_TIP = "Publish at once. This cannot be undone: Late starts publishing the post right away."


@dataclass(frozen=True, slots=True)
class Connection:
    """What the status line needs to know of the link to Late."""

    connected: bool  # a sync engine exists (a key is set, or the demo runs)
    online: bool = True
    #: an attempt failed and waits: Late's (or the network's) reason and when the app tries again
    deferred: tuple[str, datetime] | None = None


def window_title(post: Post, *, is_new: bool, read_only: bool, is_copy: bool) -> str:
    if is_new:
        return "New post"  # Qt appends the app's display name
    copy = " (copy)" if is_copy else ""
    return f"{'View' if read_only else 'Edit'} post: {first_words(post_summary(post), 50)}{copy}"


def status_text(post: Post, *, late_message: str, zone: str, link: Connection) -> str:
    """The footer's line: what the stored post is, and whether Late has it (follows every store change)."""
    state = post.sync_state
    if state == SyncState.CONFLICT:
        return "In conflict with Late: choose a version in the banner at the top. Nothing is sent until then."
    if state == SyncState.REJECTED:
        reason = (post.sync_error or late_message or "no reason given").rstrip(". ")
        if post.late_id:  # an edit was refused: Late still has the version before it
            return (f"Late refused your last change ({reason}) and still has the earlier version. "
                    "Fix it and save again.")
        return f"Not on Late yet: Late refused the post ({reason}). Fix it and save again."
    if post.status == PostStatus.DRAFT:
        what = "Saved as a draft"
    elif post.status == PostStatus.SCHEDULED and post.scheduled_for is not None:
        what = f"Scheduled for {time_format.at_in(post.scheduled_for, zone)} ({zone})"
    else:
        what = status_label(post.status)
    if state != SyncState.PENDING:
        reasons = failure_reasons(post)  # the results panel at the bottom may be scrolled out of sight
        return f"{what} on Late." + (f" {' '.join(reasons)}" if reasons else "")
    if not link.connected:
        return f"{what}. Not sent yet: kept on this computer until the app is connected to Late."
    if not link.online:
        return f"{what}. Not sent yet: it goes to Late when the connection is back."
    if link.deferred is not None:  # an attempt failed and waits (e.g. Late asked to slow down): why, until when
        error, until = link.deferred
        when = time_format.clock(utc_to_wall(until, zone))
        return f"{what}. Not sent to Late yet: {own_sentence(error)} The app tries again at {when}."
    return f"{what}. Not sent to Late yet: sending…"


def late_refused_last_save(message: str) -> str:
    return f"Late refused the last save: {message}"


def taken_over(status: str) -> str:
    """Late started publishing (or holds) the post while the user typed."""
    return (f"Late has {done_while_editing(status)} this post while you were editing, so your changes cannot go to "
            "it any more. They stay here: closing offers to save them as a new draft.")


def saved_as_new_draft(copy: Post) -> str:
    where = "in the drafts tray" if copy.scheduled_for is None else "on the calendar"
    return f"Your changes were saved as the new draft {quoted(copy)}, {where}."


def nothing_kept(why: str) -> str:
    return f"Nothing was kept: {why}"


def nothing_kept_problems(problems: list[str]) -> str:
    return f"Nothing was kept: your changes here cannot be saved yet. {' '.join(problems)}"


def when_hint(wall: datetime, when: datetime, shown_zone: str, display_zone: str, *, nonexistent: bool) -> str:
    """Under the date and time (``wall`` as typed in ``shown_zone``, ``when`` the instant it stands for): a wall
    time the clocks skip, or the time in the calendar's zone."""
    if nonexistent:
        shifted = utc_to_wall(wall_to_utc(wall, shown_zone), shown_zone)
        return (f"{time_format.clock(wall)} does not exist that day in {shown_zone} (clocks go forward); "
                f"it will go out at {time_format.clock(shifted)}.")
    if shown_zone != display_zone:
        return f"That is {time_format.at_in(when, display_zone)} in {display_zone}."
    return ""


def default_zone_item(zone: str, profile_name: str | None) -> str:
    """The zone box's first item: the default zone and where it comes from."""
    if profile_name is None:
        return f"{zone} (the calendar's zone)"
    return f"{zone} ({profile_name}'s zone)" if profile_name else f"{zone} (the profile's zone)"


def unsaved_question(summary: str, *, read_only: bool, status: str) -> tuple[str, str, str]:
    """The close question's title, text and the line under it."""
    text = f"“{first_words(summary, 50)}” has changes that are not saved."
    if read_only:  # Late started publishing it while the user typed: the changes can only be a new post
        detail = (f"The post is {status_label(status).lower()} on Late, so your changes cannot go to it any more. "
                  "Save them as a new draft?")
    else:
        detail = "Your text is kept on this computer either way until you save or discard it."
    return "Unsaved changes", text, detail


def restored_note(saved_when: str, *, deleted: bool = False, taken_over_since: bool = False,
                  is_new: bool = False) -> str:
    """Why an editor opened by itself at start-up: it holds text the user had not saved."""
    if is_new:
        note = f"Restored text you had not saved{saved_when}."
        return note + (" The post itself was deleted, so saving creates a new one." if deleted else "")
    if taken_over_since:
        return (f"Restored changes you had not saved{saved_when}. Late has taken the post over since, so "
                "closing offers to save them as a new draft.")
    return f"Restored changes you had not saved{saved_when}. Save them or close to discard."


def last_typed(relative: str) -> str:
    return f" (last typed {relative})" if relative else ""


CANNOT_SCHEDULE_YET = "Cannot schedule yet"


def counter(name: str, count: int, limit: int | None) -> tuple[str, str]:
    """A platform's character counter under the text, and its tooltip."""
    if limit is None:
        return f"{name} {count:,}", f"{name} counts {count:,} characters"
    return f"{name} {count:,} / {limit:,}", f"{name} counts {count:,} characters of {limit:,} allowed"


def problem_count(n: int) -> str:
    return "1 problem" if n == 1 else f"{n} problems"


def reasons_plain(messages: list[str]) -> str:
    """Every problem that stops scheduling, in one string (what a screen reader gets)."""
    return f"{CANNOT_SCHEDULE_YET}: " + " ".join(messages) if messages else ""


def show_all(n: int) -> str:
    return f"Show all {n}"


def custom_text_hint(platform_name: str) -> str:
    return f"Leave empty to send the main text to {platform_name}."
