"""The log filter: Authorization headers, bearer tokens and the stored key never reach a log file; the
client's repr and exceptions never contain the key either."""

from __future__ import annotations

import logging

import httpx
import pytest

from latecal import logs
from latecal.late.client import LateClient
from latecal.late.errors import LateAuthError, LateValidationError
from latecal.secrets import KeyStore

KEY = "sk_log_" + "7d" * 30


@pytest.fixture(autouse=True)
def restore_levels():
    loggers = [logging.getLogger(n) for n in ("", "httpx")]
    levels = [lg.level for lg in loggers]
    yield
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "logs" / "latecal.log"
    logs.configure_logging(path, level=logging.DEBUG)
    yield path
    logs.close_log_file()


def read(path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("line", [
    "Authorization: Bearer {k}",
    "headers={{'Authorization': 'Bearer {k}', 'Accept': 'application/json'}}",
    '{{"authorization": "{k}"}}',
    "sent bearer {k} to the server",
])
def test_authorization_headers_are_redacted(line):
    text = line.format(k="tok_" + "x" * 20)
    clean = logs.redact(text)
    assert "tok_" not in clean and logs.REDACTED in clean


def test_the_filter_sits_on_every_root_handler(log_file):
    root = logging.getLogger()
    assert root.handlers and all(logs.REDACTOR in h.filters for h in root.handlers)


def test_the_stored_key_is_redacted_everywhere_in_a_record(log_file, mem_keyring):
    KeyStore().set(KEY)
    log = logging.getLogger("latecal.test")
    log.info("key in the message %s", KEY)
    log.warning("plain %s", {"api_key": KEY})
    log.debug(f"formatted early: {KEY}")
    try:
        raise RuntimeError(f"boom with {KEY}")
    except RuntimeError:
        log.exception("an error")
    log.info("stack", stack_info=True, extra={})
    text = read(log_file)
    assert KEY not in text
    assert text.count(logs.REDACTED) >= 4
    assert "boom with [redacted]" in text  # the traceback was redacted, not dropped


def test_a_new_key_is_redacted_as_soon_as_it_is_stored(log_file, mem_keyring):
    KeyStore().set(KEY)
    new = "sk_new_" + "4b" * 30
    KeyStore().set(new)
    logging.getLogger("latecal.test").warning("old %s new %s", KEY, new)
    text = read(log_file)
    assert KEY not in text and new not in text


def test_handlers_added_later_get_the_filter_when_a_key_is_seen(mem_keyring):
    root = logging.getLogger()
    late_handler = logging.StreamHandler()
    root.addHandler(late_handler)
    try:
        KeyStore().set(KEY)
        assert logs.REDACTOR in late_handler.filters
    finally:
        root.removeHandler(late_handler)


def test_moving_the_log_file_keeps_one_file_handler(tmp_path):
    try:
        logs.configure_logging(tmp_path / "a" / "x.log")
        logs.configure_logging(tmp_path / "b" / "x.log")
        files = [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)
                 and getattr(h, "_latecal", False)]
        assert [h.baseFilename for h in files] == [str(tmp_path / "b" / "x.log")]
    finally:
        logs.close_log_file()


@pytest.mark.asyncio
async def test_client_repr_and_errors_never_contain_the_key():
    def echo_key(request: httpx.Request) -> httpx.Response:
        auth = request.headers["authorization"]
        status = 401 if request.url.path.endswith("/profiles") else 400
        return httpx.Response(status, json={"error": f"bad token {auth}", "details": {"seen": auth}})

    client = LateClient(KEY, "https://late.example/api", transport=httpx.MockTransport(echo_key), max_retries=0)
    assert KEY not in repr(client) and KEY not in str(vars(client).get("_auth", ""))

    with pytest.raises(LateAuthError) as auth_err:
        await client.list_profiles()
    with pytest.raises(LateValidationError) as bad:
        await client.get_post("abc")
    await client.aclose()
    for err in (auth_err.value, bad.value):
        for text in (str(err), repr(err), str(err.details), str(err.error)):
            assert KEY not in text
