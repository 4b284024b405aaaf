"""What the window says about a selection of posts and about actions on many posts at once: one notice per
action ("5 moved; 1 published post stays"), the count of selected posts, the progress of sending them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from latecal.core.scheduling import Refusal
from latecal.presentation.messages import Message, info, problem

BULK = "bulk"  # the message bar's key for the notice of the last bulk action

#: (one, many) names of the posts a refusal leaves where they are
_STAYING: dict[Refusal, tuple[str, str]] = {
    Refusal.PUBLISHED: ("published post", "published posts"),
    Refusal.PUBLISHING: ("post being published", "posts being published"),
    Refusal.PARTIAL: ("partly published post", "partly published posts"),
    Refusal.PAST: ("post whose new time has passed", "posts whose new time has passed"),
    Refusal.UNREADABLE: ("post with unreadable fields", "posts with unreadable fields"),
    Refusal.NOT_DELETABLE: ("post Late no longer lets go", "posts Late no longer lets go"),
    Refusal.CHANGED_SINCE: ("post changed meanwhile", "posts changed meanwhile"),
    Refusal.INVALID: ("post that breaks a platform rule", "posts that break a platform rule"),
    Refusal.ACCOUNT_CANNOT_POST: ("post whose account cannot post", "posts whose accounts cannot post"),
    Refusal.NOT_ON_LATE: ("post Late never got", "posts Late never got"),
    Refusal.STORE_ERROR: ("post the disk did not take", "posts the disk did not take"),
}
_OTHER = ("post Late takes no change for", "posts Late takes no change for")


def selected_count(count: int) -> str:
    """The status bar's "12 selected" (nothing when one or none: the highlight says enough)."""
    return f"{count} selected" if count > 1 else ""


def posts(count: int) -> str:
    return f"{count} post" if count == 1 else f"{count} posts"


def _stays(refusal: Refusal, count: int) -> str:
    one, many = _STAYING.get(refusal, _OTHER)
    return f"{count} {one} stays" if count == 1 else f"{count} {many} stay"


def outcome(done_words: str, done: int, refused: Mapping[str, Refusal]) -> Message | None:
    """One notice for one action on many posts: "5 moved; 1 published post stays". A problem when nothing was
    done; None when everything was done to a single post (its own change speaks for itself)."""
    kinds = Counter(r for r in refused.values() if r is not Refusal.GONE)
    parts = [f"{done} {done_words}"] + [_stays(kind, n) for kind, n in kinds.most_common()]
    text = "; ".join(parts) + "."
    if not done and kinds:
        return problem(text, BULK)
    if done > 1 or kinds:
        return info(text, BULK)
    return None


MOVED = "moved"
UNSCHEDULED = "back in the drafts"
DELETED = "deleted"
DUPLICATED = "copied as drafts"
RETRIED = "sent to Late again"
NO_FAILED = "None of the selected posts has failed platforms to retry."


def move_title(count: int) -> str:
    return f"Move {posts(count)}"


def unschedule_title(count: int) -> str:
    return f"Unschedule {posts(count)}"


def delete_title(count: int) -> str:
    return f"Delete {posts(count)}"


def duplicate_title(count: int) -> str:
    return f"Duplicate {posts(count)}"


def delete_question(count: int) -> tuple[str, str, str]:
    """(window title, question, detail) before deleting several posts."""
    return "Delete posts", f"Delete {posts(count)}?", "Edit ▸ Undo (Ctrl+Z) brings them back."


def group_hint(slot: str, count: int) -> str:
    """The drop hint's tag while several selected posts are dragged together: "Wed 10:45 · 5 posts"."""
    if count <= 1:
        return slot
    return f"{slot} · {posts(count)}" if slot else posts(count)


def sending(done: int, total: int) -> str:
    """While the sync sends many changes to Late."""
    return f"Sending {done} of {total}"


SENDING_TIP = "Changes made here are sent to Late; Late's rate limit is respected, so many take a while."

# -- the drafts tray -------------------------------------------------------------------------------------------

TRAY_HINT = "Drag a draft onto a day or a time to schedule it; drag a scheduled post here to unschedule it."
TRAY_SEARCH = "Search drafts"
TRAY_SORT = "Sort drafts"
TRAY_SORTS = (("edited", "Recently edited"), ("title", "By first words"), ("oldest", "Oldest edited"))
TRAY_DROP_HERE = "Drop to unschedule: back to the drafts"
