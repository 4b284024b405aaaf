"""What a hostile or broken Late cannot do to the client: a body nested too deeply or too large is a clear
``MalformedResponse`` (never a RecursionError or a huge object tree), an id never leaves its URL segment, and
a target Late sends without its platform takes its account's."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from test_client_support import Script, make_client, post_json, reply

from latecal.late import bounded_json
from latecal.late.client import TOO_DEEP, TOO_LARGE
from latecal.late.errors import InvalidPathId, LateServerError, MalformedResponse
from latecal.late.listing import parse_posts
from latecal.late.path_ids import path_segment
from latecal.late.retry import RetryPolicy

NO_RETRY = RetryPolicy(max_retries=0)


def raw(status: int, content: bytes) -> httpx.Response:
    return httpx.Response(status, content=content, headers={"content-type": "application/json"})


# --- bounded parsing ----------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("content", [b"[" * 200_000 + b"]" * 200_000, b'{"posts":' + b"[" * 200_000])
async def test_a_body_nested_too_deeply_is_refused_with_a_clear_error(content: bytes) -> None:
    client, _ = make_client(Script(raw(200, content)), retry_policy=NO_RETRY)
    async with client:
        with pytest.raises(MalformedResponse) as info:
            await client.get_post("65f1c0a9e2b5af0012ab34cd")
    assert info.value.plain == TOO_DEEP == "Late's answer is nested too deeply to read"


@pytest.mark.asyncio
async def test_a_body_too_large_is_refused_with_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounded_json, "MAX_BYTES", 1000)
    body = json.dumps({"posts": [post_json(f"p{i}") for i in range(20)]}).encode()
    client, _ = make_client(Script(raw(200, body)), retry_policy=NO_RETRY)
    async with client:
        with pytest.raises(MalformedResponse) as info:
            await anext(client.iter_posts())
    assert info.value.plain == TOO_LARGE


@pytest.mark.asyncio
async def test_a_deep_error_body_still_gives_the_status() -> None:
    client, _ = make_client(Script(raw(503, b"[" * 100_000)), retry_policy=NO_RETRY)
    async with client:
        with pytest.raises(LateServerError) as info:
            await client.delete_post("65f1c0a9e2b5af0012ab34cd")
    assert info.value.status == 503


def test_depth_is_counted_outside_strings_only() -> None:
    brackets_in_text = json.dumps({"content": "[[[{{{" * 100 + '\\"[[[', "a": [[[1]]]}).encode()
    assert not bounded_json.nests_deeper_than(brackets_in_text, 4)
    assert bounded_json.nests_deeper_than(json.dumps({"a": [[[[1]]]]}).encode(), 4)
    assert not bounded_json.nests_deeper_than(json.dumps({"a": [[[1]]]}).encode(), 4)
    assert bounded_json.loads(b'{"a": [1, NaN, Infinity]}') == {"a": [1, None, None]}


def test_the_depth_check_adds_little_to_reading_a_500_post_page() -> None:
    page = json.dumps({"posts": [post_json(f"p{i}", content='Launch "day" [1/2]\n' * 8) for i in range(500)]})
    content = page.encode()

    def best(fn) -> float:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return min(times)

    check = best(lambda: bounded_json.nests_deeper_than(content, 64))
    reading = best(lambda: parse_posts(json.loads(content)["posts"]))
    # about 1 ms per 200 KB, as much as json.loads itself: a fifth of reading the page at most
    assert check < reading / 5, (check, reading)


# --- ids in paths -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("late_id", ["", ".", "..", "%2e", "%2E%2e", "%252e%252e"])
def test_ids_that_name_another_path_are_refused(late_id: str) -> None:
    with pytest.raises(InvalidPathId):
        path_segment(late_id)


@pytest.mark.parametrize(("late_id", "segment"), [
    ("65f1c0a9e2b5af0012ab34cd", "65f1c0a9e2b5af0012ab34cd"),
    ("a/b", "a%2Fb"),
    ("%2F", "%252F"),
    ("a?b#c", "a%3Fb%23c"),
    ("...", "..."),
])
def test_other_ids_are_one_encoded_segment(late_id: str, segment: str) -> None:
    assert path_segment(late_id) == segment


@pytest.mark.asyncio
async def test_deleting_odd_ids_never_leaves_the_post_path() -> None:
    script = Script(reply(200, {"message": "ok"}), repeat_last=True)
    client, _ = make_client(script, retry_policy=NO_RETRY)
    async with client:
        for late_id in (".", "..", "%2e%2e", ""):
            with pytest.raises(InvalidPathId):
                await client.delete_post(late_id)
        for late_id in ("%2F", "a/b", "../x"):
            await client.delete_post(late_id)
    paths = [r.url.raw_path.decode() for r in script.requests]
    assert paths == ["/api/v1/posts/%252F", "/api/v1/posts/a%2Fb", "/api/v1/posts/..%2Fx"]


# --- a target without platform ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_target_without_platform_takes_its_listed_accounts() -> None:
    bare = post_json("p1", platforms=[{"accountId": "acc1"}, {"accountId": "acc-unknown"}])
    resolvable = post_json("p2", platforms=[{"accountId": "acc1"}])
    script = Script(
        reply(200, {"posts": [bare, resolvable], "pagination": {}}),
        reply(200, {"accounts": [{"_id": "acc1", "platform": "bluesky", "profileId": "pr1"}]}),
        reply(200, {"posts": [bare, resolvable], "pagination": {}}),
    )
    client, _ = make_client(script, retry_policy=NO_RETRY)
    async with client:
        before = (await anext(client.iter_posts())).posts
        await client.list_accounts()
        after = (await anext(client.iter_posts())).posts
    assert [p.read_problems for p in before] == [("platforms[0].platform", "platforms[1].platform"),
                                                 ("platforms[0].platform",)]
    assert [t.platform for t in after[0].targets] == ["bluesky", ""]
    assert after[0].read_problems == ("platforms[0].platform", "platforms[1].platform")  # still read-only
    assert (after[1].targets[0].platform, after[1].read_problems) == ("bluesky", ())
