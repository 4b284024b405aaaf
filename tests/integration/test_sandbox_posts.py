"""Create / get / update / delete / retry with Late's semantics, over real HTTP."""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest

from sandbox_support import ACCOUNTS, PROFILE_ID, future, image, target

HEX24 = re.compile(r"^[0-9a-f]{24}$")
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def create(client, body, **headers):
    return client.post("/v1/posts", json=body, headers=headers)


def test_create_scheduled_post_has_late_shape(client, sandbox):
    when = future(sandbox)
    r = create(client, {"content": "Hello", "platforms": [target("twitter")], "scheduledFor": when})
    assert r.status_code == 201
    body = r.json()
    assert body["message"] == "Post scheduled successfully"
    post = body["post"]
    assert HEX24.match(post["_id"])
    assert post["status"] == "scheduled"
    assert ISO_Z.match(post["scheduledFor"])
    assert ISO_Z.match(post["createdAt"])
    assert ISO_Z.match(post["updatedAt"])
    acc = post["platforms"][0]["accountId"]
    assert acc["_id"] == ACCOUNTS["twitter"]
    assert {"platform", "username", "displayName", "isActive"} <= acc.keys()
    assert post["platforms"][0]["status"] == "pending"
    got = client.get(f"/v1/posts/{post['_id']}")
    assert got.status_code == 200
    assert got.json()["post"] == post


def test_draft_is_default_and_needs_no_platforms(client):
    r = create(client, {"content": "idea"})
    assert r.status_code == 201
    assert r.json()["post"]["status"] == "draft"
    r = create(client, {"content": "x", "platforms": [target("twitter")], "isDraft": True, "publishNow": True})
    assert r.json()["post"]["status"] == "draft"


def test_publish_now_is_synchronous_201(client):
    r = create(client, {"content": "Now!", "platforms": [target("twitter"), target("linkedin")], "publishNow": True})
    assert r.status_code == 201
    post = r.json()["post"]
    assert post["status"] == "published"
    assert ISO_Z.match(post["publishedAt"])
    tw = post["platforms"][0]
    assert tw["status"] == "published"
    assert tw["platformPostUrl"] == f"https://x.com/acme_twitter/status/{tw['platformPostId']}"
    assert post["platforms"][1]["platformPostUrl"].startswith("https://www.linkedin.com/feed/update/urn:li:share:")


def test_past_schedule_publishes_inline_and_207_on_failure(client, sandbox):
    sandbox.force_outcome(ACCOUNTS["linkedin"], "fail", errorCategory="auth_expired", errorMessage="Token expired")
    r = create(client, {"content": "Past", "platforms": [target("twitter"), target("linkedin")],
                        "scheduledFor": "2020-01-01T10:00:00Z"})
    assert r.status_code == 207
    body = r.json()
    assert body["post"]["status"] == "partial"
    li = body["post"]["platforms"][1]
    assert (li["status"], li["errorCategory"], li["errorMessage"]) == ("failed", "auth_expired", "Token expired")
    assert li["errorSource"] in ("user", "platform", "system")
    assert {"platform": "linkedin", "status": "failed", "error": "Token expired"} in body["platformResults"]


