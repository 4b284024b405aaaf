"""Shared by the benchmarks: a post as Late lists it right after it published or failed."""

from __future__ import annotations

from datetime import datetime


def late_outcome(i: int, *, content: str, platform: str, account_id: str, when: datetime, failed: bool,
                 updated: datetime) -> dict:
    """Post ``i`` (Late's JSON shape) whose one target just published, or failed with an expired token."""
    target = {"platform": platform, "accountId": account_id, "status": "failed" if failed else "published"}
    if failed:
        target.update(errorMessage="The access token expired", errorCategory="auth_expired", errorSource="user")
    else:
        target.update(platformPostId=str(10**12 + i), platformPostUrl=f"https://x.com/acme/status/{10**12 + i}",
                      publishedAt=when.isoformat())
    return {"content": content, "scheduledFor": when.isoformat(), "status": "failed" if failed else "published",
            "platforms": [target], "updatedAt": updated.isoformat()}


def seed_outcomes(server, posts: list[dict], *, profile: str, accounts: dict[str, str]) -> None:
    """One profile with ``accounts`` (platform -> id) and ``posts`` on the sandbox."""
    server.seed(
        profiles=[{"_id": profile, "name": "Bench", "timezone": "Europe/Berlin", "isDefault": True}],
        accounts=[{"_id": aid, "platform": p, "profileId": profile} for p, aid in accounts.items()],
        posts=posts,
    )
