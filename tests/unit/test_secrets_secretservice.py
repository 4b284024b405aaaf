"""Set, get and clear against a real Secret Service (gnome-keyring under dbus-run-session in scripts/test.sh).

Run just these:  XDG_RUNTIME_DIR=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c \\
  'echo -n ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \\
   LATECAL_SECRET_SERVICE_TESTS=1 .venv/bin/python -m pytest -m secretservice -q'
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from keyring.backends import SecretService

from latecal.secrets import SERVICE, USERNAME, Backend, KeyStore

pytestmark = pytest.mark.secretservice

KEY = "sk_ss_" + "5e" * 30 + "_ü"  # non-ASCII survives the D-Bus round trip


def fresh_backend_value() -> str | None:
    """What the Secret Service holds, read through a new connection (not KeyStore, not a cache)."""
    return SecretService.Keyring().get_password(SERVICE, USERNAME)


def test_keystore_round_trip(secret_service):
    store = KeyStore()
    assert store.status().backend is Backend.SYSTEM
    assert store.set(KEY) is Backend.SYSTEM
    assert fresh_backend_value() == KEY
    assert KeyStore().get() == KEY
    status = KeyStore().status()
    assert (status.backend, status.has_key) == (Backend.SYSTEM, True)
    assert "SecretService" in status.name
    store.delete()
    assert fresh_backend_value() is None
    assert KeyStore().get() is None


@pytest.mark.asyncio
async def test_keystore_round_trip_off_the_loop(secret_service):
    store = KeyStore()
    assert await store.aset(KEY) is Backend.SYSTEM
    assert await store.aget() == KEY
    await store.adelete()
    assert await store.aget() is None


def _auth(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")
    return subprocess.run([sys.executable, "-m", "latecal", "auth", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=60)


def test_cli_set_status_clear_in_a_subprocess(secret_service):
    result = _auth("set", stdin=KEY + "\n")
    assert result.returncode == 0, result.stderr
    assert fresh_backend_value() == KEY
    status = _auth("status")
    assert status.returncode == 0
    assert "SecretService" in status.stdout and "set; stored in the system keyring" in status.stdout
    cleared = _auth("clear")
    assert cleared.returncode == 0 and "Removed" in cleared.stdout
    assert fresh_backend_value() is None
    after = _auth("status")
    assert after.returncode == 1 and "not set" in after.stdout
    for r in (result, status, cleared, after):
        assert KEY not in r.stdout and KEY not in r.stderr
        assert KEY.encode("utf-8").hex() not in r.stdout  # not even encoded
