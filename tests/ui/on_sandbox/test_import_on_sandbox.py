"""File ▸ Import CSV… on the sandbox: a real window, SyncBridge, SyncEngine and LateClient over loopback. Late's
own dry run checks the file beside our rules (and says what only Late knows); the imported posts reach Late through
the normal push with their keys; the same file again adds nothing; an import undone before it was sent never
reaches Late."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from latecal.core.zones import utc_to_wall
from latecal.ui.app import transfer_actions
from latecal.ui.dialogs import import_dialog as D
from sandbox_support import ACCOUNTS
from ui_support import BERLIN, settle

pytestmark = pytest.mark.asyncio


def _csv(server, tmp_path):
    day = utc_to_wall(server.sandbox.state.now() + timedelta(days=2), BERLIN).date()
    path = tmp_path / "plan.csv"
    path.write_text("post_content,platforms,profiles,schedule_time,tz\n"
                    f"Imported for X,twitter,Acme,{day} 10:00,Europe/Berlin\n"
                    f"Imported for LinkedIn,linkedin,Acme,{day} 11:00,Europe/Berlin\n"
                    f"Imported for Bluesky,bluesky,Acme,{day} 12:00,Europe/Berlin\n", encoding="utf-8")
    return path


async def _until(condition, timeout: float = 10.0) -> None:
    """Let the loop run until ``condition()`` (qtbot's waits would nest a second loop inside qasync's)."""
    end = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < end, "timed out"
        await asyncio.sleep(0.01)


async def _checked(window, path, *, late: bool = True):
    dialog = transfer_actions.import_file(window, str(path))
    await _until(lambda: not dialog.checking and dialog.preview.rowCount() == 3)
    if late:
        await _until(lambda: dialog.late_task is not None)
        await dialog.late_task
    return dialog


async def _import(dialog, click=None) -> None:
    done = []
    dialog.imported.connect(done.append)
    (click or dialog.confirm)()
    await _until(lambda: bool(done))


async def test_lates_dry_run_shows_beside_ours_and_the_import_reaches_late_once(window, bridge, store, server,
                                                                              qtbot, tmp_path):
    await bridge.engine.run_once()  # accounts and profiles from Late
    # Late knows something the local copy does not yet: the LinkedIn account was just disconnected there
    server.sandbox.state.accounts[ACCOUNTS["linkedin"]]["isActive"] = False
    path = _csv(server, tmp_path)
    dialog = await _checked(window, path)
    late = [dialog.preview.item(r, D.COL_LATE).text() for r in range(3)]
    ours = [dialog.preview.item(r, D.COL_PROBLEMS).text() for r in range(3)]
    assert ours == ["ready", "ready", "ready"]
    assert late == ["OK", "account disconnected linkedin", "OK"]
    assert server.stats()["postsTotal"] == 0  # Late's check creates nothing

    dialog.preview.item(1, D.COL_IMPORT).setCheckState(Qt.CheckState.Unchecked)  # skip what Late would refuse
    await _until(lambda: dialog.preview.item(1, D.COL_PROBLEMS).text() == "skipped")
    await _import(dialog, lambda: qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton))
    await bridge.engine.run_once()
    imported = [p for p in store.all_posts() if p.idempotency_key.startswith("latecal-import-")]
    assert sorted(p.content for p in imported) == ["Imported for Bluesky", "Imported for X"]
    assert all(p.late_id and p.sync_state == "synced" for p in imported)
    on_late = server.sandbox.state.posts
    assert sorted(p["content"] for p in on_late.values()) == ["Imported for Bluesky", "Imported for X"]

    again = await _checked(window, path, late=False)
    assert [again.preview.item(r, D.COL_PROBLEMS).text() for r in (0, 2)] == ["already imported"] * 2
    assert again.checker.summary().valid == 1  # only the row skipped before
    again.reject()
    await bridge.engine.run_once()
    assert len(server.sandbox.state.posts) == 2


async def test_an_import_undone_before_it_was_sent_never_reaches_late(window, bridge, store, server, qtbot,
                                                                       tmp_path):
    await bridge.engine.run_once()
    dialog = await _checked(window, _csv(server, tmp_path), late=False)
    await _import(dialog)
    assert store.count() == 3 and len(store.outbox_entries()) == 3
    window.activateWindow()
    await _until(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    await settle()
    assert store.count(include_deleted=True) == 0 and store.outbox_entries() == []
    await bridge.engine.run_once()
    assert server.stats()["postsTotal"] == 0
