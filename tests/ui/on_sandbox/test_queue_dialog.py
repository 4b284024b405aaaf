"""Post ▸ Edit queues… end to end on the sandbox: the dialog shows the profile's weekly slots and Late's preview of
the next free slots; a save with posts already queued first asks whether Late should move them (default: keep
their times), sends ``PUT /v1/queue/slots`` with the answer as ``reshuffleExisting``, shows Late's new preview and
redraws the calendar's queue slots."""

from __future__ import annotations

import json
from datetime import datetime, time
from zoneinfo import ZoneInfo

import httpx
import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QMessageBox

from keyflow_helpers import until
from latecal.core.queue_slots import WeeklySlot
from latecal.ui.app.main_window import MainWindow
from latecal.ui.app.sync_bridge import SyncBridge
from sandbox_support import KEY, PROFILE_ID, sandbox_posts, target
from ui_support import BERLIN, settle

pytestmark = pytest.mark.asyncio


def _queue_two(server) -> list[str]:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10) as http:
        return [http.post("/v1/posts", json={"content": f"Queued {n}", "platforms": [target("twitter")],
                                             "queuedFromProfile": PROFILE_ID}).json()["post"]["_id"] for n in range(2)]


def _button(box: QMessageBox, text: str):
    return next(b for b in box.buttons() if b.text() == text)


async def _open(qtbot, store, server, engine, client):
    puts: list[dict] = []

    async def record(request) -> None:
        if request.method == "PUT" and request.url.path.endswith("/v1/queue/slots"):
            puts.append(json.loads(request.content))

    client._http.event_hooks["request"].append(record)
    window = MainWindow(store, zone=BERLIN, clock=lambda: server.sandbox.state.now(), view="week")
    qtbot.addWidget(window)
    window.show()
    window.attach_sync(SyncBridge(engine, window))
    await engine.run_once()  # the queued posts come into the store
    await settle()
    window.actions_by_name["queues"].trigger()
    dialog = window.queue_dialog
    await until(lambda: dialog.preview.count() == 10 and "Reading" not in dialog.preview.item(0).text(),
                what="Late's preview")
    return window, dialog, puts


async def test_saving_new_slots_asks_about_the_queued_posts_and_keeps_their_times_by_default(qtbot, store, server,
                                                                                            engine, client):
    queued = _queue_two(server)
    before = {p["_id"]: p["scheduledFor"] for p in sandbox_posts(server)}
    window, dialog, puts = await _open(qtbot, store, server, engine, client)
    acme = dialog.queue_box.currentText() if dialog.queue_box.isVisible() else dialog.windowTitle()
    assert "Acme" in acme and dialog.zone_label.text().endswith("Europe/Berlin")
    assert dialog.slot_list.count() == 17  # the default queue: weekdays 09:00, 12:30, 17:00; weekends 11:00
    # a Tuesday 07:15 slot, added with the keyboard and the mouse
    dialog.day_box.setCurrentIndex(dialog.day_box.findText("Tuesday"))
    dialog.time_edit.setTime(QTime(7, 15))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert WeeklySlot(2, time(7, 15)) in dialog.slots
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    box = dialog.question
    assert box is not None and box.isVisible()
    assert "2 posts are already queued in Acme's queue" in box.text()
    assert box.defaultButton() is _button(box, "Keep their times")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the default: keep them where they are
    await until(lambda: puts and not dialog.tasks, what="the PUT")
    (body,) = puts
    assert body["reshuffleExisting"] is False and {"dayOfWeek": 2, "time": "07:15"} in body["slots"]
    assert body["profileId"] == PROFILE_ID and body["timezone"] == "Europe/Berlin"
    assert {p["_id"]: p["scheduledFor"] for p in sandbox_posts(server)} == before  # nothing moved
    assert "Acme's queue is saved on Late." in dialog.status.text()
    tuesday_715 = [dialog.preview.item(i).text() for i in range(dialog.preview.count())
                   if dialog.preview.item(i).text().startswith("Tue") and "07:15" in dialog.preview.item(i).text()]
    assert tuesday_715  # Late's new preview has the new slot
    await settle()
    drawn = {(i.when.astimezone(BERLIN).strftime("%a %H:%M")) for i in window.views.week.scene.queue_layer.all_items()}
    assert "Tue 07:15" in drawn  # the calendar draws the saved slots without waiting for a sync
    assert len(queued) == 2
    dialog.close()
    window.close()


async def test_choosing_to_move_them_reshuffles_onto_the_new_slots(qtbot, store, server, engine, client):
    _queue_two(server)
    window, dialog, puts = await _open(qtbot, store, server, engine, client)
    for _ in range(dialog.slot_list.count()):  # every old slot out ...
        dialog.slot_list.setCurrentRow(0)
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    dialog.day_box.setCurrentIndex(dialog.day_box.findText("Friday"))
    dialog.time_edit.setTime(QTime(16, 0))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)  # ... and Fridays 16:00 in
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    box = dialog.question
    qtbot.mouseClick(_button(box, "Move them"), Qt.MouseButton.LeftButton)
    await until(lambda: puts and not dialog.tasks, what="the PUT")
    assert puts[0]["reshuffleExisting"] is True and puts[0]["slots"] == [{"dayOfWeek": 5, "time": "16:00"}]
    assert "Late moved 2 queued posts" in dialog.status.text()
    for post in sandbox_posts(server):
        local = datetime.fromisoformat(post["scheduledFor"].replace("Z", "+00:00"))
        assert local.astimezone(ZoneInfo("Europe/Berlin")).strftime("%a %H:%M") == "Fri 16:00"
    dialog.close()
    window.close()
