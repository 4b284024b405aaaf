"""The Late API key, kept only in the operating system's keyring. The only module that touches ``keyring``.

Without a usable keyring (a headless Linux with no Secret Service) the key lives in memory for this run only,
and the status says so; it is never written to a file. A locked keyring is reported as such, and a key given
meanwhile is also kept in memory. Calls can block on D-Bus or an unlock prompt, so the UI uses the ``a*``
coroutines, which run them in a worker thread; a lock keeps two calls from talking to the keyring at once.

Every key this module reads or stores is handed to ``latecal.logs.remember_secret`` so no log line can
contain it.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from enum import StrEnum

import keyring
import keyring.errors

from latecal.logs import remember_secret
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

    @property
    def where(self) -> str:
        return {
            Backend.SYSTEM: f"the system keyring ({self.name})",
            Backend.MEMORY: "memory only, for this run (no system keyring is available)",
            Backend.LOCKED: f"memory only, for this run (the system keyring, {self.name}, is locked)",
        }[self.backend]

    def describe(self) -> str:
        if not self.has_key:
            if self.backend is Backend.SYSTEM:
                return f"API key: not set (keyring: {self.name})"
            if self.backend is Backend.LOCKED:
                return f"API key: unknown, the system keyring ({self.name}) is locked"
            return "API key: not set (no system keyring is available; a key would be kept in memory only)"
        return f"API key: set; stored in {self.where}"


class KeyringUnavailable(Exception):
    """The key could not be read or written: the message says why, never contains the key."""


# keyring's own discovery imports every backend it ships, and its plugins' entry points, to ask each its priority:
# on Linux the macOS backend alone spends ~40 ms in ctypes' find_library. The platform's own backends are asked
# directly instead, in keyring's order of preference.
_PLATFORM_BACKENDS: dict[str, tuple[str, ...]] = {
    "darwin": ("keyring.backends.macOS.Keyring",),
    "win32": ("keyring.backends.Windows.WinVaultKeyring",),
}
_FREEDESKTOP_BACKENDS = (
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.libsecret.Keyring",
)
_chosen = False


def choose_backend() -> None:
    """Set keyring's backend to the best one of this platform, unless one is set already (tests) or the user
    named one (``PYTHON_KEYRING_BACKEND``, keyring's ``keyringrc.cfg``): then keyring decides as it always does.
    No usable backend: keyring's ``fail`` backend, and the key is kept in memory (``Backend.MEMORY``)."""
    global _chosen
    if _chosen:
        return
    _chosen = True
    import keyring.core
    from keyring.backends import fail

    # keyring's own state and config path (private names: if a release renames them, keyring decides as before)
    config = getattr(keyring.core, "_config_path", None)
    if (getattr(keyring.core, "_keyring_backend", "unknown") is not None or os.environ.get("PYTHON_KEYRING_BACKEND")
            or config is None or config().exists()):
        return
    for name in _PLATFORM_BACKENDS.get(sys.platform, _FREEDESKTOP_BACKENDS):
        try:
            ring = keyring.core.load_keyring(name)  # asks its priority: raises when it cannot work here
            if float(ring.priority) > 0:
                keyring.set_keyring(ring)
                return
        except Exception as exc:  # an import or D-Bus failure: this backend cannot work here
            log.debug("keyring backend %s unavailable: %s", name, type(exc).__name__)
    keyring.set_keyring(fail.Keyring())


def _backend() -> keyring.backend.KeyringBackend:
    choose_backend()
    return keyring.get_keyring()


def _backend_name() -> str:
    kr = _backend()
    return str(getattr(kr, "name", type(kr).__name__))


def _usable() -> bool:
    """False for keyring's fail backend (no keyring at all) and the null backend (stores nothing)."""
    kr = _backend()
    try:
        priority = float(kr.priority)
    except Exception:  # some backends compute priority and raise when unavailable
        return False
    return priority > 0 and not type(kr).__module__.startswith(("keyring.backends.fail", "keyring.backends.null"))


class KeyStore:
    """Get, set and delete the key; falls back to memory when no keyring backend works.

    One instance per app session: the memory fallback lives on it.
    """

    def __init__(self) -> None:
        self._memory: str | None = None
        self._fallback = Backend.MEMORY  # why the key is in memory: no keyring, or a locked one
        self._lock = threading.Lock()

    # -- blocking API (worker threads, the CLI) -----------------------------------------------------

    def status(self) -> KeyringStatus:
        if self._memory is not None:  # given while no keyring (or a locked one) could take it
            return KeyringStatus(self._fallback, _backend_name(), True)
        if not _usable():
            return KeyringStatus(Backend.MEMORY, _backend_name(), False)
        try:
            with self._lock:
                stored = keyring.get_password(SERVICE, USERNAME)
        except keyring.errors.KeyringLocked:
            return KeyringStatus(Backend.LOCKED, _backend_name(), False)
        except keyring.errors.KeyringError as exc:
            log.warning("keyring unavailable (%s); a key would be kept in memory", type(exc).__name__)
            return KeyringStatus(Backend.MEMORY, _backend_name(), False)
        return KeyringStatus(Backend.SYSTEM, _backend_name(), stored is not None)

    def get(self) -> str | None:
        """The key, or None when none is set or the keyring cannot be read (``status()`` says which)."""
        if self._memory is not None or not _usable():
            return self._memory
        try:
            with self._lock:
                key = keyring.get_password(SERVICE, USERNAME)
        except keyring.errors.KeyringError as exc:
            log.warning("could not read the key from the keyring: %s", type(exc).__name__)
            return None
        remember_secret(key)
        return key

    def set(self, key: str) -> Backend:
        """Store the key; the result says where it went (SYSTEM, or MEMORY/LOCKED: this run only)."""
        key = key.strip()
        if not key:
            raise ValueError("the API key is empty")
        if any(c.isspace() or ord(c) < 32 for c in key):
            raise ValueError("the API key contains spaces or control characters")
        remember_secret(key)
        if _usable():
            try:
                with self._lock:
                    keyring.set_password(SERVICE, USERNAME, key)
                self._memory = None
                return Backend.SYSTEM
            except keyring.errors.KeyringLocked:
                log.warning("the keyring is locked; keeping the key in memory for this run")
                self._memory, self._fallback = key, Backend.LOCKED
                return Backend.LOCKED
            except keyring.errors.KeyringError as exc:
                log.warning("could not store the key in the keyring (%s); keeping it in memory", type(exc).__name__)
        self._memory, self._fallback = key, Backend.MEMORY
        return Backend.MEMORY

    def delete(self) -> None:
        """Forget the key everywhere. Raises KeyringUnavailable when a locked keyring still holds it."""
        self._memory = None
        if not _usable():
            return
        try:
            with self._lock:
                keyring.delete_password(SERVICE, USERNAME)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored
        except keyring.errors.KeyringLocked as exc:
            raise KeyringUnavailable(f"the system keyring ({_backend_name()}) is locked") from exc
        except keyring.errors.KeyringError as exc:
            log.warning("could not delete the key from the keyring: %s", type(exc).__name__)
            raise KeyringUnavailable(f"the system keyring refused: {type(exc).__name__}") from exc

    # -- the same off the event loop's thread ----------------------------------------------------------

    async def aget(self) -> str | None:
        return await in_thread(self.get)

    async def aset(self, key: str) -> Backend:
        return await in_thread(self.set, key)

    async def adelete(self) -> None:
        await in_thread(self.delete)

    async def astatus(self) -> KeyringStatus:
        return await in_thread(self.status)