def test_naive_time_uses_timezone_then_profile_zone(client):
    body = {"content": "tz", "platforms": [target("twitter")], "scheduledFor": "2030-07-01T10:00:00"}
    r = create(client, {**body, "timezone": "America/New_York"})
    assert r.json()["post"]["scheduledFor"] == "2030-07-01T14:00:00.000Z"
    r = create(client, {**body, "content": "tz2"})  # profile zone Europe/Berlin (CEST, +2)
    assert r.json()["post"]["scheduledFor"] == "2030-07-01T08:00:00.000Z"
    assert r.json()["post"]["timezone"] == "Europe/Berlin"
    r = create(client, {**body, "content": "tz3", "scheduledFor": "2030-07-01T10:00:00+05:00"})
    assert r.json()["post"]["scheduledFor"] == "2030-07-01T05:00:00.000Z"
    r = create(client, {**body, "content": "tz4", "timezone": "Mars/Olympus"})
    assert r.status_code == 400
    assert r.json()["param"] == "timezone"


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        ({"content": "x", "platforms": [], "scheduledFor": "2030-01-01T00:00:00Z"}, "missing_required_field",
         "platforms"),
        ({"content": "", "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"]}],
          "publishNow": True}, "missing_required_field", "content"),
        ({"content": "pic", "platforms": [{"platform": "instagram", "accountId": ACCOUNTS["instagram"]}],
          "publishNow": True}, "media_required", "mediaItems"),
        ({"content": "t", "platforms": [{"platform": "tiktok", "accountId": ACCOUNTS["tiktok"]}],
          "publishNow": True}, "media_required", "mediaItems"),
        ({"content": "v", "mediaItems": image(), "platforms": [{"platform": "youtube",
                                                                 "accountId": ACCOUNTS["youtube"]}],
          "publishNow": True}, "video_required", "mediaItems"),
        ({"content": "x" * 281, "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"]}],
          "publishNow": True}, "content_too_long", "content"),
        ({"content": "x" * 301, "platforms": [{"platform": "bluesky", "accountId": ACCOUNTS["bluesky"]}],
          "publishNow": True}, "content_too_long", "content"),
        ({"content": "ok", "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"],
                                          "customContent": "y" * 300}], "publishNow": True},
         "content_too_long", "platforms[0].customContent"),
        ({"content": "x", "platforms": [{"platform": "myspace", "accountId": ACCOUNTS["twitter"]}]},
         "invalid_field_value", "platforms[0].platform"),
        ({"content": "x", "platforms": [{"platform": "linkedin", "accountId": ACCOUNTS["twitter"]}],
          "publishNow": True}, "platform_mismatch", "platforms[0].platform"),
        ({"content": 5}, "invalid_field_value", "content"),
        ({"content": "x", "publishNow": "yes"}, "invalid_field_value", "publishNow"),
        ({"content": "x", "platforms": [target("twitter")], "scheduledFor": "next tuesday"}, "invalid_date",
         "scheduledFor"),
        ({"content": "x", "mediaItems": [{"url": "ftp://x/y.png"}]}, "invalid_url", "mediaItems[0].url"),
        ({"content": "x", "mediaItems": [{"url": "https://x/y.mp4", "type": "image"}]}, "invalid_field_value",
         "mediaItems[0].type"),
    ],
)
def test_validation_errors_use_late_error_body(client, body, code, param):
    r = create(client, body)
    assert r.status_code == 400, r.text
    err = r.json()
    assert err["type"] == "invalid_request_error"
    assert (err["code"], err["param"]) == (code, param)
    assert isinstance(err["error"], str)
    assert err["error"]


def test_twitter_counts_urls_as_23_and_content_optional_with_media(client):
    text = "x" * 250 + " https://example.com/" + "a" * 100
    assert create(client, {"content": text, "platforms": [target("twitter")], "publishNow": True}).status_code == 201
    r = create(client, {"mediaItems": image(), "platforms": [target("instagram")], "publishNow": True})
    assert r.status_code == 201
    assert r.json()["post"]["mediaItems"][0]["type"] == "image"


