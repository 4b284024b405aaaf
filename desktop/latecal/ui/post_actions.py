"""The context menu on a post, and the copy a "Duplicate" makes. Handlers live on the window."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QWidget

from latecal.core.models import MediaItem, Post, Target
from latecal.core.platforms import display_name
from latecal.core.status import DELETED_ON_LATE, is_deletable, is_editable, is_retryable

if TYPE_CHECKING:
    from latecal.ui.main_window import MainWindow


KEEP_LABEL, KEEP_AS_DRAFT_LABEL = "Keep my version", "Keep mine as a new draft"


def keeps_as_copy(late: Post | None) -> bool:
    """Late accepts no update to its version in this status (published, publishing, awaiting approval), so
    keeping ours can only save it as a new draft; the post stays as Late has it. One rule for the window's
    choice, the post's menus and the editor's banner."""
    return late is not None and not is_editable(late.status)


def keep_label(late: Post | None) -> str:
    return KEEP_AS_DRAFT_LABEL if keeps_as_copy(late) else KEEP_LABEL


def take_label(late: Post | None) -> str:
    """Taking Late's side of a post Late deleted means deleting it here too."""
    return "Delete it here too" if deleted_on_late(late) else "Take Late's version"


def deleted_on_late(late: Post | None) -> bool:
    return late is not None and late.status == DELETED_ON_LATE


def duplicate_of(post: Post, now: datetime) -> Post:
    """A new local draft with the same text, media and accounts; same time when that is still ahead."""
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
        status="draft",
    )


def published_urls(post: Post) -> list[tuple[str, str]]:
    """(platform name, URL) for every target Late reported a public URL for."""
    return [(display_name(t.platform), t.platform_post_url) for t in post.targets if t.platform_post_url]


def build_post_menu(window: MainWindow, post: Post, parent: QWidget | None = None) -> QMenu:
    menu = QMenu(parent or window)
    local_id = post.local_id
    menu.addAction("Open", lambda: window.open_post(local_id))
    if post.sync_state == "conflict":
        record = window.store.get_record(local_id)
        menu.addSeparator()
        late = record.conflict_remote if record is not None else None
        menu.addAction(keep_label(late), lambda: window.resolve_conflict(local_id, "local"))
        menu.addAction(take_label(late), lambda: window.resolve_conflict(local_id, "remote"))
        menu.addSeparator()
    menu.addAction("Duplicate as draft", lambda: window.duplicate_post(local_id))
    if is_retryable(post.status):
        menu.addAction("Retry failed platforms", lambda: window.retry_post(local_id))
    urls = published_urls(post)
    if urls:
        menu.addSeparator()
        for name, url in urls:
            menu.addAction(f"Open published post on {name}", lambda u=url: window.open_published_url(u))
    if is_deletable(post.status):
        menu.addSeparator()
        menu.addAction("Delete…", lambda: window.request_delete(local_id))
    return menu
