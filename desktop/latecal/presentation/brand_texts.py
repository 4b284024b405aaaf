"""The words of the toolbar's "New post" button and of the networks' marks and account pictures."""

from __future__ import annotations

NEW_POST = "New post"
NEW_POST_TIP = "Write a new post on the day shown (N)"

# -- the filters: several values each, and what is filtered ------------------------------------------------

ACCOUNTS = "Accounts"
PLATFORMS = "Platforms"
STATUSES = "Statuses"
TAGS = "Tags"
PROFILES = "Profiles"
ATTENTION = "Needs attention"
CLEAR_FILTERS = "Clear"
CLEAR_FILTERS_TIP = "Show every post again (clears the filters and the search)"

#: the "Needs attention" filter's choices, by ``core.post_flags.Attention`` value
ATTENTION_LABELS = {
    "not_sent": "Not sent to Late yet",
    "rejected": "Rejected by Late",
    "conflict": "In conflict",
    "missed": "Missed",
    "stuck": "Stuck publishing",
    "cannot_post": "Account cannot post",
}


def filter_name(noun: str) -> str:
    return f"{noun} filter"


def filter_button(noun: str, chosen: list[str]) -> str:
    """The button's text: the noun alone, the one value chosen, or how many."""
    if not chosen:
        return noun
    if len(chosen) == 1:
        return f"{noun}: {chosen[0][:24]}"
    return f"{noun}: {len(chosen)}"


def filter_tip(noun: str, chosen: list[str]) -> str:
    if not chosen:
        return f"{noun}: all. Click to show only some."
    return f"{noun}: only " + ", ".join(chosen)


def filtered_summary(parts: list[tuple[str, list[str]]], search: str) -> str:
    """What is filtered, in one line beside Clear ("Showing Platforms: X, LinkedIn · Search “launch”")."""
    said = [f"{noun}: {', '.join(values)}" for noun, values in parts if values]
    if search.strip():
        said.append(f"Search “{search.strip()[:30]}”")
    return ("Showing only " + " · ".join(said)) if said else ""
