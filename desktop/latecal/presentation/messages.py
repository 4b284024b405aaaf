"""What the window says after a user action: one ``Message`` per outcome, worded here and nowhere else.

A problem stays on screen until dismissed; news fades by itself. ``key`` names the matter a message is about,
so a later message on it replaces this one and the window can take it back once the matter is settled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from latecal.core.links import LinkRefusal
from latecal.core.models import Post
from latecal.core.scheduling import Refusal
from latecal.core.text import sentence
from latecal.presentation import time_format
from latecal.presentation.posts import quoted
from latecal.presentation.statuses import late_holds, why_fixed

# the matters messages are about (the message bar's keys)
CONFLICTS = "conflicts"  # "changed on Late" notices
DELETED = "deleted"  # "Deleted …" with its Undo button
RESTORED = "restored"  # "… is back" after an undo of a delete
FILTERED_OUT = "filtered-out"  # "No posts here match the filters"
SYNC_ERROR = "sync-error"  # an error that stopped a sync run (the next good run takes it back)
RATE_LIMIT = "rate-limit"  # "Late asked to wait" after a 429

GONE = "That post no longer exists."
NOT_UNDOABLE_RETRY = "Late publishes the failed platforms again at once: this cannot be undone."
NOT_UNDOABLE_SETTLE = "Settles the conflict at once: this cannot be undone."


@dataclass(frozen=True, slots=True)
class Message:
    text: str
    problem: bool = False  # stays until dismissed (else it fades)
    key: str | None = None


def problem(text: str, key: str | None = None) -> Message:
    return Message(text, problem=True, key=key)


def info(text: str, key: str | None = None) -> Message:
    return Message(text, problem=False, key=key)


def first_of(messages: Sequence[Message], *, more: str = "") -> Message | None:
    """The first of several refusals, saying how many more there were: one bar, not a queue of them."""
    if not messages:
        return None
    first = messages[0]
    if len(messages) == 1:
        return first
    return Message(f"{first.text} (and {len(messages) - 1} more{more})", first.problem, first.key)


def _when(when: datetime, zone: ZoneInfo) -> str:
    return time_format.at_in(when, zone)


# -- moves and schedules ------------------------------------------------------------------------------------


def move_refused(post: Post | None, refusal: Refusal, new_utc: datetime | None, zone: ZoneInfo) -> str:
    """Why a move (a drag, a nudge, an undo or redo of one) is not made."""
    if post is None or refusal is Refusal.GONE:
        return GONE
    name = quoted(post)
    if refusal is Refusal.PAST and new_utc is not None:
        return f"{name} cannot be moved to {_when(new_utc, zone)}: that time has passed."
    return f"{name} cannot be moved: {why_fixed(refusal, post.status)}."


def move_changed_since(post: Post, zone: ZoneInfo) -> str:
    now_at = _when(post.scheduled_for, zone) if post.scheduled_for else "no time"
    return f"{quoted(post)} has been changed since (it is now at {now_at}), so that move is not undone or redone."


def move_not_saved(error: str) -> str:
    return f"Could not save the move: {error}"


def move_title(post: Post, new_utc: datetime, zone: ZoneInfo) -> str:
    """The undo history's name for a move (Edit ▸ Undo Move …)."""
    return f"Move {quoted(post, 30)} to {_when(new_utc, zone)}"


def late_refused_move(post: Post | None, reason: str, old_utc: datetime | None, zone: ZoneInfo) -> str:
    name = quoted(post) if post is not None else "The post"
    back = _when(old_utc, zone) if old_utc else "its old time"
    return f"Late refused moving {name}: {sentence(reason)} It is back at {back}."


def not_scheduled(post: Post, problems: Sequence[str]) -> str:
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{quoted(post)} was not scheduled: {problems[0]}{more}"


def schedule_changed_since(post: Post) -> str:
    return f"{quoted(post)} has been changed since, so scheduling it is not undone or redone."


def cannot_change(post: Post, refusal: Refusal) -> str:
    return f"{quoted(post)} cannot be changed: {why_fixed(refusal, post.status)}."


def schedule_not_saved(error: str) -> str:
    return f"Could not schedule the draft: {error}"


