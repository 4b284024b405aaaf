"""Fixtures for the calendar window tests: a real temp-file store, a sync-bridge double, an open window, and
the editor tests' accounts and window (helpers: tests/ui_support.py, tests/editor_support.py)."""

from __future__ import annotations

import pytest

from editor_support import WED, seed_accounts
from latecal.store import Store
from latecal.ui.app.main_window import MainWindow
from ui_support import BERLIN, NOW, FakeSync, flush_events


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
        flush_events()  # let the first layout size the views
        return window

    return _open


@pytest.fixture
def accounts(store):
    """The editor tests' profiles and accounts in the store (test_drafts_tray has its own)."""
    return seed_accounts(store)


@pytest.fixture
def editor_window(open_window, accounts, sync):
    """The post editor tests' window: a week on WED with the test accounts, on the sync double."""
    return open_window(view="week", anchor=WED, sync=sync)
