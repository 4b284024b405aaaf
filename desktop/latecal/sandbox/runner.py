"""Run the sandbox in-process: uvicorn on a background daemon thread, bound to a port chosen by the OS.

    with SandboxServer(demo=True) as sb:
        client = httpx.Client(base_url=sb.base_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"})
        ...
        sb.advance(3600)        # the publishing simulation runs on the advanced clock
        sb.stats()["creates_by_idempotency_key"]

``base_url`` is ``http://HOST:PORT/api`` (Late routes under ``/v1``); ``control_url`` is
``http://HOST:PORT/_sandbox``. The helper methods mirror the control API and act on the state directly.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from pathlib import Path
from typing import Any

import uvicorn

from .app import build_app
from .service import Sandbox

log = logging.getLogger(__name__)
TICK_S = 0.5


class SandboxServer:
    def __init__(
        self,
        *,
        api_keys: tuple[str, ...] | list[str] = ("sk_test_sandbox",),
        demo: bool = False,
        state_file: str | Path | None = None,
        latency_ms: int = 0,
        fail_rate: float = 0.0,
        rpm_limit: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
    ) -> None:
        self.sandbox = Sandbox(api_keys=api_keys, demo=demo, state_file=state_file, latency_ms=latency_ms,
                               fail_rate=fail_rate, rpm_limit=rpm_limit, seed=seed)
        self.host = host
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self._error: BaseException | None = None

    # -- lifecycle --------------------------------------------------------------------------------------------
    @property
    def state(self) -> Any:
        return self.sandbox.state

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api"

    @property
    def control_url(self) -> str:
        return f"{self.origin}/_sandbox"

    @property
    def api_key(self) -> str:
        return sorted(self.sandbox.api_keys)[0]

    def start(self, timeout: float = 10.0) -> str:
        if self._thread is not None:
            return self.base_url
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this; without it uvicorn's separate header/body writes meet delayed ACKs
        # and every response takes ~40 ms.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        sock.listen(128)
        sock.setblocking(False)
        self._sock = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            build_app(self.sandbox), lifespan="off", log_level="warning", access_log=False, http="h11",
            ws="none", proxy_headers=False, server_header=False, date_header=True,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name=f"latecal-sandbox:{self.port}",
                                         daemon=True)
        self._thread.start()
        if not ready.wait(timeout) or self._error is not None:
            self.stop()
            raise RuntimeError(f"sandbox did not start: {self._error!r}")
        return self.base_url

    def _run(self, ready: threading.Event) -> None:
        try:
            asyncio.run(self._serve(ready))
        except BaseException as exc:  # surfaced by start()
            self._error = exc
            ready.set()

    async def _serve(self, ready: threading.Event) -> None:
        assert self._server is not None
        assert self._sock is not None
        server = self._server

        async def ticker() -> None:
            while not server.started:
                await asyncio.sleep(0.01)
            ready.set()
            while not server.should_exit:
                await asyncio.sleep(TICK_S)
                try:
                    self.sandbox.tick()
                    if self.sandbox.state.dirty:
                        await asyncio.to_thread(self.sandbox.save_if_due)
                except Exception:
                    log.exception("sandbox tick failed")

        task = asyncio.create_task(ticker())
        try:
            await server.serve(sockets=[self._sock])
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def stop(self) -> None:
        self.sandbox.holds.release()  # a held request would keep uvicorn's graceful shutdown waiting
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._server = None
        try:
            self.sandbox.save()
        except OSError:
            log.exception("could not save the sandbox state")

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers mirroring the control API --------------------------------------------------------------------
    def reset(self, *, demo: bool | None = None) -> dict[str, Any]:
        """As new (see Sandbox.reset): what a module-scoped server does between tests."""
        return self.sandbox.reset(demo=demo)

    def seed(self, *, profiles: list[dict[str, Any]] | None = None, accounts: list[dict[str, Any]] | None = None,
             posts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        return self.sandbox.seed_data({"profiles": profiles or [], "accounts": accounts or [], "posts": posts or []})

    def advance(self, seconds: float) -> dict[str, Any]:
        return self.sandbox.advance(seconds)

    def now(self) -> str:
        return self.sandbox.state.now_iso()

    def tick(self) -> int:
        return self.sandbox.tick()

    def configure(self, **patch: Any) -> dict[str, Any]:
        """camelCase keys as in PATCH /_sandbox/config: latencyMs, failRate, rpmLimit, publishDurationSeconds,
        syncPublishDelayMs, seed."""
        return self.sandbox.set_config(patch)

    def add_fault(self, kind: str, **rule: Any) -> dict[str, Any]:
        return self.sandbox.faults.add({"kind": kind, **rule})

    def clear_faults(self) -> None:
        self.sandbox.faults.clear()

    def force_outcome(self, account_id: str, outcome: str = "fail", **rule: Any) -> dict[str, Any]:
        return self.sandbox.force_outcome({"accountId": account_id, "outcome": outcome, **rule})

    def clear_outcomes(self) -> None:
        self.sandbox.clear_outcomes()

    def stats(self) -> dict[str, Any]:
        return self.sandbox.stats()

    def hold(self, route: str, count: int | None = 1) -> str:
        """Make the next ``count`` requests to ``route`` wait until ``release`` (holds.py); returns the hold id."""
        return self.sandbox.holds.add({"route": route, "count": count})["id"]

    def wait_held(self, hold_id: str, n: int = 1, timeout: float = 10.0) -> None:
        """Block until ``n`` requests wait on the hold. From a coroutine on the client's loop, use
        ``await asyncio.to_thread(server.wait_held, ...)`` so the requests can still be sent."""
        if not self.sandbox.holds.wait_until_held(hold_id, n, timeout):
            raise TimeoutError(f"{hold_id}: {self.sandbox.holds.waiting(hold_id)} of {n} requests held")

    def release(self, hold_id: str | None = None) -> int:
        """Let the hold's requests (every hold's when None) go on; returns how many were waiting."""
        return self.sandbox.holds.release(hold_id)

    def reset_stats(self) -> None:
        self.sandbox.reset_stats()
