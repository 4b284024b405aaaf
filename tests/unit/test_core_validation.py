from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from latecal.core.models import Account, MediaItem, Post, Target
from latecal.core.platforms import GB, MB, PLATFORM_KEYS
from latecal.core.validation import NOTHING_TO_SAVE, Problem, lacks_content, problems_for_field, validate_post

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)

ACCOUNTS = {f"{p}-1": Account(id=f"{p}-1", platform=p, profile_id="pr", username=f"{p}_one") for p in PLATFORM_KEYS}
ACCOUNTS["twitter-2"] = Account(id="twitter-2", platform="twitter", profile_id="pr", username="acme_two")
ACCOUNTS["twitter-premium"] = Account(
    id="twitter-premium", platform="twitter", profile_id="pr", username="big", is_premium=True
)
ACCOUNTS["linkedin-off"] = Account(
    id="linkedin-off", platform="linkedin", profile_id="pr", username="old", needs_reconnection=True
)
ACCOUNTS["mastodon-1"] = Account(id="mastodon-1", platform="mastodon", profile_id="pr", username="toot")


def image(name="a.jpg", size=None, mime="image/jpeg"):
    return MediaItem(type="image", url=f"https://media.example/{name}", filename=name, mime_type=mime, size=size)


def video(name="v.mp4", size=None):
    return MediaItem(type="video", url=f"https://media.example/{name}", filename=name, mime_type="video/mp4", size=size)


def make_post(*platforms: str, content="Hello world", media=(), when=LATER, **kw) -> Post:
    targets = [Target(platform=p, account_id=p if "-" in p else f"{p}-1") for p in platforms]
    for t in targets:
        t.platform = t.platform.split("-")[0]
    return Post(content=content, media=list(media), targets=targets, scheduled_for=when, **kw)


def check(post, intent="schedule"):
    return validate_post(post, ACCOUNTS, now=NOW, intent=intent)


def only(problems, field, platform=None):
    found = [p for p in problems if p.field == field and (platform is None or p.platform == platform)]
    assert len(found) == 1, problems
    return found[0]


# -- the happy path and the contract ------------------------------------------------------------------


def test_a_good_post_has_no_problems():
    assert check(make_post("twitter", "linkedin", "bluesky")) == []
    assert check(make_post("instagram", media=[image()])) == []


def test_problem_is_frozen():
    p = Problem("content", "x")
    with pytest.raises(FrozenInstanceError):
        p.field = "media"  # type: ignore[misc]


def test_unknown_intent_is_a_programming_error():
    with pytest.raises(ValueError, match="intent"):
        check(make_post("twitter"), intent="later")


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="naive"):
        validate_post(make_post("twitter"), ACCOUNTS, now=datetime(2026, 5, 1), intent="schedule")


def test_every_problem_is_returned_at_once():
    post = make_post(
        "twitter",
        "twitter",
        "instagram",
        "youtube",
        "linkedin-off",
        content="x" * 300,
        when=NOW - timedelta(hours=1),
        timezone="Mars/Base",
    )
    problems = check(post)
    fields = {p.field for p in problems}
    assert {"timezone", "scheduled_for", "targets", "content", "media"} <= fields
    media = {p.platform for p in problems if p.field == "media"}
    assert media == {"instagram", "youtube"}
    # the duplicate X account, the disconnected LinkedIn account
    assert len(problems_for_field(problems, "targets")) == 2
    assert len(problems) >= 8


# -- drafts are lenient -------------------------------------------------------------------------------


def test_draft_ignores_time_targets_and_limits():
    post = Post(content="An idea", targets=[], scheduled_for=None)
    assert check(post, "draft") == []
    long_x = make_post("twitter", "instagram", content="x" * 400, when=NOW - timedelta(days=3))
    assert check(long_x, "draft") == []


def test_a_draft_with_nothing_in_it_keeps_nothing():
    problems = check(Post(content=" \n", targets=[], scheduled_for=None), "draft")
    assert [(p.field, p.message) for p in problems] == [("content", NOTHING_TO_SAVE)]
    assert lacks_content(Post(content="", targets=[]))


def test_a_draft_with_a_title_only_follows_late_which_wants_text_or_media():
    problems = check(Post(title="Launch", content="", targets=[], scheduled_for=None), "draft")
    assert [p.field for p in problems] == ["content"]
    assert "text or media" in problems[0].message and problems[0].message != NOTHING_TO_SAVE


def test_a_draft_with_media_only_or_hashtags_only_is_kept():
    # seed 002: content is optional when media is attached
    assert check(Post(content="", media=[image()], targets=[], scheduled_for=None), "draft") == []
    assert not lacks_content(Post(content="", media=[image()], targets=[]))
    assert check(Post(content="", hashtags=["#launch"], targets=[], scheduled_for=None), "draft") == []


