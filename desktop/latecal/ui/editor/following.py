"""How a PostEditor follows its stored post when something else changes it: a sync, a drag in the calendar, an
undo, a conflict choice (a mixin: it acts on the editor's form).

With no unsaved changes the form simply reloads. With some, core's three-way merge decides: every part the user
left as it was loaded takes the stored post's new value, the user's changes stay.
"""

from __future__ import annotations

from dataclasses import replace

from latecal.core.merge import Part, parts_to_take
from latecal.core.models import Post
from latecal.core.snapshot import EditorSnapshot
from latecal.core.status import SyncState
from latecal.presentation import editor_texts as texts


class Following:
    def _on_store_changed(self, changes, initiator) -> None:
        if initiator is self or self._closing_for_good:
            return
        if self.post.local_id in changes.removed and not self.is_new:
            if self.is_dirty():
                self.show_note(texts.DELETED_NOTE)
            else:
                self.close_without_asking()
            return
        fresh = changes.posts.get(self.post.local_id)
        if fresh is None:
            return
        if self.banner.text() == texts.DELETED_NOTE:
            self.show_note("")  # back again (the delete was undone)
        self._follow_store(fresh)

    def follow_copy(self, copy: Post) -> None:
        """This deleted post came back as a draft copy (an undo): the form edits the copy. The user's unsaved
        text stays; what they left alone takes the copy's values (e.g. a time now gone)."""
        self.store.clear_autosave(self.key)
        self._take_untouched(copy)
        self.post = copy
        self.is_new = False
        self.late_message = ""
        self.show_note(texts.CAME_BACK_AS_COPY)
        self.autosave_now()
        self._apply_state()
        self.revalidate()

    def _follow_store(self, fresh: Post) -> None:
        """The stored post changed: show its state; reload the fields unless the user has changes here (or
        Late's version was just taken: those replace them)."""
        self.is_new = False
        if self._taking_remote and fresh.sync_state != SyncState.CONFLICT:
            self._taking_remote = False
            self.store.clear_autosave(self.key)
            self.load(fresh)
        elif self.is_dirty() or self.media.busy():
            was_editable = not self.read_only
            self._take_untouched(fresh)
            self.post = replace(fresh, media=self.post.media)  # status and results follow; the user's text stays
            if was_editable and self.read_only and self.is_dirty():
                self.show_note(texts.taken_over(fresh.status))
                self.autosave_now()  # kept across a crash too
            self.late_message = fresh.sync_error if fresh.sync_state == SyncState.REJECTED else ""
            self._apply_state()
            self.revalidate()
        else:
            self.load(fresh)

    def _take_untouched(self, fresh: Post) -> None:
        """While the user has changes here, the parts of the form they left as loaded take ``fresh``'s values."""
        base = EditorSnapshot.from_json(self._baseline)
        theirs = self._snapshot_of(fresh)
        self._loading = True
        for part in parts_to_take(base, self.snapshot(), theirs):
            if part is Part.TITLE:
                self.title_edit.setText(theirs.title)
            elif part is Part.CONTENT:
                self.content_edit.setPlainText(theirs.content)
            elif part is Part.HASHTAGS:
                self.hashtags_edit.setText(theirs.hashtags)
            elif part is Part.TARGETS:
                self.picker.set_targets(theirs.targets or [])
                self.custom.load({t.account_id: t.custom_content or "" for t in theirs.targets or []})
                self._rebuild_custom_tabs()
            else:
                self.when.set_explicit_zone(theirs.timezone)
                self.when.set_when(theirs.scheduled_for)
        self._loading = False
        self._baseline = theirs.comparable()
