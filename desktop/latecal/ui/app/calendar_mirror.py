"""The posts of the dates on screen, as the views show them: loaded once per navigation, filtered in memory, kept
in step by the change relay one post at a time, and the selection the keyboard acts on.

Filtering re-filters the loaded posts (no store query); a change set updates only the posts it carries, whoever
made it (an operation, an editor, a sync): there is no other route.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal

from latecal.core.calendar_geometry import local_date
from latecal.core.models import Post
from latecal.core.status import SyncState
from latecal.core.zones import profile_zones
from latecal.presentation import calendar_texts as words
from latecal.presentation import messages as say
from latecal.ui.calendar.post_filter import PostFilter
from latecal.ui.calendar.views import CalendarViews

_EPOCH = datetime.min.replace(tzinfo=UTC)


class CalendarMirror(QObject):
    #: the selected post changed (its local id, or None); also when the selected post itself changed
    selection_changed = Signal(object)

    def __init__(self, store, views: CalendarViews, toolbar, message_bar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.views = views
        self.toolbar = toolbar
        self.message_bar = message_bar
        self.filter = PostFilter()
        self.posts: dict[str, Post] = {}  # the loaded range (unfiltered): the only copy the views draw from
        self.load_count = 0
        self.selected_id: str | None = None
        self._range: tuple[datetime, datetime] = (_EPOCH, _EPOCH)
        self._known_tags: set[str] = set()
        self._accounts: list = []  # as last shown in the filters

    # -- loading and filtering ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the visible range from the store (navigation only; filters and changes never call this)."""
        start, end = self._range = self.views.range_utc()
        self.load_count += 1
        posts = self.store.posts_between(start, end)
        if self.views.mode == "list":
            posts += self.store.unscheduled_drafts()
        self.posts = {p.local_id: p for p in posts}
        self._refresh_filter_choices()
        self.show_filtered()

    def set_filter(self, post_filter: PostFilter) -> None:
        self.filter = post_filter
        self.show_filtered()

    def show_filtered(self) -> None:
        shown = [p for p in self.posts.values() if self.filter.matches(p)]
        if self.views.mode == "list":
            days = self.views.days()
            text, way_out = words.empty_list(words.list_span(days[0], days[-1]), filtered=self.filter.active)
            self.views.list.set_empty_text(text, way_out, link=self.filter.active)
        self._say_if_filtered_out(bool(shown))
        self.views.sink().set_posts(shown)
        if self.selected_id is not None and not any(p.local_id == self.selected_id for p in shown):
            self.selected_id = None
        self._show_selection()

    def _say_if_filtered_out(self, any_shown: bool) -> None:
        """The grid views have no empty state of their own: say why the weeks look empty, with the way out."""
        if self.views.mode != "list" and self.filter.active and self.posts and not any_shown:
            if not self.message_bar.holds(say.FILTERED_OUT):
                self.message_bar.show_message(words.FILTERED_OUT, kind="info", key=say.FILTERED_OUT,
                                              action=("Clear filters", self.toolbar.clear_filters))
        elif self.message_bar.holds(say.FILTERED_OUT):
            self.message_bar.withdraw(say.FILTERED_OUT)

    def accounts_may_have_changed(self, _report: object = None) -> None:
        """After a sync: new accounts (or their health) fill the filters and re-judge the chips at once, not on
        the next page (a first run has none until its first sync)."""
        if self.store.accounts() != self._accounts:
            self._refresh_filter_choices()

    def _refresh_filter_choices(self) -> None:
        accounts = self._accounts = self.store.accounts()
        self.views.set_accounts(accounts, profile_zones(accounts, self.store.profiles()))
        self.toolbar.set_accounts(accounts)
        if self.filter.text.strip():  # the search also matches account names: take the new ones
            self.filter = self.toolbar.current_filter()
        platforms = {a.platform for a in accounts} | {p for post in self.posts.values() for p in post.platforms}
        self.toolbar.set_platforms(sorted(platforms))
        self._known_tags = {t for post in self.posts.values() for t in post.tags}
        self.toolbar.set_tags(sorted(self._known_tags))

    # -- store changes (the relay) ---------------------------------------------------------------------------

    def apply_changes(self, changes, _initiator) -> None:
        scene = self.views.scene()
        with scene.batched() if scene is not None else nullcontext():  # each touched day laid out once
            for local_id, post in changes.updates():
                if post is None:
                    self._drop(local_id)
                else:
                    self._apply_post(post)
        if self.filter.active:  # a sync may have brought the first post that matches, or hidden the last
            self._say_if_filtered_out(any(self.filter.matches(p) for p in self.posts.values()))

    def _in_range(self, post: Post) -> bool:
        if post.scheduled_for is None:
            return self.views.mode == "list"
        start, end = self._range
        return start <= post.scheduled_for < end

    def _apply_post(self, post: Post) -> None:
        """One post is new or changed: only its item is updated (or moved, or removed)."""
        if not self._in_range(post):
            self._drop(post.local_id)
            return
        new_tags = set(post.tags) - self._known_tags
        self.posts[post.local_id] = post
        sink = self.views.sink()
        if self.filter.matches(post):
            sink.upsert_post(post)
        else:
            sink.remove_post(post.local_id)
            if post.local_id == self.selected_id:  # hidden now: Enter or Delete must not act on it unseen
                self.select(None)
        if post.local_id == self.selected_id:
            self.selection_changed.emit(self.selected_id)
        if new_tags:
            self._known_tags |= new_tags
            self.toolbar.set_tags(sorted(self._known_tags))

    def _drop(self, local_id: str) -> None:
        self.posts.pop(local_id, None)
        self.views.sink().remove_post(local_id)
        if self.selected_id == local_id:
            self.selected_id = None
            self.selection_changed.emit(None)

    # -- selection -----------------------------------------------------------------------------------------

    def select(self, local_id: str | None) -> None:
        self.selected_id = local_id
        self._show_selection()

    def _show_selection(self) -> None:
        for scene in self.views.scenes():
            scene.select(self.selected_id)
        if self.views.built("list"):
            self.views.list.select(self.selected_id)
        self.selection_changed.emit(self.selected_id)

    def selected(self) -> Post | None:
        return self.posts.get(self.selected_id) if self.selected_id else None

    def selected_in_conflict(self) -> bool:
        post = self.selected()
        return post is not None and post.sync_state == SyncState.CONFLICT

    def is_shown(self, local_id: str) -> bool:
        return any(p.local_id == local_id for p in self.shown_posts())

    def shown_posts(self) -> list[Post]:
        """The posts the current view shows, in time order (what arrow keys walk through)."""
        scene = self.views.scene()
        ids = scene.posts if scene is not None else set(self.views.list.post_ids())
        posts = [self.posts[i] for i in ids if i in self.posts]
        return sorted(posts, key=lambda p: (p.scheduled_for is None, p.scheduled_for or 0, p.local_id))

    def next_selection(self, direction: int) -> tuple[str, bool] | None:
        """The post an arrow key selects, and whether it is behind a month day's "+N more" (so that day must
        open first: Enter and Delete never act on a post the user cannot see)."""
        posts = self.shown_posts()
        if not posts:
            return None
        ids = [p.local_id for p in posts]
        if self.selected_id in ids:
            index = min(max(ids.index(self.selected_id) + direction, 0), len(ids) - 1)
        elif self.views.mode == "list" and (top := self.views.list.first_visible_id()) in ids:
            # the list spans weeks and opens on the anchor day: start from the rows on screen, not the first row
            index = ids.index(top) if direction > 0 else max(ids.index(top) - 1, 0)
        else:
            index = 0 if direction > 0 else len(ids) - 1
        scene = self.views.scene()
        hidden = self.views.mode == "month" and scene is not None and not _on_screen(scene, ids[index])
        return ids[index], hidden

    def day_of(self, local_id: str):
        return local_date(self.posts[local_id].scheduled_for, self.views.zone)

    def reveal(self, local_id: str) -> None:
        scene = self.views.scene()
        if scene is None:
            row = self.views.list.row_of(local_id)
            if row is not None:
                self.views.list.scrollToItem(row)
            return
        item = scene.items_by_id.get(local_id)
        if item is not None and item.isVisible():
            self.views.page().view.ensureVisible(item, 8, 24)


def _on_screen(scene, local_id: str) -> bool:
    item = scene.items_by_id.get(local_id)
    return item is not None and item.isVisible()