def schedule_title(post: Post, when: datetime, zone: ZoneInfo, *, count: int = 1) -> str:
    if count > 1:
        return f"Schedule {count} drafts"
    return f"Schedule {quoted(post, 30)} for {_when(when, zone)}"


# -- deletes --------------------------------------------------------------------------------------------------


def not_deletable(post: Post) -> str:
    return f"{quoted(post)} is {post.status} and cannot be deleted."


def delete_question(post: Post) -> tuple[str, str, str]:
    """The delete box's title, question and the line under it."""
    detail = "It is also deleted from Late at the next sync." if post.late_id else "It has not been sent to Late yet."
    return "Delete post", f"Delete {quoted(post, 60)}?", detail


def delete_failed(post: Post, error: str) -> str:
    return f"Could not delete {quoted(post)}: {error}"


def deleted(post: Post) -> str:
    return f"Deleted {quoted(post)}."


def delete_title(post: Post) -> str:
    return f"Delete {quoted(post, 30)}"


def came_back_as_copy(post: Post) -> str:
    return (f"{quoted(post)} may already be deleted on Late, so it came back as a new draft; "
            "schedule it again to publish it.")


def restore_failed(post: Post, error: str) -> str:
    return f"Could not bring back {quoted(post)}: {error}"


def is_back(post: Post, *, hidden: bool) -> str:
    return f"{quoted(post)} is back, but the filters hide it." if hidden else f"{quoted(post)} is back."


# -- duplicates, retries, edits -------------------------------------------------------------------------------


def duplicated(original: Post, copy: Post) -> str:
    when = "at the same time" if copy.scheduled_for else "without a time (the original time has passed)"
    return f"Duplicated {quoted(original)} as a draft {when}."


def duplicate_title(post: Post) -> str:
    return f"Duplicate {quoted(post, 30)}"


def retrying(post: Post) -> str:
    return f"Retrying the failed platforms of {quoted(post)}."


def cannot_retry(post: Post, error: str) -> str:
    return f"Cannot retry {quoted(post)}: {error}"


def save_title(post: Post) -> str:
    return f"Edit {quoted(post, 30)}"


def create_title(post: Post) -> str:
    return f"Create {quoted(post, 30)}"


def save_changed_since(post: Post) -> str:
    return f"{quoted(post)} has been changed since, so that edit is not undone or redone."


def could_not_save(error: str) -> str:
    return f"Could not save: {error}"


# -- conflicts ------------------------------------------------------------------------------------------------


NOT_IN_CONFLICT = "That post is no longer in conflict with Late: nothing to choose."


def conflict_not_settled(post: Post, error: str) -> str:
    return f"Could not settle the conflict on {quoted(post)}: {error}"


def kept_as_new_draft(late: Post, copy: Post) -> str:
    return (f"{late_holds(late.status, quoted(late))}, so your version is now the new draft {quoted(copy)}; "
            "the post on Late stays as it is.")


def kept_mine(post: Post) -> str:
    return f"Kept your version of {quoted(post)}; it goes to Late with the next sync."


def deleted_as_on_late(post: Post) -> str:
    return f"Deleted {quoted(post)} here too, as on Late."


def took_late(post: Post) -> str:
    return f"Took Late's version of {quoted(post)}; your edits to it were dropped."


def no_browser(url: str) -> str:
    return f"No web browser could be started, so the link was copied to the clipboard: {url}"


_LINK_REFUSALS = {
    LinkRefusal.NOT_WEB: "it is not a web address",
    LinkRefusal.NO_HOST: "it names no web site",
    LinkRefusal.PRIVATE_HOST: "it points at this computer or a private network, not a public web site",
    LinkRefusal.MALFORMED: "it is not a well-formed web address",
}


def link_refused(url: str, why: LinkRefusal) -> str:
    """A link from Late that the app would not hand to the desktop, and why."""
    shown = url if len(url) <= 80 else url[:79] + "…"
    return f"The post's link was not opened: {_LINK_REFUSALS[why]} ({shown})."


def open_published_on(platform_name: str) -> str:
    return f"Open published post on {platform_name}"
