"""Issue 19, items 4 and 6, end to end: the calendar window with a real SyncBridge + SyncEngine + LateClient on the
sandbox over loopback. An account the control API disconnects (or whose token expires before a post's time) is
flagged on every scheduled post to it after a Sync press, with a tooltip naming it and what to do; Retry is not
offered for a platform that cannot post, and says why; and on a first run the filters fill as accounts load."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from PySide6.QtGui import QColor

from latecal.ui.app.post_menu import build_post_menu
from latecal.ui.calendar.chip_marks import ACCOUNT_WARNING
from latecal.ui.calendar.post_item import PostItem
from sandbox_support import ACCOUNTS, KEY
from ui_support import render_item, settle

pytestmark = pytest.mark.asyncio


def _create(server, text: str, minutes: float, *platforms: str) -> str:
    due = (server.sandbox.state.now() + timedelta(minutes=minutes)).isoformat()
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        r = http.post("/v1/posts", json={"content": text, "scheduledFor": due,
                                         "platforms": [{"platform": p, "accountId": ACCOUNTS[p]} for p in platforms]})
        assert r.status_code == 201, r.text
        return r.json()["post"]["_id"]


def _flip(server, platform: str, **body) -> None:
    r = httpx.post(f"{server.control_url}/accounts/{ACCOUNTS[platform]}/health", json=body, timeout=10)
    assert r.status_code == 200, r.text


async def _after_next_run(bridge, action) -> object:
    done = asyncio.get_running_loop().create_future()

    def finished(report) -> None:
        if not done.done():
            done.set_result(report)

    bridge.finished.connect(finished)
    action()
    report = await asyncio.wait_for(done, 15)
    bridge.finished.disconnect(finished)
    await settle()
    return report


def _warning_painted(item: PostItem) -> bool:
    """Whether the chip paints the amber triangle at its right (rendered, not read from the model)."""
    image = render_item(item)
    size = 11.0
    x, y = item.boundingRect().width() - 3 - size / 2 - size / 4, 9 + size / 3
    return image.pixelColor(int(x), int(y)).name() == QColor(ACCOUNT_WARNING).name()


async def test_a_sync_press_flags_posts_to_a_disconnected_account_with_what_to_do(window, bridge, store, server):
    bsky_id = _create(server, "Bluesky in three hours", 180, "bluesky")
    x_id = _create(server, "X in three hours", 180, "twitter")
    await _after_next_run(bridge, bridge.start)  # the first run reads the accounts (all can post) and the posts
    scene = window.views.month.scene
    bsky = scene.items_by_id[store.get_by_late_id(bsky_id).local_id]
    x = scene.items_by_id[store.get_by_late_id(x_id).local_id]
    assert not _warning_painted(bsky) and "reconnect" not in bsky.toolTip()

    _flip(server, "bluesky", connected=False)
    await _after_next_run(bridge, window.request_sync)  # the Sync press: accounts are read again at once

    assert _warning_painted(bsky) and not _warning_painted(x)
    tip = bsky.toolTip()
    assert "Bluesky · Acme bluesky is disconnected: reconnect it in Late before" in tip
    assert "Account is disconnected. Reconnect it to resume posting." in tip  # Late's own issue
    assert "reconnect" not in x.toolTip()


async def test_a_token_expiring_before_the_post_flags_it_and_one_after_does_not(window, bridge, store, server):
    soon_id = _create(server, "Due in two hours", 120, "linkedin")
    later_id = _create(server, "Due in six hours", 360, "linkedin")
    _flip(server, "linkedin", tokenExpiresAt=(server.sandbox.state.now() + timedelta(hours=4)).isoformat())
    await _after_next_run(bridge, bridge.start)
    scene = window.views.month.scene
    soon = scene.items_by_id[store.get_by_late_id(soon_id).local_id]
    later = scene.items_by_id[store.get_by_late_id(later_id).local_id]
    assert not _warning_painted(soon)
    assert _warning_painted(later)
    assert "LinkedIn · Acme linkedin loses its access on " in later.toolTip()


async def test_retry_is_not_offered_for_a_platform_whose_account_cannot_post(window, bridge, store, server, qtbot):
    late_id = _create(server, "Half of it fails", 2, "twitter", "bluesky")
    _flip(server, "bluesky", connected=False)
    server.advance(300)
    server.tick()
    await _after_next_run(bridge, bridge.start)
    post = store.get_by_late_id(late_id)
    assert post.status == "partial"

    menu = build_post_menu(window.commands, post, window)
    entries = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert entries["Retry failed platforms"] is False
    assert entries["Bluesky · Acme bluesky is disconnected: reconnect it in Late, then retry"] is False

    requests_before = server.stats()["requestsTotal"]
    assert window.commands.retry_post(post.local_id) is False  # the operation refuses it too, and says why
    assert "Cannot retry “Half of it fails”: Bluesky · Acme bluesky is disconnected" in window.message_bar.text
    await settle()
    assert server.stats()["requestsTotal"] == requests_before  # nothing was sent to Late

    _flip(server, "bluesky", connected=True)
    await _after_next_run(bridge, window.request_sync)
    menu = build_post_menu(window.commands, store.get_post(post.local_id), window)
    entries = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert entries["Retry failed platforms"] is True
    assert not any("then retry" in text for text in entries)


async def test_on_a_first_run_the_filters_fill_as_soon_as_the_accounts_load(window, bridge, store, server):
    toolbar = window.toolbar
    assert store.accounts() == [] and not toolbar.account_filter.actions_by_value  # a fresh store: no accounts
    loads = window.mirror.load_count
    await _after_next_run(bridge, bridge.start)
    assert window.mirror.load_count == loads  # the page did not change
    accounts = [a.text() for a in toolbar.account_filter.actions_by_value.values()]
    platforms = list(toolbar.platform_filter.actions_by_value)
    assert len(accounts) == len(ACCOUNTS) and "Acme bluesky (Bluesky)" in accounts
    assert sorted(platforms) == sorted(ACCOUNTS)
