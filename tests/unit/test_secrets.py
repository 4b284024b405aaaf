"""KeyStore on the in-memory keyring, with no keyring at all, and with a locked one; calls off the UI thread."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from keyring_doubles import LockedKeyring
from latecal import logs
from latecal.secrets import SERVICE, USERNAME, Backend, KeyringUnavailable, KeyStore

KEY = "sk_unit_" + "3f" * 30


class BrokenKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError("D-Bus said no")

    def delete_password(self, service, username):
        raise keyring.errors.PasswordDeleteError("nothing")


class ThreadRecordingKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[int] = []
        self.value: str | None = None

    def get_password(self, service, username):
        self.threads.append(threading.get_ident())
        return self.value

    def set_password(self, service, username, password):
        self.threads.append(threading.get_ident())
        self.value = password

    def delete_password(self, service, username):
        self.threads.append(threading.get_ident())
        self.value = None


def test_the_suite_never_reaches_a_real_keychain(mem_keyring):
    assert keyring.get_keyring() is mem_keyring
    KeyStore().set(KEY)
    assert mem_keyring.store == {(SERVICE, USERNAME): KEY}


def test_round_trip_on_the_system_backend(mem_keyring):
    store = KeyStore()
    assert store.get() is None
    assert store.status().backend is Backend.SYSTEM and not store.status().has_key
    assert store.set(f"  {KEY}\n") is Backend.SYSTEM
    assert mem_keyring.store[(SERVICE, USERNAME)] == KEY  # trimmed
    assert KeyStore().get() == KEY  # another instance reads the keyring, not a cache
    status = store.status()
    assert (status.backend, status.has_key) == (Backend.SYSTEM, True)
    assert status.name in status.describe()
    store.delete()
    assert store.get() is None and mem_keyring.store == {}
    store.delete()  # deleting nothing is fine


@pytest.mark.parametrize("bad", ["", "   ", "sk_has space", "sk_tab\there"])
def test_unusable_keys_are_refused(bad):
    with pytest.raises(ValueError) as err:
        KeyStore().set(bad)
    assert bad.strip() == "" or bad not in str(err.value)


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring], ids=["fail", "null"])
def test_no_backend_keeps_the_key_in_memory_for_this_run(backend, mem_keyring):
    keyring.set_keyring(backend())
    store = KeyStore()
    status = store.status()
    assert (status.backend, status.has_key) == (Backend.MEMORY, False)
    assert "memory" in status.describe()
    assert store.set(KEY) is Backend.MEMORY
    assert store.get() == KEY
    status = store.status()
    assert (status.backend, status.has_key) == (Backend.MEMORY, True)
    assert "memory only, for this run" in status.describe() and KEY not in status.describe()
    assert KeyStore().get() is None  # nothing persisted anywhere
    store.delete()
    assert store.get() is None


def test_a_locked_keyring_is_reported_and_the_key_kept_in_memory():
    keyring.set_keyring(LockedKeyring())
    store = KeyStore()
    assert store.status().backend is Backend.LOCKED
    assert store.get() is None  # not an exception
    assert store.set(KEY) is Backend.LOCKED
    assert store.get() == KEY
    status = store.status()
    assert (status.backend, status.has_key) == (Backend.LOCKED, True)
    assert "locked" in status.describe()
    with pytest.raises(KeyringUnavailable, match="locked") as err:
        store.delete()
    assert KEY not in str(err.value)
    assert store.get() is None  # the in-memory copy is gone either way


def test_a_keyring_that_refuses_to_store_falls_back_to_memory(caplog):
    keyring.set_keyring(BrokenKeyring())
    store = KeyStore()
    with caplog.at_level(logging.WARNING):
        assert store.set(KEY) is Backend.MEMORY
    assert store.get() == KEY
    assert store.status().backend is Backend.MEMORY
    assert "PasswordSetError" in caplog.text and KEY not in caplog.text


@pytest.mark.asyncio
async def test_async_calls_run_off_the_event_loop_thread():
    backend = ThreadRecordingKeyring()
    keyring.set_keyring(backend)
    store = KeyStore()
    assert await store.aset(KEY) is Backend.SYSTEM
    assert await store.aget() == KEY
    assert (await store.astatus()).has_key
    await store.adelete()
    assert await store.aget() is None
    loop_thread = threading.get_ident()
    assert backend.threads and loop_thread not in backend.threads
    assert asyncio.get_running_loop().is_running()


def test_every_key_the_store_sees_is_redacted_from_logs(mem_keyring):
    mem_keyring.store[(SERVICE, USERNAME)] = KEY  # e.g. set by `latecal auth set` in another process
    assert KeyStore().get() == KEY
    assert logs.redact(f"token={KEY}") == f"token={logs.REDACTED}"
    other = "sk_second_" + "a1" * 30
    KeyStore().set(other)
    assert other not in logs.redact(f"x {other} y")


def test_only_latecal_secrets_imports_keyring():
    root = Path(__file__).resolve().parents[2] / "desktop" / "latecal"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "secrets.py" and re.search(r"^\s*(import|from)\s+keyring\b", path.read_text(), re.M)
    ]
    assert offenders == []
