"""The network side of the app, started after the window has painted: the Late client, the sync engine and,
in demo mode, the embedded sandbox. Qt-free; the UI wraps the engine in ``ui.sync_bridge``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from latecal.late.client import LateClient
from latecal.late.urls import PRODUCTION_BASE_URL
from latecal.store import Store
from latecal.sync import SyncEngine
from latecal.threads import in_thread

if TYPE_CHECKING:
    from latecal.sandbox.runner import SandboxServer

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Services:
    client: LateClient
    engine: SyncEngine
    sandbox: SandboxServer | None = None

    async def aclose(self) -> None:
        """Close the HTTP pool while the loop still runs, then stop the sandbox thread."""
        await self.client.aclose()
        if self.sandbox is not None:
            await in_thread(self.sandbox.stop)


async def start_demo(store: Store, state_file) -> Services:
    """Start the embedded sandbox (its own thread, port 0) with persistent demo data."""
    from latecal.sandbox import DEMO_API_KEY
    from latecal.sandbox.runner import SandboxServer

    server = SandboxServer(api_keys=(DEMO_API_KEY,), demo=True, state_file=state_file)
    await in_thread(server.start)
    log.info("demo sandbox serving at %s", server.base_url)
    client = LateClient(DEMO_API_KEY, server.base_url)
    return Services(client=client, engine=SyncEngine(store, client), sandbox=server)


def start_remote(store: Store, api_key: str, base_url: str | None) -> Services:
    client = LateClient(api_key, base_url or PRODUCTION_BASE_URL)
    return Services(client=client, engine=SyncEngine(store, client))
