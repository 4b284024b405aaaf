"""Fixtures of the reliability suite (helpers: reliability/harness.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from latecal.sandbox.runner import SandboxServer
from reliability.script import FAILING
from sandbox_support import ACCOUNTS, seed_basic


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=11) as srv:
        seed_basic(srv)
        srv.force_outcome(ACCOUNTS[FAILING], "fail", errorMessage="Bluesky rejected the post (forced)")
        yield srv
