"""Listing posts: the filters ``LateClient.iter_posts`` accepts, their query form, and page parsing that keeps
every post with an identity (odd fields are marked on the post, ``wire``) and reports, instead of failing the
page, one without (not an object, no ``_id``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from latecal.core.models import Post
from latecal.late import wire
from latecal.late.errors import WireError
from latecal.late.results import BadPost

log = logging.getLogger(__name__)

PAGE_LIMIT = 500  # Late's maximum; above it is a 400, not a clamp (§2.2)

POST_FILTERS: Mapping[str, str] = {
    "status": "status", "platform": "platform", "profile_id": "profileId", "account_id": "accountId",
    "from_date": "fromDate", "to_date": "toDate", "search": "search", "tags": "tags", "sort_by": "sortBy",
    "created_by": "createdBy", "include_hidden": "includeHidden",
}


def list_params(filters: Mapping[str, Any]) -> dict[str, str]:
    """``iter_posts`` filters → query params; empty values are omitted (``platform=`` can be a 400)."""
    unknown = set(filters) - set(POST_FILTERS)
    if unknown:
        raise TypeError(f"unknown post filters: {sorted(unknown)}; known: {sorted(POST_FILTERS)}")
    params: dict[str, str] = {}
    for name, value in filters.items():
        if value is None or value == "" or (isinstance(value, list | tuple | set | frozenset) and not value):
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, datetime):
            text = wire.format_time(value)
        elif isinstance(value, date):
            text = value.isoformat()
        elif isinstance(value, list | tuple | set | frozenset):
            text = ",".join(str(v) for v in value)
        else:
            text = str(value)
        params[POST_FILTERS[name]] = text
    return params


def parse_posts(raw_posts: list[Any]) -> tuple[list[Post], list[BadPost]]:
    posts: list[Post] = []
    bad: list[BadPost] = []
    for raw in raw_posts:
        try:
            posts.append(wire.post_from_json(raw))
        except WireError as exc:
            late_id = exc.late_id
            log.warning("skipping a post Late sent without an identity: %s", exc)
            bad.append(BadPost(late_id=late_id, error=exc, raw=raw))
    return posts, bad
