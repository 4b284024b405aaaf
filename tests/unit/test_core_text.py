from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from latecal.core.models import Post, Target
from latecal.core.text import (
    compose_text,
    count_text,
    find_urls,
    grapheme_length,
    has_hashtag,
    normalize_hashtags,
    parse_hashtags,
    sentence,
    text_for_target,
    x_weighted_length,
)

# -- hashtags -----------------------------------------------------------------------------------------


def test_normalize_adds_hash_drops_empty_and_duplicates():
    assert normalize_hashtags(["news", "#News", "##tech", " ", "", "social media"]) == [
        "#news",
        "#tech",
        "#socialmedia",
    ]


def test_parse_hashtags_splits_commas_and_spaces():
    assert parse_hashtags("#a, b  #c;a") == ["#a", "#b", "#c"]


def test_compose_appends_after_a_blank_line():
    assert compose_text("Launch day!", ["launch", "news"]) == "Launch day!\n\n#launch #news"


def test_compose_skips_tags_already_in_the_text_case_insensitively():
    assert compose_text("Big #News today", ["news", "tech"]) == "Big #News today\n\n#tech"


def test_compose_does_not_treat_a_hash_inside_a_word_as_a_tag():
    assert has_hashtag("see issue#42", "42") is False
    assert compose_text("see issue#42", ["42"]) == "see issue#42\n\n#42"


def test_compose_does_not_treat_a_longer_tag_as_present():
    assert has_hashtag("I love #cats", "cat") is False
    assert compose_text("I love #cats", ["cat"]) == "I love #cats\n\n#cat"


def test_compose_continues_a_trailing_hashtag_line():
    assert compose_text("Hello\n#one #two", ["three"]) == "Hello\n#one #two #three"


def test_compose_with_empty_text_is_just_the_tags():
    assert compose_text("   ", ["#a", "b"]) == "#a #b"


def test_compose_without_tags_leaves_text_untouched():
    assert compose_text("Hello  \n", []) == "Hello  \n"
    assert compose_text("Hello #a", ["a"]) == "Hello #a"


def test_compose_can_be_switched_off_per_platform_rule():
    assert compose_text("Hi", ["a"], append=False) == "Hi"


def test_text_for_target_uses_custom_content_then_hashtags():
    post = Post(content="Shared text", hashtags=["promo"])
    plain = Target(platform="twitter", account_id="x1")
    custom = Target(platform="linkedin", account_id="li1", custom_content="Longer LinkedIn text")
    blank = Target(platform="bluesky", account_id="b1", custom_content="   ")
    assert text_for_target(post, plain) == "Shared text\n\n#promo"
    assert text_for_target(post, custom) == "Longer LinkedIn text\n\n#promo"
    assert text_for_target(post, blank) == "Shared text\n\n#promo"


def test_text_for_unknown_platform_still_composes():
    post = Post(content="x", hashtags=["y"])
    assert text_for_target(post, Target(platform="mastodon", account_id="m")) == "x\n\n#y"


@given(st.text(max_size=60), st.lists(st.text(max_size=8), max_size=5))
def test_compose_appends_each_missing_tag_once_and_keeps_the_text(content, tags):
    out = compose_text(content, tags)
    wanted = normalize_hashtags(tags)
    missing = [t for t in wanted if not has_hashtag(content, t)]
    if not missing:
        assert out == content
        return
    head = content.rstrip()
    assert out.startswith(head)
    appended = out[len(head) :].split()
    assert appended == missing  # in order, once each, none that the text already had
    for tag in wanted:
        assert has_hashtag(out, tag)


# -- counting -----------------------------------------------------------------------------------------


def test_x_url_counts_23_whatever_its_length():
    long_url = "https://example.com/" + "a" * 100
    assert x_weighted_length(long_url) == 23
    assert x_weighted_length("Read " + long_url) == 5 + 23
    assert x_weighted_length("Read https://t.co") == 5 + 23


def test_x_bare_domains_and_www_are_links_but_emails_are_not():
    assert x_weighted_length("see example.com now") == 4 + 23 + 4
    assert x_weighted_length("www.example.org/page") == 23
    assert x_weighted_length("me@example.com") == len("me@example.com")


def test_x_url_trailing_punctuation_is_text():
    assert find_urls("(see https://x.com/a).") == [(5, 20)]
    assert x_weighted_length("https://x.com/a.") == 24


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("😀", 2),
        ("👍🏽", 2),  # skin tone modifier
        ("👨‍👩‍👧‍👦", 2),  # ZWJ family
        ("🇩🇪", 2),  # flag
        ("1️⃣", 2),  # keycap
        ("❤️", 2),
        ("日本語", 6),  # CJK weighs 2
        ("한국", 4),
        ("héllo", 5),
        ("e\u0301", 1),  # NFC makes it one é
        ("“quoted”", 8),  # U+2010-U+201F weigh 1
        ("…", 2),  # U+2026 is outside X's light ranges
    ],
)
def test_x_weights(text, weight):
    assert x_weighted_length(text) == weight


def test_count_text_per_platform():
    text = "日本 😀 https://example.com/long/path"
    assert count_text(text, "twitter") == 4 + 1 + 2 + 1 + 23
    assert count_text(text, "linkedin") == len(text)
    assert count_text(text, "whatever") == len(text)


def test_bluesky_counts_graphemes():
    assert grapheme_length("👨‍👩‍👧‍👦") == 1
    assert grapheme_length("🇩🇪🇫🇷") == 2
    assert grapheme_length("a\u0301b") == 2
    assert grapheme_length("x\r\ny") == 3
    assert count_text("👍🏽 ok", "bluesky") == 4


@given(st.text(alphabet=st.characters(max_codepoint=0x10FF, exclude_categories=("Cs",)), max_size=80))
def test_x_light_script_text_without_links_counts_code_points(text):
    # NFC can compose into a heavier code point (A + U+0323 → U+1EA0, which weighs 2), so judge the NFC text.
    nfc = unicodedata.normalize("NFC", text)
    assume(not find_urls(nfc) and all(ord(c) <= 0x10FF for c in nfc))
    assert x_weighted_length(text) == len(nfc)


def test_x_nfc_composition_can_make_a_character_heavy():
    assert x_weighted_length("A\u0323") == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("Request failed (injected fault)", "Request failed (injected fault)."),
    ("Video too short.", "Video too short."), ("Really?", "Really?"), ("  padded  ", "padded."), ("", ""),
])
def test_sentence_ends_a_message_once(text, expected):
    assert sentence(text) == expected
