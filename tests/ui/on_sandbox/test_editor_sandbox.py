"""The editor end to end against the sandbox: a real LateClient, SyncEngine and SyncBridge over loopback HTTP.

Async tests on the session qasync loop: no qtbot.wait* in here (toolchain P2); conditions are polled with
``until``, queued work is delivered with ``settle``, and a slow Late is a sandbox hold, not a latency.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from editor_support import standalone_editor
from keyflow_helpers import until
from latecal.core.models import Post
from latecal.sandbox.media import _png
from latecal.ui.app.main_window import MainWindow
from latecal.ui.app.sync_bridge import SyncBridge
from latecal.ui.editor.media_uploader import MediaUploader
from latecal.ui.editor.window import PostEditor
from sandbox_support import ACCOUNTS, fresh, module_sandbox, sandbox_posts, seed_basic
from ui_support import BERLIN, settle

pytestmark = pytest.mark.asyncio


shared_server = module_sandbox(seed=11)  # its own seed, unlike the folder's conftest


@pytest.fixture
def server(shared_server):
    yield from fresh(shared_server, seed_basic)


def _soon(server, minutes: int = 5):
    return (server.sandbox.state.now() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def _editor(qtbot, store, server, client) -> PostEditor:
    editor = standalone_editor(store, Post(scheduled_for=_soon(server, 60)), is_new=True, zone=BERLIN,
                        clock=lambda: server.sandbox.state.now(), uploader=MediaUploader(client))
    editor.ask_unsaved = lambda _e: "discard"
    qtbot.addWidget(editor)
    editor.show()
    return editor


def _pngs(tmp_path, *names: str) -> list[str]:
    paths = []
    for n, name in enumerate(names):
        path = tmp_path / name
        path.write_bytes(_png(48 + n, 32, (30 * n, 120, 200)))
        paths.append(str(path))
    return paths


def _drop_files(widget, paths: list[str]) -> None:
    """What a file manager's drop delivers: QMimeData with file URLs, through the widget's drop handler."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(p) for p in paths])
    centre = QPointF(widget.rect().center())
    try:
        enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
    except TypeError:  # 6.11 only has the QPoint overload
        enter = QDragEnterEvent(QPoint(centre.toPoint()), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    assert drop.isAccepted()


def _media_puts(server) -> int:
    return sum(v for k, v in server.stats()["requests"].items() if k.startswith("PUT /media"))


async def test_compose_schedule_publish_and_the_calendar_recolours(qtbot, store, server, client, engine, tmp_path):
    clock = lambda: server.sandbox.state.now()  # noqa: E731
    window = MainWindow(store, zone=BERLIN, clock=clock, view="week")
    qtbot.addWidget(window)
    window.show()
    window.attach_sync(SyncBridge(engine, window))
    window.attach_uploader(MediaUploader(client))

    when = _soon(server, 5)
    window.commands.new_post_requested.emit(when)
    (editor,) = window.editors.editors.values()
    editor.ask_unsaved = lambda _e: "discard"
    for platform in ("twitter", "instagram"):
        editor.picker.checks[ACCOUNTS[platform]].setChecked(True)
    editor.content_edit.setPlainText("Spring collection is live")
    editor.revalidate()
    assert "Instagram needs at least one image or video." in editor.media.problems.messages
    (path,) = _pngs(tmp_path, "spring.png")
    editor.media.add_files([path])
    await until(lambda: editor.media.entries[0].state == "uploaded")
    editor.revalidate()
    assert editor.schedule_button.isEnabled(), editor.reasons_text()
    editor.schedule_button.click()

    report = await engine.run_once()
    assert report.pushed == 1 and not report.errors and not report.rejected
    local_id = editor.local_id
    item = window.views.week.scene.items_by_id[local_id]
    assert item.post.status == "scheduled" and item.post.late_id
    (remote,) = sandbox_posts(server)
    assert remote["content"] == "Spring collection is live"
    assert [m["url"] for m in remote["mediaItems"]] == [editor.media.entries[0].item.url]

    server.advance(600)
    server.tick()
    await engine.run_once()
    item = window.views.week.scene.items_by_id[local_id]
    assert item.post.status == "published"
    # the open, unchanged editor follows: read-only, with each platform's link
    assert editor.read_only and not editor.schedule_button.isEnabled()
    assert "Open the post" in editor.results.body.text()
    editor.close()
    window.close()


async def test_dropped_files_upload_with_progress_and_are_never_uploaded_twice(qtbot, store, server, client, engine,
                                                                            tmp_path):
    editor = _editor(qtbot, store, server, client)
    editor.picker.checks[ACCOUNTS["twitter"]].setChecked(True)
    editor.content_edit.setPlainText("Two photos")
    seen: list[tuple[int, int]] = []
    original = editor.media._on_progress
    editor.media._on_progress = lambda entry, sent, total: (seen.append((sent, total)), original(entry, sent, total))
    paths = _pngs(tmp_path, "a.png", "b.png")
    _drop_files(editor, paths)
    assert [e.name for e in editor.media.entries] == ["a.png", "b.png"]
    await until(lambda: all(e.state == "uploaded" for e in editor.media.entries))
    for entry, row in zip(editor.media.entries, editor.media.list.rows, strict=True):
        assert row.progress.value() == 100 and row.progress.isVisibleTo(editor)
        assert entry.item.url.startswith(server.origin + "/media/temp/")
        assert entry.item.local_path in paths and entry.sent == entry.total == entry.item.size
    assert seen[0][0] == 0 and (seen[-1][0] == seen[-1][1])
    assert _media_puts(server) == 2
    assert editor.media.list.rows[0].thumb.pixmap().width() == 64  # a real scaled thumbnail of the PNG

    saved = editor.save_draft()
    assert [m.local_path for m in saved.media] == paths and all(m.url for m in saved.media)
    editor.close()
    again = standalone_editor(store, store.get_post(saved.local_id), is_new=False, zone=BERLIN,
                       clock=lambda: server.sandbox.state.now(), uploader=MediaUploader(client))
    qtbot.addWidget(again)
    _drop_files(again, paths[:1])  # the same file again: already attached, not uploaded again
    await settle()
    assert [e.state for e in again.media.entries] == ["uploaded", "uploaded"] and _media_puts(server) == 2
    again.close()


async def test_cancelling_an_upload_marks_it_cancelled_and_stores_nothing(qtbot, store, server, client, engine,
                                                                       tmp_path):
    server.hold("PUT /media/upload")  # Late's storage is slow: the upload is still going when cancelled
    editor = _editor(qtbot, store, server, client)
    editor.picker.checks[ACCOUNTS["twitter"]].setChecked(True)
    editor.content_edit.setPlainText("Slow one")
    (entry,) = editor.media.add_files(_pngs(tmp_path, "slow.png"))
    await until(lambda: entry.state == "uploading")
    assert not editor.schedule_button.isEnabled()
    editor.revalidate()
    assert "slow.png is still uploading" in editor.reasons_text()
    row = editor.media.list.row_for(entry)
    assert row.cancel.isVisibleTo(editor)
    row.cancel.click()
    await until(lambda: entry.task is None)
    assert entry.state == "cancelled" and entry.item.url == ""
    assert "Upload cancelled" in row.status.text() and row.retry.isVisibleTo(editor)
    assert "The upload of slow.png was cancelled" in editor.reasons_text()
    assert not editor.schedule_button.isEnabled()
    saved = editor.save_draft()
    assert [m.url for m in store.get_post(saved.local_id).media] == [""]  # no URL stored for it
    editor.close()


async def test_a_failed_upload_is_shown_blocks_scheduling_and_can_be_retried(qtbot, store, server, client, engine,
                                                                          tmp_path):
    rule = server.add_fault("status", route="PUT /media/upload", status=500)
    editor = _editor(qtbot, store, server, client)
    editor.picker.checks[ACCOUNTS["linkedin"]].setChecked(True)
    editor.content_edit.setPlainText("Will fail first")
    (entry,) = editor.media.add_files(_pngs(tmp_path, "broken.png"))
    await until(lambda: entry.task is None)
    row = editor.media.list.row_for(entry)
    assert entry.state == "failed" and "HTTP 500" in row.status.text()
    assert not editor.schedule_button.isEnabled() and "broken.png did not upload" in editor.reasons_text()

    server.sandbox.faults.remove(rule["id"])
    row.retry.click()
    await until(lambda: entry.state == "uploaded")
    editor.revalidate()
    assert editor.schedule_button.isEnabled(), editor.reasons_text()
    editor.close()


async def test_files_too_big_or_of_the_wrong_type_are_refused_before_any_upload(qtbot, store, server, client, engine,
                                                                             tmp_path):
    editor = _editor(qtbot, store, server, client)
    editor.picker.checks[ACCOUNTS["twitter"]].setChecked(True)  # X: images up to 5 MB
    big = tmp_path / "huge.png"
    big.write_bytes(_png(8, 8, (1, 2, 3)) + b"\0" * (5 * 1024 * 1024 + 10))
    notes = tmp_path / "notes.txt"
    notes.write_text("not media")
    server.reset_stats()
    assert editor.media.add_files([str(big), str(notes)]) == []
    messages = " ".join(editor.media.problems.messages)
    assert "huge.png was not added: X accepts images up to 5 MB" in messages
    assert "notes.txt was not added" in messages and "which Late does not accept" in messages
    assert _media_puts(server) == 0 and not any(k.startswith("POST /v1/media") for k in server.stats()["requests"])
    editor.close()
