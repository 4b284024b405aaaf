"""Fixtures of the reliability suite (helpers: reliability/harness.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from latecal.sandbox.runner import SandboxServer
from reliability.script import FAILING
from sandbox_support import ACCOUNTS, fresh, module_sandbox, seed_basic

shared_server = module_sandbox(seed=11)


def _prepare(srv: SandboxServer) -> None:
    seed_basic(srv)
    srv.force_outcome(ACCOUNTS[FAILING], "fail", errorMessage="Bluesky rejected the post (forced)")


@pytest.fixture
def server(shared_server) -> Iterator[SandboxServer]:
    yield from fresh(shared_server, _prepare)
