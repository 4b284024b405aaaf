"""Posts → CSV in Late's bulk format (late-api.md §2.11), the same format the import reads: an export imports
back to the same posts. The ``accounts`` column (usernames) pins the exact accounts where a profile has two of
one platform; Late's own upload (the dry run) gets the file without it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from latecal.core.csv_values import write_when
from latecal.core.models import Account, Post, Profile
from latecal.core.status import PostStatus

BASE_COLUMNS = ("post_content", "title", "platforms", "profiles", "accounts", "schedule_time", "tz", "media_urls",
                "hashtags", "tags", "is_draft")
LATE_COLUMNS = tuple(c for c in BASE_COLUMNS if c != "accounts")


def export_rows(posts: Iterable[Post], accounts: Mapping[str, Account], profiles: Sequence[Profile],
                zone: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and one row per post. Times are wall times in the post's zone (else ``zone``), named in tz."""
    names = {p.id: p.name for p in profiles}
    rows: list[dict[str, str]] = []
    per_platform: dict[str, None] = {}
    for post in posts:
        post_zone = post.timezone or zone
        profile_ids = [accounts[t.account_id].profile_id for t in post.targets if t.account_id in accounts]
        row = {
            "post_content": post.content,
            "title": post.title,
            "platforms": ",".join(dict.fromkeys(t.platform for t in post.targets)),
            "profiles": names.get(profile_ids[0], profile_ids[0]) if profile_ids else "",
            "accounts": ",".join(_account_ref(accounts.get(t.account_id), t.account_id) for t in post.targets),
            "schedule_time": write_when(post.scheduled_for, post_zone) if post.scheduled_for else "",
            "tz": post_zone,
            "media_urls": ",".join(m.url for m in post.media if m.url),
            "hashtags": ",".join(post.hashtags),
            "tags": ",".join(post.tags),
            "is_draft": "true" if post.status == PostStatus.DRAFT or post.scheduled_for is None else "",
        }
        for t in post.targets:
            if t.custom_content is not None and t.custom_content.strip():
                row[f"custom_content_{t.platform}"] = t.custom_content
                per_platform[f"custom_content_{t.platform}"] = None
            if t.scheduled_for is not None and t.scheduled_for != post.scheduled_for:
                row[f"schedule_time_{t.platform}"] = write_when(t.scheduled_for, post_zone)
                per_platform[f"schedule_time_{t.platform}"] = None
        rows.append(row)
    return [*BASE_COLUMNS, *sorted(per_platform)], rows


def _account_ref(account: Account | None, account_id: str) -> str:
    if account is None or not account.username:
        return account_id
    return "@" + account.username.lstrip("@")


def to_csv(header: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(header), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def late_upload_csv(posts: Sequence[Post], accounts: Mapping[str, Account], profiles: Sequence[Profile],
                    zone: str) -> bytes:
    """What Late's bulk upload reads for these posts (UTF-8, commas, Late's columns only, profiles by id)."""
    header, rows = export_rows(posts, accounts, profiles, zone)
    by_name = {p.name: p.id for p in profiles}
    for row in rows:
        row["profiles"] = by_name.get(row["profiles"], row["profiles"])
    return to_csv([c for c in header if c != "accounts"], rows).encode("utf-8")
