"""Late's queue on the calendar, end to end on the sandbox: the sync's accounts step reads each profile's queues
(one ``all=true`` call per profile) and the week view draws their free slots in the profile's colour, at the
slot's wall time in the queue's zone: a Berlin queue seen from New York moves an hour in the weeks the US has
changed its clocks and Europe has not. A slot a post of that profile fills shows the post instead."""

from __future__ import annotations

import asyncio
import html
from datetime import date
from zoneinfo import ZoneInfo

import httpx
import pytest
from PySide6.QtCore import Qt

from latecal.core.calendar_geometry import local_date
from latecal.core.zones import utc_to_wall
from latecal.ui.app.main_window import MainWindow
from sandbox_support import KEY, PROFILE2_ID, PROFILE_ID, target
from ui_support import settle

pytestmark = pytest.mark.asyncio
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def window(qtbot, store, server):
    """The calendar in New York time, on the sandbox's clock."""
    clock = server.sandbox.state.now
    w = MainWindow(store, zone=NEW_YORK, clock=clock, anchor=local_date(clock(), NEW_YORK), view="week")
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def _http(server) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10)


async def _first_run(bridge) -> None:
    done = asyncio.get_running_loop().create_future()
    bridge.finished.connect(lambda report: done.done() or done.set_result(report))
    bridge.start()
    await asyncio.wait_for(done, 15)
    await settle()


async def _idle(bridge) -> None:
    """Until the run a navigation started has ended (the engine reads each new week)."""
    await settle()
    for _ in range(200):
        if not bridge.running:
            return
        await asyncio.sleep(0.02)


def _slots_seen(window) -> list[tuple[str, str, float, int]]:
    """(New York wall time, queue zone's wall time, y, column) of every free slot drawn in the week."""
    scene = window.views.week.scene
    out = []
    for item in scene.queue_layer.all_items():
        if item.isVisible():
            here = utc_to_wall(item.when, NEW_YORK)
            own = utc_to_wall(item.when, item.schedule.timezone)
            col = int((item.x() - scene.column_x(0)) // scene.col_w)
            out.append((f"{here:%a %d %H:%M}", f"{own:%a %H:%M}", item.y(), col))
    return sorted(out)


async def test_a_berlin_queue_seen_from_new_york_moves_an_hour_while_only_the_us_has_changed(window, bridge,
                                                                                             server):
    with _http(server) as http:
        r = http.put("/v1/queue/slots", json={"profileId": PROFILE_ID, "timezone": "Europe/Berlin",
                                              "slots": [{"dayOfWeek": 1, "time": "09:00"}]})  # Mondays 09:00
        assert r.status_code == 200, r.text
        http.delete("/v1/queue/slots", params={"profileId": PROFILE2_ID})  # only Acme's queue in view
    requests_before = server.stats()["requests"].get("GET /v1/queue/slots", 0)
    await _first_run(bridge)
    assert server.stats()["requests"].get("GET /v1/queue/slots", 0) - requests_before == 2  # one per profile
    scene = window.views.week.scene
    seen = {}
    for monday in (date(2027, 3, 8), date(2027, 3, 15), date(2027, 3, 29)):
        window._navigate("week", monday)
        await _idle(bridge)
        (slot,) = _slots_seen(window)
        seen[monday] = slot
        here, own, y, col = slot
        assert own == "Mon 09:00"  # always 09:00 in Berlin
        assert col == scene.days.index(monday)
        hour = int(here.split()[2][:2])
        assert y == hour * 60  # drawn at its New York time
    assert seen[date(2027, 3, 8)][0] == "Mon 08 03:00"  # both zones on winter time: 6 hours apart
    assert seen[date(2027, 3, 15)][0] == "Mon 15 04:00"  # New York on summer time, Berlin not yet: 5 hours
    assert seen[date(2027, 3, 29)][0] == "Mon 29 03:00"  # both on summer time again
    (item,) = [i for i in scene.queue_layer.all_items() if i.isVisible()]
    tip = html.unescape(item.toolTip())
    assert "A free slot in Acme's queue: Mon 29 Mar 03:00 (09:00 in Europe/Berlin)" in tip
    assert item.colour.name() == "#ff0000"  # Acme's colour


async def test_a_filled_slot_shows_its_post_and_the_empty_ones_stay(window, bridge, server, store, qtbot):
    with _http(server) as http:
        queued = http.post("/v1/posts", json={"content": "Into the queue", "platforms": [target("twitter")],
                                              "queuedFromProfile": PROFILE_ID}).json()["post"]
    await _first_run(bridge)
    post = store.get_by_late_id(queued["_id"])
    assert post is not None and post.scheduled_for is not None
    window._navigate("week", local_date(post.scheduled_for, NEW_YORK))
    await _idle(bridge)
    scene = window.views.week.scene
    at_post = [i for i in scene.queue_layer.all_items() if i.when == post.scheduled_for]
    assert at_post and not any(i.isVisible() for i in at_post if i.schedule.profile_id == PROFILE_ID)
    block = scene.items_by_id[post.local_id]
    assert block.isVisible() and block.y() == scene.y_of(post.scheduled_for)
    free = [i for i in scene.queue_layer.all_items() if i.isVisible()]
    assert free  # the week's other slots are still drawn
    # a double click on a free slot starts a post for that very time
    slot = free[0]
    window.views.week.view.verticalScrollBar().setValue(int(slot.y()) - 40)
    await settle()
    point = window.views.week.view.mapFromScene(slot.mapToScene(slot.boundingRect().center()))
    with qtbot.waitSignal(scene.slot_activated) as started:
        qtbot.mouseDClick(window.views.week.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert started.args[0] == slot.when
    for editor in list(window.editors.editors.values()):
        editor.close()
    await _idle(bridge)
