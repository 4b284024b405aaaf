"""What the client's calls return: typed results that keep the HTTP status Late answered with (§2.6, §9.7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from latecal.core.models import Post
from latecal.core.status import TargetStatus
from latecal.late.errors import WireError


@dataclass(slots=True)
class PlatformResult:
    """One target's outcome of an inline publish (207 ``platformResults``, else read from the post)."""

    platform: str
    status: str
    error: str | None = None
    account_id: str | None = None


def _platform_results(raw: Any) -> list[PlatformResult]:
    results = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and isinstance(item.get("platform"), str):
            error = item.get("error")
            results.append(PlatformResult(
                platform=item["platform"],
                status=item.get("status") if isinstance(item.get("status"), str) else "",
                error=error if isinstance(error, str) and error else None,
                account_id=item.get("accountId") if isinstance(item.get("accountId"), str) else None,
            ))
    return results


def _failures(platform_results: list[PlatformResult], post: Post | None) -> list[PlatformResult]:
    if platform_results:
        return [r for r in platform_results if r.status == TargetStatus.FAILED or r.error]
    if post is None:
        return []
    # A 207 from retry carries no platformResults: the post's own targets say what failed (§2.10).
    return [PlatformResult(t.platform, t.status, t.error_message or None, t.account_id)
            for t in post.targets if t.status == TargetStatus.FAILED]


def _str_list(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


@dataclass(slots=True)
class PostResult:
    """200 or 207 from update/retry. 207 means saved, but the inline publish did not fully go out."""

    status_code: int
    post: Post
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    platform_results: list[PlatformResult] = field(default_factory=list)
    request_id: str | None = None

    @property
    def incomplete(self) -> bool:
        return self.status_code == 207

    @property
    def failures(self) -> list[PlatformResult]:
        return _failures(self.platform_results, self.post)

    @classmethod
    def from_body(cls, status_code: int, body: dict, post: Post, request_id: str | None) -> PostResult:
        error = body.get("error")
        return cls(status_code=status_code, post=post, message=_text(body.get("message")),
                   warnings=_str_list(body.get("warnings")), error=error if isinstance(error, str) else None,
                   platform_results=_platform_results(body.get("platformResults")), request_id=request_id)


class UpdateResult(PostResult):
    """``PUT /v1/posts/{id}``: 200, or 207 when an inline publish after the update was incomplete."""

    __slots__ = ()


class RetryResult(PostResult):
    """``POST /v1/posts/{id}/retry``: 200 published, or 207 with the post's new status (partial/failed/scheduled)."""

    __slots__ = ()


class CreateOutcome(StrEnum):
    CREATED = "created"  # 201
    REPLAYED = "replayed"  # 200: Idempotency-Key (or x-request-id) replay; the original post
    ACCEPTED = "accepted"  # 202: the original is still saving; only its id is known
    INCOMPLETE = "incomplete"  # 207: saved, inline publish incomplete
    DRY_RUN = "dry_run"  # 200 TikTok dry run: nothing persisted


@dataclass(slots=True)
class CreateResult:
    status_code: int
    outcome: CreateOutcome
    post_id: str | None  # set for every outcome but DRY_RUN
    post: Post | None  # None for ACCEPTED and DRY_RUN
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    platform_results: list[PlatformResult] = field(default_factory=list)
    request_id: str | None = None
    raw: dict = field(default_factory=dict)

    @property
    def incomplete(self) -> bool:
        return self.outcome is CreateOutcome.INCOMPLETE

    @classmethod
    def from_body(cls, status_code: int, body: dict, outcome: CreateOutcome, post: Post,
                  request_id: str | None) -> CreateResult:
        error = body.get("error")
        return cls(status_code=status_code, outcome=outcome, post_id=post.late_id, post=post,
                   message=_text(body.get("message")), warnings=_str_list(body.get("warnings")),
                   error=error if isinstance(error, str) else None,
                   platform_results=_platform_results(body.get("platformResults")), request_id=request_id, raw=body)

    @property
    def failures(self) -> list[PlatformResult]:
        return _failures(self.platform_results, self.post)


@dataclass(slots=True)
class DeleteResult:
    message: str = ""
    # True when an earlier attempt of this call may have deleted it and the retry found it gone (404).
    already_gone: bool = False


@dataclass(slots=True)
class BadPost:
    """A post in a listing that could not be mapped: skipped, counted and reported, never fatal."""

    late_id: str | None
    error: WireError
    raw: Any


@dataclass(slots=True)
class PostPage:
    posts: list[Post]
    bad: list[BadPost]
    page_number: int  # 1-based position of this page in the iteration
    total: int | None  # pagination.total as reported with this page
    next_cursor: str | None
    last: bool  # True on the final page: the listing of the filter window is complete


@dataclass(slots=True)
class BulkRow:
    row_index: int
    ok: bool
    created_post_id: str | None = None
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class BulkUploadResult:
    """``POST /v1/posts/bulk-upload``: 200 all rows alike, 207 mixed (§2.11)."""

    status_code: int
    total: int
    valid: int
    invalid: int
    rows: list[BulkRow]
    warnings: list[str]
    raw: dict

    @property
    def mixed(self) -> bool:
        return self.status_code == 207

    @classmethod
    def from_body(cls, status_code: int, body: dict) -> BulkUploadResult:
        rows = []
        for item in body.get("results") if isinstance(body.get("results"), list) else []:
            if not isinstance(item, dict):
                continue
            created = item.get("createdPostId")
            rows.append(BulkRow(row_index=_int(item.get("rowIndex")), ok=item.get("ok") is True,
                                created_post_id=created if isinstance(created, str) else None,
                                errors=_str_list(item.get("errors"))))
        return cls(status_code=status_code, total=_int(body.get("total")), valid=_int(body.get("valid")),
                   invalid=_int(body.get("invalid")), rows=rows, warnings=_str_list(body.get("warnings")), raw=body)


@dataclass(slots=True)
class PresignedUpload:
    upload_url: str
    public_url: str
    key: str = ""
    expires_in: int | None = None


@dataclass(slots=True)
class UploadedMedia:
    """A file stored by Late: ``public_url`` goes into ``mediaItems[].url``."""

    public_url: str
    key: str
    filename: str
    content_type: str
    size: int | None


@dataclass(slots=True)
class QueueSlot:
    profile_id: str
    next_slot: datetime | None
    timezone: str | None = None
    queue_id: str | None = None
    queue_name: str | None = None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0
