"""The keyring backend is the platform's own, chosen without importing the others (keyring's discovery imports
them all: on Linux its macOS backend alone costs ~40 ms); a backend the user named is still honoured.

Each case runs ``latecal auth status`` in a fresh process: the choice is made once per process. No D-Bus session
bus is reachable there, so nothing can touch a real keyring.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = """
import sys
from latecal.__main__ import main
code = main(["auth", "status"])
print("IMPORTED", sorted(m for m in sys.modules if m.startswith("keyring.backends.")))
sys.exit(code)
"""


def _auth_status(tmp_path, **env_extra) -> tuple[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path),
               DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path / 'no-bus'}", **env_extra)
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=60)
    out = proc.stdout
    imported = next(line for line in out.splitlines() if line.startswith("IMPORTED"))
    return out, eval(imported.split(" ", 1)[1])  # a list literal printed by the probe


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the freedesktop backends are Linux's and BSD's")
def test_on_linux_only_the_freedesktop_backends_are_tried_and_the_status_names_the_outcome(tmp_path):
    out, imported = _auth_status(tmp_path)
    assert "keyring.backends.macOS" not in imported and "keyring.backends.Windows" not in imported
    assert "keyring.backends.SecretService" in imported
    # no session bus here: no keyring can hold the key, and the status says so (and which backend keyring is on)
    assert "API key: not set (no system keyring is available" in out


def test_a_backend_the_user_names_is_honoured(tmp_path):
    out, imported = _auth_status(tmp_path, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    assert "keyring.backends.null" in imported and "keyring.backends.SecretService" not in imported
    assert "API key: not set" in out


def test_keyrings_own_config_file_is_honoured(tmp_path):
    config = tmp_path / "config" / "python_keyring"
    config.mkdir(parents=True)
    (config / "keyringrc.cfg").write_text("[backend]\ndefault-keyring=keyring.backends.null.Keyring\n")
    _out, imported = _auth_status(tmp_path)
    assert "keyring.backends.null" in imported and "keyring.backends.SecretService" not in imported
