"""The post editor against Late's rules (late-api.md §2, §3.3, §8): what it lets through, Late accepts, and the
other way round; a repeated hour, failed posts, alt text, titles and duplicates.

Real widgets offscreen, a real SQLite store (tests/ui/conftest.py), and a real sandbox over loopback where Late's
answer matters (``SandboxServer`` + httpx).
"""

from __future__ import annotations

import os
import struct
import zlib
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from editor_support import WED, X, close_quietly, standalone_editor, tick
from latecal.core.models import Account, MediaItem, Post, Profile, Target
from latecal.core.validation import validate_post
from latecal.sandbox.runner import SandboxServer
from ui_support import BERLIN, NOW, at, make_post

# -- helpers -----------------------------------------------------------------------------------------------


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def write_png(path, width: int, height: int, *, noise: bool = False) -> str:
    """A valid RGB PNG; ``noise`` makes it incompressible (about 3 bytes per pixel on disk)."""
    row_len = width * 3
    if noise:
        raw = b"".join(b"\x00" + os.urandom(row_len) for _ in range(height))
        data = zlib.compress(raw, 0)
    else:
        raw = b"".join(b"\x00" + bytes([(x * 7) % 256 for x in range(row_len)]) for _ in range(height))
        data = zlib.compress(raw)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b""))
    return str(path)


def uploaded_image(name: str = "photo.jpg", **kw) -> MediaItem:
    return MediaItem(type="image", url=f"https://media.example.com/{name}", filename=name, mime_type="image/jpeg",
                     size=kw.pop("size", 200_000), **kw)


# -- 1. time: the repeated hour of a DST fall-back night ------------------------------------------------------


def test_editing_the_text_of_a_post_in_the_repeated_hour_does_not_move_it(qtbot, editor_window, store):
    """31 Oct 2027, Berlin: 02:00-03:00 happens twice. A post at the SECOND 02:30 (01:30 UTC, CET), e.g. made by
    a drag or pulled from Late, is opened and only its text is fixed. Saving must keep the instant."""
    when = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)  # 02:30 CET, the second occurrence
    post = store.save_post(make_post("Fall back", when, targets=[Target("twitter", X)]))
    editor = editor_window.editors.open_post(post.local_id)
    assert not editor.is_dirty()
    editor.content_edit.setPlainText("Fall back, typo fixed")
    saved = editor.save_in_place()
    assert saved is not None
    assert saved.scheduled_for == when, f"moved to {saved.scheduled_for} by a text edit"
    close_quietly(editor)


# -- 2. media sizes: Late compresses oversized images for Bluesky and Instagram ------------------------------


def test_a_2_mb_photo_can_be_attached_for_bluesky(qtbot, editor_window, store, tmp_path):
    """late-api.md §8 bluesky: "Images >1 MB auto-compressed" (and §3.3: Zernio auto-compresses media over
    platform limits). A normal 2 MB phone photo must not be refused for Bluesky."""
    store.replace_accounts([*store.accounts(), Account("acc-bluesky", "bluesky", "p-acme", username="acme.bsky")])
    editor = editor_window.editors.new_post(at(WED, 18))
    tick(editor, "acc-bluesky")
    editor.content_edit.setPlainText("Spring")
    path = write_png(tmp_path / "photo.png", 820, 820, noise=True)  # ~2 MB
    assert os.path.getsize(path) > 1_500_000
    added = editor.media.add_files([path])
    assert added, editor.media.problems.messages
    close_quietly(editor)


def test_a_9_mb_photo_can_be_attached_for_instagram(qtbot, editor_window, store, tmp_path):
    """late-api.md §8 instagram: "Images >8 MB auto-compressed"."""
    editor = editor_window.editors.new_post(at(WED, 18))
    tick(editor, "acc-instagram")
    editor.content_edit.setPlainText("Spring")
    path = write_png(tmp_path / "big.png", 1760, 1760, noise=True)  # ~9.3 MB
    assert os.path.getsize(path) > 8 * 1024 * 1024
    added = editor.media.add_files([path])
    assert added, editor.media.problems.messages
    close_quietly(editor)


# -- 3. Instagram's feed aspect ratio --------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "refused"), [((1000, 100), True), ((100, 1000), True), ((1080, 1350), False),
                                               ((1080, 1920), False), ((1910, 1000), False)])
