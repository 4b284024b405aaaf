"""The sandbox's posts, kept in a dict *and* in order of ``scheduledFor``, so that a page of a listing by due
time costs O(log n + page) instead of a scan and sort of every post (issue 16: at 50,000 posts the sandbox, not
the app, dominated the benchmarks).

``IndexedPosts`` is the ``dict`` of ``SandboxState.posts``: adding or removing a post keeps the order; code that
changes a stored post's ``scheduledFor`` in place calls ``reindex(post_id)``. The order is a sorted list of
``(scheduledFor or "", _id)`` keys, the same keys the listing's cursors carry.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import Any

Key = tuple[str, str]
#: above every id (24 hex digits): a key ``(when, HIGH)`` sorts after every post due at ``when``
HIGH = "\uffff"


def key_of(post: dict[str, Any]) -> Key:
    return (post.get("scheduledFor") or "", post["_id"])


class IndexedPosts(dict[str, dict[str, Any]]):
    def __init__(self, items: Iterable[tuple[str, dict[str, Any]]] = ()) -> None:
        super().__init__(items)
        self._keys: dict[str, Key] = {pid: key_of(p) for pid, p in super().items()}
        self._order: list[Key] = sorted(self._keys.values())
        #: keys of posts added since the order was last read: sorted in at once (seeding 50,000 posts one
        #: ``insort`` at a time moved gigabytes of pointers)
        self._pending: list[Key] = []
        #: posts whose metadata hides them from listings (only ever seeded or sent by a client): while there are
        #: any, a page cannot be counted from positions alone
        self._hidden: set[str] = {pid for pid, p in super().items() if _is_hidden(p)}

    # -- the dict operations that add or remove posts keep the order ------------------------------------------
    def __setitem__(self, post_id: str, post: dict[str, Any]) -> None:
        super().__setitem__(post_id, post)
        self.reindex(post_id)

    def __delitem__(self, post_id: str) -> None:
        super().__delitem__(post_id)
        self._forget(post_id)

    def pop(self, post_id: str, *default: Any) -> Any:  # type: ignore[override]
        found = super().pop(post_id, *default)
        self._forget(post_id)
        return found

    def clear(self) -> None:
        super().clear()
        self._keys.clear()
        self._order.clear()
        self._pending.clear()
        self._hidden.clear()

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for post_id, post in dict(*args, **kwargs).items():
            self[post_id] = post

    def setdefault(self, post_id: str, default: Any = None) -> Any:  # type: ignore[override]
        if post_id not in self:
            self[post_id] = default
        return self[post_id]

    def popitem(self) -> tuple[str, dict[str, Any]]:
        post_id, post = super().popitem()
        self._forget(post_id)
        return post_id, post

    # -- order ---------------------------------------------------------------------------------------------
    def reindex(self, post_id: str) -> None:
        """After a stored post's ``scheduledFor`` changed in place (or it was added)."""
        self._forget(post_id)
        post = self.get(post_id)
        if post is None:
            return
        key = key_of(post)
        self._keys[post_id] = key
        self._pending.append(key)
        if _is_hidden(post):
            self._hidden.add(post_id)

    @property
    def any_hidden(self) -> bool:
        return bool(self._hidden)

    def _settled(self) -> list[Key]:
        """The order, with the keys added since it was last read sorted in."""
        if self._pending:
            if len(self._pending) > 64:
                self._order.extend(self._pending)
                self._order.sort()  # (Timsort merges the sorted runs)
            else:
                for key in self._pending:
                    bisect.insort(self._order, key)
            self._pending.clear()
        return self._order

    def _forget(self, post_id: str) -> None:
        self._hidden.discard(post_id)
        old = self._keys.pop(post_id, None)
        if old is not None:
            self._settled()
            at = bisect.bisect_left(self._order, old)
            if at < len(self._order) and self._order[at] == old:
                del self._order[at]

    def span(self, low: Key, high: Key) -> tuple[int, int]:
        """Positions ``[i, j)`` of the keys ``low <= key <= high`` (empty, ``i == j``, when ``low > high``)."""
        order = self._settled()
        first = bisect.bisect_left(order, low)
        return first, max(first, bisect.bisect_right(order, high))

    def after(self, key: Key) -> int:
        """The position of the first key above ``key``."""
        return bisect.bisect_right(self._settled(), tuple(key))  # type: ignore[arg-type]

    def before(self, key: Key) -> int:
        """The position just past the last key below ``key``."""
        return bisect.bisect_left(self._settled(), tuple(key))  # type: ignore[arg-type]

    def walk(self, start: int, stop: int, *, descending: bool = False) -> Iterator[dict[str, Any]]:
        """The posts at positions ``[start, stop)``, in order (or from ``stop - 1`` down)."""
        order = self._settled()
        positions = range(stop - 1, start - 1, -1) if descending else range(start, stop)
        for at in positions:
            yield self[order[at][1]]

    def consistent(self) -> bool:
        """Whether the order matches the posts (for tests: a missed ``reindex`` shows here)."""
        return (sorted(key_of(p) for p in self.values()) == self._settled()
                and {pid for pid, p in self.items() if _is_hidden(p)} == self._hidden)


def _is_hidden(post: dict[str, Any]) -> bool:
    metadata = post.get("metadata")
    return isinstance(metadata, dict) and bool(metadata.get("hidden"))
