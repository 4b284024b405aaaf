"""Helpers shared by sync tests: read the sandbox's state directly."""

from __future__ import annotations

from typing import Any

import httpx


def sandbox_posts(server) -> list[dict[str, Any]]:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {server.api_key}"}) as http:
        body = http.get("/v1/posts", params={"limit": 500}).json()
    return body["posts"]


def account_ids_on_sandbox(post: dict[str, Any]) -> set[str]:
    out = set()
    for t in post["platforms"]:
        acc = t["accountId"]
        out.add(acc["_id"] if isinstance(acc, dict) else acc)
    return out
