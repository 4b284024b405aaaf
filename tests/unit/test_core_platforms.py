from __future__ import annotations

import pytest

from latecal.core.platforms import (
    ALLOWED_MIME_TYPES,
    GB,
    MB,
    PLATFORM_KEYS,
    display_name,
    format_bytes,
    glyph,
    media_kind,
    rules_for,
)

ALL = [
    "twitter",
    "threads",
    "instagram",
    "facebook",
    "linkedin",
    "tiktok",
    "youtube",
    "pinterest",
    "bluesky",
    "googlebusiness",
    "telegram",
    "reddit",
    "snapchat",
    "discord",
    "slack",
]


def test_every_platform_has_a_row_with_name_and_short_glyph():
    assert set(PLATFORM_KEYS) == set(ALL)
    for key in ALL:
        r = rules_for(key)
        assert r.known
        assert r.key == key
        assert r.display_name
        assert 1 <= len(r.glyph) <= 2


@pytest.mark.parametrize(
    ("key", "name", "limit"),
    [
        ("twitter", "X", 280),
        ("threads", "Threads", 500),
        ("instagram", "Instagram", 2200),
        ("linkedin", "LinkedIn", 3000),
        ("tiktok", "TikTok", 2200),
        ("youtube", "YouTube", None),  # the description is truncated at 5,000, not refused
        ("pinterest", "Pinterest", 800),
        ("bluesky", "Bluesky", 300),
        ("telegram", "Telegram", 4096),
        ("snapchat", "Snapchat", 160),
        ("discord", "Discord", 2000),
        ("slack", "Slack", 40000),
        ("facebook", "Facebook", 63_206),  # the platforms' own limits: Zernio states none
        ("googlebusiness", "Google Business", 1_500),
    ],
)
def test_text_limits_and_names_from_the_reference(key, name, limit):
    assert display_name(key) == name
    assert rules_for(key).text_limit == limit


def test_x_premium_and_telegram_caption_limits():
    x = rules_for("twitter")
    assert x.text_limit_for(premium=True) == 25_000
    assert x.text_limit_for(premium=False) == 280
    tg = rules_for("telegram")
    assert tg.text_limit_for(has_media=True) == 1024
    assert tg.text_limit_for(has_media=False) == 4096


def test_media_rules_are_data():
    assert rules_for("instagram").media_required
    assert rules_for("tiktok").media_required
    assert rules_for("youtube").video_required
    assert (rules_for("bluesky").max_images, rules_for("bluesky").max_videos) == (4, 1)
    assert not rules_for("bluesky").allows_mixing
    assert not rules_for("facebook").allows_mixing
    assert rules_for("linkedin").max_images == 20
    assert not rules_for("threads").video_in_carousel
    assert not rules_for("googlebusiness").allows_video
    assert rules_for("pinterest").max_media == 1


def test_size_limits_from_the_table():
    assert rules_for("twitter").max_bytes("image") == 5 * MB
    assert rules_for("twitter").max_bytes("video") == 512 * MB
    assert rules_for("bluesky").max_bytes("image") is None  # compressed by Zernio (§8)
    assert rules_for("instagram").max_bytes("image") is None  # idem
    assert rules_for("tiktok").max_bytes("video") == 4 * GB
    assert rules_for("linkedin").max_bytes("document") == 100 * MB
    assert rules_for("reddit").max_bytes("video") is None


def test_no_platform_has_a_hashtag_field_so_all_append():
    assert all(rules_for(k).appends_hashtags for k in ALL)


@pytest.mark.parametrize("key", ["mastodon", "", "  TWITTER ", "Some_New_Thing"])
def test_unknown_platforms_get_permissive_defaults(key):
    r = rules_for(key)
    if key.strip().lower() == "twitter":
        assert r.display_name == "X"
        return
    assert not r.known
    assert r.text_limit is None
    assert r.max_media is None
    assert not r.media_required
    assert r.display_name
    assert r.glyph
    assert r.max_bytes("image") is None


def test_unknown_platform_name_is_readable():
    assert display_name("some_new_thing") == "Some New Thing"
    assert glyph("mastodon") == "M"


def test_mime_allow_list():
    assert {"image/jpeg", "video/mp4", "application/pdf", "text/vtt"} <= ALLOWED_MIME_TYPES
    assert "application/octet-stream" not in ALLOWED_MIME_TYPES
    assert "image/heic" not in ALLOWED_MIME_TYPES


@pytest.mark.parametrize(
    ("mime", "type_", "kind"),
    [
        ("", "image", "image"),
        ("", "gif", "image"),
        ("image/png", "", "image"),
        ("video/mp4", "", "video"),
        ("", "video", "video"),
        ("application/pdf", "", "document"),
        ("audio/mpeg", "", "other"),
        ("", "hologram", "other"),
    ],
)
def test_media_kind(mime, type_, kind):
    assert media_kind(mime, type_) == kind


def test_format_bytes():
    assert format_bytes(5 * MB) == "5 MB"
    assert format_bytes(int(1.5 * GB)) == "1.5 GB"
    assert format_bytes(500) == "500 B"
