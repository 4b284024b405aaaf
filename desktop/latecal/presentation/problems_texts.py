"""The Problems panel's words: its rows (what is wrong and what to do), its badge, its empty state and the
session's notices. Late's text is plain text: views lay it out with ``plain_text``."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from latecal.core.models import Account, Post
from latecal.core.platforms import display_name
from latecal.core.problems import AccountIssue, AccountProblem, ProblemKind
from latecal.core.status import SyncState
from latecal.core.text import sentence
from latecal.presentation import time_format
from latecal.presentation.posts import LISTED_TARGETS, REASON_LIMIT, failure_reasons, quoted, stuck_text
from latecal.presentation.statuses import target_state

PANEL_TITLE = "Problems"
EMPTY = "Nothing needs you"
NOTICES_HEADING = "Notices this session"
NO_NOTICES = "No notices yet"
RETRY = "Retry"
RESOLVE = "Resolve…"
OPEN = "Open"
WAITING_FOR_LATE = "Sent to Late again: waiting for its answer."
BADGE_TIP = "Things that need you: open the Problems panel (Ctrl+Shift+P)"

_HEADINGS = {
    ProblemKind.CONFLICT: "Changed here and on Late",
    ProblemKind.REJECTED: "Late refused a change",
    ProblemKind.MISSED: "Missed its time",
    ProblemKind.STUCK: "Stuck publishing",
    ProblemKind.FAILED: "Failed",
    ProblemKind.PARTIAL: "Partly published",
}


def badge(count: int) -> str:
    """The toolbar's badge: "⚠ 3", nothing when nothing needs the user."""
    return f"⚠ {count}" if count else ""


def heading(count: int) -> str:
    return f"{PANEL_TITLE} ({count})" if count else PANEL_TITLE


def _cut(text: str) -> str:
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1].rstrip() + "…"


def post_row(kind: ProblemKind, post: Post, now: datetime, zone: ZoneInfo) -> tuple[str, list[str]]:
    """(first line, detail lines) of a post's row."""
    first = f"{_HEADINGS[kind]}: {quoted(post)}"
    if kind == ProblemKind.CONFLICT:
        return first, ["Open it to choose your version or Late's."]
    if kind == ProblemKind.REJECTED:
        reason = f"Late: {sentence(_cut(post.sync_error))}" if post.sync_error else "Late gave no reason."
        return first, [reason, "Open it to fix the post and save again."]
    if kind == ProblemKind.MISSED:
        due = time_format.at_in(post.scheduled_for, zone) if post.scheduled_for else ""
        return first, [f"Due {due}, but its schedule had not reached Late.",
                       "Open it to publish now, reschedule or keep it as a draft."]
    if kind == ProblemKind.STUCK:
        states = [f"{display_name(t.platform)}: {target_state(t.status)}" for t in post.targets[:LISTED_TARGETS]]
        return first, [stuck_text(post, now, zone), *states]
    reasons = failure_reasons(post) or ["Late gave no reason."]
    if post.sync_state == SyncState.PENDING:  # a retry (or an edit) is queued: Late has not answered yet
        reasons.append(WAITING_FOR_LATE)
    return first, reasons


def account_row(problem: AccountProblem, zone: ZoneInfo) -> tuple[str, list[str]]:
    """(first line, what to do) of an account's row."""
    account: Account = problem.account
    name = f"{display_name(account.platform)} · {account.label}"
    where = "Reconnect it in Late (app.getlate.dev, Connections), then press Sync."
    if problem.issue == AccountIssue.RECONNECT:
        return f"{name} needs reconnecting", ["Its posts cannot go out until then.", where]
    if problem.issue == AccountIssue.CANNOT_POST:
        return f"{name} cannot post", ["Late reports a problem with this account.", where]
    if problem.issue == AccountIssue.INACTIVE:
        return f"{name} is inactive in Late", ["Its posts cannot go out until it is active again.", where]
    expires = time_format.at_in(problem.expires_at, zone) if problem.expires_at else "soon"
    return f"{name}: connection expires {expires}", ["Reconnect it in Late before then so its posts still go out."]


def sync_error_row(line: str) -> tuple[str, list[str]]:
    return "Sync problem", [line]


def notice_row(text: str, count: int, last: datetime, zone: ZoneInfo) -> str:
    """A notice of the session: its text, how often and when it was last said."""
    when = time_format.clock(last.astimezone(zone))
    return f"{text}  ({when}, ×{count})" if count > 1 else f"{text}  ({when})"