def test_a_draft_whose_account_has_no_text_of_its_own_or_shared_is_refused():
    post = make_post("twitter", content="", when=None)
    assert [p.field for p in check(post, "draft")] == ["content"]
    post.targets[0].custom_content = "Only for X"
    assert check(post, "draft") == []


def test_draft_still_reports_structural_problems():
    post = make_post("twitter", "twitter", timezone="Nowhere/Town")
    problems = check(post, "draft")
    assert {p.field for p in problems} == {"timezone", "targets"}


# -- each rule ----------------------------------------------------------------------------------------


def test_unknown_time_zone():
    p = only(check(make_post("twitter", timezone="Europe/Berlinn")), "timezone")
    assert "Europe/Berlinn" in p.message
    assert "time zone" in p.message


def test_known_time_zone_is_fine():
    assert check(make_post("twitter", timezone="America/New_York")) == []


@pytest.mark.parametrize("intent", ["schedule", "publish_now"])
def test_no_targets(intent):
    p = only(check(make_post(), intent), "targets")
    assert "at least one account" in p.message


def test_empty_content_without_media():
    p = only(check(make_post("twitter", content="  ")), "content")
    assert "text" in p.message
    assert "media" in p.message


def test_empty_content_is_fine_with_media():
    assert check(make_post("twitter", content="", media=[image()])) == []


def test_empty_content_is_fine_when_every_target_has_its_own_text():
    post = make_post("twitter", "linkedin", content="")
    for t in post.targets:
        t.custom_content = f"Text for {t.platform}"
    assert check(post) == []


def test_empty_content_is_a_problem_when_one_target_lacks_its_own_text():
    post = make_post("twitter", "linkedin", content="")
    post.targets[0].custom_content = "Only X has text"
    assert only(check(post), "content")


def test_hashtags_alone_count_as_text():
    assert check(make_post("twitter", content="", hashtags=["launch"])) == []


def test_schedule_needs_a_time():
    p = only(check(make_post("twitter", when=None)), "scheduled_for")
    assert "date and time" in p.message


def test_publish_now_needs_no_time():
    assert check(make_post("twitter", when=None), "publish_now") == []


def test_past_time_beyond_grace():
    post = make_post("twitter", when=NOW - timedelta(seconds=61), timezone="Europe/Berlin")
    p = only(check(post), "scheduled_for")
    assert "in the past" in p.message
    assert "2026-05-01 13:58" in p.message
    assert "Europe/Berlin" in p.message


def test_past_time_within_60_second_grace_is_fine():
    assert check(make_post("twitter", when=NOW - timedelta(seconds=60))) == []


def test_past_time_is_fine_for_publish_now():
    assert check(make_post("twitter", when=NOW - timedelta(days=1)), "publish_now") == []


def test_past_time_with_an_unknown_zone_is_shown_in_utc():
    post = make_post("twitter", when=NOW - timedelta(hours=2), timezone="Bad/Zone")
    assert "(UTC)" in only(check(post), "scheduled_for").message


def test_past_time_without_its_own_zone_is_shown_in_the_zone_the_user_sees():
    post = make_post("twitter", when=NOW - timedelta(hours=2))  # 10:00 UTC = 12:00 in Berlin (CEST)
    message = only(validate_post(post, ACCOUNTS, now=NOW, intent="schedule", zone="Europe/Berlin"),
                   "scheduled_for").message
    assert "2026-05-01 12:00 (Europe/Berlin)" in message and "UTC" not in message


def test_past_time_is_written_by_the_callers_clock_format():
    post = make_post("twitter", when=NOW - timedelta(hours=2), timezone="America/New_York")
    problems = validate_post(post, ACCOUNTS, now=NOW, intent="schedule", zone="Europe/Berlin",
                             time_text=lambda wall: f"{wall:%a %d %b} {wall:%I:%M %p}".replace(" 0", " "))
    assert "The scheduled time Fri 1 May 6:00 AM (America/New_York) is in the past" in problems[0].message


@pytest.mark.parametrize(
    ("platform", "limit", "name"),
    [
        ("twitter", 280, "X"),
        ("threads", 500, "Threads"),
        ("bluesky", 300, "Bluesky"),
        ("linkedin", 3000, "LinkedIn"),
        ("pinterest", 800, "Pinterest"),
        ("telegram", 4096, "Telegram"),
        ("discord", 2000, "Discord"),
    ],
)
def test_text_limits(platform, limit, name):
    assert check(make_post(platform, content="a" * limit)) == []
    p = only(check(make_post(platform, content="a" * (limit + 32))), "content")
    assert p.message == f"{name} allows {limit:,} characters; this text has {limit + 32:,}."
    assert p.platform == platform
    assert p.account_id == f"{platform}-1"


