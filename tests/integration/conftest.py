"""Fixtures for integration tests against a real sandbox on loopback."""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=1234) as server:
        seed_basic(server)
        yield server


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, headers={"Authorization": f"Bearer {KEY}"}, timeout=10) as c:
        yield c


def target(platform: str) -> dict[str, Any]:
    return {"platform": platform, "accountId": ACCOUNTS[platform]}


def future(sandbox: SandboxServer, hours: float = 24) -> str:
    from datetime import datetime, timedelta

    now = datetime.fromisoformat(sandbox.now())
    return (now + timedelta(hours=hours)).isoformat().replace("+00:00", "Z")


def image(url: str = "https://cdn.example.com/a.jpg") -> list[dict[str, Any]]:
    return [{"type": "image", "url": url}]
