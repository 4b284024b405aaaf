"""The network side of the app, started after the window has painted: the Late client, the sync engine and,
in demo mode, the embedded sandbox; plus the one cheap call that checks a key. Qt-free; the UI wraps the
engine in ``ui.sync_bridge``.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from latecal.core.text import own_sentence, sentence
from latecal.late.client import LateClient
from latecal.late.errors import LateAuthError, LateError, LateNetworkError, LateRateLimited
from latecal.late.retry import RetryPolicy
from latecal.late.urls import PRODUCTION_BASE_URL, redact_url
from latecal.logs import redact
from latecal.store import Store
from latecal.sync import SyncEngine
from latecal.sync.engine import IDLE_INTERVAL_S
from latecal.threads import in_thread

if TYPE_CHECKING:
    from latecal.sandbox.runner import SandboxServer

log = logging.getLogger(__name__)

#: a key check is interactive: one quick retry at most, not the sync engine's patient backoff
CHECK_TIMEOUT_S = 15.0
CHECK_SERVER_WAIT_S = 5.0  # the longest Retry-After the key check waits out


@dataclass(slots=True)
class Services:
    client: LateClient
    engine: SyncEngine
    sandbox: SandboxServer | None = None

    @property
    def demo(self) -> bool:
        return self.sandbox is not None

    async def replace_client(self, client: LateClient) -> None:
        """A new key: the engine continues with the new client (local edits untouched), the old pool closes."""
        old, self.client = self.client, client
        self.engine.resume(client)
        await old.aclose()

    async def aclose(self) -> None:
        """Close the HTTP pool while the loop still runs, then stop the sandbox thread."""
        await self.client.aclose()
        if self.sandbox is not None:
            await in_thread(self.sandbox.stop)


async def start_demo(store: Store, state_file, *, idle_interval_s: float = IDLE_INTERVAL_S) -> Services:
    """Start the embedded sandbox (its own thread) with persistent demo data, on the port it had last time
    when that is free: the demo's media links carry the port, and a new one would break last session's."""
    from latecal.sandbox import DEMO_API_KEY
    from latecal.sandbox.runner import SandboxServer

    port_file = Path(state_file).with_name("sandbox.port") if state_file else None
    server = SandboxServer(api_keys=(DEMO_API_KEY,), demo=True, state_file=state_file, port=_last_port(port_file))
    try:
        await in_thread(server.start)
    except OSError:  # another program took that port meanwhile: any free one
        server = SandboxServer(api_keys=(DEMO_API_KEY,), demo=True, state_file=state_file)
        await in_thread(server.start)
    if port_file is not None:
        with contextlib.suppress(OSError):  # only a convenience for the next start
            port_file.write_text(str(server.port), encoding="utf-8")
    log.info("demo sandbox serving at %s", server.base_url)
    client = LateClient(DEMO_API_KEY, server.base_url)
    engine = SyncEngine(store, client, idle_interval_s=idle_interval_s)
    return Services(client=client, engine=engine, sandbox=server)


def _last_port(port_file: Path | None) -> int:
    try:
        port = int(port_file.read_text(encoding="utf-8")) if port_file is not None else 0
    except (OSError, ValueError):
        return 0
    return port if 1024 <= port <= 65535 else 0


def start_remote(store: Store, api_key: str, base_url: str | None, *,
                 idle_interval_s: float = IDLE_INTERVAL_S) -> Services:
    client = LateClient(api_key, base_url or PRODUCTION_BASE_URL)
    return Services(client=client, engine=SyncEngine(store, client, idle_interval_s=idle_interval_s))


class KeyCheck(StrEnum):
    OK = "ok"
    REJECTED = "rejected"  # 401: Late does not know this key
    OFFLINE = "offline"  # no answer: the key may be fine
    FAILED = "failed"  # another error (bad URL, 5xx, 403 ...)


@dataclass(frozen=True, slots=True)
class KeyCheckResult:
    outcome: KeyCheck
    message: str  # for the user; never contains the key

    @property
    def ok(self) -> bool:
        return self.outcome is KeyCheck.OK


async def check_key(api_key: str, base_url: str | None) -> KeyCheckResult:
    """One cheap authenticated call (list profiles) with ``api_key``; the answer in words a person can act on."""
    url = base_url or PRODUCTION_BASE_URL
    try:
        # one quick retry at most, and no long wait for a Retry-After: someone is looking at "Checking…"
        client = LateClient(api_key.strip(), url, timeout=CHECK_TIMEOUT_S,
                            retry_policy=RetryPolicy(max_retries=1, max_server_wait=CHECK_SERVER_WAIT_S))
    except ValueError as exc:  # empty key, whitespace inside, or an unusable base URL
        return KeyCheckResult(KeyCheck.FAILED, own_sentence(str(exc)))
    host = redact_url(client.base_url)
    try:
        async with client:
            await client.list_profiles()
    except LateAuthError:
        return KeyCheckResult(KeyCheck.REJECTED, "Late did not accept this key (HTTP 401). Copy it again from "
                                                 "Late's dashboard (Settings ▸ API keys) and paste the whole key.")
    except LateNetworkError:
        return KeyCheckResult(KeyCheck.OFFLINE, f"Could not reach Late at {host}. Check your internet "
                                                "connection (or the base URL: Settings, or --base-url) and try again.")
    except LateRateLimited:
        return KeyCheckResult(KeyCheck.FAILED, "Late is busy (too many requests right now). Try again in a minute.")
    except LateError as exc:
        detail = redact(exc.plain).replace(api_key, "[redacted]")
        return KeyCheckResult(KeyCheck.FAILED, f"Late answered with an error: {sentence(detail)}")
    return KeyCheckResult(KeyCheck.OK, "Late accepted the key.")
