"""``GET /v1/posts``: strict query parsing (§2.2), filters, sorting and stable cursor paging (§2.3)."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import invalid
from .platforms import PLATFORMS
from .post_index import HIGH, IndexedPosts
from .state import SandboxState
from .timeutil import iso, parse_filter_date
from .validation import POST_STATUSES

ALLOWED = {
    "page", "limit", "offset", "cursor", "fields", "source", "status", "platform", "profileId", "createdBy",
    "accountId", "fromDate", "toDate", "dateFrom", "dateTo", "includeHidden", "search", "tags", "tag", "sortBy",
}
SORTS = ("scheduled-desc", "scheduled-asc", "created-desc", "created-asc", "status", "platform")
FIELDS = {
    "userId", "title", "content", "mediaItems", "platforms", "scheduledFor", "timezone", "status", "tags",
    "hashtags", "mentions", "visibility", "metadata", "recycling", "recycledFromPostId", "queuedFromProfile",
    "queueId", "createdAt", "updatedAt", "_id",
}
# Filters a cursor is bound to: resending a cursor with other filters is a client bug worth a 400.
_CURSOR_BOUND = ("status", "platform", "profileId", "createdBy", "accountId", "fromDate", "toDate", "search",
                 "tags", "includeHidden", "source")
_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
_INT = re.compile(r"^[0-9]{1,9}$")


def _int(value: str, name: str, lo: int, hi: int | None = None) -> int:
    if not _INT.match(value):
        raise invalid(f"{name} must be an integer", param=name)
    n = int(value)
    if n < lo or (hi is not None and n > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise invalid(f"{name} must be {bound}", param=name)
    return n


def _bool(value: str, name: str) -> bool:
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0", ""):
        return False
    raise invalid(f"{name} must be true or false", param=name)


def _sort_key(post: dict[str, Any], sort: str) -> list[str]:
    if sort.startswith("scheduled"):
        return [post.get("scheduledFor") or "", post["_id"]]
    if sort.startswith("created"):
        return [post["createdAt"], post["_id"]]
    if sort == "status":
        return [post["status"], post["_id"]]
    first = (post.get("platforms") or [{}])[0].get("platform", "")
    return [first, post["_id"]]


def _encode_cursor(sort: str, bound: str, key: list[str]) -> str:
    raw = json.dumps({"s": sort, "f": bound, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(value: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        data = json.loads(raw)
        if (
            isinstance(data, dict) and isinstance(data.get("s"), str) and isinstance(data.get("f"), str)
            and isinstance(data.get("k"), list) and len(data["k"]) == 2 and all(isinstance(x, str) for x in data["k"])
        ):
            return data
    except (ValueError, UnicodeDecodeError, RecursionError):
        pass
    raise invalid("cursor is invalid", code="invalid_cursor", param="cursor")


def list_posts(state: SandboxState, params: Iterable[tuple[str, str]]) -> dict[str, Any]:
    params = list(params)
    unknown = sorted({k for k, _ in params} - ALLOWED)
    if unknown:
        raise invalid(f"Unknown query parameter(s): {', '.join(unknown)}", code="unknown_parameter",
                      param=unknown[0])
    q: dict[str, str] = {}
    for k, v in params:
        q[k] = v
    limit = _int(q["limit"], "limit", 1, 500) if "limit" in q else 10
    page = _int(q["page"], "page", 1) if "page" in q else 1
    offset = _int(q["offset"], "offset", 0) if "offset" in q else None
    sort = q.get("sortBy", "scheduled-desc")
    if sort not in SORTS:
        raise invalid(f"sortBy must be one of {', '.join(SORTS)}", param="sortBy")
    source = q.get("source", "zernio")
    if source not in ("zernio", "external"):
        raise invalid("source must be zernio or external", param="source")
    status = q.get("status")
    if status is not None and status not in POST_STATUSES:
        raise invalid(f"status must be one of {', '.join(POST_STATUSES)}", param="status")
    platform = q.get("platform")
    if platform is not None and platform not in PLATFORMS:
        raise invalid("platform is not a supported platform", param="platform")
    profile_id = q.get("profileId") or None
    if profile_id == "all":
        profile_id = None
    for name, value in (("profileId", profile_id), ("accountId", q.get("accountId")),
                        ("createdBy", q.get("createdBy"))):
        if value is not None and not _OBJECT_ID.match(value):
            raise invalid(f"{name} must be a 24-character hex id", param=name)
    bounds = {}
    for name, alias, end in (("fromDate", "dateFrom", False), ("toDate", "dateTo", True)):
        value = q.get(name) or q.get(alias)
        param = name if q.get(name) else alias
        if value:
            try:
                bounds[name] = iso(parse_filter_date(value, end=end))
            except ValueError:
                raise invalid(f"{param} must be YYYY-MM-DD or an ISO-8601 datetime", code="invalid_date",
                              param=param) from None
    include_hidden = _bool(q["includeHidden"], "includeHidden") if "includeHidden" in q else False
    tags_raw = q.get("tags", q.get("tag"))
    tags = [t for t in tags_raw.split(",") if t] if tags_raw else []
    if len(tags) > 20:
        raise invalid("tags accepts at most 20 values", param="tags")
    fields = None
    if "fields" in q:
        fields = [f.strip() for f in q["fields"].split(",") if f.strip()]
        bad = [f for f in fields if f not in FIELDS]
        if bad or not fields:
            raise invalid(f"Unknown field(s): {', '.join(bad) or '(empty)'}", param="fields")
    search = (q.get("search") or "").lower()
    bound = hashlib.sha256(
        json.dumps([q.get(k) for k in _CURSOR_BOUND] + [bounds.get("fromDate"), bounds.get("toDate")]).encode()
    ).hexdigest()[:16]
    cursor = None
    if "cursor" in q and q["cursor"] != "":
        cursor = _decode_cursor(q["cursor"])
        if sort in ("status", "platform"):
            raise invalid("cursor paging is not available with sortBy=status or platform", code="invalid_cursor",
                          param="cursor")
        if cursor["s"] != sort:
            raise invalid("cursor was issued for another sortBy", code="invalid_cursor", param="cursor")
        if cursor["f"] != bound:
            raise invalid("cursor was issued for other filters; resend the same filters", code="invalid_cursor",
                          param="cursor")

    with state.lock:
        if source == "external":
            return {"posts": [], "pagination": {"page": page, "limit": limit, "total": 0, "pages": 0}}
        account_profile = {a["_id"]: a.get("profileId") for a in state.accounts.values()}
        wanted = _Filter(status=status, platform=platform, profile_id=profile_id, account_id=q.get("accountId"),
                         created_by=q.get("createdBy"), bounded=bool(bounds), include_hidden=include_hidden,
                         tags=set(tags), search=search, account_profile=account_profile)
        descending = sort.endswith("-desc")
        if sort.startswith("scheduled"):
            low = (bounds.get("fromDate", ""), "") if bounds else ("", "")
            if bounds and not low[0]:
                low = ("", HIGH)  # a post without a time is outside every date range
            high = (bounds.get("toDate", HIGH), HIGH)
            chunk, total, start = _due_page(state.posts, low, high, wanted, cursor, offset, page, limit,
                                            descending=descending)
            if cursor is not None or offset is not None:
                page = start // limit + 1
        else:
            dates = (bounds.get("fromDate", ""), bounds.get("toDate", HIGH))
            matched = [p for p in state.posts.values() if wanted.matches(p, dates=dates)]
            matched.sort(key=lambda p: _sort_key(p, sort), reverse=descending)
            total = len(matched)
            if cursor is not None:
                key = cursor["k"]
                keys = [_sort_key(p, sort) for p in matched]
                start = sum(1 for k in keys if (k > key if descending else k < key)) + keys.count(key)
                page = start // limit + 1
            elif offset is not None:
                start = offset
                page = offset // limit + 1
            else:
                start = (page - 1) * limit
            chunk = matched[start:start + limit]
        next_cursor = None
        if chunk and start + len(chunk) < total and sort not in ("status", "platform"):
            next_cursor = _encode_cursor(sort, bound, _sort_key(chunk[-1], sort))
        return {
            "posts": [state.render_post(p, fields) for p in chunk],
            "pagination": {"page": page, "limit": limit, "total": total, "pages": math.ceil(total / limit),
                           "nextCursor": next_cursor},
        }


@dataclass(frozen=True, slots=True)
class _Filter:
    """The filters of a listing other than its sort, its dates (for the due-time order) and its paging."""
    status: str | None
    platform: str | None
    profile_id: str | None
    account_id: str | None
    created_by: str | None
    bounded: bool
    include_hidden: bool
    tags: set[str]
    search: str
    account_profile: dict[str, Any]

    @property
    def only_dates(self) -> bool:
        """Nothing but dates (and hidden posts, which the sandbox never makes on its own) narrows the listing."""
        return not (self.status or self.platform or self.profile_id or self.account_id or self.created_by
                    or self.tags or self.search)

    def matches(self, post: dict[str, Any], *, dates: tuple[str, str] | None = None) -> bool:
        """Whether ``post`` passes; ``dates`` (from, to) are checked only when given (the index checked them)."""
        tgts = post.get("platforms") or []
        if self.status and post["status"] != self.status:
            return False
        if self.platform and not any(t["platform"] == self.platform for t in tgts):
            return False
        if self.profile_id and not any(self.account_profile.get(t["accountId"]) == self.profile_id for t in tgts):
            return False
        if self.account_id and not any(t["accountId"] == self.account_id for t in tgts):
            return False
        if self.created_by and post.get("userId") != self.created_by:
            return False
        if dates is not None:
            when = post.get("scheduledFor")
            if self.bounded and (not when or when < dates[0] or when > dates[1]):
                return False
        if not self.include_hidden and isinstance(post.get("metadata"), dict) and post["metadata"].get("hidden"):
            return False
        if self.tags and not self.tags <= set(post.get("tags") or []):
            return False
        if self.search:
            texts = [post.get("content") or "", post.get("title") or ""]
            texts += [t.get("customContent") or "" for t in tgts]
            if not any(self.search in text.lower() for text in texts):
                return False
        return True


def _due_page(posts: IndexedPosts, low: tuple[str, str], high: tuple[str, str], wanted: _Filter,
              cursor: dict[str, Any] | None, offset: int | None, page: int, limit: int, *,
              descending: bool) -> tuple[list[dict[str, Any]], int, int]:
    """One page in due-time order, read from the posts' index: (posts, total, position of the first).

    With dates alone this is O(log n + page); other filters are checked over the dates' span only."""
    first, stop = posts.span(low, high)
    lo, hi = first, stop  # the part of the span the page may start in
    if cursor is not None:
        key = tuple(cursor["k"])
        if descending:
            hi = min(hi, posts.before(key))
        else:
            lo = max(lo, posts.after(key))
    if wanted.only_dates and (wanted.include_hidden or not posts.any_hidden):
        total = stop - first
        start = (stop - hi if descending else lo - first) if cursor is not None else (
            offset if offset is not None else (page - 1) * limit)
        if cursor is None:
            lo, hi = (first, stop - start) if descending else (first + start, stop)
        lo, hi = (max(lo, hi - limit), hi) if descending else (lo, min(hi, lo + limit))
        return list(posts.walk(lo, hi, descending=descending)), total, start
    # other filters: one pass over the span (the due range of one account, say), never over every post
    total = start = 0
    chunk: list[dict[str, Any]] = []
    skip = None if cursor is not None else (offset if offset is not None else (page - 1) * limit)
    for position, post in zip(range(stop - 1, first - 1, -1) if descending else range(first, stop),
                              posts.walk(first, stop, descending=descending), strict=True):
        if not wanted.matches(post):
            continue
        total += 1
        in_page = lo <= position < hi if cursor is not None else total > (skip or 0)
        if not in_page:
            start += 1
        elif len(chunk) < limit:
            chunk.append(post)
    return chunk, total, start