def test_instagram_refuses_an_image_outside_its_feed_aspect_ratio(qtbot, editor_window, tmp_path, size, refused):
    """late-api.md §8 instagram: feed aspect ratio 0.5625-1.91. A 1000x100 banner fails on Instagram at
    publishing time; the editor says so when the file is attached."""
    editor = editor_window.editors.new_post(at(WED, 18))
    tick(editor, "acc-instagram")
    editor.content_edit.setPlainText("Banner")
    path = write_png(tmp_path / "banner.png", *size)
    added = editor.media.add_files([path])
    shown = " ".join(editor.media.problems.messages)
    assert (not added) == refused, shown
    if refused:
        assert f"Instagram takes images from 9:16 (tall) to 1.91:1 (wide); banner.png is {size[0]}×{size[1]}" in shown
    close_quietly(editor)


def _mp4(path, seconds: int) -> str:
    """A minimal MP4 whose movie header says ``seconds`` long (what the probe reads)."""
    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I4s", 8 + len(payload), kind) + payload

    mvhd = box(b"mvhd", bytes(12) + struct.pack(">II", 1000, seconds * 1000) + bytes(80))
    path.write_bytes(box(b"ftyp", b"isom\0\0\2\0isom") + box(b"moov", mvhd) + box(b"mdat", bytes(2048)))
    return str(path)


def test_a_ten_minute_video_is_refused_for_x(store):
    """late-api.md §3.3: X video ≤ 2:20 (Bluesky 3 min, Threads 5 min, TikTok 10 min)."""
    video = MediaItem(type="video", url="https://media.example.com/talk.mp4", filename="talk.mp4",
                      mime_type="video/mp4", size=40_000_000, duration_s=600.0)
    post = Post(content="Our talk", media=[video], targets=[Target("twitter", X)],
                scheduled_for=NOW + timedelta(days=1))
    accounts = {X: Account(X, "twitter", "p-acme", username="acme")}
    problems = validate_post(post, accounts, now=NOW, intent="schedule")
    assert [p.message for p in problems if p.field == "media"] == ["X takes videos up to 2:20; talk.mp4 runs 10:00."]


def test_a_video_too_long_for_x_is_refused_when_attached(qtbot, editor_window, tmp_path):
    editor = editor_window.editors.new_post(at(WED, 18))
    tick(editor, X)
    editor.content_edit.setPlainText("Our talk")
    assert editor.media.add_files([_mp4(tmp_path / "talk.mp4", 600)]) == []
    assert "talk.mp4 was not added: X takes videos up to 2:20; talk.mp4 runs 10:00." in editor.media.problems.messages
    (entry,) = editor.media.add_files([_mp4(tmp_path / "teaser.mp4", 90)])  # 1:30 is fine
    assert entry.item.duration_s == 90.0
    close_quietly(editor)


def test_an_image_instagram_cannot_take_is_flagged_when_instagram_is_ticked_after_it(qtbot, editor_window, tmp_path):
    editor = editor_window.editors.new_post(at(WED, 18))
    tick(editor, X)
    editor.content_edit.setPlainText("Banner")
    assert len(editor.media.add_files([write_png(tmp_path / "banner.png", 1000, 100)])) == 1  # fine for X
    tick(editor, "acc-instagram")
    editor.revalidate()
    assert not editor.schedule_button.isEnabled()
    assert "Instagram takes images from 9:16 (tall) to 1.91:1 (wide); banner.png is 1000×100" in editor.reasons_text()
    close_quietly(editor)


# -- 4. alt text limits -----------------------------------------------------------------------------------


def test_alt_text_over_xs_1000_characters_is_flagged(qtbot, editor_window, store):
    """late-api.md §3.3: altText X ≤ 1,000, Pinterest ≤ 500. The editor accepts any length, silently."""
    post = store.save_post(make_post("With a picture", at(WED, 18), status="draft", targets=[Target("twitter", X)],
                                     media=[uploaded_image(alt_text="A" * 1200)]))
    editor = editor_window.editors.open_post(post.local_id)
    editor.revalidate()
    assert not editor.schedule_button.isEnabled(), "schedulable with 1,200 characters of alt text for X"
    close_quietly(editor)


# -- 5. failed posts: a save is a non-draft update, and Retry must send what is on screen ----------------------


