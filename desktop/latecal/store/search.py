"""Search over every live post in the store (the List's search), through the FTS5 index of search_schema.py.

A mixin of :class:`latecal.store.Store`. The search answers with keys (time, id) in the List's order, not posts:
a word common to thousands of posts must not decode them all; the List reads the posts of the rows it shows
(``posts_by_ids``).

What the user types is never FTS5 syntax: each word becomes a quoted prefix (``"launc"*`` finds "launch"), so
quotes, ``*``, ``NEAR``, ``AND`` or a lone parenthesis are plain text and cannot make the query fail. Every word
must match (as the calendar's in-memory filter asks); a word also matches the posts of an account or platform
whose name contains it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from latecal.core.models import Post
from latecal.core.platforms import PLATFORMS
from latecal.store.codec import to_us
from latecal.store.search_schema import valid_json

#: ids bound in one ``IN (…)`` query (far below SQLite's limit on parameters)
_IDS_PER_QUERY = 500
_WORD = re.compile(r"\w", re.UNICODE)
SearchKey = tuple[int | None, str]  # (scheduled_us, local_id)


def _list_order(key: SearchKey) -> tuple[bool, int, str]:
    """The List's order: by time, posts without a time last, ties by id (AgendaList's sort key)."""
    return (key[0] is None, key[0] or 0, key[1])


def _phrase(text: str) -> str:
    """``text`` as one FTS5 string: inside double quotes everything is literal, a quote is doubled."""
    return '"' + text.replace('"', '""') + '"'


def match_expression(text: str, account_names: Mapping[str, str] | None = None) -> str | None:
    """The FTS5 query for what the user typed; None when no word has a letter or digit to look for."""
    terms = []
    for word in text.replace("\0", " ").casefold().split():  # a NUL would end the query string early
        if not _WORD.search(word):
            continue  # punctuation alone: the index holds no such token
        options = [_phrase(word) + "*"]
        options += [_phrase(key) for key, rules in PLATFORMS.items()
                    if word in rules.display_name.casefold()]
        options += [_phrase(account_id) for account_id, names in (account_names or {}).items()
                    if account_id and word in names.casefold()]
        terms.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    return " AND ".join(terms) if terms else None


class Search:
    """The store's queries for the List (mixed into Store: uses its connection and lock)."""

    def agenda_keys(self, text: str = "", *, between: tuple[int, int] | None = None,
                    account_names: Mapping[str, str] | None = None, statuses: Collection[str] = (),
                    account_ids: Collection[str] = (), platforms: Collection[str] = (), tags: Collection[str] = (),
                    profile_accounts: Collection[str] | None = None,
                    only: Iterable[str] | None = None) -> list[SearchKey]:
        """(scheduled_us, local_id) of the live posts the List shows, in its order: with ``text``, every post of
        the store matching it; without, those scheduled in ``between`` (µs, end excluded) and those without a
        time. Both with the other filters, each of which takes any of its values (``tags`` casefolded;
        ``profile_accounts``: the accounts of the profiles chosen, None for no profile filter). ``only``: among
        these posts (a change set's), to keep a List in step."""
        if profile_accounts is not None and not profile_accounts:
            return []  # profiles chosen that hold no account: no post goes to them
        where: list[str] = ["p.deleted = 0"]
        params: list[Any] = []
        if statuses:
            where.append(f"p.status IN ({', '.join('?' * len(statuses))})")
            params += list(statuses)
        for field, values in (("account_id", account_ids), ("platform", platforms),
                              ("account_id", profile_accounts or ())):
            if values:
                where.append(f"EXISTS (SELECT 1 FROM json_each({valid_json('p.targets')}) WHERE type = 'object' "
                             f"AND json_extract(value, '$.{field}') IN ({', '.join('?' * len(values))}))")
                params += list(values)
        if tags:
            where.append(f"EXISTS (SELECT 1 FROM json_each({valid_json('p.tags')}) "
                         f"WHERE lower(value) IN ({', '.join('lower(?)' for _ in tags)}))")
            params += list(tags)
        select = "SELECT p.scheduled_us, p.local_id FROM "
        if text.strip():
            expression = match_expression(text, account_names)
            if expression is None:
                return []
            sql = (f"{select} post_search JOIN posts AS p ON p.rowid = post_search.rowid "
                   f"WHERE post_search MATCH ? AND {' AND '.join(where)}")
            params = [expression, *params]
        elif between is not None:
            # two index ranges (a single OR would scan the whole time index)
            filters = " AND ".join(where)
            sql = (f"{select} posts AS p WHERE p.scheduled_us >= ? AND p.scheduled_us < ? AND {filters} UNION ALL "
                   f"{select} posts AS p WHERE p.scheduled_us IS NULL AND {filters}")
            params = [*between, *params, *params]
        else:
            sql, params = f"{select} posts AS p WHERE {' AND '.join(where)}", params
        if only is None:
            with self._lock:
                rows = self._keys_cursor().execute(sql, params).fetchall()
            return sorted(rows, key=_list_order)
        ids = list(only)
        found: list[SearchKey] = []
        for first in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[first:first + _IDS_PER_QUERY]
            with self._lock:
                among = f"SELECT * FROM ({sql}) WHERE local_id IN ({', '.join('?' * len(chunk))})"
                found += self._keys_cursor().execute(among, [*params, *chunk]).fetchall()
        return sorted(found, key=_list_order)

    def _keys_cursor(self):
        cursor = self._db.cursor()
        cursor.row_factory = None  # plain tuples: thousands of keys, read by position
        return cursor

    def agenda_tags(self, start_utc: datetime, end_utc: datetime) -> set[str]:
        """The tags of the posts the List shows for this range (its tag filter's choices), read without decoding
        a post: only rows that have tags are parsed."""
        # the List's rows: two index ranges (one OR would scan the whole time index)
        rows = ("(SELECT tags FROM posts WHERE deleted = 0 AND scheduled_us >= ? AND scheduled_us < ? AND tags != '[]' "
                "UNION ALL SELECT tags FROM posts WHERE deleted = 0 AND scheduled_us IS NULL AND tags != '[]')")
        with self._lock:
            return {row[0] for row in self._keys_cursor().execute(
                f"SELECT DISTINCT t.value FROM {rows} AS p, json_each({valid_json('p.tags')}) AS t",
                (to_us(start_utc), to_us(end_utc)))}

    def posts_by_ids(self, ids: Iterable[str]) -> dict[str, Post]:
        """The live posts among ``ids``, by id (the rows a List of search results shows)."""
        wanted = list(ids)
        posts: dict[str, Post] = {}
        for first in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[first:first + _IDS_PER_QUERY]
            with self._lock:
                rows = self._post_rows(f"local_id IN ({', '.join('?' * len(chunk))}) AND deleted = 0",
                                       tuple(chunk)).fetchall()
            posts.update((row.local_id, self._decode(row)) for row in rows)
        return posts
