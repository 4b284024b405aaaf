"""latecal.late.wire on the documented Late shapes (seeds/002, late-api.md §2.4) and on junk."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latecal.core.models import MediaItem, Post, Target
from latecal.core.status import SyncState
from latecal.late.errors import WireError
from latecal.late.wire import (
    account_from_json,
    format_time,
    parse_time,
    post_from_json,
    post_to_json,
    profile_from_json,
)

# --- literal bodies copied from seeds/002_ffb482f295470230.txt -------------------------------------------

SEED_LIST_RESPONSE = {
    "posts": [
        {
            "_id": "65f1c0a9e2b5af0012ab34cd",
            "title": "Launch post",
            "content": "We just launched!",
            "status": "scheduled",
            "scheduledFor": "2024-11-01T10:00:00Z",
            "timezone": "UTC",
            "platforms": [
                {
                    "platform": "twitter",
                    "accountId": {
                        "_id": "64e1f0...",
                        "platform": "twitter",
                        "username": "@acme",
                        "displayName": "Acme Corp",
                        "isActive": True,
                    },
                    "status": "pending",
                }
            ],
            "tags": ["launch"],
            "createdAt": "2024-10-01T12:00:00Z",
            "updatedAt": "2024-10-01T12:00:00Z",
        }
    ],
    "pagination": {"page": 1, "limit": 10, "total": 1, "pages": 1},
}

SEED_CREATE_RESPONSE = {
    "post": {
        "_id": "65f1c0a9e2b5af0012ab34cd",
        "title": "Launch post",
        "content": "We just launched!",
        "status": "scheduled",
        "scheduledFor": "2024-11-01T10:00:00Z",
        "timezone": "UTC",
        "platforms": [
            {
                "platform": "twitter",
                "accountId": {
                    "_id": "64e1f0...",
                    "platform": "twitter",
                    "username": "@acme",
                    "displayName": "Acme Corp",
                    "isActive": True,
                },
                "status": "pending",
            }
        ],
    },
    "message": "Post scheduled successfully",
}

SEED_GET_RESPONSE = {
    "post": {
        "_id": "65f1c0a9e2b5af0012ab34cd",
        "title": "Launch post",
        "content": "We just launched!",
        "status": "scheduled",
        "scheduledFor": "2024-11-01T10:00:00Z",
        "platforms": [
            {
                "platform": "twitter",
                "accountId": {
                    "_id": "64e1f0...",
                    "platform": "twitter",
                    "username": "@acme",
                    "displayName": "Acme Corp",
                    "isActive": True,
                },
                "status": "pending",
            }
        ],
    }
}

SEED_UPDATE_RESPONSE = {
    "message": "Post updated successfully",
    "post": {
        "_id": "65f1c0a9e2b5af0012ab34cd",
        "content": "Updated content for our launch post!",
        "status": "scheduled",
        "scheduledFor": "2024-11-02T14:00:00Z",
    },
}

SEED_RETRY_RESPONSE = {
    "message": "Post published successfully",
    "post": {
        "_id": "65f1c0a9e2b5af0012ab34cd",
        "content": "Check out our new product!",
        "status": "published",
        "publishedAt": "2024-11-01T10:00:05Z",
        "platforms": [
            {
                "platform": "twitter",
                "accountId": {
                    "_id": "64e1f0...",
                    "platform": "twitter",
                    "username": "@acme",
                    "displayName": "Acme Corp",
                    "isActive": True,
                },
                "status": "published",
                "platformPostId": "1234567890",
                "platformPostUrl": "https://twitter.com/acme/status/1234567890",
            }
        ],
    },
}

SEED_BULK_POST = {
    "_id": "65f1c0a9e2b5af0012ab34cd",
    "content": "First bulk post",
    "status": "scheduled",
    "scheduledFor": "2024-11-01T10:00:00Z",
}

# seeds/003 documents another vendor's shape ("id", not "_id"): not a Late post, must be refused.
SEED_003_FOREIGN_POST = {
    "id": "post_abc123",
    "status": "published",
    "platforms": [{"platform": "instagram", "status": "published", "platformPostId": "17841400123456789",
                   "platformPostUrl": "https://instagram.com/p/ABC123"}],
    "createdAt": "2026-01-15T10:00:00Z",
}

# --- a full Post per late-api.md §2.4 (every field the schema lists, populated and plain ids mixed) -----

REFERENCE_FULL_POST = {
    "_id": "6650a1b2c3d4e5f601234567",
    "userId": {"_id": "6650a1b2c3d4e5f6000000aa", "email": "me@example.com", "name": "Me", "role": "owner",
               "disabledResourceGroups": [], "createdAt": "2026-01-01T00:00:00Z"},
    "title": "Spring launch",
    "content": "Spring is here #launch",
    "mediaItems": [
        {"type": "video", "url": "https://media.zernio.com/temp/1_a_clip.mp4", "filename": "clip.mp4",
         "size": 1048576, "mimeType": "video/mp4", "altText": "A clip", "thumbnail": "https://cdn.example/t.jpg",
         "subtitles": [{"url": "https://cdn.example/s.vtt", "language": "en"}]},
        {"url": "https://media.zernio.com/temp/2_b_photo.png"},
        {"type": "image", "url": None},
    ],
    "platforms": [
        {
            "platform": "twitter",
            "accountId": "6650a1b2c3d4e5f6000000b1",
            "customContent": "Short version",
            "scheduledFor": "2026-03-21T09:30:00+01:00",
            "platformSpecificData": {"threadItems": [{"content": "one"}]},
            "status": "failed",
            "errorMessage": "Token expired",
            "errorCategory": "auth_expired",
            "errorSource": "user",
            "platformError": {"code": 190, "message": "expired"},
            "publishAttempts": 2,
        },
        {
            "platform": "instagram",
            "accountId": {"_id": "6650a1b2c3d4e5f6000000b2", "platform": "instagram", "username": "acme",
                          "profileId": {"_id": "6650a1b2c3d4e5f6000000c1", "name": "Main"}},
            "status": "published",
            "platformPostId": "1789",
            "platformPostUrl": "https://instagram.com/p/X",
            "publishedAt": "2026-03-21T08:30:04.512Z",
            "removedFromPlatformAt": None,
            "isTrialReel": False,
        },
        {"platform": "tiktok", "accountId": {"_id": "6650a1b2c3d4e5f6000000b3", "platform": "tiktok"},
         "status": "some_future_target_status", "platformPostUrl": ""},
    ],
    "scheduledFor": "2026-03-21T08:30:00.000Z",
    "timezone": "Europe/Berlin",
    "status": "partial",
    "tags": ["spring", 3, "launch"],
    "hashtags": ["launch"],
    "mentions": ["@friend"],
    "visibility": "public",
    "metadata": {"usageCounted": True, "hidden": False},
    "recycling": {"enabled": False},
    "queuedFromProfile": "6650a1b2c3d4e5f6000000c1",
    "queueId": "q1",
    "createdAt": "2026-03-01T10:00:00Z",
    "updatedAt": "2026-03-21T08:31:00+00:00",
    "publishedAt": "2026-03-21T08:30:04Z",
}


def _utc(*args: int, **kw: int) -> datetime:
    return datetime(*args, tzinfo=UTC, **kw)


# --- reading -------------------------------------------------------------------------------------------


def test_list_example_populated_account_without_profile_id():
    post = post_from_json(SEED_LIST_RESPONSE["posts"][0])
    assert post.late_id == "65f1c0a9e2b5af0012ab34cd"
    assert post.title == "Launch post"
    assert post.content == "We just launched!"
    assert post.status == "scheduled"
    assert post.scheduled_for == _utc(2024, 11, 1, 10)
    assert post.scheduled_for.tzinfo is UTC
    assert post.timezone == "UTC"
    assert post.tags == ["launch"]
    assert post.remote_updated_at == _utc(2024, 10, 1, 12)
    assert post.sync_state == SyncState.SYNCED.value
    [target] = post.targets
    assert (target.platform, target.account_id, target.status) == ("twitter", "64e1f0...", "pending")
    assert target.custom_content is None
    assert target.scheduled_for is None


@pytest.mark.parametrize("body", [SEED_CREATE_RESPONSE, SEED_GET_RESPONSE], ids=["create", "get"])
def test_create_and_get_examples(body):
    post = post_from_json(body["post"])
    assert post.late_id == "65f1c0a9e2b5af0012ab34cd"
    assert post.account_ids == ["64e1f0..."]
    assert post.remote_updated_at is None  # absent in the example: fine
    assert post.hashtags == []
    assert post.media == []


def test_update_example_without_platforms():
    post = post_from_json(SEED_UPDATE_RESPONSE["post"])
    assert post.targets == []
    assert post.title == ""
    assert post.scheduled_for == _utc(2024, 11, 2, 14)
    assert post.timezone is None


def test_retry_example_keeps_post_level_published_at_and_urls():
    post = post_from_json(SEED_RETRY_RESPONSE["post"])
    assert post.status == "published"
    assert post.published_at == _utc(2024, 11, 1, 10, 0, 5)
    [target] = post.targets
    assert target.platform_post_id == "1234567890"
    assert target.platform_post_url == "https://twitter.com/acme/status/1234567890"


def test_bulk_example_minimal_post():
    post = post_from_json(SEED_BULK_POST)
    assert post.content == "First bulk post"
    assert post.targets == []


def test_reference_full_post():
    post = post_from_json(REFERENCE_FULL_POST)
    assert post.status == "partial"
    assert post.timezone == "Europe/Berlin"
    assert post.scheduled_for == _utc(2026, 3, 21, 8, 30)
    assert post.published_at == _utc(2026, 3, 21, 8, 30, 4)
    assert post.remote_updated_at == _utc(2026, 3, 21, 8, 31)
    assert post.tags == ["spring", "launch"]  # a non-string tag is dropped, not fatal
    assert post.hashtags == ["launch"]
    # The item with a null url is dropped, as Late drops it (§3.3); type inferred from the extension.
    assert [m.url for m in post.media] == ["https://media.zernio.com/temp/1_a_clip.mp4",
                                           "https://media.zernio.com/temp/2_b_photo.png"]
    video, photo = post.media
    assert video == MediaItem(type="video", url="https://media.zernio.com/temp/1_a_clip.mp4", filename="clip.mp4",
                              mime_type="video/mp4", size=1048576, alt_text="A clip",
                              thumbnail="https://cdn.example/t.jpg")
    assert photo.type == "image"
    tw, ig, tt = post.targets
    assert tw.account_id == "6650a1b2c3d4e5f6000000b1"
    assert tw.custom_content == "Short version"
    assert tw.scheduled_for == _utc(2026, 3, 21, 8, 30)  # +01:00 offset → UTC
    assert tw.platform_specific_data == {"threadItems": [{"content": "one"}]}
    assert (tw.status, tw.error_message, tw.error_category) == ("failed", "Token expired", "auth_expired")
    assert ig.account_id == "6650a1b2c3d4e5f6000000b2"
    assert ig.published_at == _utc(2026, 3, 21, 8, 30, 4, 512000)
    assert ig.platform_post_url == "https://instagram.com/p/X"
    assert tt.status == "some_future_target_status"


def test_unknown_post_status_is_kept():
    raw = dict(SEED_BULK_POST, status="recycling_hold")
    assert post_from_json(raw).status == "recycling_hold"


def test_offset_less_time_is_read_in_the_post_timezone():
    raw = dict(SEED_BULK_POST, scheduledFor="2026-07-01T10:00:00", timezone="America/New_York")
    assert post_from_json(raw).scheduled_for == _utc(2026, 7, 1, 14)


def test_null_optional_fields_are_accepted():
    raw = {"_id": "a1", "status": "draft", "title": None, "content": None, "platforms": None, "mediaItems": None,
           "scheduledFor": None, "timezone": None, "tags": None, "hashtags": None, "publishedAt": None,
           "updatedAt": None}
    post = post_from_json(raw)
    assert (post.title, post.content, post.targets, post.scheduled_for, post.timezone) == ("", "", [], None, None)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda p: p.pop("_id"), "_id"),
        (lambda p: p.update(_id=""), "_id"),
        (lambda p: p.update(_id=123), "_id"),
    ],
)
def test_a_post_without_identity_raises_wire_error(mutate, field):
    raw = copy.deepcopy(SEED_LIST_RESPONSE["posts"][0])
    mutate(raw)
    with pytest.raises(WireError) as info:
        post_from_json(raw)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda p: p.update(status=["scheduled"]), "status"),
        (lambda p: p.update(scheduledFor="next tuesday"), "scheduledFor"),
        (lambda p: p.update(scheduledFor=1730455200), "scheduledFor"),
        (lambda p: p.update(updatedAt="2024-13-45T99:00:00Z"), "updatedAt"),
        (lambda p: p.update(platforms="twitter"), "platforms"),
        (lambda p: p["platforms"].append("twitter"), "platforms[1]"),
        (lambda p: p["platforms"][0].pop("accountId"), "platforms[0].accountId"),
        (lambda p: p["platforms"][0].update(accountId={"username": "no id"}), "platforms[0].accountId"),
        (lambda p: p["platforms"][0].update(scheduledFor="soon"), "platforms[0].scheduledFor"),
        (lambda p: p.update(content={"text": "hi"}), "content"),
    ],
)
def test_an_unreadable_field_is_left_empty_and_marks_the_kept_post(mutate, field):
    raw = copy.deepcopy(SEED_LIST_RESPONSE["posts"][0])
    mutate(raw)
    post = post_from_json(raw)
    assert post.late_id == "65f1c0a9e2b5af0012ab34cd"
    assert post.read_problems == (field,)
    assert post.title == "Launch post"  # what could be read is kept


def test_a_missing_status_is_kept_as_empty_and_unmarked():
    raw = copy.deepcopy(SEED_LIST_RESPONSE["posts"][0])
    del raw["status"]
    post = post_from_json(raw)
    assert (post.status, post.read_problems) == ("", ())


def test_a_target_without_platform_takes_a_populated_accounts():
    raw = copy.deepcopy(SEED_LIST_RESPONSE["posts"][0])
    del raw["platforms"][0]["platform"]
    post = post_from_json(raw)
    assert (post.targets[0].platform, post.read_problems) == ("twitter", ())


def test_foreign_shape_without_underscore_id_is_refused():
    with pytest.raises(WireError):
        post_from_json(SEED_003_FOREIGN_POST)


@pytest.mark.parametrize("junk", [None, [], "post", 42])
def test_non_objects_raise_wire_error(junk):
    with pytest.raises(WireError):
        post_from_json(junk)


def test_parse_time_forms():
    assert parse_time("2024-11-01T10:00:00Z") == _utc(2024, 11, 1, 10)
    assert parse_time("2024-11-01T10:00:00.123456Z") == _utc(2024, 11, 1, 10, 0, 0, 123456)
    assert parse_time("2024-11-01T12:00:00+02:00") == _utc(2024, 11, 1, 10)
    assert parse_time("2024-11-01T05:00:00-05:00") == _utc(2024, 11, 1, 10)
    assert parse_time(None) is None
    assert parse_time("") is None
    with pytest.raises(ValueError):
        parse_time("yesterday")


def test_account_from_json_variants():
    acc = account_from_json({"_id": "a1", "platform": "twitter", "profileId": {"_id": "p1", "name": "Main"},
                             "username": "acme", "displayName": "Acme", "profilePicture": "https://x/p.png",
                             "isActive": True, "metadata": {"profileData": {"extraData": {"isPremium": True}}}})
    assert (acc.id, acc.platform, acc.profile_id, acc.label, acc.is_premium) == ("a1", "twitter", "p1", "Acme", True)
    assert acc.avatar_url == "https://x/p.png"
    assert acc.connected
    # the populated accountId from a post (no profileId) is still an account
    bare = account_from_json(SEED_LIST_RESPONSE["posts"][0]["platforms"][0]["accountId"])
    assert (bare.id, bare.profile_id, bare.is_premium) == ("64e1f0...", "", False)
    stale = account_from_json({"_id": "a2", "platform": "x", "profileId": "p1", "isActive": False,
                               "needsReconnection": True})
    assert not stale.connected
    with pytest.raises(WireError):
        account_from_json({"platform": "twitter"})
    with pytest.raises(WireError):
        account_from_json({"_id": "a3"})


def test_profile_from_json():
    prof = profile_from_json({"_id": "p1", "userId": "u", "name": "Main", "color": "#ff0000",
                              "timezone": "Europe/Paris", "isDefault": True, "createdAt": "2026-01-01T00:00:00Z"})
    assert (prof.id, prof.name, prof.color, prof.timezone, prof.is_default) == (
        "p1", "Main", "#ff0000", "Europe/Paris", True)
    plain = profile_from_json({"_id": "p2", "name": "Side", "timezone": None})
    assert plain.timezone is None
    assert plain.color == "#888888"
    assert not plain.is_default
    with pytest.raises(WireError):
        profile_from_json({"name": "no id"})


# --- writing -------------------------------------------------------------------------------------------


def _post(**kw) -> Post:
    base = dict(
        title="Launch", content="Hello world #launch", hashtags=["launch"], tags=["t1"],
        targets=[Target(platform="twitter", account_id="acc_tw"),
                 Target(platform="instagram", account_id="acc_ig", custom_content="IG text",
                        scheduled_for=datetime(2026, 5, 1, 12, tzinfo=timezone(timedelta(hours=2))),
                        platform_specific_data={"contentType": "story"})],
        media=[MediaItem(type="image", url="https://media.zernio.com/temp/a.png", filename="a.png",
                         mime_type="image/png", size=10, alt_text="alt"),
               MediaItem(type="video", local_path="/tmp/not-uploaded.mp4")],
        scheduled_for=datetime(2026, 5, 1, 10, 30, tzinfo=UTC),
    )
    base.update(kw)
    return Post(**base)


def test_post_to_json_body_shape():
    body = post_to_json(_post())
    assert body == {
        "title": "Launch",
        "content": "Hello world #launch",  # as given: the composer adds hashtags, not the wire
        "hashtags": ["launch"],
        "tags": ["t1"],
        "mediaItems": [{"url": "https://media.zernio.com/temp/a.png", "type": "image", "filename": "a.png",
                        "mimeType": "image/png", "altText": "alt", "size": 10}],
        "platforms": [
            # one platform has its own time, so every platform's time is stated (Late keeps one not sent again)
            {"platform": "twitter", "accountId": "acc_tw", "scheduledFor": "2026-05-01T10:30:00Z"},
            {"platform": "instagram", "accountId": "acc_ig", "customContent": "IG text",
             "scheduledFor": "2026-05-01T10:00:00Z", "platformSpecificData": {"contentType": "story"}},
        ],
        "scheduledFor": "2026-05-01T10:30:00Z",
    }
    assert "timezone" not in body  # not chosen: Late applies the profile's zone
    together = post_to_json(_post(targets=[Target(platform="twitter", account_id="acc_tw")]))
    assert together["platforms"] == [{"platform": "twitter", "accountId": "acc_tw"}]  # one time: the post's alone


def test_post_to_json_does_not_add_hashtags_to_content():
    body = post_to_json(_post(content="No tags here", hashtags=["a", "b"]))
    assert body["content"] == "No tags here"
    assert body["hashtags"] == ["a", "b"]


def test_timezone_only_when_chosen():
    assert post_to_json(_post(timezone="Europe/Berlin"))["timezone"] == "Europe/Berlin"
    assert "timezone" not in post_to_json(_post(timezone=None))


def test_times_are_utc_z_even_from_other_zones():
    berlin = timezone(timedelta(hours=2))
    body = post_to_json(_post(scheduled_for=datetime(2026, 5, 1, 12, 0, 0, 250000, tzinfo=berlin)))
    assert body["scheduledFor"] == "2026-05-01T10:00:00.250Z"


def test_intent_draft():
    body = post_to_json(_post(), intent="draft")
    assert body["isDraft"] is True
    assert "publishNow" not in body
    assert body["scheduledFor"] == "2026-05-01T10:30:00Z"  # the planned time is kept with the draft


def test_intent_schedule_promotes_a_draft():
    body = post_to_json(_post(status="draft"), intent="schedule")
    # §2.8: isDraft:false *plus* scheduledFor; scheduledFor alone leaves the post a draft.
    assert body["isDraft"] is False
    assert body["scheduledFor"] == "2026-05-01T10:30:00Z"
    assert "publishNow" not in body


def test_intent_schedule_needs_a_time():
    with pytest.raises(ValueError):
        post_to_json(_post(scheduled_for=None), intent="schedule")


def test_intent_publish_now():
    body = post_to_json(_post(), intent="publish_now")
    assert body["publishNow"] is True
    assert body["isDraft"] is False
    assert "scheduledFor" not in body


def test_no_intent_sends_no_switches():
    body = post_to_json(_post())
    assert not {"isDraft", "publishNow"} & set(body)
    with pytest.raises(ValueError):
        post_to_json(_post(), intent="later")  # type: ignore[arg-type]


def test_draft_without_targets_or_time():
    body = post_to_json(Post(content="idea"), intent="draft")
    assert body == {"title": "", "content": "idea", "hashtags": [], "tags": [], "mediaItems": [], "isDraft": True}


def test_format_time_refuses_naive():
    with pytest.raises(ValueError):
        format_time(datetime(2026, 1, 1, 10))


# --- properties ----------------------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
_time_like = st.one_of(
    st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2024-02-30T00:00:00Z", "Z", "",
                     "2024-11-01T10:00:00Z"]),
    _json,
)
_keys = ["_id", "status", "title", "content", "tags", "hashtags", "timezone", "scheduledFor", "publishedAt",
         "updatedAt", "mediaItems", "platforms"]
_target = st.fixed_dictionaries({}, optional={
    "platform": st.text(max_size=8) | _json, "accountId": st.text(max_size=8) | _json,
    "scheduledFor": _time_like, "publishedAt": _time_like, "status": _json, "customContent": _json,
    "platformSpecificData": _json, "errorMessage": _json, "platformPostId": _json,
})
_junk_post = st.fixed_dictionaries({}, optional={
    "_id": st.text(max_size=6) | _json, "status": st.sampled_from(["draft", "scheduled", "weird"]) | _json,
    "timezone": st.sampled_from(["UTC", "Europe/Berlin", "../etc", "Not/AZone", "\x00"]) | _json,
    "scheduledFor": _time_like, "publishedAt": _time_like, "updatedAt": _time_like,
    "platforms": st.lists(_target | _json, max_size=3) | _json,
    "mediaItems": st.lists(st.dictionaries(st.sampled_from(["url", "type", "size", "mimeType"]), _json), max_size=3)
    | _json,
    "tags": _json, "hashtags": _json, "title": _json, "content": _json,
})


@settings(max_examples=400, deadline=None)
@given(st.one_of(_junk_post, st.dictionaries(st.sampled_from(_keys) | st.text(max_size=5), _json), _json))
def test_junk_never_raises_anything_but_wire_error(obj):
    try:
        post = post_from_json(obj)
    except WireError:
        return
    assert isinstance(post, Post)
    assert post.late_id
    for dt in (post.scheduled_for, post.published_at, post.remote_updated_at):
        assert dt is None or dt.utcoffset() == timedelta(0)


_zones = [UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30))]
_aware = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.sampled_from(_zones))
_text = st.text(max_size=20)


@settings(max_examples=150, deadline=None)
@given(title=_text, content=_text, when=st.none() | _aware, tz=st.none() | st.sampled_from(["UTC", "Asia/Tokyo"]),
       targets=st.lists(st.builds(Target, platform=st.sampled_from(["twitter", "bluesky"]),
                                  account_id=_text.filter(bool), custom_content=st.none() | _text.filter(bool),
                                  scheduled_for=st.none() | _aware), max_size=3),
       tags=st.lists(_text, max_size=3))
def test_to_json_then_back_keeps_the_post(title, content, when, tz, targets, tags):
    post = Post(title=title, content=content, scheduled_for=when, timezone=tz, targets=targets, tags=tags,
                hashtags=tags)
    echoed = dict(post_to_json(post), _id="x1", status="scheduled")  # what Late would echo back
    back = post_from_json(echoed)
    assert (back.title, back.content, back.timezone, back.tags, back.hashtags) == (title, content, tz, tags, tags)
    # Late keeps millisecond precision
    assert back.scheduled_for == (None if when is None else when.astimezone(UTC).replace(
        microsecond=when.microsecond // 1000 * 1000))
    assert [(t.platform, t.account_id, t.custom_content or None) for t in back.targets] == [
        (t.platform, t.account_id, t.custom_content or None) for t in targets]
