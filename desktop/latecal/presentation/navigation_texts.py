"""The words of the window's space savers: the drafts panel folded to a slim bar, and Go to date."""

from __future__ import annotations

DRAFTS_TITLE = "Drafts"
COLLAPSE_DRAFTS_TIP = "Fold the drafts panel into a slim bar (it opens again when you click the bar)"
GO_TO_DATE = "Go to date"
GO_TO_DATE_TIP = "Go to a date (Ctrl+G)"
GO = "Go"


def slim_drafts_label(count: int) -> str:
    """The folded panel's vertical label: the count tells whether anything waits there."""
    return f"{DRAFTS_TITLE} ({count})"


def slim_drafts_tip(count: int) -> str:
    if count == 0:
        return "No drafts without a time. Click to open the drafts panel, or drop a post here."
    noun = "draft" if count == 1 else "drafts"
    return f"{count} {noun} without a time. Click to open the drafts panel."