def test_ctrl_s_on_a_failed_post_refuses_text_late_will_refuse(qtbot, editor_window, store):
    """late-api.md §2.8: "Non-draft updates rerun full per-platform validation → 400". Saving a failed post keeps
    it failed (a non-draft update), yet the editor only applies the lenient draft rules: 300 characters for X are
    saved and queued for Late, which refuses them."""
    post = store.save_post(make_post("Old", at(WED, 8), status="failed", late_id="late-f1",
                                     targets=[Target("twitter", X, status="failed", error_message="Too long")]))
    editor = editor_window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("x" * 300)
    editor.revalidate()
    assert editor.save_in_place() is None, "a 300-character X text was saved to go to Late as a failed post"
    close_quietly(editor)


def test_retry_in_the_editor_sends_the_fix_on_screen(qtbot, editor_window, store):
    """The user shortens the text that made X fail and presses "Retry failed platforms". The retry must
    publish the fixed text: the button must save the form first (or not be offered while it is unsaved)."""
    post = store.save_post(make_post("x" * 300, at(WED, 8), status="failed", late_id="late-f2",
                                     targets=[Target("twitter", X, status="failed",
                                                     error_message="Text is longer than 280 characters.")]))
    editor = editor_window.editors.open_post(post.local_id)
    editor.content_edit.setPlainText("Short now")
    editor.revalidate()
    if editor.retry_button.isEnabled():
        editor.retry_button.click()
        queued = [e.op for e in store.outbox_entries(post.local_id)]
        assert store.get_post(post.local_id).content == "Short now", (
            f"Retry queued ({queued}) while the fix was only in the form: Late retries the old 300-character text")
    close_quietly(editor)


# -- 6. text limits and counting: the editor and Late (the sandbox over loopback) must agree -------------------

SB_PROFILE = "65f1c0a9e2b5af0012ab0101"
SB_ACCOUNTS = {
    "twitter": "65f1c0a9e2b5af0012ac0101",
    "bluesky": "65f1c0a9e2b5af0012ac0102",
    "facebook": "65f1c0a9e2b5af0012ac0103",
    "googlebusiness": "65f1c0a9e2b5af0012ac0104",
    "youtube": "65f1c0a9e2b5af0012ac0105",
}
VIDEO_URL = "https://media.example.com/clip.mp4"


@pytest.fixture(scope="module")
def late():
    with SandboxServer(seed=3) as srv:
        srv.seed(
            profiles=[{"_id": SB_PROFILE, "name": "Acme", "color": "#ff0000", "timezone": "Europe/Berlin",
                       "isDefault": True}],
            accounts=[{"_id": aid, "platform": p, "profileId": SB_PROFILE, "username": f"acme_{p}",
                       "displayName": f"Acme {p}", "isActive": True} for p, aid in SB_ACCOUNTS.items()],
        )
        srv.configure(failRate=0.0)
        yield srv


def _late_accepts(server: SandboxServer, platform: str, text: str) -> tuple[bool, str]:
    when = (datetime.fromisoformat(server.now()) + timedelta(days=2)).isoformat().replace("+00:00", "Z")
    body = {"content": text, "scheduledFor": when,
            "platforms": [{"platform": platform, "accountId": SB_ACCOUNTS[platform]}]}
    if platform == "youtube":
        body["mediaItems"] = [{"type": "video", "url": VIDEO_URL}]
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {server.api_key}"}) as http:
        r = http.post("/v1/posts", json=body)
    return r.status_code in (200, 201), f"{r.status_code} {r.text[:200]}"


def _editor_accepts(qtbot, store, platform: str, text: str) -> tuple[bool, str]:
    store.replace_profiles([Profile(SB_PROFILE, "Acme", "#ff0000", "Europe/Berlin", is_default=True)])
    store.replace_accounts([Account(aid, p, SB_PROFILE, username=f"acme_{p}") for p, aid in SB_ACCOUNTS.items()])
    media = [MediaItem(type="video", url=VIDEO_URL, filename="clip.mp4", mime_type="video/mp4", size=9_000_000)] \
        if platform == "youtube" else []
    editor = standalone_editor(store, Post(scheduled_for=NOW + timedelta(days=2), media=media), is_new=True,
                               zone=BERLIN, clock=lambda: NOW)
    editor.ask_unsaved = lambda _e: "discard"
    qtbot.addWidget(editor)
    editor.picker.checks[SB_ACCOUNTS[platform]].setChecked(True)
    editor.content_edit.setPlainText(text)
    editor.revalidate()
    return editor.schedule_button.isEnabled(), editor.reasons_text()


FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one emoji: a family (ZWJ sequence)
THUMB = "\U0001f44d\U0001f3fd"  # one emoji: thumbs up, medium skin tone


@pytest.mark.parametrize(
    ("platform", "text"),
    [
        pytest.param("googlebusiness", "Offer " + "a" * 1600, id="google-business-1600-chars"),
        pytest.param("facebook", "a" * 64_000, id="facebook-64000-chars"),
        pytest.param("twitter", "Team day " + FAMILY * 100, id="x-100-family-emoji"),
        pytest.param("twitter", "Read www.example.com/" + "a" * 300, id="x-long-www-link"),
        pytest.param("twitter", "新年快乐" * 40, id="x-160-cjk-characters"),
        pytest.param("bluesky", THUMB * 200, id="bluesky-200-skin-tone-emoji"),
        # §8: YouTube's description is the content *truncated* to 5,000: a long description is not an error
        pytest.param("youtube", "Video notes\n" + "a" * 5200, id="youtube-5200-char-description"),
    ],
)
def test_editor_and_late_agree_on_the_text_limit(qtbot, store, late, platform, text):
    """Whatever the editor lets the user schedule, Late must accept, and the other way round."""
    editor_ok, why_editor = _editor_accepts(qtbot, store, platform, text)
    late_ok, why_late = _late_accepts(late, platform, text)
    assert editor_ok == late_ok, f"editor {'accepts' if editor_ok else 'refuses'} ({why_editor!r}); " \
                                 f"Late {'accepts' if late_ok else 'refuses'} ({why_late})"


# -- 7. what the messages promise: the Title field -------------------------------------------------------------


def test_the_title_the_editor_says_is_for_youtube_reaches_youtube(qtbot, editor_window, store):
    """The Title field's placeholder says "Title (for you, and for YouTube, Pinterest and Reddit)". late-api.md
    §2.4: the post ``title`` is display only, NOT the YouTube title (that is ``platformSpecificData.title``;
    without it YouTube takes the first line of the text). The typed title never reaches YouTube."""
    from latecal.sync.outgoing import request_body

    store.replace_accounts([*store.accounts(), Account("acc-youtube", "youtube", "p-acme", username="acme.yt")])
    video = MediaItem(type="video", url="https://media.example.com/launch.mp4", filename="launch.mp4",
                      mime_type="video/mp4", size=9_000_000)
    post = store.save_post(make_post("Everything about the launch, in 3 minutes.\nChapters below.", at(WED, 18),
                                     status="draft", targets=[Target("youtube", "acc-youtube")], media=[video]))
    editor = editor_window.editors.open_post(post.local_id)
    assert "YouTube" in editor.title_edit.placeholderText()
    editor.title_edit.setText("Spring launch: the full tour")
    saved = editor.save_in_place()
    target = request_body(saved)["platforms"][0]
    assert (target.get("platformSpecificData") or {}).get("title") == "Spring launch: the full tour", target
    close_quietly(editor)


# -- 8. duplicating --------------------------------------------------------------------------------------------


def test_duplicate_keeps_each_platforms_settings(qtbot, editor_window, store):
    """A YouTube post pulled from Late carries its per-platform settings (title, visibility; TikTok privacy,
    Pinterest board...). "Duplicate as draft" drops ``platformSpecificData``, so the copy publishes with defaults
    (the first line as the video's title, public)."""
    store.replace_accounts([*store.accounts(), Account("acc-youtube", "youtube", "p-acme", username="acme.yt")])
    video = MediaItem(type="video", url="https://media.example.com/launch.mp4", filename="launch.mp4",
                      mime_type="video/mp4", size=9_000_000)
    settings = {"title": "Spring launch: the full tour", "visibility": "unlisted"}
    post = store.save_post(make_post("Chapters below.", at(WED, 18), late_id="late-yt",
                                     targets=[Target("youtube", "acc-youtube", platform_specific_data=settings)],
                                     media=[video]))
    copy = editor_window.commands.duplicate_post(post.local_id)
    assert copy.targets[0].platform_specific_data == settings, copy.targets[0]
    for editor in list(editor_window.editors.editors.values()):
        close_quietly(editor)
