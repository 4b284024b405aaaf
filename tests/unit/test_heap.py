"""The collector for a growing heap (``latecal.heap``): only the app turns it on; then what a merged slice added
leaves the collector's generations, its garbage collected first; ending the session gives every object back."""

from __future__ import annotations

import gc
import weakref

from latecal import heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_settle_does_nothing_unless_the_app_manages_the_heap():
    before = gc.get_freeze_count()
    heap.settle()
    assert gc.get_freeze_count() == before


def test_a_settled_slice_is_frozen_without_its_garbage_and_release_gives_everything_back():
    heap.manage()
    try:
        kept = [_Node() for _ in range(100)]  # what a slice adds that lives on
        dead = _Node()
        gone = weakref.ref(dead)
        del dead  # garbage of the slice: a cycle nobody refers to
        assert any(o is kept[0] for o in gc.get_objects())
        heap.settle()
        # frozen: in none of the generations a collection walks
        assert not any(o is k for o in gc.get_objects() for k in kept[:3])
        assert gone() is None  # collected before the freeze, not frozen for the rest of the session
        assert all(kept)
    finally:
        heap.release()
    assert gc.get_freeze_count() == 0
    heap.settle()  # released: nothing is frozen again
    assert gc.get_freeze_count() == 0
