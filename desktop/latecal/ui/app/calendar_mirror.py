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
from latecal.core.recurrence import projected_posts
from latecal.core.status import SyncState
from latecal.core.target_times import effective_time, owner_id, slices
from latecal.core.zones import profile_zones
from latecal.presentation import calendar_texts as words
from latecal.presentation import list_texts
from latecal.presentation import messages as say
from latecal.ui.calendar.post_filter import PostFilter
from latecal.ui.calendar.selection import PostSelection
from latecal.ui.calendar.views import CalendarViews

_EPOCH = datetime.min.replace(tzinfo=UTC)


#: a change set moving this many posts (an import, its undo) re-lays the view out once instead of post by post
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
        #: the window's one selection (ids): it survives syncs and view switches; a filter that hides a post drops it
        self.selection = PostSelection(self)
        self.selection.changed.connect(self._show_selection)
        self._range: tuple[datetime, datetime] = (_EPOCH, _EPOCH)
        self._known_tags: set[str] = set()
        self._accounts: list = []  # as last shown in the filters
        #: the chips of a post that goes out at several times (``target_times.slices``), by chip key
        self._chips: dict[str, Post] = {}
        self._chip_keys: dict[str, list[str]] = {}  # post local id → its chip keys
        self._profile_colours: dict[str, str] = {}  # account id → its profile's colour (the chips' brand line)
        self._agenda = None  # the List's rows from the store (AgendaSource), once the List is shown
        self._echo = False

    # -- loading and filtering ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the visible range from the store (navigation only; filters and changes never call this)."""
        start, end = self._range = self.views.range_utc()
        self.load_count += 1
        # the List reads its own rows (keys first, posts as they are shown): thousands are never decoded at once
        self.posts = {} if self.views.mode == "list" else {p.local_id: p for p in self.store.posts_between(start, end)}
        self._refresh_filter_choices()
        if self.views.mode in ("week", "day"):
            self._show_queues()
        self.show_filtered()

    def set_filter(self, post_filter: PostFilter) -> None:
        self.filter = post_filter
        self.show_filtered()

    def show_filtered(self) -> None:
        if self.views.mode == "list":
            self._show_list()
            return
        self.views.scene().profile_colours = self._profile_colours
        self._chips.clear()
        self._chip_keys.clear()
        # a grid shows a post once per time it goes out at
        shown = [c for p in self.posts.values() for c in self._chips_of(p) if self.filter.matches(c)]
        self._say_if_filtered_out(bool(shown))
        self.views.sink().set_posts(shown)
        hidden = [i for i in self.selection.ids if i in self.posts and not self.filter.matches(self.posts[i])]
        self.selection.discard(hidden)
        self._show_selection()

    def _show_list(self) -> None:
        """The List: its rows from the store (a search: from the whole store), its empty state said in it."""
        if self._agenda is None:
            from latecal.ui.calendar.agenda_source import AgendaSource

            self._agenda = AgendaSource(self.store, self.views.list)
            self.views.list.selected_ids_changed.connect(self._take_list_selection)
        days = self.views.days()
        text, way_out = words.empty_list(words.list_span(days[0], days[-1]), filtered=self.filter.active)
        if self.filter.text.strip():
            text, way_out = list_texts.empty_search()
        self.views.list.set_empty_text(text, way_out, link=self.filter.active)
        self._say_if_filtered_out(True)
        self._agenda.load(*self._range, self.filter)
        self.selection.discard([i for i in self.selection.ids if self.views.list.row_of(i) is None])
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
        self._show_queues()

    def _show_queues(self) -> None:
        """Late's queues as the last sync read them (kept in the store): the week and day views draw their slots."""
        from latecal.store.queue_cache import load_queues

        queues = load_queues(self.store)
        if queues != self.views.queues[0]:
            self.views.set_queues(queues, {p.id: p for p in self.store.profiles()})

    def _refresh_filter_choices(self) -> None:
        accounts = self._accounts = self.store.accounts()
        self.views.set_accounts(accounts, profile_zones(accounts, self.store.profiles()))
        self.toolbar.set_accounts(accounts)
        profiles = self.store.profiles()
        self.toolbar.set_profiles(profiles)
        colours = {p.id: p.color for p in profiles}
        self._profile_colours = {a.id: colours[a.profile_id] for a in accounts if a.profile_id in colours}
        for scene in self.views.scenes():  # each chip carries its brand's (profile's) colour
            scene.profile_colours = self._profile_colours
        if self.filter.text.strip():  # the search also matches account names: take the new ones
            self.filter = self.toolbar.current_filter()
        # the List decodes no range: its tags come from the store; its platforms are the accounts' (a post to a
        # platform no account has any more is still found by searching the platform's name)
        post_platforms = {p for post in self.posts.values() for p in post.platforms}
        self._known_tags = (self.store.agenda_tags(*self._range) if self.views.mode == "list"
                            else {t for post in self.posts.values() for t in post.tags})
        self.toolbar.set_platforms(sorted({a.platform for a in accounts} | post_platforms))
        self.toolbar.set_tags(sorted(self._known_tags))

    # -- store changes (the relay) ---------------------------------------------------------------------------

    def apply_changes(self, changes, _initiator) -> None:
        if self.views.mode == "list" and self._agenda is not None:
            self._agenda.apply(changes.updates())
            gone = [i for i in self.selection.ids if self.views.list.row_of(i) is None]
            if gone:
                self.selection.discard(gone)  # hidden or gone: Enter or Delete must not act on it unseen
            elif self.selected_id in changes.changed:
                self.selection_changed.emit(self.selected_id)
            self._note_tags(t for _id, post in changes.updates() if post is not None for t in post.tags)
            return
        scene = self.views.scene()
        with scene.batched() if scene is not None else nullcontext():  # one layout for a bulk move of 500
            for local_id, post in changes.updates():
                if post is None:
                    self._drop(local_id)
                    self.selection.discard([local_id])
                else:
                    self._apply_post(post)
        if self.filter.active:  # a sync may have brought the first post that matches, or hidden the last
            self._say_if_filtered_out(any(self.filter.matches(p) for p in self.posts.values()))

    def _in_range(self, post: Post) -> bool:
        if post.scheduled_for is None:
            return self.views.mode == "list"
        start, end = self._range
        times = [post.scheduled_for] + [effective_time(post, t) for t in post.targets]
        return any(t is not None and start <= t < end for t in times)

    def _chips_of(self, post: Post) -> list[Post]:
        """The chips of ``post`` (one per time it goes out at), remembered by key for drops and hover links."""
        chips = slices(post)
        if post.recycling:  # a series Late repeats: the copies it has not made yet, lighter
            chips += projected_posts(post, self.views.zone, start_utc=self._range[0], end_utc=self._range[1])
        for key in self._chip_keys.pop(post.local_id, []):
            self._chips.pop(key, None)
        if len(chips) > 1:
            self._chip_keys[post.local_id] = [c.local_id for c in chips]
            self._chips.update((c.local_id, c) for c in chips)
        return chips

    def chip(self, key: str) -> Post | None:
        """What the chip ``key`` shows: a part of a post (its platforms at one time), or a whole post."""
        return self._chips.get(key) or self.posts.get(key)

    def _with_linked_chips(self, keys) -> set[str]:
        """A selected post that goes out at several times is selected at each of them: every chip shows it."""
        shown = set(keys)
        for key in keys:
            owner = owner_id(key)
            shown.add(owner)
            shown.update(self._chip_keys.get(owner, ()))
        return shown

    def chip_keys(self, local_id: str) -> list[str]:
        """Every chip of a post that goes out at several times (empty for a post with one chip)."""
        return list(self._chip_keys.get(local_id, ()))

    def _apply_post(self, post: Post) -> None:
        """One post is new or changed: only its item is updated (or moved, or removed)."""
        if not self._in_range(post):
            self._drop(post.local_id)
            return
        new_tags = set(post.tags) - self._known_tags
        self.posts[post.local_id] = post
        sink = self.views.sink()
        if self.views.mode == "list":
            chips = [post]
        else:
            old_keys = set(self._chip_keys.get(post.local_id, ())) | {post.local_id}
            chips = self._chips_of(post)
            for key in old_keys - {c.local_id for c in chips}:
                sink.remove_post(key)
        shown = [c for c in chips if self.filter.matches(c)]
        shown_keys = {c.local_id for c in shown}
        for chip in chips:
            if chip.local_id in shown_keys:
                sink.upsert_post(chip)
            else:
                sink.remove_post(chip.local_id)
        if not shown:  # hidden now: Enter or Delete must not act on it unseen
            self.selection.discard([post.local_id])
        if post.local_id == self.selected_id:
            self.selection_changed.emit(self.selected_id)
        if new_tags:
            self._known_tags |= new_tags
            self.toolbar.set_tags(sorted(self._known_tags))

    def _note_tags(self, tags) -> None:
        new_tags = set(tags) - self._known_tags
        if new_tags:
            self._known_tags |= new_tags
            self.toolbar.set_tags(sorted(self._known_tags))

    def _drop(self, local_id: str) -> None:
        self.posts.pop(local_id, None)
        for key in self._chip_keys.pop(local_id, []):
            self._chips.pop(key, None)
            if key != local_id:
                self.views.sink().remove_post(key)
        self.views.sink().remove_post(local_id)

    # -- selection -----------------------------------------------------------------------------------------

    @property
    def selected_id(self) -> str | None:
        """The post the keyboard acts on alone (Enter opens it): the selection's current post."""
        return self.selection.current

    def select(self, local_id: str | None) -> None:
        if local_id == self.selected_id and len(self.selection) <= 1:
            self._show_selection()  # nothing new, but the caller expects to be heard (selection_changed)
        self.selection.only(local_id)

    def _show_selection(self) -> None:
        shown = self._with_linked_chips(self.selection.ids)
        for scene in self.views.scenes():
            scene.selection = self.selection
            scene.show_selection(shown, self.selected_id)
        if self.views.built("list") and not self._echo:
            current, ids = self.selected_id, self.selection.ids
            self._echo = True  # the List says what it now shows selected: that is this, not a user's change
            try:
                self.views.list.select_ids(([current] if current in ids else []) + sorted(ids - {current}))
            finally:
                self._echo = False
        self.selection_changed.emit(self.selected_id)

    def _take_list_selection(self, ids: list[str]) -> None:
        """A click, Ctrl/Shift+click or an arrow key in the List: the window's selection becomes the List's."""
        if self._echo:
            return
        self._echo = True  # the List shows it already: told again, it would lose its Shift+click anchor
        try:
            self.selection.replace(ids, self.views.list.current_id())
        finally:
            self._echo = False

    def selected(self) -> Post | None:
        if not self.selected_id:
            return None
        if self.views.mode == "list":  # the List reads its posts as it shows them
            return self.views.list.post(self.selected_id)
        return self.posts.get(self.selected_id)

    def selected_in_conflict(self) -> bool:
        post = self.selected()
        return post is not None and post.sync_state == SyncState.CONFLICT

    def is_shown(self, local_id: str) -> bool:
        if self.views.mode == "list":
            return self.views.list.row_of(local_id) is not None
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
        # the List is in time order already (and may hold thousands of rows not read yet)
        ids = self.views.list.post_ids() if self.views.mode == "list" else [p.local_id for p in self.shown_posts()]
        if not ids:
            return None
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
            self.views.list.reveal(local_id)
            return
        item = scene.items_by_id.get(local_id)
        if (item is None or not item.isVisible()) and hasattr(scene, "holder_of"):
            item = scene.holder_of(local_id)  # a week or day post behind its time's "+N": that "+N"
        if item is not None and item.isVisible():
            self.views.page().view.ensureVisible(item, 8, 24)


def _on_screen(scene, local_id: str) -> bool:
    item = scene.items_by_id.get(local_id)
    return item is not None and item.isVisible()