def test_instagram_limit_with_media():
    p = only(check(make_post("instagram", content="a" * 2201, media=[image()])), "content")
    assert "Instagram allows 2,200 characters" in p.message


def test_x_limit_counts_urls_as_23():
    text = "a" * 250 + " https://example.com/" + "x" * 100  # 251 + 23 = 274 weighted
    assert check(make_post("twitter", content=text)) == []


def test_x_premium_gets_25000():
    post = make_post("twitter-premium", content="a" * 5000)
    assert check(post) == []
    post = make_post("twitter-premium", content="a" * 25_001)
    assert "25,000 characters for Premium accounts" in only(check(post), "content").message


def test_x_premium_with_a_poll_is_held_to_280():
    post = make_post("twitter-premium", content="a" * 300)
    post.targets[0].platform_specific_data = {"poll": {"options": ["a", "b"]}}
    assert "280" in only(check(post), "content").message


def test_telegram_caption_limit_with_media():
    p = only(check(make_post("telegram", content="a" * 1100, media=[image()])), "content")
    assert p.message == "Telegram allows 1,024 characters in a caption with media; this text has 1,100."


def test_limit_counts_the_appended_hashtags():
    post = make_post("twitter", content="a" * 275, hashtags=["launch"])
    p = only(check(post), "content")
    assert "this text has 284 with its hashtags" in p.message


def test_limit_on_custom_text_is_attached_to_that_field():
    post = make_post("twitter", "linkedin", content="short")
    post.targets[0].custom_content = "b" * 290
    p = only(check(post), "custom_content:twitter-1")
    assert p.message == "X allows 280 characters; this text has 290."


def test_two_accounts_on_one_platform_are_named():
    problems = check(make_post("twitter", "twitter-2", content="a" * 281))
    messages = sorted(p.message for p in problems if p.field == "content")
    assert len(messages) == 2
    assert messages[0].startswith("X (acme_two) allows")
    assert messages[1].startswith("X (twitter_one) allows")


@pytest.mark.parametrize("platform", ["instagram", "tiktok"])
def test_media_required(platform):
    p = only(check(make_post(platform)), "media", platform)
    assert "needs at least one image or video" in p.message


def test_snapchat_needs_one_media_item():
    assert "needs at least one" in only(check(make_post("snapchat")), "media").message


def test_youtube_needs_a_video():
    assert only(check(make_post("youtube", media=[image()])), "media").message == "YouTube needs a video."
    assert check(make_post("youtube", media=[video()])) == []


def test_youtube_takes_one_video():
    assert (
        "1 video per post; this post has 2"
        in only(check(make_post("youtube", media=[video(), video()])), "media").message
    )


def test_bluesky_images_or_video():
    assert check(make_post("bluesky", media=[image()] * 4)) == []
    assert (
        "at most 4 images; this post has 5" in only(check(make_post("bluesky", media=[image()] * 5)), "media").message
    )
    assert (
        "cannot mix images and videos" in only(check(make_post("bluesky", media=[image(), video()])), "media").message
    )
    assert "1 video" in only(check(make_post("bluesky", media=[video(), video()])), "media").message


def test_x_four_images_or_one_video():
    assert check(make_post("twitter", media=[image()] * 4)) == []
    assert (
        only(check(make_post("twitter", media=[image()] * 5)), "media").message
        == "X allows at most 4 images; this post has 5."
    )
    assert "cannot mix" in only(check(make_post("twitter", media=[image(), video()])), "media").message


def test_linkedin_twenty_images_and_one_video():
    assert check(make_post("linkedin", media=[image()] * 20)) == []
    assert (
        "at most 20 images; this post has 21"
        in only(check(make_post("linkedin", media=[image()] * 21)), "media").message
    )
    assert "1 video per post" in only(check(make_post("linkedin", media=[video(), video()])), "media").message


def test_linkedin_takes_one_pdf_others_none():
    pdf = MediaItem(type="document", url="https://m/x.pdf", filename="deck.pdf", mime_type="application/pdf")
    assert check(make_post("linkedin", media=[pdf])) == []
    assert "1 document" in only(check(make_post("linkedin", media=[pdf, pdf])), "media").message
    assert "does not take documents" in only(check(make_post("instagram", media=[pdf])), "media").message


def test_threads_carousel_ten_images_no_video():
    assert check(make_post("threads", media=[image()] * 10)) == []
    assert check(make_post("threads", media=[video()])) == []
    assert "at most 10" in only(check(make_post("threads", media=[image()] * 11)), "media").message
    p = only(check(make_post("threads", media=[image(), video()])), "media")
    assert "carousels can hold only images" in p.message


