"""No empty posts on Late (issue 19, item 2), over loopback against the sandbox: an untouched new post saved as a
draft keeps nothing and says so; a title alone is not a draft Late keeps; media alone is (seed 002); and a row
without content from an older version is refused before it is sent.

Async tests on the session qasync loop: no qtbot.wait* in here (toolchain P2).
"""

from __future__ import annotations

import pytest

from keyflow_helpers import until
from latecal.core.models import Post, Target
from latecal.core.validation import NOTHING_TO_SAVE
from latecal.sandbox.media import _png
from latecal.ui.app.main_window import MainWindow
from latecal.ui.app.sync_bridge import SyncBridge
from latecal.ui.editor.media_uploader import MediaUploader
from sandbox_support import ACCOUNTS, sandbox_posts
from ui_support import BERLIN

pytestmark = pytest.mark.asyncio


def _post_requests(server) -> int:
    return sum(v for k, v in server.stats()["requests"].items() if k.startswith(("POST /v1/posts", "PUT /v1/posts")))


def _new_post_editor(qtbot, store, server, client, engine):
    """N in a calendar window on the sandbox: the new post's editor."""
    window = MainWindow(store, zone=BERLIN, clock=lambda: server.sandbox.state.now(), view="week")
    qtbot.addWidget(window)
    window.show()
    window.attach_sync(SyncBridge(engine, window))
    window.attach_uploader(MediaUploader(client))
    window.commands.new_post()  # what N does
    (editor,) = window.editors.editors.values()
    editor.ask_unsaved = lambda _e: "discard"
    return window, editor


async def test_save_draft_on_an_untouched_new_post_keeps_nothing_and_sends_nothing(qtbot, store, server, client,
                                                                                   engine):
    before = len(sandbox_posts(server))
    window, editor = _new_post_editor(qtbot, store, server, client, engine)
    assert editor.save_draft_button.isEnabled()  # a click says why nothing is kept
    editor.save_draft_button.click()
    assert editor.status_line.text() == NOTHING_TO_SAVE
    assert editor.isVisible() and editor.is_new
    assert store.all_posts() == []
    requests_before = _post_requests(server)
    report = await engine.run_once()
    assert not report.rejected and report.pushed == 0
    assert _post_requests(server) == requests_before and len(sandbox_posts(server)) == before
    editor.content_edit.setPlainText("An idea")  # typing clears the refusal: it no longer holds
    assert editor.status_line.text() == ""
    editor.close()  # answered "discard"
    assert not editor.isVisible()
    window.close()


async def test_a_title_alone_is_refused_and_media_alone_goes_to_late_as_a_draft(qtbot, store, server, client,
                                                                               engine, tmp_path):
    window, editor = _new_post_editor(qtbot, store, server, client, engine)
    editor.picker.checks[ACCOUNTS["twitter"]].setChecked(True)
    editor.title_edit.setText("Launch")
    editor.title_edit.textEdited.emit("Launch")
    editor.save_draft_button.click()
    assert "text or media" in editor.status_line.text()
    assert store.all_posts() == []

    path = tmp_path / "launch.png"
    path.write_bytes(_png(48, 32, (30, 120, 200)))
    editor.media.add_files([str(path)])
    await until(lambda: editor.media.entries[0].state == "uploaded")
    saved = editor.save_draft()
    assert saved is not None and saved.content == "" and len(saved.media) == 1
    report = await engine.run_once()
    assert report.pushed == 1 and not report.rejected, report.rejected
    (on_late,) = [p for p in sandbox_posts(server) if p["_id"] == store.get_post(saved.local_id).late_id]
    assert on_late["status"] == "draft" and on_late["content"] == "" and len(on_late["mediaItems"]) == 1
    editor.close()
    window.close()


async def test_a_stored_post_without_content_from_an_older_version_is_never_sent(store, server, engine):
    old = store.save_post(Post(status="draft", targets=[Target("twitter", ACCOUNTS["twitter"])]))
    requests_before = _post_requests(server)
    report = await engine.run_once()
    assert report.rejected == {old.local_id: NOTHING_TO_SAVE}
    assert _post_requests(server) == requests_before
    assert store.get_post(old.local_id).sync_state == "rejected" and store.get_post(old.local_id).late_id is None


async def test_closing_an_untouched_new_post_just_closes(qtbot, store, server, client, engine):
    window, editor = _new_post_editor(qtbot, store, server, client, engine)
    asked = []
    editor.ask_unsaved = lambda e: asked.append(e) or "cancel"
    editor.close()
    assert not editor.isVisible() and asked == []
    assert store.all_posts() == [] and not window.editors.editors
    window.close()
