"""A social media manager's day when the network misbehaves, seen from the window: rate limits, uploads that
fail offline, files gone from disk, and what the window and the tray say about them.

Real widgets (pytest-qt offscreen), a real SQLite file, the sandbox over uvicorn on 127.0.0.1, a real
LateClient + SyncEngine + SyncBridge. Async tests on the session qasync loop: conditions are polled with
``until`` and queued work is delivered with ``settle`` (no qtbot waits, toolchain P2).
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from keyflow_helpers import until
from latecal.core.calendar_geometry import local_date
from latecal.core.models import Post, Target
from latecal.sandbox.media import _png
from latecal.ui.app.tray import StatusNotifier
from latecal.ui.editor.media_uploader import MediaUploader
from sandbox_support import ACCOUNTS, sandbox_posts
from ui_support import BERLIN, at, make_post, settle

pytestmark = pytest.mark.asyncio


def _png_file(tmp_path, name: str = "shop.png") -> str:
    path = tmp_path / name
    path.write_bytes(_png(40, 30, (200, 80, 40)))
    return str(path)


def _new_editor(window):
    editor = window.editors.new_post(None)
    editor.ask_unsaved = lambda _e: "discard"
    return editor


async def _attach_while_offline(window, server, tmp_path, text: str):
    """A new post for X with a photo attached while Late cannot be reached: the upload fails."""
    editor = _new_editor(window)
    editor.picker.checks[ACCOUNTS["twitter"]].setChecked(True)
    editor.content_edit.setPlainText(text)
    server.stop()
    (entry,) = editor.media.add_files([_png_file(tmp_path)])
    await until(lambda: entry.task is None)
    assert entry.state == "failed"
    return editor, entry


# --------------------------------------------------------------------------------------------------------
# 1. A photo that never uploaded is silently left out when the draft is scheduled from the drafts tray.


async def test_a_draft_whose_photo_never_uploaded_is_not_scheduled_without_it(window, bridge, store, server,
                                                                              tmp_path):
    await bridge.engine.run_once()
    editor, _entry = await _attach_while_offline(window, server, tmp_path, "Our new shop opens today")
    draft = editor.save_draft()  # allowed: a draft may keep a failed upload
    editor.close()
    server.start()  # back online
    await bridge.engine.run_once()
    assert store.get_post(draft.local_id).media[0].filename == "shop.png"  # the photo is still attached here

    friday = local_date(server.sandbox.state.now(), BERLIN) + timedelta(days=2)
    window.runner.schedule_drafts([draft.local_id], friday, None)  # dragged from the drafts tray onto a day
    await bridge.engine.run_once()
    await settle()

    scheduled_on_late = [p for p in sandbox_posts(server) if p["status"] == "scheduled"]
    # never a scheduled post that will publish as text only, without a word to the user
    assert all(p["mediaItems"] for p in scheduled_on_late), (
        f"scheduled on Late without its photo: {scheduled_on_late}; messages: {window.message_bar.messages}")
    assert store.get_post(draft.local_id).status == "draft"
    assert any("shop.png has not been uploaded to Late yet" in m for m in window.message_bar.messages)


async def test_a_post_with_a_file_never_uploaded_is_held_back_not_sent_without_it(window, bridge, store, server):
    """Whatever path scheduled it: the sync sends no scheduled post that would publish without a file."""
    from latecal.core.models import MediaItem

    await bridge.engine.run_once()
    due = server.sandbox.state.now() + timedelta(days=1)
    post = store.save_post(Post(content="Our new shop", scheduled_for=due, status="scheduled",
                                targets=[Target("twitter", ACCOUNTS["twitter"])],
                                media=[MediaItem("image", filename="shop.png", mime_type="image/png", size=10)]))
    before = len(sandbox_posts(server))
    report = await bridge.engine.run_once()
    await settle()
    assert len(sandbox_posts(server)) == before
    assert "shop.png was never uploaded to Late" in report.rejected[post.local_id]
    assert store.get_post(post.local_id).sync_state == "rejected"
    assert any("shop.png was never uploaded to Late" in m for m in window.message_bar.messages)


# --------------------------------------------------------------------------------------------------------
# 2. A first sync that Late refuses (429) makes the toolbar say "Synced just now".


async def test_a_sync_refused_with_429_does_not_claim_synced_just_now(window, bridge, store, server):
    assert window.toolbar.last_synced_label.text() == "Not synced yet"
    server.add_fault("rate_limit", route="GET /v1/posts", retryAfter=600)
    report = await bridge.engine.run_once()
    await settle()
    assert not report.complete and report.inspected == 0  # nothing was read from Late
    assert window.toolbar.last_synced_label.text() == "⚠ Not synced", (  # and it says that a run did not finish
        f"toolbar says {window.toolbar.last_synced_label.text()!r} after a sync Late refused")


# --------------------------------------------------------------------------------------------------------
# 3. What stopped a run is said once, and taken back by the next run that works.


async def test_a_rate_limit_is_said_with_its_time_and_goes_away_once_syncing_works_again(window, bridge, store,
                                                                                         server):
    await bridge.engine.run_once()
    rule = server.add_fault("rate_limit", route="GET /v1/posts", retryAfter=600)
    await bridge.engine.run_once()
    await settle()
    (said,) = [m for m in window.message_bar.messages if "Late asked to wait" in m]
    back_at = server.sandbox.state.now() + timedelta(seconds=600)
    assert _says_wait_until(said, back_at)
    server.sandbox.faults.remove(rule["id"])
    report = await bridge.engine.run_once()  # e.g. the user pressed Sync
    await settle()
    assert report.ok
    assert not any("Late asked to wait" in m for m in window.message_bar.messages), window.message_bar.messages


async def test_a_sync_error_goes_away_once_syncing_works_again(window, bridge, store, server):
    await bridge.engine.run_once()
    rule = server.add_fault("status", route="GET /v1/posts", status=400)
    await bridge.engine.run_once()
    await bridge.engine.run_once()  # the same error again: still one message
    await settle()
    assert len([m for m in window.message_bar.messages if m.startswith("Sync: Could not read Late's posts")]) == 1
    server.sandbox.faults.remove(rule["id"])
    assert (await bridge.engine.run_once()).ok
    await settle()
    assert not any(m.startswith("Sync:") for m in window.message_bar.messages), window.message_bar.messages


# --------------------------------------------------------------------------------------------------------
# 4. An edit held back by a rate limit is invisible: no message, "Synced just now", the editor says "sending…".


async def test_an_edit_held_back_by_a_rate_limit_is_explained(window, bridge, store, server):
    await bridge.engine.run_once()
    server.add_fault("rate_limit", route="POST /v1/posts", retryAfter=600)
    editor = _new_editor(window)
    editor.picker.checks[ACCOUNTS["twitter"]].setChecked(True)
    editor.content_edit.setPlainText("Flash sale starts at noon")
    editor.when.set_wall_time(local_date(server.sandbox.state.now(), BERLIN) + timedelta(days=1),
                         time(12, 0))
    editor.revalidate()
    assert editor.schedule_button.isEnabled(), editor.reasons_text()
    saved = editor.schedule()
    report = await bridge.engine.run_once()
    await settle()
    assert report.pushed == 0 and store.get_post(saved.local_id).sync_state == "pending"  # held for 10 minutes

    back = server.sandbox.state.now() + timedelta(seconds=600)
    back_at = f"{back.astimezone(BERLIN):%H:%M}"
    assert any(_says_wait_until(m, back) and "(too many requests in a short time)" in m
               for m in window.message_bar.messages), window.message_bar.messages
    line = editor.status_line.text()
    assert "Not sent to Late yet:" in line and f"The app tries again at {back_at}." in line, line
    editor.close()


# --------------------------------------------------------------------------------------------------------
# 5. After a 429 with Retry-After: 600 on the listing, the engine asks Late again within a minute.


async def test_the_calendar_waits_as_long_as_late_asks_after_a_429(window, bridge, store, server):
    await bridge.engine.run_once()
    server.add_fault("rate_limit", route="GET /v1/posts", retryAfter=600, count=1)
    report = await bridge.engine.run_once()
    assert report.rate_limited_until is not None and not report.complete  # refused
    assert bridge.engine.next_interval() >= 600 * 0.9, (
        f"next sync in {bridge.engine.next_interval()} s although Late said Retry-After: 600")
    bridge.engine._wake.clear()  # (what run_forever does when it starts waiting)
    stop_following = bridge.engine._follow_store()  # (what run_forever does while it runs)
    try:
        edited = store.save_post(make_post("Edited while Late limits us", at(local_date(server.sandbox.state.now(),
                                                                                   BERLIN) + timedelta(days=2), 10)))
        assert store.outbox_entries(edited.local_id)  # an edit asks for a run: it waits for the limit too
        assert not bridge.engine._wake.is_set()
    finally:
        stop_following()
    # Sync before that time: nothing is asked of Late (it said when), and the press is answered with the time
    window.message_bar.withdraw("rate-limit")
    window.request_sync()
    assert not bridge.engine._wake.is_set()
    assert any(_says_wait_until(m, report.rate_limited_until) for m in window.message_bar.messages), (
        window.message_bar.messages)
    server.advance(601)  # Late's time has come: the Sync button runs again
    window.request_sync()
    assert bridge.engine._wake.is_set()
    assert (await bridge.engine.run_once()).ok
    assert bridge.engine.next_interval() <= 60


# --------------------------------------------------------------------------------------------------------
# 6. An upload that failed because Late was unreachable stays failed once Late is back.


async def test_an_upload_that_failed_offline_resumes_when_late_is_back(window, bridge, store, server, tmp_path):
    await bridge.engine.run_once()
    editor, entry = await _attach_while_offline(window, server, tmp_path, "Photo of the shop")
    server.start()
    report = await bridge.engine.run_once()  # the toolbar is back online by itself...
    assert not report.offline and window.toolbar.offline_label.isHidden()
    try:
        await until(lambda: entry.state == "uploaded", 5)  # ...the upload should be too
    except AssertionError:
        pytest.fail(f"upload still {entry.state!r} after Late came back: "
                    f"{editor.media.list.row_for(entry).status.text()!r}")
    finally:
        editor.close()


# --------------------------------------------------------------------------------------------------------
# 7./8. Upload failures are worded for engineers (HTTP verb, API path, exception class, errno).


async def test_an_upload_while_offline_says_so_in_plain_words(window, bridge, store, server, tmp_path):
    await bridge.engine.run_once()
    editor, entry = await _attach_while_offline(window, server, tmp_path, "Photo of the shop")
    server.start()
    shown = editor.media.list.row_for(entry).status.text() + " " + editor.reasons_text()
    editor.close()
    for jargon in ("ConnectError", "/v1/media/presign", "POST ", "All connection attempts failed"):
        assert jargon not in shown, f"the user reads {shown!r}"
    assert "Late cannot be reached. It uploads by itself when the connection is back." in shown


async def test_a_file_deleted_before_its_upload_says_so_in_plain_words(window, store, server, client, tmp_path):
    editor = _new_editor(window)  # not connected yet (as at start-up, before the key is read)
    editor.content_edit.setPlainText("Team photo")
    path = _png_file(tmp_path, "team.png")
    (entry,) = editor.media.add_files([path])
    assert entry.state == "failed"  # "not connected yet: … then retry"
    (tmp_path / "team.png").unlink()  # tidied away in the file manager meanwhile
    window.attach_uploader(MediaUploader(client))  # connected: waiting uploads start
    await until(lambda: entry.task is None and entry.state != "waiting")
    editor.revalidate()
    shown = editor.media.list.row_for(entry).status.text() + " " + editor.reasons_text()
    editor.close()
    assert entry.state == "failed"
    assert "Errno" not in shown and "No such file or directory:" not in shown, f"the user reads {shown!r}"
    assert "team.png did not upload: the file is no longer on disk (moved or deleted)." in shown


# --------------------------------------------------------------------------------------------------------
# 9. A notice about posts that published and posts that failed says which is which.


async def test_a_mixed_notice_says_which_post_failed(window, bridge, store, server):
    notifier = StatusNotifier(window, tray_available=False)
    notifier.attach(bridge)
    due = (server.sandbox.state.now() + timedelta(minutes=3)).replace(second=0, microsecond=0)
    store.save_post(Post(content="Spring sale is live", scheduled_for=due, status="scheduled",
                         targets=[Target("twitter", ACCOUNTS["twitter"])]))
    server.force_outcome(ACCOUNTS["linkedin"], "fail")
    store.save_post(Post(content="Hiring: community manager", scheduled_for=due, status="scheduled",
                         targets=[Target("linkedin", ACCOUNTS["linkedin"])]))
    await bridge.engine.run_once()
    server.advance(900)
    server.tick()
    await bridge.engine.run_once()
    await settle()
    notice = notifier.last_notice
    assert notice is not None and notice.title == "1 post failed, 1 published"
    assert notice.body == "Failed: “Hiring: community manager”. Published: “Spring sale is live”."


def _says_wait_until(message: str, until) -> bool:
    """The rate-limit sentence with Late's time in Berlin (after "Tue 08 Dec " when that is not today: near
    midnight the ten minutes cross into tomorrow)."""
    _head, found, rest = message.partition("Late asked to wait until ")
    return bool(found) and f"{until.astimezone(BERLIN):%H:%M}" in rest.split(" (")[0]
