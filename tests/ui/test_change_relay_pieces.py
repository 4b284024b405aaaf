"""A large change set written on another thread (a CSV import) reaches the views in pieces with the event loop
running between them; one written on the GUI thread meanwhile comes after them, so the order holds."""

from __future__ import annotations

import threading

from latecal.core.models import Post, Target
from latecal.store import Store
from latecal.ui.widgets.change_relay import PIECE, ChangeRelay
from ui_support import flush_events


def _posts(n: int) -> list[Post]:
    return [Post(content=f"Imported {i}", status="draft", targets=[Target("twitter", "acc-x")]) for i in range(n)]


def test_a_large_change_from_another_thread_arrives_in_pieces_in_order(qtbot, tmp_path):
    from PySide6.QtCore import QTimer

    store = Store.open(tmp_path / "x.sqlite3")
    relay = ChangeRelay(store)
    heard: list[tuple[str, int]] = []
    relay.changed.connect(lambda changes, _i: heard.append(("change", len(changes.changed))))
    ticks = QTimer(interval=0)
    ticks.timeout.connect(lambda: heard.append(("tick", 0)))

    def write() -> None:
        with store.batch():
            for post in _posts(2 * PIECE + 10):
                store.save_post(post)

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    ticks.start()
    qtbot.waitUntil(lambda: sum(n for kind, n in heard if kind == "change") == 2 * PIECE + 10)
    ticks.stop()
    changes = [n for kind, n in heard if kind == "change"]
    assert changes == [PIECE, PIECE, 10]
    at = [i for i, (kind, _n) in enumerate(heard) if kind == "change"]
    assert any(kind == "tick" for kind, _n in heard[at[0]:at[-1]])  # the loop ran between the pieces
    assert relay.pending() == 0
    relay.close()
    store.close()


def test_a_change_made_here_while_pieces_wait_comes_after_them(qtbot, tmp_path):
    store = Store.open(tmp_path / "x.sqlite3")
    relay = ChangeRelay(store)
    order: list[int] = []
    relay.changed.connect(lambda changes, _i: order.append(len(changes.changed)))

    def write() -> None:
        with store.batch():
            for post in _posts(PIECE + 5):
                store.save_post(post)

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    from PySide6.QtWidgets import QApplication

    QApplication.sendPostedEvents(relay)  # the queued change set arrives: its first piece is passed on, not more
    assert order == [PIECE] and relay.pending() == 1
    store.save_post(Post(content="Typed here", status="draft", targets=[Target("twitter", "acc-x")]))
    flush_events()
    assert order == [PIECE, 5, 1]  # the pieces first, then the change made after them
    relay.close()
    store.close()
