"""Error mapping, base-URL rules, and the API key never leaking into exceptions, reprs or logs."""

from __future__ import annotations

import logging
import pickle
import traceback

import httpx
import pytest
from test_client_support import API_KEY, Script, make_client, reply

from latecal.late import LEGACY_BASE_URL, PRODUCTION_BASE_URL
from latecal.late.client import LateClient
from latecal.late.errors import (
    LateAuthError,
    LateConflict,
    LateDuplicatePost,
    LateError,
    LateForbidden,
    LateHTTPError,
    LateIdempotencyConflict,
    LateNotFound,
    LatePaymentRequired,
    LateRateLimited,
    LateServerError,
    LateValidationError,
)


@pytest.mark.asyncio
async def test_400_carries_type_code_param_details_and_request_id():
    body = {"error": "content is required when no media is attached", "type": "invalid_request_error",
            "code": "missing_required_field", "param": "content", "details": {"min": 1},
            "docUrl": "https://docs.zernio.com/errors"}
    client, _ = make_client(Script(reply(400, body, headers={"X-Request-Id": "req-400"})))
    async with client:
        with pytest.raises(LateValidationError) as info:
            await client.create_post({}, idempotency_key="k")
    err = info.value
    assert (err.status, err.error, err.type, err.code, err.param) == (
        400, "content is required when no media is attached", "invalid_request_error", "missing_required_field",
        "content")
    assert err.details == {"min": 1}
    assert err.request_id == "req-400"
    assert "content is required" in str(err)
    assert "param=content" in str(err)
    assert "req-400" in str(err)


@pytest.mark.asyncio
async def test_request_id_falls_back_to_the_one_we_sent():
    script = Script(reply(404, {"error": "Not found"}))
    client, _ = make_client(script)
    async with client:
        with pytest.raises(LateNotFound) as info:
            await client.get_post("nope")
    assert info.value.request_id == script.requests[0].headers["x-request-id"]
    assert info.value.error == "Not found"
    assert info.value.code is None


@pytest.mark.asyncio
@pytest.mark.parametrize("code", ["ACCOUNT_DISCONNECTED", "ACCOUNT_NOT_ENABLED_FOR_POSTING", "PROFILE_OVER_LIMIT",
                                  "insufficient_permissions", None])
async def test_403_keeps_its_code(code):
    body = {"error": "Forbidden", "type": "permission_error", **({"code": code} if code else {})}
    client, _ = make_client(Script(reply(403, body)))
    async with client:
        with pytest.raises(LateForbidden) as info:
            await client.create_post({}, idempotency_key="k")
    assert info.value.code == code
    assert info.value.status == 403


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (401, {"error": "Invalid API key", "type": "authentication_error", "code": "invalid_credentials"},
         LateAuthError),
        (402, {"error": "Payment required", "code": "PAYMENT_REQUIRED"}, LatePaymentRequired),
        (409, {"error": "slot taken", "code": "queue_slot_conflict"}, LateConflict),
        (409, {"error": "dup", "details": {"existingPostId": "e1"}}, LateDuplicatePost),
        (409, {"error": "busy", "code": "idempotency_conflict"}, LateIdempotencyConflict),
        (429, {"error": "Too many"}, LateRateLimited),
        (500, {"error": "oops"}, LateServerError),
        (418, {"error": "teapot"}, LateHTTPError),
    ],
)
async def test_status_to_exception_class(status, body, cls):
    client, _ = make_client(Script(reply(status, body, headers={"Retry-After": "99999"}), repeat_last=True),
                            max_retries=0)
    async with client:
        with pytest.raises(cls) as info:
            await client.update_post("p1", {"content": "x"})
    assert type(info.value) is cls
    assert isinstance(info.value, LateError)
    assert info.value.status == status
    assert info.value.error == body["error"]


@pytest.mark.asyncio
async def test_non_json_html_error_bodies():
    html = "<html><head><title>401 Authorization Required</title></head><body><h1>Nope</h1></body></html>"
    script = Script(reply(401, text=html, headers={"content-type": "text/html"}),
                    reply(502, text="<html><body>Bad Gateway</body></html>"), repeat_last=True)
    client, _ = make_client(script, max_retries=0)
    async with client:
        with pytest.raises(LateAuthError) as auth:
            await client.get_post("p1")
        with pytest.raises(LateServerError) as gateway:
            await client.get_post("p1")
    assert auth.value.error is None
    assert auth.value.code is None
    assert "401 Authorization Required Nope" in str(auth.value)
    assert "<" not in str(auth.value)
    assert "Bad Gateway" in str(gateway.value)


