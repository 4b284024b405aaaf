"""The context menu on a post. What each entry does is the window's post commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from PySide6.QtWidgets import QMenu, QWidget

from latecal.core.account_health import blocked_retries, retry_can_work
from latecal.core.missed import is_missed
from latecal.core.models import Post
from latecal.core.platforms import display_name
from latecal.core.status import PostStatus, SyncState, is_deletable, is_retryable
from latecal.presentation import recurrence_texts
from latecal.presentation.account_health_texts import cannot_retry_on
from latecal.presentation.conflicts import keep_label, take_label
from latecal.presentation.messages import NOT_UNDOABLE_RETRY, NOT_UNDOABLE_SETTLE, open_published_on
from latecal.presentation.missed_texts import KEEP_AS_DRAFT_TIP, PUBLISH_NOW_TIP, RESCHEDULE_TIP


class PostActions(Protocol):
    store: object
    clock: Callable[[], datetime]

    def open_post(self, local_id: str) -> None: ...
    def resolve_conflict(self, local_id: str, keep: str) -> bool: ...
    def duplicate_post(self, local_id: str) -> object: ...
    def retry_post(self, local_id: str) -> bool: ...
    def open_published_url(self, url: str) -> None: ...
    def request_delete(self, local_id: str) -> None: ...
    def publish_missed(self, local_ids: Sequence[str]) -> object: ...
    def reschedule_missed(self, local_id: str) -> None: ...
    def keep_missed_as_draft(self, local_ids: Sequence[str]) -> object: ...
    def skip_occurrence(self, local_id: str) -> object: ...


def add_missed_choices(menu: QMenu, actions: PostActions, local_ids: Sequence[str], *, publish: str = "Publish now",
                       keep: str = "Keep as draft") -> None:
    """The choices for Missed posts (one, or all of them from the message bar); Reschedule for one post only."""
    ids = list(local_ids)
    menu.addAction(publish, lambda: actions.publish_missed(ids)).setToolTip(PUBLISH_NOW_TIP)
    if len(ids) == 1:
        menu.addAction("Reschedule…", lambda: actions.reschedule_missed(ids[0])).setToolTip(RESCHEDULE_TIP)
    menu.addAction(keep, lambda: actions.keep_missed_as_draft(ids)).setToolTip(KEEP_AS_DRAFT_TIP)


def published_urls(post: Post) -> list[tuple[str, str]]:
    """(platform name, URL) for every target Late reported a public URL for."""
    return [(display_name(t.platform), t.platform_post_url) for t in post.targets if t.platform_post_url]


def build_post_menu(actions: PostActions, post: Post, parent: QWidget) -> QMenu:
    menu = QMenu(parent)
    menu.setToolTipsVisible(True)  # entries that cannot be undone say so
    local_id = post.local_id
    menu.addAction("Open", lambda: actions.open_post(local_id))
    if is_missed(post, actions.clock()):
        menu.addSeparator()
        add_missed_choices(menu, actions, [local_id])
        menu.addSeparator()
    if post.sync_state == SyncState.CONFLICT:
        record = actions.store.get_record(local_id)  # type: ignore[attr-defined]
        menu.addSeparator()
        late = record.conflict_remote if record is not None else None
        for label, keep in ((keep_label(late), "local"), (take_label(late), "remote")):
            menu.addAction(label, lambda k=keep: actions.resolve_conflict(local_id, k)).setToolTip(NOT_UNDOABLE_SETTLE)
        menu.addSeparator()
    menu.addAction("Duplicate as draft", lambda: actions.duplicate_post(local_id))
    if post.series_id and post.status in (PostStatus.DRAFT, PostStatus.SCHEDULED):  # a repeat still to come
        menu.addAction(recurrence_texts.SKIP_ACTION, lambda: actions.skip_occurrence(local_id))
    if is_retryable(post.status):
        _add_retry(menu, actions, post)
    urls = published_urls(post)
    if urls:
        menu.addSeparator()
        for name, url in urls:
            menu.addAction(open_published_on(name), lambda u=url: actions.open_published_url(u))
    if is_deletable(post.status):
        menu.addSeparator()
        menu.addAction("Delete…", lambda: actions.request_delete(local_id))
    return menu


def _add_retry(menu: QMenu, actions: PostActions, post: Post) -> None:
    """Retry, unless no failed platform's account can post now; each account that cannot says why, greyed."""
    accounts = {a.id: a for a in actions.store.accounts()}  # type: ignore[attr-defined]
    now = actions.clock()
    local_id = post.local_id
    retry = menu.addAction("Retry failed platforms", lambda: actions.retry_post(local_id))
    retry.setToolTip(NOT_UNDOABLE_RETRY)
    retry.setEnabled(retry_can_work(post, accounts, now))
    for blocked in blocked_retries(post, accounts, now):
        # Late's account name may hold '&': doubled, it is shown, not taken as a shortcut mark
        menu.addAction(cannot_retry_on(blocked).replace("&", "&&")).setEnabled(False)
