"""What becomes of a post when the user saves, duplicates, restores or settles it: the rules that keep a post
from going out twice, or in a state the user did not ask for."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from latecal.core.models import MediaItem, Post, Target
from latecal.core.status import DELETED_ON_LATE, PostStatus, is_editable


class Check(StrEnum):
    """Which of core's rule sets (``validate_post`` intents) a save must pass."""

    DRAFT = "draft"
    SCHEDULE = "schedule"
    PUBLISH_NOW = "publish_now"


def in_place_save(status: str) -> tuple[PostStatus, Check]:
    """Ctrl+S keeps the post's place: a scheduled post stays scheduled (when it still meets every rule for
    that), a failed or partly published one keeps its status (Retry sends it again; Late checks such a change
    against every platform's rules, though not its passed time), anything else becomes a draft."""
    if status == PostStatus.SCHEDULED:
        return PostStatus.SCHEDULED, Check.SCHEDULE
    if status in (PostStatus.FAILED, PostStatus.PARTIAL):
        return PostStatus(status), Check.PUBLISH_NOW
    return PostStatus.DRAFT, Check.DRAFT


def takes_changes(post: Post) -> bool:
    """Whether a change made here may be sent to Late over this post: its status takes updates, and everything
    Late sent for it was read (an update replaces what it names, so it would overwrite what we could not read)."""
    return is_editable(post.status) and not post.read_problems


def keeps_as_copy(late: Post | None) -> bool:
    """Late accepts no update to its version in this status (published, publishing, awaiting approval, deleted),
    or we could not read all of it, so keeping ours can only save it as a new draft; Late's post stays as it is."""
    return late is not None and not takes_changes(late)


def deleted_on_late(late: Post | None) -> bool:
    return late is not None and late.status == DELETED_ON_LATE


def keep_save_status(current: str, late: Post) -> tuple[str, Check]:
    """The status "Keep my version" saves unsaved edits with, and the rules they must meet first: when Late no
    longer takes updates, ours becomes a new draft (its status is left for the choice to settle), a draft stays
    a draft, anything else is scheduled."""
    if keeps_as_copy(late):
        return current, Check.DRAFT
    if current in (PostStatus.DRAFT, PostStatus.CANCELLED):
        return PostStatus.DRAFT, Check.DRAFT
    return PostStatus.SCHEDULED, Check.SCHEDULE


def duplicate_of(post: Post, now: datetime) -> Post:
    """A new local draft with the same text, media and accounts; the same time when that is still ahead."""
    return Post(
        title=post.title,
        content=post.content,
        hashtags=list(post.hashtags),
        tags=list(post.tags),
        media=[replace(m) for m in post.media if isinstance(m, MediaItem)],
        # each platform's own settings too (YouTube title and visibility, TikTok privacy, a Pinterest board)
        targets=[Target(t.platform, t.account_id, custom_content=t.custom_content,
                        platform_specific_data=copy.deepcopy(t.platform_specific_data)) for t in post.targets],
        scheduled_for=post.scheduled_for if post.scheduled_for and post.scheduled_for > now else None,
        timezone=post.timezone,
        status=PostStatus.DRAFT,
    )


def comes_back_as_it_was(post: Post, now: datetime) -> bool:
    """Whether Late may get this deleted post again as it was, even if the delete already reached Late: a draft,
    or a post scheduled ahead. Anything else (started publishing, its time passed) would publish it again, so it
    can only come back as a draft copy."""
    if post.status == PostStatus.DRAFT:
        return True
    return post.status == PostStatus.SCHEDULED and post.scheduled_for is not None and post.scheduled_for > now


def user_edit(post: Post) -> tuple:
    """What the user decides about a post (text, media, accounts, time, status), without Late's outcomes or the
    store's bookkeeping: equal values mean no edit happened in between."""
    return (
        post.title, post.content, tuple(post.hashtags), tuple(post.tags),
        tuple((m.url, m.local_path, m.alt_text) for m in post.media),
        tuple(sorted((t.account_id, t.custom_content or "") for t in post.targets)),
        post.scheduled_for, post.timezone, post.status,
    )


def with_edit_of(current: Post, version: Post) -> Post:
    """``current`` (as stored now) carrying ``version``'s user content: what an undo or redo of an editor save
    writes. Late's per-platform outcomes stay as they are now for the accounts both have."""
    from latecal.core.snapshot import merge_targets

    base = current if version.scheduled_for == current.scheduled_for else current.moved_to(version.scheduled_for)
    return replace(
        base, title=version.title, content=version.content, hashtags=list(version.hashtags),
        tags=list(version.tags), media=[replace(m) for m in version.media],
        targets=merge_targets(base.targets, version.targets), timezone=version.timezone, status=version.status,
    )