# --- base URL rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    PRODUCTION_BASE_URL, LEGACY_BASE_URL, "https://zernio.com/api/", "http://127.0.0.1:8123/api",
    "http://127.9.8.7/api", "http://localhost:9/api", "http://LOCALHOST:9/api", "http://[::1]:8000/api",
])
def test_accepted_base_urls(url):
    client = LateClient("sk_x", url)
    assert client.base_url == url.rstrip("/").lower()


@pytest.mark.parametrize("url", [
    "http://zernio.com/api", "http://192.168.1.10/api", "http://10.0.0.1:8080/api", "http://127.0.0.1.evil.com/api",
    "http://localhost.evil.com/api", "http://[::ffff:8.8.8.8]/api", "ftp://zernio.com/api", "zernio.com/api",
    "https://user:pw@zernio.com/api", "",
])
def test_refused_base_urls(url):
    with pytest.raises(ValueError):
        LateClient("sk_x", url)


@pytest.mark.asyncio
async def test_legacy_base_url_builds_v1_paths():
    script = Script(reply(200, {"profiles": []}))
    client, _ = make_client(script, base_url=LEGACY_BASE_URL)
    async with client:
        await client.list_profiles()
    assert str(script.requests[0].url) == "https://getlate.dev/api/v1/profiles"


@pytest.mark.parametrize("key", ["", " ", "sk_with space", "sk_new\nline"])
def test_bad_keys_are_refused_without_echo(key):
    with pytest.raises(ValueError) as info:
        LateClient(key)
    if key.strip():
        assert key not in str(info.value)


# --- the key never leaks ----------------------------------------------------------------------------------


def _everything_about(exc: BaseException) -> str:
    parts = []
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts += [str(exc), repr(exc), repr(exc.args), repr(vars(exc))]
        exc = exc.__cause__ or exc.__context__
    return "\n".join(parts)


@pytest.mark.asyncio
async def test_the_key_never_appears_in_exceptions_reprs_or_logs(caplog):
    caplog.set_level(logging.DEBUG)  # every logger, httpx's included
    echo = {"error": f"Invalid key {API_KEY}", "details": {"got": f"Bearer {API_KEY}", "nested": [API_KEY]},
            "param": API_KEY}
    script = Script(
        reply(401, echo),
        reply(400, text=f"<html>Bad key {API_KEY}</html>"),
        reply(500, echo), reply(500, echo),
        httpx.ConnectError(f"could not connect with {API_KEY}"), httpx.ConnectError("again"),
        httpx.ReadTimeout(f"timed out {API_KEY}"), httpx.ReadTimeout("x"),
        reply(429, echo, headers={"Retry-After": "1"}), reply(429, echo, headers={"Retry-After": "1"}),
        reply(409, dict(echo, details={"existingPostId": API_KEY})),
    )
    client, _ = make_client(script, max_retries=1)
    errors: list[BaseException] = []
    async with client:
        for _ in range(7):
            try:
                await client.get_post("p1")
            except LateError as exc:
                errors.append(exc)
                logging.getLogger("latecal.late").exception("call failed")
    assert len(errors) == 7
    assert all(r.headers["Authorization"] == f"Bearer {API_KEY}" for r in script.requests)  # it was sent
    for exc in errors:
        text = _everything_about(exc) + "".join(traceback.format_exception(exc))
        assert API_KEY not in text, type(exc)
        assert pickle.loads(pickle.dumps(exc, protocol=5)).args == exc.args
    assert API_KEY not in repr(client)
    assert API_KEY not in str(client)
    assert API_KEY not in repr(client._auth)
    assert caplog.records, "expected debug logging"
    for record in caplog.records:
        assert API_KEY not in record.getMessage()
        assert API_KEY not in (record.exc_text or "")
        assert API_KEY not in logging.Formatter().format(record)
