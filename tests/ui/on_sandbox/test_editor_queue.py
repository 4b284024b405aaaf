"""The editor's "Next free slot in <profile>'s queue", end to end on the sandbox: the post goes to Late with
``queuedFromProfile`` and ``queueId`` and no time at all (not even the one in the editor's fields), Late picks the
slot, and the editor and the calendar show the time Late gave it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from keyflow_helpers import until
from latecal.ui.app.main_window import MainWindow
from latecal.ui.app.sync_bridge import SyncBridge
from sandbox_support import ACCOUNTS, PROFILE_ID, sandbox_posts
from ui_support import BERLIN, settle

pytestmark = pytest.mark.asyncio


async def test_next_free_slot_creates_the_post_through_the_queue_and_shows_lates_time(qtbot, store, server, client,
                                                                                       engine):
    sent: list[dict] = []

    async def record(request) -> None:
        if request.method == "POST" and request.url.path.endswith("/v1/posts"):
            sent.append(json.loads(request.content))

    client._http.event_hooks["request"].append(record)  # what goes over the wire, as Late receives it
    clock = lambda: server.sandbox.state.now()  # noqa: E731
    window = MainWindow(store, zone=BERLIN, clock=clock, view="week")
    qtbot.addWidget(window)
    window.show()
    window.attach_sync(SyncBridge(engine, window))
    typed_time = (clock() + timedelta(days=2)).replace(hour=7, minute=45, second=0, microsecond=0)
    window.commands.new_post_requested.emit(typed_time)
    (editor,) = window.editors.editors.values()
    editor.ask_unsaved = lambda _e: "discard"
    assert not editor.when.queue_button.isVisible()  # no account chosen: no profile, no queue
    check = editor.picker.checks[ACCOUNTS["twitter"]]
    await settle()
    qtbot.keyClick(check, Qt.Key.Key_Space)  # the account, from the keyboard
    assert check.isChecked()
    qtbot.keyClicks(editor.content_edit, "Into the queue it goes")
    button = editor.when.queue_button
    assert button.isVisible() and button.text() == "Next free slot in Acme's queue"
    assert "cannot be undone" in button.toolTip()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    await until(lambda: editor.post.late_id, what="Late's answer")
    await settle()

    (body,) = sent
    assert body["queuedFromProfile"] == PROFILE_ID and body["queueId"] and body["isDraft"] is False
    assert "scheduledFor" not in body and all("scheduledFor" not in t for t in body["platforms"])
    (remote,) = sandbox_posts(server)
    assert remote["queuedFromProfile"] == PROFILE_ID and remote["status"] == "scheduled"
    late_time = datetime.fromisoformat(remote["scheduledFor"].replace("Z", "+00:00"))
    assert late_time != typed_time
    assert editor.when.scheduled_utc() == late_time  # the editor shows the time Late assigned
    assert "Queued: Late gave it" in editor.banner.text() and "Acme's queue" in editor.banner.text()
    stored = store.get_post(editor.local_id)
    assert stored.late_id == remote["_id"] and stored.scheduled_for == late_time and stored.status == "scheduled"
    assert not store.outbox_entries(editor.local_id)  # Late already has it: nothing left to push
    assert not button.isVisible()  # the post is on Late now: it is no longer new
    assert window.runner.undo_stack.count() == 0  # Late acted at once: nothing in the undo history
    editor.close()
    window.close()
