"""The words of a conflict (the post changed on Late while edits made here were not sent): the editor's banner,
the two ways out and how the menus name them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from latecal.core.lifecycle import deleted_on_late, keeps_as_copy
from latecal.core.models import Account, Post
from latecal.presentation import time_format
from latecal.presentation.posts import account_text, first_words
from latecal.presentation.statuses import late_holds, status_label

EXCERPT = 160  # characters of Late's text shown in the banner
TITLE = "Late has a different version of this post."
KEEP_LABEL, KEEP_AS_DRAFT_LABEL = "Keep my version", "Keep mine as a new draft"
KEEP_TIP = "Save your version as shown here and send it to Late over Late's changes."
KEEP_AS_DRAFT_TIP = "Your version becomes a new draft here; the post stays as Late has it."
TAKE_TIP = "Replace the version kept here with Late's; your changes are dropped."
DELETE_TOO_TIP = "Delete the post here as well; your changes are dropped."
TAKE_QUESTION = ("Take Late's version", "Take Late's version and drop the changes you have not saved here?",
                 "Your text in this editor is replaced by what Late has.")


def keep_label(late: Post | None) -> str:
    return KEEP_AS_DRAFT_LABEL if keeps_as_copy(late) else KEEP_LABEL


def keep_tip(late: Post | None) -> str:
    return KEEP_AS_DRAFT_TIP if keeps_as_copy(late) else KEEP_TIP


def take_label(late: Post | None) -> str:
    """Taking Late's side of a post Late deleted means deleting it here too."""
    return "Delete it here too" if deleted_on_late(late) else "Take Late's version"


def take_tip(late: Post | None) -> str:
    return DELETE_TOO_TIP if deleted_on_late(late) else TAKE_TIP


def banner_title(late: Post) -> str:
    return f"{late_holds(late.status)}:" if keeps_as_copy(late) else TITLE


def _accounts_text(post: Post, accounts: Mapping[str, Account]) -> str:
    if not post.targets:
        return "no accounts"
    return ", ".join(account_text(t.platform, accounts.get(t.account_id), t.account_id) for t in post.targets)


def _time_text(when: datetime | None, zone: str) -> str:
    return f"{time_format.at_in(when, zone)} ({zone})" if when else "no time (a draft)"


def conflict_lines(
    mine: Post, late: Post, accounts: Mapping[str, Account], *, zone: str, now: datetime
) -> tuple[str, list[tuple[str, str]]]:
    """The banner's explanation and Late's version as (what, value) pairs, plain text. Times are in ``zone``
    (the editor's, named as in the Time row)."""
    changed = (f" {time_format.relative_when(late.remote_updated_at, zone, now)} ({zone})"
               if late.remote_updated_at else "")
    if deleted_on_late(late):
        return ("your changes cannot be applied to it any more. Keep them as a new draft, or delete the post here "
                "too.", [])
    if keeps_as_copy(late):
        heading = (f"your changes cannot be applied to it. It changed on Late{changed}, before they were sent. "
                   "Keep them as a new draft, or take Late's version and drop them.")
    else:
        heading = (f"It was changed on Late{changed} while your changes here were not sent yet. Neither version is "
                   "sent until you choose one.")
    rows: list[tuple[str, str]] = []
    if late.title != mine.title:
        rows.append(("Title", late.title or "(none)"))
    if late.content == mine.content:
        rows.append(("Text", "the same as yours"))
    else:
        rows.append(("Text", f"“{first_words(late.content, EXCERPT)}”" if late.content.strip() else "(no text)"))
    if late.scheduled_for != mine.scheduled_for:
        rows.append(("Time", f"{_time_text(late.scheduled_for, zone)}; yours: {_time_text(mine.scheduled_for, zone)}"))
    else:
        rows.append(("Time", _time_text(late.scheduled_for, zone)))
    if late.status != mine.status:
        rows.append(("Status", status_label(late.status)))
    if late.account_ids != mine.account_ids:
        rows.append(("Posts to", _accounts_text(late, accounts)))
    if [m.url for m in late.media] != [m.url for m in mine.media]:
        n = len(late.media)
        rows.append(("Media", "none" if not n else "1 attachment" if n == 1 else f"{n} attachments"))
    return heading, rows
