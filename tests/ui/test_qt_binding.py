"""Guards on the pinned Qt binding: the app emits signals all day long, so emit must not leak references."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    bare = Signal()
    payload = Signal(object)


def test_emit_keeps_reference_counts_of_singletons(qapp):
    # PySide6 6.12.0 on Python 3.11 lost one reference to True per emit(): the process died within minutes.
    emitter = _Emitter()
    received = []
    emitter.bare.connect(lambda: received.append(1))
    emitter.payload.connect(lambda value: received.append(2))
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for _ in range(200):
        emitter.bare.emit()
        emitter.payload.emit(None)
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    assert len(received) == 400
    assert all(abs(a - b) <= 5 for a, b in zip(after, before, strict=True)), (before, after)
