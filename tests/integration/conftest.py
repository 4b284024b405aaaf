"""Fixtures for integration tests against a real sandbox on loopback (helpers: tests/sandbox_support.py)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from latecal.sandbox.runner import SandboxServer
from sandbox_support import KEY, seed_basic


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=1234) as server:
        seed_basic(server)
        yield server


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10) as c:
        yield c
