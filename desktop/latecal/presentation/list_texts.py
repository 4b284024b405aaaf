"""The List's own sentences: its search covers every post in the store, not only the weeks on screen."""

from __future__ import annotations

#: a search in the List found nothing in the whole store (the filters may also leave nothing)
NO_SEARCH_MATCH = "No post matches the search and the filters."
CLEAR_SEARCH = "Clear the search and filters"


def empty_search() -> tuple[str, str]:
    """Why a searched List is empty, and the way out (a link's words)."""
    return NO_SEARCH_MATCH, CLEAR_SEARCH
