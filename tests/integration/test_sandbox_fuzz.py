"""Bad input never yields a 5xx when no fault is configured (hypothesis over bodies and query strings)."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from latecal.sandbox.runner import SandboxServer
from sandbox_support import ACCOUNTS, KEY, seed_basic


@pytest.fixture(scope="module")
def fuzz_client():
    with SandboxServer(seed=99) as srv:
        seed_basic(srv)
        with httpx.Client(base_url=srv.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10) as c:
            yield c


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                    st.sampled_from(["2030-01-01T10:00:00Z", "2019-01-01", "Europe/Berlin", "twitter", "instagram",
                                     *ACCOUNTS.values(), "https://x.test/a.png", "draft", "scheduled"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["platform", "accountId", "url", "type", "customContent", "customMedia", "scheduledFor",
                     "platformSpecificData", "x"]), inner, max_size=4), max_leaves=12)
post_keys = st.sampled_from(["content", "title", "platforms", "mediaItems", "scheduledFor", "publishNow", "isDraft",
                             "timezone", "tags", "queuedFromProfile", "requiresApproval", "dryRun", "metadata",
                             "visibility", "tiktokSettings", "recycling", "queueId", "hashtags", "other"])
bodies = st.one_of(st.dictionaries(post_keys, values, max_size=6), values)
query = st.lists(st.tuples(
    st.sampled_from(["page", "limit", "offset", "cursor", "status", "platform", "profileId", "accountId",
                     "fromDate", "toDate", "dateFrom", "search", "tags", "sortBy", "fields", "includeHidden",
                     "source", "bogus"]),
    st.one_of(st.text(max_size=12), st.integers(-5, 1000).map(str),
              st.sampled_from(["2030-01-01", "scheduled-asc", "status", ACCOUNTS["twitter"], "content,status"]))),
    max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, idem=st.one_of(st.none(), st.text("abc-_0123456789", min_size=1, max_size=5)))
def test_post_bodies_never_5xx(fuzz_client, body, idem):
    headers = {"Idempotency-Key": idem} if idem else {}
    r = fuzz_client.post("/v1/posts", content=json.dumps(body), headers=headers)
    assert r.status_code < 500, r.text
    if r.status_code in (200, 201, 207) and "post" in r.json():
        post_id = r.json()["post"]["_id"]
        assert fuzz_client.put(f"/v1/posts/{post_id}", content=json.dumps(body)).status_code < 500
        assert fuzz_client.post(f"/v1/posts/{post_id}/retry").status_code < 500
        assert fuzz_client.delete(f"/v1/posts/{post_id}").status_code < 500


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=query)
def test_list_queries_never_5xx(fuzz_client, params):
    r = fuzz_client.get("/v1/posts", params=params)
    assert r.status_code < 500, r.text
    assert r.status_code in (200, 400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=60), path=st.sampled_from(["/v1/media/presign", "/v1/posts",
                                                        "/v1/posts/bulk-upload"]))
def test_raw_bytes_never_5xx(fuzz_client, raw, path):
    assert fuzz_client.post(path, content=raw).status_code < 500