def test_google_business_one_image_no_video():
    assert check(make_post("googlebusiness", media=[image()])) == []
    assert (
        "at most 1 image; this post has 2"
        in only(check(make_post("googlebusiness", media=[image(), image()])), "media").message
    )
    assert "does not take videos" in only(check(make_post("googlebusiness", media=[video()])), "media").message


def test_pinterest_one_image_or_one_video():
    assert check(make_post("pinterest", media=[video()])) == []
    p = only(check(make_post("pinterest", media=[image(), image()])), "media")
    assert p.message == "Pinterest takes one image or one video; this post has 2 attachments."


def test_tiktok_no_mixing():
    assert check(make_post("tiktok", media=[image()] * 3)) == []
    assert (
        "TikTok cannot mix images and videos"
        in only(check(make_post("tiktok", media=[image(), video()])), "media").message
    )


def test_facebook_no_mixing():
    assert "Facebook cannot mix" in only(check(make_post("facebook", media=[image(), video()])), "media").message
    assert check(make_post("facebook", media=[image()] * 10)) == []


def test_instagram_carousel_limit():
    assert "at most 20 attachments" in only(check(make_post("instagram", media=[image()] * 21)), "media").message


def test_file_size_per_platform():
    big = image("photo.jpg", size=7 * MB)
    p = only(check(make_post("twitter", "linkedin", media=[big])), "media")
    assert p.platform == "twitter"
    assert p.message == "X accepts images up to 5 MB; photo.jpg is 7 MB."
    v = video("clip.mp4", size=60 * MB)
    assert (
        only(check(make_post("bluesky", media=[v])), "media").message
        == "Bluesky accepts videos up to 50 MB; clip.mp4 is 60 MB."
    )


def test_unknown_size_is_not_checked():
    assert check(make_post("bluesky", media=[image(size=None)])) == []


def test_files_over_5_gb_and_disallowed_mime_types_even_for_drafts():
    huge = video("huge.mp4", size=6 * GB)
    heic = image("pic.heic", mime="image/heic")
    problems = check(make_post("reddit", media=[huge, heic]), "draft")
    assert [p.field for p in problems] == ["media", "media"]
    assert any("image/heic" in p.message and "pic.heic" in p.message for p in problems)
    assert any("5 GB" in p.message and "huge.mp4" in p.message for p in problems)
    assert all(p.platform is None for p in problems)


def test_disconnected_account():
    p = only(check(make_post("linkedin-off")), "targets")
    assert "old" in p.message
    assert "disconnected" in p.message
    assert p.account_id == "linkedin-off"
    assert p.platform == "linkedin"


def test_unknown_account():
    post = Post(content="hi", targets=[Target(platform="twitter", account_id="gone")], scheduled_for=LATER)
    p = only(check(post), "targets")
    assert "gone" in p.message
    assert "not among your Late accounts" in p.message


def test_account_on_another_platform():
    post = Post(content="hi", targets=[Target(platform="twitter", account_id="linkedin-1")], scheduled_for=LATER)
    assert "is on LinkedIn, not X" in only(check(post), "targets").message


def test_duplicate_accounts():
    p = only(check(make_post("twitter", "twitter")), "targets")
    assert "more than once" in p.message
    assert p.account_id == "twitter-1"


def test_unknown_platform_never_crashes_and_has_no_limits():
    post = make_post("mastodon", content="a" * 50_000, media=[image()] * 30 + [video()] * 3)
    assert check(post) == []


@pytest.mark.parametrize("status", ["published", "publishing", "pending_approval"])
def test_read_only_status(status):
    p = only(check(make_post("twitter", status=status)), "status")
    assert status.replace("_", " ") in p.message


def test_unknown_status_is_read_only_not_a_crash():
    p = only(check(make_post("twitter", status="recycled_v2"), "draft"), "status")
    assert "recycled_v2" in p.message


@pytest.mark.parametrize("status", ["draft", "scheduled", "failed", "partial", "cancelled"])
def test_editable_statuses_pass(status):
    assert check(make_post("twitter", status=status)) == []


@given(
    st.lists(st.sampled_from([*PLATFORM_KEYS, "mastodon", ""]), max_size=5),
    st.text(max_size=400),
    st.lists(st.sampled_from(["image", "video", "gif", "document", "???"]), max_size=6),
    st.sampled_from(["draft", "schedule", "publish_now"]),
    st.sampled_from(["draft", "scheduled", "published", "weird", ""]),
)
def test_never_crashes_and_problems_are_well_formed(platforms, content, kinds, intent, status):
    post = Post(
        content=content,
        targets=[Target(platform=p, account_id=f"{p}-1") for p in platforms],
        media=[MediaItem(type=k, url="https://m/x") for k in kinds],
        scheduled_for=LATER,
        status=status,
    )
    for problem in validate_post(post, ACCOUNTS, now=NOW, intent=intent):
        assert problem.field
        assert problem.message.endswith(".")
