"""The Late API key, kept only in the operating system's keyring. The only module that touches ``keyring``.

Without a usable keyring (a headless Linux with no Secret Service) the key lives in memory for this run only,
and the status says so; it is never written to a file. Calls can block on D-Bus or an unlock prompt, so the
UI uses the ``a*`` coroutines, which run them in a worker thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

import keyring
import keyring.errors

from latecal.threads import in_thread

log = logging.getLogger(__name__)

SERVICE = "latecal"
USERNAME = "late-api-key"


class Backend(StrEnum):
    SYSTEM = "system"  # a real OS keyring holds (or can hold) the key
    MEMORY = "memory"  # no usable keyring: kept in memory for this run only
    LOCKED = "locked"  # the keyring exists but refused to unlock


@dataclass(frozen=True, slots=True)
class KeyringStatus:
    backend: Backend
    name: str  # the keyring backend's own name, for "Stored in: …"
    has_key: bool

    def describe(self) -> str:
        where = {
            Backend.SYSTEM: f"the system keyring ({self.name})",
            Backend.MEMORY: "memory only, for this run (no system keyring is available)",
            Backend.LOCKED: f"the system keyring ({self.name}), which is locked",
        }[self.backend]
        return f"API key: {'set' if self.has_key else 'not set'}; stored in {where}"


def _backend_name() -> str:
    kr = keyring.get_keyring()
    return getattr(kr, "name", type(kr).__name__)


def _usable() -> bool:
    kr = keyring.get_keyring()
    return getattr(kr, "priority", 0) > 0 and not type(kr).__module__.startswith("keyring.backends.fail")


class KeyStore:
    """Get, set and delete the key; falls back to memory when no keyring backend works."""

    def __init__(self) -> None:
        self._memory: str | None = None

    def status(self) -> KeyringStatus:
        if not _usable():
            return KeyringStatus(Backend.MEMORY, _backend_name(), self._memory is not None)
        try:
            has = keyring.get_password(SERVICE, USERNAME) is not None
        except keyring.errors.KeyringLocked:
            return KeyringStatus(Backend.LOCKED, _backend_name(), self._memory is not None)
        except keyring.errors.KeyringError as exc:
            log.warning("keyring unavailable (%s); keeping the key in memory", type(exc).__name__)
            return KeyringStatus(Backend.MEMORY, _backend_name(), self._memory is not None)
        return KeyringStatus(Backend.SYSTEM, _backend_name(), has or self._memory is not None)

    def get(self) -> str | None:
        if self._memory is not None or not _usable():
            return self._memory
        try:
            return keyring.get_password(SERVICE, USERNAME)
        except keyring.errors.KeyringError as exc:
            log.warning("could not read the key from the keyring: %s", type(exc).__name__)
            return None

    def set(self, key: str) -> Backend:
        key = key.strip()
        if not key:
            raise ValueError("the API key is empty")
        if _usable():
            try:
                keyring.set_password(SERVICE, USERNAME, key)
                self._memory = None
                return Backend.SYSTEM
            except keyring.errors.KeyringLocked:
                self._memory = key
                return Backend.LOCKED
            except keyring.errors.KeyringError as exc:
                log.warning("could not store the key in the keyring (%s); keeping it in memory", type(exc).__name__)
        self._memory = key
        return Backend.MEMORY

    def delete(self) -> None:
        self._memory = None
        if _usable():
            try:
                keyring.delete_password(SERVICE, USERNAME)
            except keyring.errors.PasswordDeleteError:
                pass  # nothing stored
            except keyring.errors.KeyringError as exc:
                log.warning("could not delete the key from the keyring: %s", type(exc).__name__)

    async def aget(self) -> str | None:
        return await in_thread(self.get)

    async def aset(self, key: str) -> Backend:
        return await in_thread(self.set, key)

    async def astatus(self) -> KeyringStatus:
        return await in_thread(self.status)
