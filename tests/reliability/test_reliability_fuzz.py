"""Fuzz: hypothesis-made Late payloads (valid, partial, wrong types, huge strings, unknown statuses) through the
wire parser and through a real pull (the listing served by httpx.MockTransport): nothing crashes, bad posts
are skipped and counted in the report, good ones are stored."""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from latecal.late.client import LateClient
from latecal.late.errors import WireError
from latecal.late.wire import post_from_json
from latecal.store import Store
from latecal.sync import SyncEngine
from reliability.harness import scale
from reliability.script import BASE

EXAMPLES = scale(40, 300)

pytestmark = [pytest.mark.reliability_full, pytest.mark.timeout(900)]

junk = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))
huge = st.builds(lambda n, c: c * n, st.integers(10_000, 200_000), st.sampled_from(["x", "é", "🎉", "\x00"]))
times = st.one_of(st.just("2030-03-04T09:00:00.000Z"), st.just("2030-03-04T10:00:00+02:00"),
                  st.just("2030-03-04 10:00"), st.just("not a date"), st.just(""), st.just("9999-99-99"), junk)
statuses = st.one_of(st.sampled_from(["draft", "scheduled", "publishing", "published", "partial", "failed",
                                      "cancelled", "pending_approval", "recycling", "archived", ""]), junk)
hex_ids = st.text("0123456789abcdef", min_size=24, max_size=24)
account = st.one_of(hex_ids, st.fixed_dictionaries({"_id": hex_ids}, optional={"platform": st.just("twitter")}),
                    junk)
target = st.one_of(st.fixed_dictionaries(
    {"platform": st.one_of(st.sampled_from(["twitter", "linkedin", "mastodon-x"]), junk), "accountId": account},
    optional={"status": statuses, "scheduledFor": times, "customContent": st.one_of(st.text(), huge, junk),
              "errorMessage": junk, "platformPostUrl": junk, "platformSpecificData": junk}), junk)
media = st.one_of(st.fixed_dictionaries({"url": st.one_of(st.just("https://cdn.example.com/a.png"), junk)},
                                        optional={"type": junk, "size": junk, "mimeType": junk}), junk)
post = st.fixed_dictionaries(
    {"_id": st.one_of(hex_ids, hex_ids, junk)},
    optional={"status": statuses, "content": st.one_of(st.text(), huge, junk), "title": junk,
              "scheduledFor": times, "updatedAt": times, "publishedAt": times, "timezone": st.one_of(
                  st.sampled_from(["Europe/Berlin", "Mars/Olympus", "UTC", ""]), junk),
              "platforms": st.one_of(st.lists(target, max_size=3), junk), "mediaItems": st.one_of(
                  st.lists(media, max_size=3), junk), "hashtags": junk, "tags": junk, "extra": junk},
)
payload = st.one_of(post, junk)


@settings(max_examples=EXAMPLES * 4, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.data_too_large])
@given(payload)
def test_wire_parser_returns_a_post_or_raises_wire_error_only(obj: Any):
    try:
        parsed = post_from_json(obj)
    except WireError:
        return
    assert parsed.late_id == obj["_id"] and isinstance(parsed.status, str)  # "" when Late sent none


def _listing(posts: list[Any]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/v1/posts"):
            return httpx.Response(200, json={"posts": posts, "pagination": {"total": len(posts)}})
        if path.endswith("/v1/accounts"):
            return httpx.Response(200, json={"accounts": []})
        if path.endswith("/v1/profiles"):
            return httpx.Response(200, json={"profiles": []})
        return httpx.Response(404, json={"error": "Post not found"})

    return httpx.MockTransport(handler)


def _expected_good(posts: list[Any]) -> set[str]:
    good = set()
    for p in posts:
        with contextlib.suppress(WireError):
            good.add(post_from_json(json.loads(json.dumps(p))).late_id or "")
    return good


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.data_too_large,
                                                                       HealthCheck.function_scoped_fixture])
@given(st.lists(post, max_size=12, unique_by=lambda p: repr(p.get("_id"))))
def test_pull_of_a_fuzzed_listing_skips_and_reports_bad_posts(qloop, tmp_path_factory, posts: list[dict]):
    posts = [p for p in posts if _jsonable(p)]
    store = Store.open(tmp_path_factory.mktemp("fuzz") / "f.sqlite3")

    async def run():
        async with LateClient("sk_fuzz", "http://127.0.0.1:9/api", transport=_listing(posts)) as client:
            engine = SyncEngine(store, client)
            engine.set_window(BASE - timedelta(days=3650), BASE + timedelta(days=3650))
            return await engine.run_once()

    try:
        report = qloop.run_until_complete(run())
        good = _expected_good(posts)
        readable = sum(1 for p in posts if isinstance(p.get("_id"), str) and p["_id"] in good)
        assert report.bad_posts + readable == len(posts)
        stored = {p.late_id for p in store.all_posts()}
        assert stored <= good and (stored == good or report.errors)
        assert store.check_integrity() == []
    finally:
        store.close()


def _jsonable(obj: Any) -> bool:
    try:
        json.dumps(obj, allow_nan=False)
    except (ValueError, TypeError):
        return False
    return True
