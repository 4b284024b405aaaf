"""Every sentence and label of the export (CSV and iCalendar): the dialog, ``latecal export`` and what a calendar
shows of each post (summary, description, category)."""

from __future__ import annotations

from collections.abc import Mapping

from latecal.core.models import Account, Post, Target
from latecal.core.platforms import display_name
from latecal.core.text import text_for_target, uses_custom_text
from latecal.presentation.posts import NO_TEXT, first_words
from latecal.presentation.statuses import status_label

DIALOG_TITLE = "Export posts"
FORMAT_CSV = "CSV (Late's bulk format; imports back)"
FORMAT_ICS = "iCalendar (.ics: Google Calendar, Outlook, Thunderbird)"
CSV_FILTER = "CSV files (*.csv)"
ICS_FILTER = "iCalendar files (*.ics)"
SHOWN_ONLY = "Only what the window shows (its filters and dates)"
FROM_LABEL = "From"
TO_LABEL = "To"
EXPORT_BUTTON = "Export"
PRODID = "-//Late Calendar//latecal//EN"
SUMMARY_WORDS = 60


def summary(post: Post) -> str:
    text = post.title.strip() or post.content.strip()
    return first_words(text, SUMMARY_WORDS) if text else NO_TEXT


def category(post: Post) -> str:
    return status_label(post.status)


def description(post: Post, accounts: Mapping[str, Account], targets: list[Target] | None = None) -> str:
    """The full text, then each platform's own text where it differs, then the published links."""
    chosen = post.targets if targets is None else targets
    lines = [post.content.strip() or NO_TEXT]
    if post.hashtags:
        lines.append(" ".join("#" + h.lstrip("#") for h in post.hashtags))
    for t in chosen:
        if uses_custom_text(t):
            lines += ["", f"{_who(t, accounts)}:", text_for_target(post, t)]
    published = [(t, t.platform_post_url) for t in chosen if t.platform_post_url]
    if published:
        lines += ["", "Published:"] + [f"{_who(t, accounts)}: {url}" for t, url in published]
    accounts_line = ", ".join(_who(t, accounts) for t in chosen)
    if accounts_line:
        lines += ["", f"Accounts: {accounts_line}"]
    return "\n".join(lines)


def _who(target: Target, accounts: Mapping[str, Account]) -> str:
    account = accounts.get(target.account_id)
    name = f"@{account.username.lstrip('@')}" if account is not None and account.username else target.account_id
    return f"{display_name(target.platform)} {name}"


def exported(count: int, path: str) -> str:
    return f"Exported {count:,} posts to {path}."


def nothing_to_export() -> str:
    return "No posts match: nothing was exported."


def cannot_write(path: str, why: str) -> str:
    return f"Cannot write {path}: {why}."
