"""The window's one selection of posts: a set of local ids, whatever view shows them.

The views never keep a selection of their own: the calendar scenes paint this one and turn clicks, Shift ranges
and rubber bands into calls on it, and the List's own selection is kept in step by the calendar mirror (its
``selected_ids()`` / ``select_ids(ids)`` / ``selected_ids_changed``). Ids, not items: the selection survives a
sync that replaces every post object, and a switch between views.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal


class PostSelection(QObject):
    #: the set changed (or its current post did)
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ids: frozenset[str] = frozenset()
        #: the post the keyboard acts on alone (Enter opens it); the last one clicked
        self.current: str | None = None
        #: where a Shift range starts: the last post clicked without Shift
        self.anchor: str | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, local_id: object) -> bool:
        return local_id in self.ids

    # -- changing it ---------------------------------------------------------------------------------------

    def replace(self, ids: Iterable[str], current: str | None = None, *, anchor: bool = True) -> None:
        """Exactly ``ids``; ``current`` (default: one of them) becomes the post the keyboard acts on, and the start
        of the next Shift range unless ``anchor`` is False (a Shift range keeps its start)."""
        new = frozenset(ids)
        if current is None or current not in new:
            current = self.current if self.current in new else next(iter(sorted(new)), None)
        self._set(new, current, current if anchor else self.anchor)

    def only(self, local_id: str | None) -> None:
        """One post (a plain click), or none."""
        self.replace([] if local_id is None else [local_id], local_id)

    def toggle(self, local_id: str) -> None:
        """Ctrl+click: in or out; a post put in becomes current and the start of the next range."""
        if local_id in self.ids:
            rest = self.ids - {local_id}
            current = self.current if self.current in rest else next(iter(sorted(rest)), None)
            self._set(rest, current, self.anchor if self.anchor in rest else current)
        else:
            self._set(self.ids | {local_id}, local_id, local_id)

    def add(self, ids: Iterable[str]) -> None:
        self.replace(self.ids | frozenset(ids), self.current)

    def discard(self, ids: Iterable[str]) -> None:
        gone = frozenset(ids) & self.ids
        if gone:
            rest = self.ids - gone
            current = self.current if self.current in rest else None
            self._set(rest, current, self.anchor if self.anchor in rest else None)

    def clear(self) -> None:
        self._set(frozenset(), None, None)

    def _set(self, ids: frozenset[str], current: str | None, anchor: str | None) -> None:
        if (ids, current, anchor) == (self.ids, self.current, self.anchor):
            return
        self.ids, self.current, self.anchor = ids, current, anchor
        self.changed.emit()