def test_malformed_and_non_object_bodies_are_400(client):
    r = client.post("/v1/posts", content=b'{"content": ', headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_json"
    assert client.post("/v1/posts", json=[1, 2]).status_code == 400
    assert client.put("/v1/posts/65f1c0a9e2b5af0012ab34cd", content=b"nope").status_code in (400, 404)


def test_unknown_account_404_and_disconnected_account_403(client):
    r = create(client, {"content": "x", "platforms": [{"platform": "twitter", "accountId": "0" * 24}],
                        "publishNow": True})
    assert r.status_code == 404
    r = create(client, {"content": "x", "platforms": [target("threads")], "publishNow": True})
    assert r.status_code == 403
    assert r.json()["code"] == "ACCOUNT_DISCONNECTED"
    assert r.json()["details"]["accountId"] == ACCOUNTS["threads"]


def test_auth_required(sandbox):
    with httpx.Client(base_url=sandbox.base_url) as anon:
        r = anon.get("/v1/posts")
        assert r.status_code == 401
        assert r.json()["error"]
        assert "x-ratelimit-limit" in r.headers
        r = anon.get("/v1/posts", headers={"Authorization": "Bearer sk_wrong"})
        assert r.status_code == 401


def test_idempotency_key_replays_original_whatever_the_body(client, sandbox):
    body = {"content": "once", "platforms": [target("twitter")], "scheduledFor": future(sandbox)}
    first = create(client, body, **{"Idempotency-Key": "key-1"})
    assert first.status_code == 201
    again = create(client, {**body, "content": "different"}, **{"Idempotency-Key": "key-1"})
    assert again.status_code == 200
    assert again.json()["message"] == "Post already exists (idempotent retry)"
    assert again.json()["post"]["_id"] == first.json()["post"]["_id"]
    assert sandbox.stats()["creates_by_idempotency_key"] == {"key-1": 1}
    draft = create(client, {"content": "d"}, **{"Idempotency-Key": "key-2"})
    assert create(client, {"content": "d"}, **{"Idempotency-Key": "key-2"}).json()["post"]["_id"] == \
        draft.json()["post"]["_id"]
    r = create(client, body, **{"Idempotency-Key": "k" * 256})
    assert r.status_code == 400


def test_failed_first_request_lets_the_key_start_over(client, sandbox):
    bad = create(client, {"content": "", "platforms": [target("twitter")], "publishNow": True},
                 **{"Idempotency-Key": "key-x"})
    assert bad.status_code == 400
    good = create(client, {"content": "fixed", "platforms": [target("twitter")], "publishNow": True},
                  **{"Idempotency-Key": "key-x"})
    assert good.status_code == 201
    assert sandbox.stats()["creates_by_idempotency_key"] == {"key-x": 1}


def test_idempotency_key_in_flight_gets_409_with_retry_after(client, sandbox):
    hold = sandbox.hold("POST /v1/posts")  # Late is still working on the first request
    body = {"content": "slow", "platforms": [target("twitter")], "publishNow": True}
    results = {}

    def first():
        results["first"] = create(client, body, **{"Idempotency-Key": "slow-key"})

    t = threading.Thread(target=first)
    t.start()
    sandbox.wait_held(hold)
    second = create(client, body, **{"Idempotency-Key": "slow-key"})
    sandbox.release(hold)
    t.join()
    assert second.status_code == 409
    assert second.json()["code"] == "idempotency_conflict"
    assert int(second.headers["retry-after"]) >= 1
    assert results["first"].status_code == 201
    third = create(client, body, **{"Idempotency-Key": "slow-key"})
    assert third.status_code == 200
    assert sandbox.stats()["creates_by_idempotency_key"]["slow-key"] == 1


def test_sync_publish_delay_slows_a_publish_now(client, sandbox):
    sandbox.configure(syncPublishDelayMs=150)  # the knob itself: real time is what it is about
    t = time.monotonic()
    assert create(client, {"content": "now", "platforms": [target("twitter")], "publishNow": True}).status_code == 201
    assert time.monotonic() - t >= 0.15


def test_x_request_id_replay_and_202_while_saving(client, sandbox):
    body = {"content": "rid", "platforms": [target("twitter")], "scheduledFor": future(sandbox)}
    first = create(client, body, **{"x-request-id": "req-aaa"})
    assert first.status_code == 201
    assert first.headers["x-request-id"] == "req-aaa"
    same = create(client, body, **{"x-request-id": "req-aaa"})
    assert same.status_code == 200
    assert same.json()["post"]["_id"] == first.json()["post"]["_id"]
    dup = create(client, body, **{"x-request-id": "req-bbb"})  # same content, other id: content-hash guard
    assert dup.status_code == 409
    other = create(client, {**body, "content": "rid2"}, **{"x-request-id": "req-aaa"})
    assert other.status_code == 201  # different content, same id → a new post

    hold = sandbox.hold("POST /v1/posts")  # the first is still publishing when the second arrives
    now_body = {"content": "saving", "platforms": [target("bluesky")], "publishNow": True}
    results = {}
    t = threading.Thread(target=lambda: results.setdefault("r", create(client, now_body, **{"x-request-id": "r9"})))
    t.start()
    sandbox.wait_held(hold)
    second = create(client, now_body, **{"x-request-id": "r9"})
    sandbox.release(hold)
    t.join()
    assert second.status_code == 202
    assert second.json() == {"postId": results["r"].json()["post"]["_id"]}


def test_content_hash_duplicate_409_details_and_delete_frees_it(client, sandbox):
    body = {"content": "dupe", "mediaItems": image(), "platforms": [target("twitter")],
            "scheduledFor": future(sandbox)}
    first = create(client, body).json()["post"]
    r = create(client, {**body, "scheduledFor": future(sandbox, 48)})
    assert r.status_code == 409
    assert r.json()["details"] == {"accountId": ACCOUNTS["twitter"], "platform": "twitter",
                                   "existingPostId": first["_id"]}
    assert create(client, {**body, "mediaItems": image("https://cdn.example.com/b.jpg")}).status_code == 201
    assert client.delete(f"/v1/posts/{first['_id']}").status_code == 200
    assert create(client, body).status_code == 201


def test_queue_creates_on_next_free_slot(client):
    slot = client.get("/v1/queue/next-slot", params={"profileId": PROFILE_ID}).json()
    r = create(client, {"content": "q", "platforms": [target("twitter")], "queuedFromProfile": PROFILE_ID})
    assert r.status_code == 201
    post = r.json()["post"]
    assert post["scheduledFor"] == slot["nextSlot"]
    assert post["queuedFromProfile"] == PROFILE_ID
    assert post["queueId"] == slot["queueId"]
    nxt = client.get("/v1/queue/next-slot", params={"profileId": PROFILE_ID}).json()["nextSlot"]
    assert nxt > slot["nextSlot"]


def test_update_rules_and_draft_promotion(client, sandbox):
    draft = create(client, {"content": "draft", "platforms": [target("twitter")]}).json()["post"]
    when = future(sandbox)
    r = client.put(f"/v1/posts/{draft['_id']}", json={"scheduledFor": when})
    assert r.status_code == 200
    assert r.json()["post"]["status"] == "draft"  # only scheduledFor: stays a draft
    assert r.json()["post"]["scheduledFor"] is not None
    before = r.json()["post"]["updatedAt"]
    time.sleep(0.01)  # real time must pass: updatedAt is the wall clock in milliseconds
    r = client.put(f"/v1/posts/{draft['_id']}", json={"isDraft": False, "scheduledFor": when})
    assert r.json()["post"]["status"] == "scheduled"
    assert r.json()["post"]["updatedAt"] > before
    r = client.put(f"/v1/posts/{draft['_id']}", json={"content": "edited"})
    assert (r.status_code, r.json()["message"]) == (200, "Post updated successfully")
    assert r.json()["post"]["content"] == "edited"
    r = client.put(f"/v1/posts/{draft['_id']}", json={"content": "y" * 400})
    assert r.status_code == 400  # non-draft edits rerun validation
    r = client.put(f"/v1/posts/{draft['_id']}", json={"isDraft": True})
    assert r.json()["post"]["status"] == "draft"
    r = client.put(f"/v1/posts/{draft['_id']}", json={"isDraft": False, "publishNow": True})
    assert (r.status_code, r.json()["post"]["status"]) == (200, "published")
    r = client.put(f"/v1/posts/{draft['_id']}", json={"content": "too late"})
    assert r.status_code == 400
    assert client.put(f"/v1/posts/{draft['_id']}", json={"recycling": {"enabled": False}}).status_code == 200
    assert client.put("/v1/posts/65f1c0a9e2b5af0012ab9999", json={"content": "x"}).status_code == 404


def test_update_failed_post_reschedules_and_publishing_is_not_editable(client, sandbox):
    sandbox.force_outcome(ACCOUNTS["twitter"], "fail", count=1)
    failed = create(client, {"content": "f", "platforms": [target("twitter")], "publishNow": True}).json()["post"]
    assert failed["status"] == "failed"
    r = client.put(f"/v1/posts/{failed['_id']}", json={"scheduledFor": future(sandbox)})
    assert r.json()["post"]["status"] == "scheduled"
    assert r.json()["post"]["platforms"][0]["status"] == "pending"
    assert "errorMessage" not in r.json()["post"]["platforms"][0]
    sandbox.seed(posts=[{"_id": "65f1c0a9e2b5af0012ad0001", "content": "busy", "status": "publishing",
                         "platforms": [target("twitter")]}])
    assert client.put("/v1/posts/65f1c0a9e2b5af0012ad0001", json={"content": "x"}).status_code == 400


def test_delete_refuses_published_and_unknown_is_404(client):
    pub = create(client, {"content": "live", "platforms": [target("twitter")], "publishNow": True}).json()["post"]
    r = client.delete(f"/v1/posts/{pub['_id']}")
    assert r.status_code == 400
    draft = create(client, {"content": "gone"}).json()["post"]
    r = client.delete(f"/v1/posts/{draft['_id']}")
    assert r.json() == {"message": "Post deleted successfully"}
    assert client.get(f"/v1/posts/{draft['_id']}").status_code == 404
    assert client.delete(f"/v1/posts/{draft['_id']}").status_code == 404
    assert client.get("/v1/posts/not-an-id").status_code == 404


def test_retry_republishes_failed_targets_only(client, sandbox):
    sandbox.force_outcome(ACCOUNTS["linkedin"], "fail", count=1, errorMessage="boom")
    post = create(client, {"content": "r", "platforms": [target("twitter"), target("linkedin")],
                           "publishNow": True}).json()["post"]
    assert post["status"] == "partial"
    tw_id = post["platforms"][0]["platformPostId"]
    r = client.post(f"/v1/posts/{post['_id']}/retry")
    assert r.status_code == 200
    again = r.json()["post"]
    assert again["status"] == "published"
    assert again["platforms"][0]["platformPostId"] == tw_id  # untouched
    assert again["platforms"][1]["status"] == "published"
    assert client.post(f"/v1/posts/{post['_id']}/retry").status_code == 400  # published: invalid state
    sandbox.force_outcome(ACCOUNTS["bluesky"], "fail")
    f = create(client, {"content": "f", "platforms": [target("bluesky")], "publishNow": True}).json()["post"]
    r = client.post(f"/v1/posts/{f['_id']}/retry")
    assert r.status_code == 207
    assert r.json()["post"]["status"] == "failed"
    assert r.json()["error"]
    assert client.post("/v1/posts/65f1c0a9e2b5af0012ab9999/retry").status_code == 404


def test_tiktok_dry_run_persists_nothing(client, sandbox):
    body = {"content": "t", "mediaItems": [{"url": "https://cdn.example.com/v.mp4"}], "platforms": [target("tiktok")],
            "dryRun": True, "publishNow": True}
    r = create(client, body)
    assert r.status_code == 200
    assert r.json()["dryRun"] is True
    assert sandbox.stats()["postsTotal"] == 0
