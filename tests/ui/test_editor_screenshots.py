"""Renders the editor in several states; with LATECAL_SCREENSHOTS=1 they are written to docs/screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from editor_support import standalone_editor
from latecal.core.models import Account, MediaItem, Post, Profile, Target
from latecal.sandbox.media import _png
from latecal.ui.editor.window import PostEditor
from ui_support import BERLIN, NOW, at, make_post

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def seeded(store):
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


def _shoot(qtbot, editor: PostEditor, name: str, tmp_path) -> None:
    qtbot.addWidget(editor)
    editor.resize(760, 940)
    editor.show()
    qtbot.waitExposed(editor)
    editor.revalidate()
    qtbot.wait(20)
    target = DOCS if os.environ.get("LATECAL_SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    image = editor.grab()
    assert not image.isNull() and image.save(str(target / name))
    editor.ask_unsaved = lambda _e: "discard"
    editor.close()


def test_editor_empty(qtbot, seeded, tmp_path):
    editor = standalone_editor(seeded, Post(scheduled_for=at(NOW.date(), 15)), is_new=True, zone=BERLIN,
                               clock=lambda: NOW)
    _shoot(qtbot, editor, "editor-empty.png", tmp_path)


def test_editor_with_media(qtbot, seeded, tmp_path):
    files = []
    for n, colour in enumerate(((200, 90, 40), (40, 120, 200))):
        path = tmp_path / f"latte-art-{n + 1}.png"
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
    saved = seeded.save_post(post)
    editor = standalone_editor(seeded, saved, is_new=False, zone=BERLIN, clock=lambda: NOW)
    _shoot(qtbot, editor, "editor-media.png", tmp_path)


def test_editor_with_errors(qtbot, seeded, tmp_path):
    bad = tmp_path / "menu.png"
    bad.write_bytes(_png(64, 64, (90, 90, 90)))
    post = make_post("x" * 300, at(NOW.date(), 8), status="draft",
                     targets=[Target("twitter", "x1"), Target("instagram", "ig1"), Target("threads", "th1")])
    saved = seeded.save_post(post)
    # no uploader: not connected
    editor = standalone_editor(seeded, saved, is_new=False, zone=BERLIN, clock=lambda: NOW)
    editor.media.add_files([str(bad)])
    _shoot(qtbot, editor, "editor-errors.png", tmp_path)


@pytest.mark.parametrize(("late_status", "name"), [("scheduled", "editor-conflict.png"),
                                                   ("published", "editor-conflict-published.png")])
def test_editor_in_conflict(qtbot, seeded, tmp_path, late_status, name):
    from dataclasses import replace
    from datetime import timedelta

    post = seeded.save_post(make_post("Our spring blend is here: bright, floral, a little cheeky.", at(NOW.date(), 17),
                                      title="Spring blend", targets=[Target("twitter", "x1")]))
    (entry,) = seeded.pending_entries(NOW + timedelta(days=400))
    seeded.finish_push(seeded.begin_push(entry), late_id="late-1")
    synced = seeded.get_post(post.local_id)
    seeded.save_post(replace(synced, content="Our spring blend is here: bright, floral and a little cheeky. "
                                             "Taste it this weekend!"))
    seeded.mark_conflict(post.local_id, replace(
        synced, content="Spring blend launch moved: the tasting now opens on Thursday at every Acme shop, with free "
                        "refills for members. Bring a friend!",
        scheduled_for=at(NOW.date(), 18, 30), targets=[Target("twitter", "x1"), Target("linkedin", "li1")],
        status=late_status, remote_updated_at=NOW - timedelta(minutes=42)), "changed on Late")
    editor = standalone_editor(seeded, seeded.get_post(post.local_id), is_new=False, zone=BERLIN, clock=lambda: NOW,
                        conflict_handler=lambda _id, _keep: True)
    _shoot(qtbot, editor, name, tmp_path)
