"""Renders the editor in the states the README shows and checks each picture: its size, its texts, nothing cut
off, the conflict colour where it must be. Pictures go to tmp_path only; tests/readme_screenshots.py (run by
scripts/screenshots.sh) writes the same scenes into docs/screenshots on purpose."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from editor_support import standalone_editor
from latecal.core.models import Account, MediaItem, Post, Profile, Target
from latecal.sandbox.media import _png
from latecal.ui.editor.window import PostEditor
from picture_checks import assert_picture, colour_at, grab
from ui_support import BERLIN, NOW, at, flush_events, make_post

SIZE = (760, 940)


def seed_accounts(store):
    store.replace_profiles([
        Profile("p-acme", "Acme Coffee", "#d62828", "Europe/Berlin", is_default=True),
        Profile("p-nw", "Northwind", "#2a9d8f", "America/New_York"),
    ])
    store.replace_accounts([
        Account("x1", "twitter", "p-acme", username="acmecoffee", display_name="Acme Coffee"),
        Account("ig1", "instagram", "p-acme", username="acme.coffee"),
        Account("li1", "linkedin", "p-acme", display_name="Acme Coffee GmbH"),
        Account("th1", "threads", "p-acme", username="acme.coffee", needs_reconnection=True),
        Account("fb1", "facebook", "p-nw", display_name="Northwind Trading"),
    ])
    return store


@pytest.fixture
def seeded(store):
    return seed_accounts(store)


# -- the scenes (also used by tests/readme_screenshots.py) ----------------------------------------------------


def empty_editor(store, tmp: Path) -> PostEditor:
    return standalone_editor(store, Post(scheduled_for=at(NOW.date(), 15)), is_new=True, zone=BERLIN, clock=lambda: NOW)


def media_editor(store, tmp: Path) -> PostEditor:
    files = []
    for n, colour in enumerate(((200, 90, 40), (40, 120, 200))):
        path = tmp / f"latte-art-{n + 1}.png"
        path.write_bytes(_png(160, 120, colour))
        files.append(MediaItem("image", url=f"https://media.zernio.com/temp/{n}.png", filename=path.name,
                               mime_type="image/png", size=path.stat().st_size, local_path=str(path),
                               alt_text="Latte art in a white cup" if n == 0 else ""))
    post = make_post(
        "Our spring blend is here: bright, floral, a little cheeky. Come taste it this weekend at every Acme shop. "
        "https://acme.example/spring",
        at(NOW.date(), 15), status="draft", title="Spring blend launch", hashtags=["#coffee", "#spring"],
        targets=[Target("twitter", "x1", custom_content="Spring blend is here ☕ https://acme.example/spring"),
                 Target("instagram", "ig1"), Target("linkedin", "li1")],
        media=files,
    )
    saved = store.save_post(post)
    return standalone_editor(store, saved, is_new=False, zone=BERLIN, clock=lambda: NOW)


def errors_editor(store, tmp: Path) -> PostEditor:
    bad = tmp / "menu.png"
    bad.write_bytes(_png(64, 64, (90, 90, 90)))
    post = make_post("x" * 300, at(NOW.date(), 8), status="draft",
                     targets=[Target("twitter", "x1"), Target("instagram", "ig1"), Target("threads", "th1")])
    saved = store.save_post(post)
    editor = standalone_editor(store, saved, is_new=False, zone=BERLIN, clock=lambda: NOW)  # no uploader: not connected
    editor.media.add_files([str(bad)])
    return editor


def conflict_editor(store, tmp: Path, late_status: str = "scheduled") -> PostEditor:
    post = store.save_post(make_post("Our spring blend is here: bright, floral, a little cheeky.", at(NOW.date(), 17),
                                     title="Spring blend", targets=[Target("twitter", "x1")]))
    (entry,) = store.pending_entries(NOW + timedelta(days=400))
    store.finish_push(store.begin_push(entry), late_id="late-1")
    synced = store.get_post(post.local_id)
    store.save_post(replace(synced, content="Our spring blend is here: bright, floral and a little cheeky. "
                                            "Taste it this weekend!"))
    store.mark_conflict(post.local_id, replace(
        synced, content="Spring blend launch moved: the tasting now opens on Thursday at every Acme shop, with free "
                        "refills for members. Bring a friend!",
        scheduled_for=at(NOW.date(), 18, 30), targets=[Target("twitter", "x1"), Target("linkedin", "li1")],
        status=late_status, remote_updated_at=NOW - timedelta(minutes=42)), "changed on Late")
    return standalone_editor(store, store.get_post(post.local_id), is_new=False, zone=BERLIN, clock=lambda: NOW,
                      conflict_handler=lambda _id, _keep: True)


SCENES = {
    "editor-empty.png": empty_editor,
    "editor-media.png": media_editor,
    "editor-errors.png": errors_editor,
    "editor-conflict.png": conflict_editor,
    "editor-conflict-published.png": lambda store, tmp: conflict_editor(store, tmp, "published"),
}


def render(editor: PostEditor):
    """Show the editor at the README's size, validated, and grab it."""
    editor.resize(*SIZE)
    editor.show()
    editor.revalidate()
    flush_events()
    return grab(editor)


