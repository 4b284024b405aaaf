"""The Problems panel on the sandbox: a real window, SyncBridge, SyncEngine and LateClient over loopback. A post
Late fails is listed with Late's reason and retried from the panel until Late publishes it; a post Late keeps
publishing past the setting is listed as stuck until Late finishes; a disconnected account is listed until it is
reconnected on Late."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from PySide6.QtCore import Qt

from latecal.core.zones import utc_to_wall
from sandbox_support import ACCOUNTS, KEY, PROFILE_ID
from ui_support import BERLIN, settle

pytestmark = pytest.mark.asyncio


def _create_on_sandbox(server, text: str, minutes: float, platform: str = "linkedin") -> str:
    due = (server.sandbox.state.now() + timedelta(minutes=minutes)).isoformat()
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        r = http.post("/v1/posts", json={"content": text, "scheduledFor": due,
                                         "platforms": [{"platform": platform, "accountId": ACCOUNTS[platform]}]})
        assert r.status_code == 201, r.text
        return r.json()["post"]["_id"]


def _post_rows(window) -> list[str]:
    return [text for key, text in zip(_keys(window), window.problems_panel.row_texts(), strict=True)
            if key.startswith("post:")]


def _keys(window) -> list[str]:
    panel = window.problems_panel
    return [panel.list.item(n).data(Qt.ItemDataRole.UserRole) for n in range(panel.list.count())]


async def test_a_failed_post_is_retried_from_the_panel_until_late_publishes_it(window, bridge, store, server, qtbot):
    server.force_outcome(ACCOUNTS["linkedin"], "fail", errorMessage="LinkedIn is busy, try again", count=1)
    late_id = _create_on_sandbox(server, "Quarterly results", 2)
    await bridge.engine.run_once()
    assert _post_rows(window) == []
    server.advance(600)
    server.tick()
    await bridge.engine.run_once()
    await settle()
    post = store.get_by_late_id(late_id)
    assert post.status == "failed"
    assert _post_rows(window) == ["Failed: “Quarterly results”\nLinkedIn: LinkedIn is busy, try again."]
    assert window.toolbar.problems_button.text() == "⚠ 2"  # and the seeded disconnected Threads account

    window.show_problems()
    panel = window.problems_panel
    panel.select(f"post:{post.local_id}")
    assert panel.retry_button.isVisible()
    qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    await bridge.engine.run_once()  # the retry goes to Late, which publishes now (the forced failure was spent)
    await bridge.engine.run_once()
    await settle()
    assert store.get_post(post.local_id).status == "published"
    assert _post_rows(window) == []
    assert window.toolbar.problems_button.text() == "⚠ 1"


async def test_a_post_late_keeps_publishing_is_stuck_until_late_finishes(window, bridge, store, server):
    server.configure(publishDurationSeconds=3600)  # Late takes an hour over it
    late_id = _create_on_sandbox(server, "Doors open at eight", 1)
    await bridge.engine.run_once()
    server.advance(10 * 60)
    server.tick()
    await bridge.engine.run_once()
    await settle()
    post = store.get_by_late_id(late_id)
    assert post.status == "publishing" and _post_rows(window) == []  # nine minutes: not yet stuck

    server.advance(7 * 60)
    server.tick()
    await bridge.engine.run_once()
    window.problems_panel.tick()  # the minute timer
    since = utc_to_wall(post.scheduled_for, BERLIN).strftime("%H:%M")
    assert _post_rows(window) == [f"Stuck publishing: “Doors open at eight”\nPublishing since {since} (16 min)\n"
                                  "LinkedIn: Processing"]

    server.advance(3600)
    server.tick()
    await bridge.engine.run_once()
    await settle()
    assert store.get_post(post.local_id).status == "published"
    assert _post_rows(window) == []


async def test_a_disconnected_account_is_listed_until_it_is_reconnected(window, bridge, server):
    assert window.problems_panel.count == 0  # nothing known before the first run
    await bridge.engine.run_once()
    await settle()
    assert window.problems_panel.row_texts() == [
        "Threads · Acme threads needs reconnecting\nIts posts cannot go out until then.\n"
        "Reconnect it in Late (app.getlate.dev, Connections), then press Sync."]
    server.seed(accounts=[{"_id": ACCOUNTS["threads"], "platform": "threads", "profileId": PROFILE_ID,
                           "username": "acme_threads", "displayName": "Acme threads", "isActive": True,
                           "needsReconnection": False}])  # reconnected on Late
    await bridge.engine.run_once(refresh_accounts=True)
    await settle()
    assert window.problems_panel.row_texts() == []
    assert window.problems_panel.empty_label.text() == "Nothing needs you"
