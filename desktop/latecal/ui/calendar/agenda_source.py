"""What the List shows, read from the store: the keys of its rows (the weeks around the anchor, or with a search
every post of the store that matches it), filtered by the store's queries, and kept in step by change sets.

The List never holds the whole range decoded: the store answers with (time, id) keys and the model reads the posts
of the rows it paints. A change set's posts come with it; whether each still belongs is judged by the filter in
memory, and for a search by one query over the changed ids (what the store's index matches).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from latecal.core.models import Post
from latecal.store.codec import to_us
from latecal.ui.calendar.agenda_list import AgendaList
from latecal.ui.calendar.post_filter import PostFilter


class AgendaStore(Protocol):
    def agenda_keys(self, text: str = "", **filters) -> list[tuple[int | None, str]]: ...
    def posts_by_ids(self, ids: Iterable[str]) -> dict[str, Post]: ...


def _store_filters(post_filter: PostFilter) -> dict:
    """What the store's query can judge by itself; "needs attention" is judged on the posts (``_attention``)."""
    profile_accounts = None
    if post_filter.profiles:
        profile_accounts = frozenset(a.id for a in post_filter.accounts_by_id.values()
                                     if a.profile_id in post_filter.profiles)
    return {"account_names": post_filter.account_names, "statuses": post_filter.statuses,
            "account_ids": post_filter.accounts, "platforms": post_filter.platforms, "tags": post_filter.tags,
            "profile_accounts": profile_accounts}


class AgendaSource:
    def __init__(self, store: AgendaStore, agenda: AgendaList) -> None:
        self.store = store
        self.agenda = agenda
        self.filter = PostFilter()
        self._between: tuple[int, int] = (0, 0)

    @property
    def searching(self) -> bool:
        return bool(self.filter.text.strip())

    def load(self, start_utc: datetime, end_utc: datetime, post_filter: PostFilter) -> None:
        """The rows of the range under ``post_filter`` (with a search: of the whole store), all anew."""
        self.filter = post_filter
        self._between = (to_us(start_utc), to_us(end_utc))  # type: ignore[assignment]
        keys = self.store.agenda_keys(post_filter.text, between=self._between, **_store_filters(post_filter))
        if post_filter.attention:  # a rule of the app, not a column: judged on the posts themselves
            posts = self.store.posts_by_ids([local_id for _us, local_id in keys])
            keys = [key for key in keys if (post := posts.get(key[1])) is not None and post_filter.matches(post)]
        self.agenda.set_rows(keys, self.store.posts_by_ids)

    def apply(self, updates: Iterable[tuple[str, Post | None]]) -> None:
        """A change set's posts: each row is updated, moved, added or removed (the place kept once for all)."""
        updates = list(updates)
        if not updates:
            return
        found: set[str] | None = None
        if self.searching:  # the index decides what the words match, as for the rows listed
            candidates = [i for i, post in updates if post is not None and self._matches_besides_text(post)]
            found = {local_id for _us, local_id in self.store.agenda_keys(
                self.filter.text, only=candidates, **_store_filters(self.filter))} if candidates else set()
        self.agenda.hold_repaints()
        with self.agenda.changing():
            for local_id, post in updates:
                if post is not None and self._belongs(post, found):
                    self.agenda.upsert_post(post)
                else:
                    self.agenda.remove_post(local_id)

    def _belongs(self, post: Post, found: set[str] | None) -> bool:
        if found is not None:
            return post.local_id in found
        in_range = post.scheduled_for is None or self._between[0] <= to_us(post.scheduled_for) < self._between[1]
        return in_range and self.filter.matches(post)

    def _matches_besides_text(self, post: Post) -> bool:
        return replace(self.filter, text="").matches(post)
