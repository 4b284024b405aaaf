"""Shared by the tests that talk to a real sandbox: one server per test module reset between its tests, the
seeded profiles and accounts, request-body helpers and direct reads of the sandbox's state. A plain module (not
a conftest) so any test folder can import it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from latecal.sandbox.runner import SandboxServer

KEY = "sk_test_sandbox"
PROFILE_ID = "65f1c0a9e2b5af0012ab0001"
PROFILE2_ID = "65f1c0a9e2b5af0012ab0002"
ACCOUNTS = {
    "twitter": "65f1c0a9e2b5af0012ac0001",
    "instagram": "65f1c0a9e2b5af0012ac0002",
    "linkedin": "65f1c0a9e2b5af0012ac0003",
    "youtube": "65f1c0a9e2b5af0012ac0004",
    "tiktok": "65f1c0a9e2b5af0012ac0005",
    "bluesky": "65f1c0a9e2b5af0012ac0006",
    "threads": "65f1c0a9e2b5af0012ac0007",  # disconnected
    "facebook": "65f1c0a9e2b5af0012ac0008",  # second profile, New York
}


def module_sandbox(**kwargs: Any) -> Any:
    """A module-scoped fixture: one started ``SandboxServer(**kwargs)`` for all tests of a module. Tests take it
    through a function-scoped fixture that calls ``fresh`` (starting uvicorn per test cost ~0.2 s each)."""

    @pytest.fixture(scope="module")
    def shared() -> Iterator[SandboxServer]:
        with SandboxServer(**kwargs) as server:
            yield server

    return shared


def fresh(server: SandboxServer, prepare: Callable[[SandboxServer], object] | None = None) -> Iterator[SandboxServer]:
    """For a fixture to ``yield from``: the shared server as new (``reset``, tested to equal a new server in
    tests/integration/test_sandbox_reset.py), prepared; afterwards no request of the test stays held."""
    server.reset()
    if prepare is not None:
        prepare(server)
    yield server
    server.release()


def seed_basic(server: SandboxServer) -> None:
    server.seed(
        profiles=[
            {"_id": PROFILE_ID, "name": "Acme", "color": "#ff0000", "timezone": "Europe/Berlin", "isDefault": True},
            {"_id": PROFILE2_ID, "name": "Northwind", "color": "#00ff00", "timezone": "America/New_York"},
        ],
        accounts=[
            {"_id": aid, "platform": p, "profileId": PROFILE2_ID if p == "facebook" else PROFILE_ID,
             "username": f"acme_{p}", "displayName": f"Acme {p}", "isActive": p != "threads",
             "needsReconnection": p == "threads"}
            for p, aid in ACCOUNTS.items()
        ],
    )


def target(platform: str) -> dict[str, Any]:
    return {"platform": platform, "accountId": ACCOUNTS[platform]}


def future(sandbox: SandboxServer, hours: float = 24) -> str:
    now = datetime.fromisoformat(sandbox.now())
    return (now + timedelta(hours=hours)).isoformat().replace("+00:00", "Z")


def image(url: str = "https://cdn.example.com/a.jpg") -> list[dict[str, Any]]:
    return [{"type": "image", "url": url}]


def sandbox_posts(server: SandboxServer) -> list[dict[str, Any]]:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {server.api_key}"}) as http:
        body = http.get("/v1/posts", params={"limit": 500}).json()
    return body["posts"]


def account_ids_on_sandbox(post: dict[str, Any]) -> set[str]:
    out = set()
    for t in post["platforms"]:
        acc = t["accountId"]
        out.add(acc["_id"] if isinstance(acc, dict) else acc)
    return out
