"""The window tells the truth about syncing: a crashed or partial run is never "Synced", and what failed, what
waits to be sent again (with its time), what Late asked to wait for and what could not be read is said on the
message bar. The real window, a real sync bridge and engine, the sandbox over loopback, a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
import pytest_asyncio

from keyflow_helpers import until
from latecal.core.models import Target
from latecal.late.client import LateClient
from latecal.sync import SyncEngine
from latecal.sync import pull as pull_module
from latecal.ui.app.sync_bridge import SyncBridge
from listing_proxy import ListingProxy
from sandbox_support import ACCOUNTS, KEY
from ui_support import BERLIN, at, make_post, settle

pytestmark = pytest.mark.asyncio


def _said(window, text: str) -> list[str]:
    return [m for m in window.message_bar.messages if text in m]


def _local(server, text: str):
    day = (server.sandbox.state.now() + timedelta(days=2)).astimezone(BERLIN).date()
    return make_post(text, at(day, 10), targets=[Target("twitter", ACCOUNTS["twitter"])])


def _hhmm(when) -> str:
    return f"{when.astimezone(BERLIN):%H:%M}"


async def test_a_run_that_crashed_is_not_synced_and_says_what_failed(window, bridge, store, server, monkeypatch):
    def crash(*_args, **_kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(pull_module, "listing_ranges", crash)
    report = await bridge.engine.run_once()
    await settle()
    assert report.failed
    assert window.toolbar.last_synced_label.text() == "⚠ Not synced"
    assert _said(window, "Sync: Could not read Late's posts: date value out of range"), window.message_bar.messages
    monkeypatch.undo()
    assert (await bridge.engine.run_once()).synced
    await settle()
    assert window.toolbar.last_synced_label.text() == "Synced just now"
    assert not _said(window, "Sync:"), window.message_bar.messages  # the next good run takes it back


async def test_the_long_lived_sync_task_reports_a_crashed_run_as_a_failure(window, bridge, store, server,
                                                                           monkeypatch):
    def crash(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pull_module.Puller, "__init__", crash)  # (made between the steps of a run)
    bridge.start()  # run_forever: its first run crashes
    report = await until(lambda: bridge.engine.last_report, what="the first run")
    await settle()
    assert report.failed and not report.synced
    assert window.toolbar.last_synced_label.text() == "⚠ Not synced"
    assert _said(window, "Sync: Syncing stopped on an unexpected error (a bug)"), window.message_bar.messages


async def test_a_full_disk_during_the_pull_is_said_and_the_time_stays_that_of_the_last_full_sync(
        window, bridge, store, server):
    first = await bridge.engine.run_once()
    assert first.synced
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        for n in range(40):
            when = (server.sandbox.state.now() + timedelta(hours=10 + n)).isoformat()
            assert http.post("/v1/posts", json={"content": f"Made on Late {n} " + "x" * 400, "scheduledFor": when,
                                                "platforms": [{"platform": "linkedin",
                                                               "accountId": ACCOUNTS["linkedin"]}]}).is_success
    db = store._db  # no page more: what SQLite meets on a full disk
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
    second = await bridge.engine.run_once()
    await settle()
    assert not second.synced
    assert bridge.last_synced == first.finished_at != second.finished_at
    assert _said(window, "Sync: Could not save Late's changes: the disk is full"), window.message_bar.messages


async def test_changes_late_fails_with_503_are_said_with_their_retry_time(window, bridge, store, server):
    await bridge.engine.run_once()
    server.add_fault("status", route="POST /v1/posts", status=503)
    store.save_post(_local(server, "Sent when Late is back"))
    report = await bridge.engine.run_once()
    await settle()
    assert report.unsent == 1 and report.unsent_retry_at is not None
    (said,) = _said(window, "1 change could not be sent")
    assert said.endswith(f"; retrying at {_hhmm(report.unsent_retry_at)}."), said
    assert report.unsent_reason and report.unsent_reason.rstrip(".") in said
    server.clear_faults()
    server.advance((report.unsent_retry_at - server.sandbox.state.now()).total_seconds() + 1)
    done = await bridge.engine.run_once()
    await settle()
    assert done.pushed == 1
    assert not _said(window, "could not be sent"), window.message_bar.messages


async def test_a_long_retry_after_is_said_at_once_and_a_sync_press_is_answered(window, bridge, store, server):
    await bridge.engine.run_once()
    server.add_fault("rate_limit", route="GET /v1/posts", retryAfter=110)
    report = await bridge.engine.run_once()
    await settle()
    until = report.rate_limited_until
    assert until is not None
    sentence = f"Late asked to wait until {_hhmm(until)}"
    assert _said(window, sentence), window.message_bar.messages
    window.message_bar.withdraw("rate-limit")  # read and dismissed; then the user presses Sync
    server.reset_stats()
    bridge.engine._wake.clear()
    window.request_sync()
    await settle()
    assert _said(window, sentence), window.message_bar.messages  # the press is answered with the time
    assert not bridge.engine._wake.is_set() and server.stats()["requests"] == {}  # and Late is not asked before it
    server.clear_faults()
    server.advance(111)
    window.request_sync()  # its time has come: the press runs
    assert bridge.engine._wake.is_set()


@pytest_asyncio.fixture
async def proxied_bridge(window, store, server):
    """A sync bridge whose Late sends, besides the sandbox's posts, the posts in ``proxy.extra_posts``."""
    nameless = {"content": "A post without an id", "status": "scheduled"}
    with ListingProxy(server.origin, [nameless, dict(nameless, content="Another")]) as proxy:
        async with LateClient(KEY, proxy.base_url, sleep=_no_sleep) as client:
            bridge = SyncBridge(SyncEngine(store, client, clock=server.sandbox.state.now), window)
            window.attach_sync(bridge)
            yield bridge, proxy
            await bridge.aclose()


async def _no_sleep(_seconds: float) -> None:
    return None


async def test_posts_late_sent_that_could_not_be_read_are_counted_on_the_message_bar(window, store, server,
                                                                                     proxied_bridge):
    bridge, proxy = proxied_bridge
    report = await bridge.engine.run_once()
    await settle()
    assert report.bad_posts == 2
    assert _said(window, "2 posts from Late could not be read"), window.message_bar.messages
    proxy.extra_posts.clear()
    await bridge.engine.run_once()
    await settle()
    assert not _said(window, "could not be read"), window.message_bar.messages
