"""End to end: the calendar window, a real SyncBridge + SyncEngine + LateClient, and the sandbox over loopback."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
import pytest
from PySide6.QtCore import Qt

from latecal.core.calendar_geometry import local_date
from latecal.core.models import Post, Target
from latecal.sync import pull
from latecal.ui.calendar.post_item import PostItem
from latecal.ui.widgets.palette import status_accent
from sandbox_support import ACCOUNTS, KEY
from ui_support import BERLIN, render_item, settle

pytestmark = pytest.mark.asyncio


def _create_on_sandbox(server, text: str, minutes: float, platform: str = "linkedin") -> str:
    due = (server.sandbox.state.now() + timedelta(minutes=minutes)).isoformat()
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        r = http.post("/v1/posts", json={"content": text, "scheduledFor": due,
                                         "platforms": [{"platform": platform, "accountId": ACCOUNTS[platform]}]})
        assert r.status_code == 201, r.text
        return r.json()["post"]["_id"]


def _accent_painted(item: PostItem) -> str:
    """The colour the item paints its left status bar with (rendered, not read from the model)."""
    image = render_item(item)
    return image.pixelColor(2, image.height() // 2).name()


async def test_publishing_recolours_only_that_item(window, bridge, store, server):
    due_id = _create_on_sandbox(server, "Goes out in two minutes", 2)
    later_id = _create_on_sandbox(server, "Goes out in twenty minutes", 20)
    await bridge.engine.run_once()
    await settle()
    scene = window.views.month.scene
    due = store.get_by_late_id(due_id)
    later = store.get_by_late_id(later_id)
    due_item, later_item = scene.items_by_id[due.local_id], scene.items_by_id[later.local_id]
    assert _accent_painted(due_item) == status_accent("scheduled").name()
    later_post_before, loads, created = later_item.post, window.mirror.load_count, PostItem.created

    server.advance(600)
    server.tick()
    report = await bridge.engine.run_once()
    await settle()

    assert report.changed == {due.local_id: ("scheduled", "published")}
    assert scene.items_by_id[due.local_id] is due_item  # recoloured in place, not rebuilt
    assert due_item.post.status == "published"
    assert _accent_painted(due_item) == status_accent("published").name() != status_accent("scheduled").name()
    assert later_item.post is later_post_before and later_item.post.status == "scheduled"
    assert (window.mirror.load_count, PostItem.created) == (loads, created)  # no reload, no new items


async def test_sync_button_shows_progress_then_last_synced(window, bridge, store, server, qtbot):
    now = server.sandbox.state.now()
    server.seed(posts=[{"content": f"Seeded {i}", "status": "scheduled",
                        "scheduledFor": (now + timedelta(hours=2, minutes=i % 50)).isoformat(),
                        "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"]}]}
                       for i in range(620)])  # two pages of 500: progress is reported between them
    toolbar = window.toolbar
    assert toolbar.last_synced_label.text() == "Not synced yet"
    seen: list[tuple] = []
    bridge.progress.connect(lambda done, total: seen.append(
        (done, total, toolbar.sync_button.toolTip(), toolbar.sync_button.isEnabled(), not toolbar.progress.isHidden(),
         toolbar.progress.value(), toolbar.progress.maximum())))
    finished = asyncio.get_running_loop().create_future()
    bridge.finished.connect(lambda report: finished.done() or finished.set_result(report))

    # The loop keeps running while the pages are merged: a ticker task advances between store notifications.
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    ticks_at_change: list[int] = []
    sizes: list[int] = []
    unsubscribe = store.subscribe(lambda changes, _initiator: (ticks_at_change.append(ticks),
                                                                sizes.append(len(changes.changed))))
    ticking = asyncio.ensure_future(ticker())

    qtbot.mouseClick(toolbar.sync_button, Qt.MouseButton.LeftButton)  # no engine task yet: nothing happens
    bridge.start()  # the long-lived task: syncs at once
    try:
        report = await asyncio.wait_for(finished, 10)
    finally:
        ticking.cancel()
        unsubscribe()
    # not one frozen merge per 500-post page: slices of at most MAX_SLICE posts, the loop turning between any two
    assert sum(sizes) == 620 and max(sizes) <= pull.MAX_SLICE and len(sizes) >= 620 // pull.MAX_SLICE + 2
    assert len(set(ticks_at_change)) == len(ticks_at_change)

    assert report.ok and report.inspected == 620
    assert seen[0][:2] == (500, 620) and seen[-1][:2] == (620, 620)
    assert all(s[2] == "Syncing with Late…" and s[3] is False and s[4] for s in seen)  # busy while it runs
    assert seen[0][5:] == (500, 620)
    assert toolbar.sync_button.text() == "Sync" and toolbar.sync_button.isEnabled()
    assert toolbar.progress.isHidden()
    assert toolbar.last_synced_label.text() == "Synced just now"
    assert bridge.last_synced == report.finished_at

    again = asyncio.get_running_loop().create_future()
    bridge.finished.connect(lambda report: again.done() or again.set_result(report))
    qtbot.mouseClick(toolbar.sync_button, Qt.MouseButton.LeftButton)  # wakes the sleeping task
    assert (await asyncio.wait_for(again, 10)).ok


async def test_offline_indicator_follows_the_server(window, bridge, server):
    badge = window.toolbar.offline_label
    await bridge.engine.run_once()
    assert badge.isHidden()
    server.stop()
    try:
        report = await bridge.engine.run_once()
        assert report.offline
        assert not badge.isHidden() and bridge.online is False
    finally:
        server.start()  # same port: the client finds it again
    report = await bridge.engine.run_once()
    assert not report.offline
    assert badge.isHidden() and bridge.online is True


async def test_a_move_late_rejects_goes_back_with_the_reason(window, bridge, store, server):
    when = (server.sandbox.state.now() + timedelta(hours=3)).replace(second=0, microsecond=0)
    post = store.save_post(Post(content="Webinar reminder", scheduled_for=when, status="scheduled",
                                targets=[Target("twitter", ACCOUNTS["twitter"])]))
    await bridge.engine.run_once()
    assert store.get_post(post.local_id).sync_state == "synced"

    server.add_fault("status", status=400, route="PUT /v1/posts", count=1)
    new_time = when + timedelta(hours=1)
    assert window.runner.move(post.local_id, new_time)
    await settle()
    item = window.views.month.scene.items_by_id[post.local_id]
    assert item.post.scheduled_for == new_time  # shown at once, before Late answers
    report = await bridge.engine.run_once()
    await settle()

    assert post.local_id in report.rejected
    assert store.get_post(post.local_id).scheduled_for == when
    assert window.views.month.scene.items_by_id[post.local_id].post.scheduled_for == when
    assert "Late refused moving “Webinar reminder”" in window.message_bar.text
    assert window.runner.undo_stack.count() == 0  # the rejected move cannot be redone
    remote = [p for p in _sandbox_posts(server) if p["content"] == "Webinar reminder"]
    assert datetime.fromisoformat(remote[0]["scheduledFor"]) == when


def _sandbox_posts(server) -> list[dict]:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        return http.get("/v1/posts", params={"limit": 100}).json()["posts"]


def _late_post(server, late_id: str) -> dict:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        r = http.get(f"/v1/posts/{late_id}")
        assert r.status_code == 200, r.text
        return r.json()["post"]


async def _conflict(window, bridge, store, server) -> str:
    """A post edited here (not sent yet) while a teammate changed it on Late: the next sync finds a conflict."""
    late_id = _create_on_sandbox(server, "Launch thread: first draft", minutes=240)
    await bridge.engine.run_once()
    local = store.get_by_late_id(late_id)
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.put(f"/v1/posts/{late_id}", json={"content": "Launch thread: Late's wording"}).status_code == 200
    from dataclasses import replace

    store.save_post(replace(local, content="Launch thread: my wording"))
    await bridge.engine.run_once()
    await settle()
    assert store.get_post(local.local_id).sync_state == "conflict"
    return local.local_id


async def test_a_conflict_is_announced_and_keep_mine_sends_it_to_late(window, bridge, store, server):
    local_id = await _conflict(window, bridge, store, server)
    assert "changed on Late while you had edits here" in window.message_bar.text
    from latecal.ui.app.post_menu import build_post_menu

    menu = build_post_menu(window.commands, window.mirror.posts[local_id], window)
    entries = [a.text() for a in menu.actions()]
    assert "Keep my version" in entries and "Take Late's version" in entries
    keep = next(a for a in menu.actions() if a.text() == "Keep my version")
    keep.trigger()
    assert store.get_post(local_id).sync_state == "pending"
    assert window.message_bar.kind == "info"
    # the notice that asked for a choice goes once nothing is in conflict any more
    assert not any("changed on Late" in m for m in window.message_bar.messages)
    await bridge.engine.run_once()
    await settle()
    post = store.get_post(local_id)
    assert post.sync_state == "synced"
    assert _late_post(server, post.late_id)["content"] == "Launch thread: my wording"
    menu = build_post_menu(window.commands, window.mirror.posts[local_id], window)
    assert "Keep my version" not in [a.text() for a in menu.actions()]


async def test_take_lates_version_drops_the_local_edit(window, bridge, store, server):
    local_id = await _conflict(window, bridge, store, server)
    take = window.actions_by_name["take_late"]
    assert not take.isEnabled()  # nothing selected: Post ▸ Changed on Late too offers nothing
    window.mirror.select(local_id)
    assert take.isEnabled() and window.actions_by_name["keep_mine"].isEnabled()
    take.trigger()
    assert not take.isEnabled()  # settled
    post = store.get_post(local_id)
    assert (post.content, post.sync_state) == ("Launch thread: Late's wording", "synced")
    assert window.mirror.posts[local_id].content == "Launch thread: Late's wording"  # the calendar shows it at once
    await bridge.engine.run_once()
    assert _late_post(server, post.late_id)["content"] == "Launch thread: Late's wording"
    assert not window.mirror.selected_in_conflict()
    before = window.message_bar.messages
    window.actions_by_name["take_late"].trigger()  # nothing left to settle: the choice does nothing
    assert window.message_bar.messages == before
    assert store.get_post(local_id).content == "Launch thread: Late's wording"


async def test_keeping_my_version_of_a_post_late_has_published_makes_it_a_new_draft(window, bridge, store, server):
    late_id = _create_on_sandbox(server, "Goes out in two minutes", minutes=2)
    await bridge.engine.run_once()
    local = store.get_by_late_id(late_id)
    from dataclasses import replace

    store.save_post(replace(local, content="Goes out in two minutes, with better words"))  # not sent yet
    server.advance(600)
    server.tick()  # meanwhile Late publishes it
    await bridge.engine.run_once()
    await settle()
    assert store.get_post(local.local_id).sync_state == "conflict"
    from latecal.ui.app.post_menu import build_post_menu

    menu = build_post_menu(window.commands, window.mirror.posts[local.local_id], window)
    entries = [a.text() for a in menu.actions()]
    assert "Keep mine as a new draft" in entries and "Keep my version" not in entries
    window.mirror.select(local.local_id)
    assert window.actions_by_name["keep_mine"].text() == "Keep mine as a new draft"  # Post ▸ says the same

    assert window.commands.resolve_conflict(local.local_id, "local")
    original = store.get_post(local.local_id)
    assert (original.status, original.content, original.sync_state) == (
        "published", "Goes out in two minutes", "synced")  # as Late has it: no update Late would refuse
    (copy,) = [p for p in store.unscheduled_drafts() if p.content == "Goes out in two minutes, with better words"]
    assert copy.status == "draft" and copy.late_id is None  # the edits live on, as a draft of their own
    assert window.message_bar.text == (
        "Late has already published “Goes out in two minutes”, so your version is now the new draft "
        "“Goes out in two minutes, with better wo…”; the post on Late stays as it is.")  # Late's words, then ours
    window.mirror.select(local.local_id)
    assert not window.actions_by_name["keep_mine"].isEnabled()
    report = await bridge.engine.run_once()
    assert not report.rejected and not report.conflicts
    assert _late_post(server, late_id)["status"] == "published"
    assert store.get_post(local.local_id).sync_state == "synced"


@pytest.mark.parametrize("keep", ["local", "remote"])
async def test_a_conflict_whose_post_late_then_deletes_offers_a_draft_or_deleting_it_here(
        window, bridge, store, server, keep):
    local_id = await _conflict(window, bridge, store, server)
    late_id = store.get_post(local_id).late_id
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.delete(f"/v1/posts/{late_id}").status_code == 200
    await bridge.engine.run_once()
    await settle()
    from latecal.core.status import DELETED_ON_LATE
    from latecal.ui.app.post_menu import build_post_menu

    assert store.get_record(local_id).conflict_remote.status == DELETED_ON_LATE
    entries = [a.text() for a in build_post_menu(window.commands, window.mirror.posts[local_id], window).actions()]
    assert "Keep mine as a new draft" in entries and "Delete it here too" in entries
    assert window.commands.resolve_conflict(local_id, keep)
    assert store.get_post(local_id) is None and local_id not in window.mirror.posts  # gone here too, either way
    copies = [p for p in store.unscheduled_drafts() + store.posts_between(*window.views.range_utc())
              if p.content == "Launch thread: my wording"]
    assert len(copies) == (1 if keep == "local" else 0)
    report = await bridge.engine.run_once()
    assert not report.conflicts and not report.rejected
    await settle()
    assert not any("changed on Late" in m for m in window.message_bar.messages)


async def test_undoing_a_delete_before_the_sync_sends_nothing_and_after_it_posts_it_again_once(
        window, bridge, store, server):
    late_id = _create_on_sandbox(server, "Webinar reminder", minutes=240)
    await bridge.engine.run_once()
    local = store.get_by_late_id(late_id)
    stamp = _late_post(server, late_id)["updatedAt"]
    undo = window.runner.undo_stack

    window.commands.delete_post(local.local_id)
    undo.undo()  # before the delete went out
    await bridge.engine.run_once()
    assert _late_post(server, late_id)["updatedAt"] == stamp  # Late saw neither a delete nor an update
    assert store.get_post(local.local_id).sync_state == "synced"

    undo.redo()
    await bridge.engine.run_once()
    assert late_id not in server.sandbox.state.posts  # this time the delete reached Late
    undo.undo()
    await bridge.engine.run_once()
    await settle()
    back = store.get_post(local.local_id)
    assert back.sync_state == "synced" and back.late_id not in (None, late_id)
    again = [p for p in server.sandbox.state.posts.values() if p["content"] == "Webinar reminder"]
    assert [p["_id"] for p in again] == [back.late_id]  # on Late once, under its new id, still ahead
    assert again[0]["status"] == "scheduled"
    assert local.local_id in window.views.month.scene.items_by_id


def _later(server, hours: float) -> datetime:
    return (server.sandbox.state.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def _publish_on_sandbox(server, late_id: str) -> None:
    """A teammate publishes the post on Late (not pulled yet)."""
    state = server.sandbox.state
    with state.lock:
        post = state.posts[late_id]
        post["status"] = "published"
        post["updatedAt"] = state.now_iso()
        for target in post["platforms"]:
            target["status"] = "published"


async def test_a_refused_later_edit_does_not_undo_a_move_late_accepted(window, bridge, store, server):
    late_id = _create_on_sandbox(server, "Launch day", minutes=24 * 60)
    await bridge.engine.run_once()
    local = store.get_by_late_id(late_id)
    moved_to = _later(server, 48)
    assert window.runner.move(local.local_id, moved_to)
    assert not (await bridge.engine.run_once()).rejected
    server.sandbox.state.accounts[ACCOUNTS["linkedin"]]["needsReconnection"] = True
    from dataclasses import replace

    store.save_post(replace(store.get_post(local.local_id), content="Launch day!"), initiator=object())  # editor
    report = await bridge.engine.run_once()
    assert local.local_id in report.rejected  # the account needs reconnecting: Late refuses the text edit…
    assert store.get_post(local.local_id).scheduled_for == moved_to  # …and the accepted move stays
    assert window.runner.undo_stack.count() == 1


async def test_a_refused_undo_leaves_the_move_before_it_alone(window, bridge, store, server):
    late_id = _create_on_sandbox(server, "Two moves", minutes=24 * 60)
    await bridge.engine.run_once()
    local_id = store.get_by_late_id(late_id).local_id
    first, second = _later(server, 30), _later(server, 36)
    assert window.runner.move(local_id, first)
    await bridge.engine.run_once()
    assert window.runner.move(local_id, second)
    await bridge.engine.run_once()
    _publish_on_sandbox(server, late_id)
    window.runner.undo_stack.undo()  # Ctrl+Z: back to the first move's time; Late refuses, it is published
    report = await bridge.engine.run_once(pull=False)
    assert local_id in report.rejected
    assert store.get_post(local_id).scheduled_for == first  # where the refused undo left it, not before that
    assert window.runner.undo_stack.index() == 1


async def test_undoing_scheduling_a_draft_that_has_since_published_is_refused(window, bridge, store, server):
    await bridge.engine.run_once()  # the accounts, which a drop validates against
    draft = store.save_post(Post(content="From the drafts tray", status="draft",
                                 targets=[Target("linkedin", ACCOUNTS["linkedin"])]))
    when = _later(server, 0.5)
    assert window.runner.schedule_drafts([draft.local_id], local_date(when, BERLIN), when)
    await bridge.engine.run_once()
    server.advance(40 * 60)
    server.tick()
    await bridge.engine.run_once()
    assert store.get_post(draft.local_id).status == "published"
    window.runner.undo_stack.undo()
    post = store.get_post(draft.local_id)
    assert (post.status, post.scheduled_for) == ("published", when)
    assert "cannot be changed: it has already been published" in window.message_bar.text
    assert draft.local_id not in window.drafts_tray.post_ids()
    assert store.outbox_entries(draft.local_id) == []


TYPED = "Correction: the price is 49 EUR, not 94 EUR"


@pytest.mark.parametrize("answer", ["save", "cancel"])
async def test_text_typed_while_late_publishes_the_post_is_kept(qtbot, window, bridge, store, server, answer):
    late_id = _create_on_sandbox(server, "Sale: 94 EUR", minutes=3)
    await bridge.engine.run_once()
    local_id = store.get_by_late_id(late_id).local_id
    editor = window.editors.open_post(local_id)
    asked = []
    editor.ask_unsaved = lambda e: asked.append(e.read_only) or answer
    editor.content_edit.setPlainText(TYPED)  # typing; the autosave timer has not fired yet
    server.advance(10 * 60)
    server.tick()
    await bridge.engine.run_once()  # meanwhile Late published it
    await settle()
    assert editor.read_only and editor.content_edit.toPlainText() == TYPED
    assert "Late has published this post while you were editing" in editor.banner.text()
    assert TYPED in store.load_autosaves()[local_id]  # kept across a crash as well
    editor.close()
    assert asked == [True]
    if answer == "cancel":
        assert editor.isVisible()
        return
    assert not editor.isVisible()
    (copy,) = store.unscheduled_drafts()
    assert (copy.content, copy.status, copy.late_id) == (TYPED, "draft", None)
    original = store.get_post(local_id)
    assert (original.content, original.status) == ("Sale: 94 EUR", "published")
    assert local_id not in store.load_autosaves()


async def test_undoing_at_once_the_delete_of_a_post_in_conflict_keeps_the_conflict(window, bridge, store, server):
    local_id = await _conflict(window, bridge, store, server)
    window.commands.delete_post(local_id)
    window.runner.undo_stack.undo()  # before any sync: the delete never left this computer
    record = store.get_record(local_id)
    assert record.post.sync_state == "conflict" and record.conflict_remote is not None
    assert not (await bridge.engine.run_once()).conflicts  # nothing sent until the user chooses


async def test_undoing_at_once_the_delete_of_a_post_whose_edit_late_refused_brings_it_back_as_it_was(
        window, bridge, store, server):
    late_id = _create_on_sandbox(server, "Flash sale", minutes=240)
    await bridge.engine.run_once()
    local = store.get_by_late_id(late_id)
    server.add_fault("status", status=400, route="PUT /v1/posts", count=1)
    from dataclasses import replace

    store.save_post(replace(local, content="Flash sale!!"))
    assert local.local_id in (await bridge.engine.run_once()).rejected  # its edit is parked, one attempt made
    window.commands.delete_post(local.local_id)
    window.runner.undo_stack.undo()
    back = store.get_post(local.local_id)
    assert (back.content, back.sync_state) == ("Flash sale!!", "rejected")
    assert "may already be deleted" not in window.message_bar.text
    await bridge.engine.run_once()
    assert late_id in server.sandbox.state.posts  # never deleted on Late


async def test_undo_after_the_delete_of_a_post_whose_time_passed_reached_late_brings_a_draft(
        window, bridge, store, server):
    now = server.sandbox.state.now()
    post = store.save_post(Post(content="Flash sale ends at noon", status="scheduled",
                                scheduled_for=(now + timedelta(minutes=2)).replace(microsecond=0),
                                targets=[Target("linkedin", ACCOUNTS["linkedin"])]))
    server.add_fault("drop", route="POST /v1/posts", processed=False)  # its create was tried, never arrived
    assert (await bridge.engine.run_once(pull=False)).offline
    server.clear_faults()
    window.commands.delete_post(post.local_id)
    server.advance(10 * 60)  # back online ten minutes later: its time has passed
    await bridge.engine.run_once()
    assert store.get_record(post.local_id) is None  # the delete went through
    window.runner.undo_stack.undo()
    (back,) = store.all_posts()
    assert (back.status, back.scheduled_for, back.late_id) == ("draft", None, None)
    assert back.idempotency_key != post.idempotency_key
    await bridge.engine.run_once()
    server.tick()
    assert [p["status"] for p in server.sandbox.state.posts.values()] == ["draft"]  # never published


async def test_a_refused_retry_leaves_the_move_late_took_in_the_same_sync(window, bridge, store, server):
    server.force_outcome(ACCOUNTS["linkedin"], "fail", count=1, errorMessage="Token expired")
    late_id = _create_on_sandbox(server, "Failed once", minutes=2)
    server.advance(10 * 60)
    server.tick()
    await bridge.engine.run_once()
    local = store.get_by_late_id(late_id)
    tomorrow = _later(server, 24)
    assert window.runner.move(local.local_id, tomorrow)  # a drag, then Retry before the sync ran
    window.commands.retry_post(local.local_id)
    server.add_fault("status", status=400, route=f"POST /v1/posts/{late_id}/retry", count=1)
    report = await bridge.engine.run_once()
    await settle()
    assert local.local_id in report.rejected  # the retry was refused, the move taken
    assert store.get_post(local.local_id).scheduled_for == tomorrow
    assert "refused moving" not in window.message_bar.text
    assert window.runner.undo_stack.count() == 1


async def test_ctrl_s_in_an_editor_whose_post_late_published_saves_one_new_draft(qtbot, window, bridge, store, server):
    late_id = _create_on_sandbox(server, "Sale: 94 EUR", minutes=3)
    await bridge.engine.run_once()
    local_id = store.get_by_late_id(late_id).local_id
    editor = window.editors.open_post(local_id)
    editor.content_edit.setPlainText(TYPED)
    server.advance(10 * 60)
    server.tick()
    await bridge.engine.run_once()  # Late publishes it meanwhile
    await settle()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    for _ in range(2):  # "did it save?"
        qtbot.keyClick(editor.content_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "saved as the new draft" in editor.banner.text()
    assert editor.content_edit.toPlainText() == "Sale: 94 EUR" and not editor.is_dirty()  # Late's post again
    asked = []
    editor.ask_unsaved = lambda e: asked.append(1) or "save"
    editor.close()
    assert asked == [] and [p.content for p in store.unscheduled_drafts()] == [TYPED]


async def test_retry_from_the_editor_never_republishes_the_unfixed_text_when_the_fix_is_not_on_late_yet(
        qtbot, window, bridge, store, server):
    server.force_outcome(ACCOUNTS["linkedin"], "fail", count=1, errorMessage="The link in the post is broken")
    late_id = _create_on_sandbox(server, "Sale: 94 EUR, see https://shop.example.com/brokn", minutes=2)
    server.advance(10 * 60)
    server.tick()
    await bridge.engine.run_once()
    local = store.get_by_late_id(late_id)
    assert local.status == "failed"

    editor = window.editors.open_post(local.local_id)
    editor.content_edit.setPlainText("Sale: 49 EUR, see https://shop.example.com/spring")  # the fix
    # Late's gateway has a bad minute for updates (503): the fix cannot reach Late in this sync
    server.add_fault("status", status=503, route="PUT /v1/posts")
    editor.retry()  # "Retry sends what is on screen": the fix is saved first, then the retry is queued
    await bridge.engine.run_once()
    await settle()
    remote = server.sandbox.state.posts[late_id]
    retries = {k: v for k, v in server.stats()["requests"].items() if k.endswith("/retry")}
    # the retry went out right behind the deferred update, so Late published the text the user had just fixed
    assert not (remote["status"] in ("published", "partial") and remote["content"].startswith("Sale: 94")), (
        f"Late published the unfixed post ({remote['status']}: {remote['content']!r}); requests: {retries}")
    assert not retries  # it waits…
    server.clear_faults()
    server.advance(10 * 60)  # past the update's back-off
    await bridge.engine.run_once()  # …until the fix is on Late: then both go, in order
    remote = server.sandbox.state.posts[late_id]
    assert remote["content"].startswith("Sale: 49") and remote["status"] != "failed"
    editor.close()


async def test_a_drag_reaches_late_with_nobody_asking_for_a_sync(window, bridge, store, server):
    """The window never calls sync for an edit: the running engine hears the store record it and pushes."""
    late_id = _create_on_sandbox(server, "Move me on Late", 120)
    await bridge.engine.run_once()
    post = store.get_by_late_id(late_id)
    bridge.start()  # the long-lived task, as the app runs it: it now waits for its next run
    await asyncio.sleep(0.05)
    new_time = post.scheduled_for + timedelta(days=1)
    assert window.runner.move(post.local_id, new_time)  # the drop's path; nothing else is called

    def on_late() -> str:
        with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
            return http.get(f"/v1/posts/{late_id}").json()["post"]["scheduledFor"]

    for _ in range(200):  # the idle cadence is a minute: only the store's wake-up can make it this soon
        # (and the engine has taken Late's answer: a run cut off mid-answer by the test's end breaks the loop)
        if datetime.fromisoformat(on_late().replace("Z", "+00:00")) == new_time and not bridge.engine.running:
            break
        await asyncio.sleep(0.05)
    else:
        pytest.fail(f"Late still has {on_late()}, not {new_time.isoformat()}")
    assert not store.outbox_entries(post.local_id)


async def test_an_editor_save_that_reached_late_is_undone_from_the_calendar(window, bridge, store, server):
    """Ctrl+Z after the save went to Late and Late's copy came back: the old text goes to Late in turn."""
    await bridge.engine.run_once()  # accounts and profiles
    when = server.sandbox.state.now() + timedelta(days=2)
    post = store.save_post(Post(content="The first words", scheduled_for=when, status="scheduled",
                                targets=[Target("twitter", ACCOUNTS["twitter"])]))
    await bridge.engine.run_once()
    late_id = store.get_post(post.local_id).late_id
    editor = window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("Better words")
    assert editor.save_in_place() is not None
    assert (await bridge.engine.run_once()).ok
    await bridge.engine.run_once()  # Late's copy of the edit is pulled back

    window.actions_by_name["undo"].trigger()
    assert store.get_post(post.local_id).content == "The first words", window.message_bar.messages
    assert editor.content_edit.toPlainText() == "The first words"
    assert (await bridge.engine.run_once()).ok
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.get(f"/v1/posts/{late_id}").json()["post"]["content"] == "The first words"
    editor.close()
