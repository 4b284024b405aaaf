"""A publish recolours its chip within 15 s of Late finishing it, through a change check (not a full listing),
on the engine's own cadence: a real window, SyncBridge, SyncEngine and LateClient on the sandbox, time simulated."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from latecal.ui.widgets.palette import status_accent
from sandbox_support import ACCOUNTS, KEY
from ui_support import render_item, settle

pytestmark = pytest.mark.asyncio


async def test_a_publish_recolours_the_chip_within_15_seconds_through_a_change_check(window, bridge, store, server):
    server.configure(publishDurationSeconds=5.0)
    due = (server.sandbox.state.now() + timedelta(minutes=2)).replace(second=0, microsecond=0)
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        r = http.post("/v1/posts", json={"content": "Goes out soon", "scheduledFor": due.isoformat(),
                                         "platforms": [{"platform": "linkedin", "accountId": ACCOUNTS["linkedin"]}]})
        assert r.status_code == 201, r.text
        late_id = r.json()["post"]["_id"]
    engine = bridge.engine
    await engine.run_scheduled()  # the start: a full listing
    await settle()
    assert engine.last_report.scope == "full"
    local = store.get_by_late_id(late_id)
    item = window.views.month.scene.items_by_id[local.local_id]
    scopes = []
    while item.post.status == "scheduled":
        wait = engine.next_interval()  # what run_forever waits, simulated
        server.advance(wait)
        server.tick()
        scopes.append((await engine.run_scheduled()).scope)
        await settle()
        assert server.sandbox.state.now() - due < timedelta(minutes=5), scopes
    seen_at = server.sandbox.state.now()
    image = render_item(item)
    assert image.pixelColor(2, image.height() // 2).name() == status_accent("published").name()
    with server.sandbox.state.lock:
        finished = datetime.fromisoformat(server.sandbox.state.posts[late_id]["updatedAt"])
    assert timedelta(0) <= seen_at - finished <= timedelta(seconds=15)
    assert set(scopes) == {"changes"}  # the window was never listed again to find it
