"""Fixtures for integration tests against a real sandbox on loopback (helpers: tests/sandbox_support.py)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from latecal.sandbox.runner import SandboxServer
from sandbox_support import KEY, fresh, module_sandbox, seed_basic

shared_sandbox = module_sandbox(seed=1234)


@pytest.fixture
def sandbox(shared_sandbox: SandboxServer) -> Iterator[SandboxServer]:
    yield from fresh(shared_sandbox, seed_basic)


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10) as c:
        yield c
