"""The garbage collector for a heap that grows during a session (a sync bringing thousands of posts).

CPython's full collection walks every tracked object the collector has not been told to leave alone, and it runs
whenever the objects that survived since the last one reach a quarter of the heap: with 20,000 posts on screen,
each took 130-205 ms on the UI's thread, in the middle of a sync (tests/bench/ui_bench.py). ``gc.freeze()`` moves
what is alive now into a generation no collection walks: cheap (a list splice), and what is frozen is still freed
the usual way when nothing refers to it any more; only a reference cycle frozen while alive and dropped later
stays until ``release``. So the app freezes once after start-up, and then only after a slice of a pull that wrote
posts (what it added is the store's change set and the window's chips: kept): a run that changes nothing freezes
nothing, so an idle app leaks nothing, and what a large sync may leave is bounded by the sync, not by time.

Only the composition root turns this on (``manage``): tests and tools keep the collector as Python has it.
"""

from __future__ import annotations

import gc

_managing = False


def manage() -> None:
    """From now on, keep long-lived objects out of full collections; freezes what start-up built."""
    global _managing
    _managing = True
    gc.freeze()


def release() -> None:
    """The session ends: every object is the collector's again (frozen ones are never collected)."""
    global _managing
    _managing = False
    gc.unfreeze()


def settle() -> None:
    """What was just added to the heap lives on (a merged slice of a pull): no full collection walks it again. The
    garbage among it goes first: that collection walks only what is not frozen, i.e. what came since the last
    freeze (a slice's worth: a few ms), and without it a 3,000-post sync froze 7-20 thousand dead objects."""
    if _managing:
        gc.collect()
        gc.freeze()
