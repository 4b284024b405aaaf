"""The window comes back where the user left it: size, the drafts dock and the view; ``--view`` still wins,
and screenshots never depend on the last session."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QSize

from keyflow_helpers import start_sessions, until, visible, visible_dialog
from latecal.app import SessionContext, _drop_undo_history, _open_window
from latecal.cli import Options, parse_args
from latecal.store import Store
from latecal.ui.app.error_reporting import ErrorReporter
from latecal.ui.app.main_window import MainWindow
from latecal.ui.dialogs.welcome_dialog import WelcomeDialog
from latecal.ui.widgets import settings as S


async def _one_session(app, data, options: Options | None = None, *, change=None) -> dict:
    """Run a session on ``data`` (no key: the welcome dialog is answered "Not now"), let ``change`` act on
    its window, close it, and report what the window looked like when it opened."""
    task, store = start_sessions(app, options or Options(data_dir=data))
    try:
        dialog = await until(lambda: visible_dialog(WelcomeDialog), what="the welcome dialog")
        dialog.later_button.click()
        window = visible(MainWindow)[0]
        seen = {"view": window.mode, "size": window.size(), "dock": window.drafts_dock.isVisible()}
        if change is not None:
            change(window)
        await asyncio.sleep(0)
        window.close()
        assert await asyncio.wait_for(task, 10) == 0
        return seen
    finally:
        store.close()


@pytest.mark.asyncio
async def test_the_next_start_opens_where_the_last_session_left(app, tmp_path, mem_keyring):
    data = tmp_path / "data"

    def rearrange(window: MainWindow) -> None:
        window.set_view("week")
        window.resize(1010, 690)
        window.drafts_dock.hide()

    first = await _one_session(app, data, change=rearrange)
    assert first == {"view": "month", "size": QSize(1280, 800), "dock": True}  # the defaults
    second = await _one_session(app, data)
    assert (second["view"], second["dock"]) == ("week", False)
    # Qt fits a restored window onto the screen: offscreen's is 800 wide, so only the height comes back as is
    assert second["size"].height() == 690
    # --view on the command line wins over the remembered view
    third = await _one_session(app, data, Options(data_dir=data, view="list"))
    assert third["view"] == "list"


def test_screenshots_ignore_the_remembered_window(app, tmp_path):
    settings = S.Settings()
    settings.set(S.LAST_VIEW, "day")
    with Store.open(tmp_path / "s.sqlite3") as store:
        context = SessionContext(settings=settings)
        remembered = _open_window(app, store, Options(), context, ErrorReporter())
        remembered.resize(900, 600)
        from latecal.ui.app import window_state

        window_state.save(remembered, settings)
        assert remembered.mode == "day"
        shot = _open_window(app, store, Options(screenshot=tmp_path / "x.png"), context, ErrorReporter())
        assert (shot.mode, shot.size()) == ("month", QSize(1280, 800))
        for window in (remembered, shot):
            window.close()
            window.deleteLater()
        _drop_undo_history(context)  # as run_sessions does: the history's stack is never left to the collector


def test_unreadable_saved_state_falls_back_to_the_defaults(app, tmp_path):
    settings = S.Settings()
    settings.qsettings.setValue(S.WINDOW_GEOMETRY.key, "not a geometry")
    settings.qsettings.setValue(S.LAST_VIEW.key, "year")
    with Store.open(tmp_path / "s.sqlite3") as store:
        context = SessionContext(settings=settings)
        window = _open_window(app, store, Options(), context, ErrorReporter())
        assert (window.mode, window.size()) == ("month", QSize(1280, 800))
        window.close()
        window.deleteLater()
        _drop_undo_history(context)


def test_the_view_option_defaults_to_the_last_one():
    assert parse_args([]).view is None
    assert parse_args(["--view", "day"]).view == "day"
