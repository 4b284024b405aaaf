"""Keyring backends for tests of the failure paths (the happy path uses memkeyring.MemoryKeyring)."""

from __future__ import annotations

import keyring.errors
from keyring.backend import KeyringBackend


class LockedKeyring(KeyringBackend):
    """A keyring that exists but will not unlock (a dismissed prompt, a wrong password)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service, username, password):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service, username):
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")