def _shoot(qtbot, editor: PostEditor, name: str, tmp_path, texts: list[str]):
    editor.ask_unsaved = lambda _e: "discard"  # a failed check must not leave a modal question at teardown
    qtbot.addWidget(editor)
    editor.resize(*SIZE)
    editor.show()
    qtbot.waitExposed(editor)
    image = render(editor)
    assert_picture(editor, image, texts=texts)
    assert image.save(str(tmp_path / name))
    return image


def _close(editor: PostEditor) -> None:
    editor.close()


def test_editor_empty(qtbot, seeded, tmp_path):
    editor = empty_editor(seeded, tmp_path)
    _shoot(qtbot, editor, "editor-empty.png", tmp_path,
           ["Acme Coffee", "Northwind", "Save draft", "Schedule", "Add images or videos…"])
    assert editor.content_edit.toPlainText() == "" and not editor.schedule_button.isEnabled()
    _close(editor)


def test_editor_with_media(qtbot, seeded, tmp_path):
    editor = media_editor(seeded, tmp_path)
    _shoot(qtbot, editor, "editor-media.png", tmp_path,
           ["Spring blend launch", "Our spring blend is here", "#coffee #spring"])
    rows = editor.media.list.rows
    assert len(rows) == 2 and all(row.isVisibleTo(editor) for row in rows)
    assert all(row.thumb.pixmap().width() > 0 for row in rows)  # real thumbnails, not empty boxes
    _close(editor)


def test_editor_with_errors(qtbot, seeded, tmp_path):
    editor = errors_editor(seeded, tmp_path)
    _shoot(qtbot, editor, "editor-errors.png", tmp_path, ["problems"])
    reasons = editor.reasons
    assert reasons.isVisibleTo(editor) and reasons.messages
    assert f"{len(reasons.messages)} problems" in reasons.heading.text()
    assert not editor.schedule_button.isEnabled()
    _close(editor)


@pytest.mark.parametrize(("late_status", "name"), [("scheduled", "editor-conflict.png"),
                                                   ("published", "editor-conflict-published.png")])
def test_editor_in_conflict(qtbot, seeded, tmp_path, late_status, name):
    editor = conflict_editor(seeded, tmp_path, late_status)
    image = _shoot(qtbot, editor, name, tmp_path, ["changed on Late", "Spring blend launch moved"])
    banner = editor.conflict_banner
    assert banner.isVisibleTo(editor)
    # the banner's left edge is the conflict colour, its inside the conflict tint
    assert colour_at(image, editor, banner, QPoint(1, banner.height() // 2)) == "#e07b00"
    assert colour_at(image, editor, banner, QPoint(banner.width() - 3, 2)) in ("#fff1e0", "#42301a")
    _close(editor)
