"""The sandbox's answers, over loopback, for every operation the app uses, validate against Late's published
schema: the pydantic models the official SDK (``late-sdk``) generates from Late's openapi.yaml. Where the schema
is silent or looser than Late's prose (late-api.md §10), the rules are asserted here too: a field without a
value is left out rather than sent as null, and the status codes are the documented ones."""

from __future__ import annotations

from typing import Any

import httpx
from late.models._generated import models as schema  # Late's SDK: a test dependency

from latecal.sandbox.runner import SandboxServer
from sandbox_support import ACCOUNTS, PROFILE_ID, future, image, target

#: the only nulls Late documents in these answers (late-api.md §2.2, §4.2, §5)
DOCUMENTED_NULLS = {"pagination.nextCursor", "profiles[].externalId", "profiles[].timezone", "nextSlot"}


def valid(model: type, response: httpx.Response, status: int) -> dict[str, Any]:
    """The body of ``response``, checked: the documented status, Late's schema, and no undocumented null."""
    assert response.status_code == status, response.text
    body = response.json()
    model.model_validate(body)  # raises pydantic's ValidationError naming the field
    assert sorted(set(_nulls(body)) - DOCUMENTED_NULLS) == []
    return body


def _nulls(value: Any, path: str = "") -> Any:
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if item is None:
                yield where
            else:
                yield from _nulls(item, where)
    elif isinstance(value, list):
        for item in value:
            yield from _nulls(item, f"{path}[]")


def _create(client: httpx.Client, body: dict[str, Any], status: int, model: type | None = None) -> dict[str, Any]:
    return valid(model or schema.PostCreateResponse, client.post("/v1/posts", json=body), status)["post"]


def test_posts_round_trip_validates(client: httpx.Client, sandbox: SandboxServer) -> None:
    draft = _create(client, {"content": "A draft without a time", "platforms": [target("twitter")]}, 201)
    assert "scheduledFor" not in draft  # Late omits it; null is not in the schema
    scheduled = _create(client, {"content": "Scheduled", "platforms": [target("twitter"), target("bluesky")],
                                 "scheduledFor": future(sandbox), "mediaItems": image()}, 201)
    replayed = valid(schema.PostCreateResponse, client.post("/v1/posts", json={
        "content": "Keyed", "platforms": [target("linkedin")]}, headers={"Idempotency-Key": "k1"}), 201)["post"]
    again = valid(schema.PostCreateResponse, client.post("/v1/posts", json={"content": "other"},
                                                         headers={"Idempotency-Key": "k1"}), 200)["post"]
    assert again["_id"] == replayed["_id"]  # an idempotent replay is 200 with the original post
    client.delete(f"/v1/posts/{replayed['_id']}")
    published = _create(client, {"content": "Now", "platforms": [target("bluesky")], "publishNow": True}, 201)
    assert published["status"] == "published"

    listed = valid(schema.PostsListResponse, client.get("/v1/posts", params={"limit": 500}), 200)
    assert {p["_id"] for p in listed["posts"]} == {draft["_id"], scheduled["_id"], published["_id"]}
    listed_draft = next(p for p in listed["posts"] if p["_id"] == draft["_id"])
    assert "scheduledFor" not in listed_draft
    valid(schema.PostGetResponse, client.get(f"/v1/posts/{draft['_id']}"), 200)
    updated = valid(schema.PostUpdateResponse, client.put(f"/v1/posts/{scheduled['_id']}",
                                                          json={"content": "Changed"}), 200)
    assert updated["post"]["content"] == "Changed"
    # back to a draft without a time: the time goes, and is not sent back as null
    undated = valid(schema.PostUpdateResponse, client.put(f"/v1/posts/{draft['_id']}",
                                                          json={"content": "Still a draft", "isDraft": True}), 200)
    assert "scheduledFor" not in undated["post"]
    valid(schema.PostDeleteResponse, client.delete(f"/v1/posts/{draft['_id']}"), 200)
    valid(schema.ErrorResponse, client.get(f"/v1/posts/{draft['_id']}"), 404)


def test_a_failed_publish_and_its_retry_validate(client: httpx.Client, sandbox: SandboxServer) -> None:
    sandbox.force_outcome(ACCOUNTS["linkedin"], "fail", errorCategory="platform_error", errorMessage="Down")
    failed = _create(client, {"content": "Goes wrong", "platforms": [target("linkedin")], "publishNow": True}, 207,
                     schema.PostPublishIncompleteResponse)
    assert failed["status"] == "failed"
    sandbox.clear_outcomes()
    retried = valid(schema.PostRetryResponse, client.post(f"/v1/posts/{failed['_id']}/retry"), 200)
    assert retried["post"]["status"] == "published"


def test_a_refused_create_is_an_error_response(client: httpx.Client) -> None:
    body = valid(schema.ErrorResponse, client.post("/v1/posts", json={"content": "x" * 300, "publishNow": True,
                                                                      "platforms": [target("twitter")]}), 400)
    assert body["error"]


def test_accounts_profiles_queue_and_media_validate(client: httpx.Client) -> None:
    accounts = valid(schema.AccountsListResponse, client.get("/v1/accounts"), 200)["accounts"]
    assert {a["_id"] for a in accounts} == set(ACCOUNTS.values())
    profiles = valid(schema.ProfilesListResponse, client.get("/v1/profiles"), 200)["profiles"]
    assert PROFILE_ID in {p["_id"] for p in profiles}
    slot = valid(schema.QueueNextSlotResponse, client.get("/v1/queue/next-slot", params={"profileId": PROFILE_ID}),
                 200)
    assert slot["profileId"] == PROFILE_ID
    valid(schema.QueueSlotsResponse, client.get("/v1/queue/slots", params={"profileId": PROFILE_ID}), 200)
    valid(schema.ErrorResponse, client.get("/v1/queue/next-slot"), 400)
    presigned = valid(schema.MediaUploadResponse, client.post("/v1/media/presign", json={
        "filename": "a.jpg", "contentType": "image/jpeg"}), 200)
    assert presigned["uploadUrl"] and presigned["publicUrl"]
