"""The calendar window on the sandbox: a seeded sandbox over uvicorn on 127.0.0.1, a real LateClient, a shown
window on the sandbox's clock, and a SyncBridge + SyncEngine wired to it (with the media uploader); or, for the
editor alone, an ``engine`` that has already synced once (accounts and profiles come from the sandbox)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio

from latecal.core.calendar_geometry import local_date
from latecal.late.client import LateClient
from latecal.sandbox.runner import SandboxServer
from latecal.sync import SyncEngine
from latecal.ui.app.main_window import MainWindow
from latecal.ui.app.sync_bridge import SyncBridge
from latecal.ui.editor.media_uploader import MediaUploader
from sandbox_support import KEY, fresh, module_sandbox, seed_basic
from ui_support import BERLIN


async def no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture(autouse=True)
def keep_the_loop_when_editors_close(qapp):
    """Closing the last window would quit the app and stop the qasync loop mid-test (the app sets this too)."""
    previous = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(False)
    yield
    qapp.setQuitOnLastWindowClosed(previous)


shared_server = module_sandbox(seed=7)


def _prepare(srv: SandboxServer) -> None:
    seed_basic(srv)
    srv.configure(failRate=0.0)


@pytest.fixture
def server(shared_server):
    yield from fresh(shared_server, _prepare)


@pytest_asyncio.fixture
async def client(server) -> AsyncIterator[LateClient]:
    async with LateClient(KEY, server.base_url, sleep=no_sleep) as c:
        yield c


@pytest.fixture
def window(qtbot, store, server):
    """A shown month window on the sandbox's clock (built outside the loop: qtbot waits are fine here)."""
    clock = server.sandbox.state.now
    w = MainWindow(store, zone=BERLIN, clock=clock, anchor=local_date(clock(), BERLIN))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest_asyncio.fixture
async def bridge(window, store, client, server) -> AsyncIterator[SyncBridge]:
    engine = SyncEngine(store, client, clock=server.sandbox.state.now)
    b = SyncBridge(engine, window)
    window.attach_sync(b)
    window.attach_uploader(MediaUploader(client))
    yield b
    await b.aclose()


@pytest_asyncio.fixture
async def engine(store, client, server) -> SyncEngine:
    eng = SyncEngine(store, client, clock=lambda: server.sandbox.state.now())
    now = server.sandbox.state.now()
    eng.set_window(now - timedelta(days=7), now + timedelta(days=14))
    await eng.run_once()  # accounts and profiles come from the sandbox
    return eng
