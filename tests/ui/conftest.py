"""Fixtures for the calendar window tests: a real temp-file store, a sync-bridge double, an open window
(helpers: tests/ui_support.py)."""

from __future__ import annotations

import pytest

from latecal.store import Store
from latecal.ui.main_window import MainWindow
from ui_support import BERLIN, NOW, FakeSync


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "x.sqlite3")
    yield s
    s.close()


@pytest.fixture
def sync():
    return FakeSync()


@pytest.fixture
def open_window(qtbot, store):
    """open_window(view=..., anchor=..., **kw): a shown 1280×800 window in Berlin time with the fixed clock."""

    def _open(**kw) -> MainWindow:
        kw.setdefault("zone", BERLIN)
        kw.setdefault("clock", lambda: NOW)
        window = MainWindow(store, **kw)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.wait(5)  # let the first layout size the views
        return window

    return _open
