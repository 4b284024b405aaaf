"""The PostEditor's actions on its post: save (as a draft, scheduled, in place), publish now, delete, retry, and
the status line that says where the stored post stands against Late (a mixin: it acts on the editor's form).

A save is one operation through the runner, so it lands in the one undo history (Ctrl+Z in the calendar puts the
previous version back), except Publish now, which Late acts on at once and cannot be undone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from latecal.core.lifecycle import Check, in_place_save
from latecal.core.models import Post
from latecal.core.status import PostStatus
from latecal.presentation import editor_texts as texts
from latecal.ui.editor.repeat_section import save_with_repeat


class Saving:
    def save_draft(self) -> Post | None:
        return self._save(PostStatus.DRAFT)

    def schedule(self) -> Post | None:
        if self.problems_for(Check.SCHEDULE):
            self.revalidate()
            return None
        return self._save(PostStatus.SCHEDULED)

    def publish_now(self) -> Post | None:
        if self.problems_for(Check.PUBLISH_NOW):
            self.revalidate()
            return None
        return self._save(PostStatus.SCHEDULED, when=self.clock())

    def move_to_draft(self) -> Post | None:
        return self._save(PostStatus.DRAFT)

    def _schedule_if_enabled(self) -> None:
        if self.schedule_button.isEnabled():
            self.schedule()

    def _save(self, status: str, *, when: datetime | None = None, undoable: bool = True) -> Post | None:
        """Save the form with ``status`` (at ``when``: Publish now). ``undoable=False``: the save is half of
        something Late acts on at once (keeping this version in a conflict, a retry's fix), which the history
        cannot take back either."""
        if status == PostStatus.DRAFT and (empty := self.problems_for(Check.DRAFT)):
            # e.g. an untouched new post: nothing is kept, and nothing Late would refuse goes out
            self._save_error = " ".join(p.message for p in empty)
            self.status_line.setText(self._save_error)
            return None
        post = replace(self.current_post(), status=status)
        if when is not None:
            post = post.moved_to(when.replace(microsecond=0))
        old_key = self.key
        result = save_with_repeat(self, post) if undoable and when is None else None  # a repeating post's save
        if result is None:
            result = self.runner.save(post, initiator=self, undoable=undoable and when is None)
        if not result.posts:  # e.g. the disk is full: say so, keep everything in the form
            self._save_error = result.message.text if result.message else ""
            self.status_line.setText(self._save_error)
            return None
        saved = result.posts[0]
        self.store.clear_autosave(old_key)
        self.is_new = False
        self.post = saved
        self.late_message = ""
        if when is not None:
            self.when.set_when(saved.scheduled_for)
        self._baseline = self.snapshot().comparable()
        self.store.clear_autosave(self.key)
        self._apply_state()
        self.revalidate()
        self.refresh_status()
        self.saved.emit(saved)
        return saved

    def save_in_place(self, *, undoable: bool = True) -> Post | None:
        """Ctrl+S, and "Save" when closing. Keep the post's place (``core.lifecycle.in_place_save``); changes to
        a post Late has taken over meanwhile, or that was deleted, become a new draft."""
        deleted = not self.is_new and self.store.get_post(self.post.local_id) is None
        if self.read_only or deleted:
            return self._save_as_new_draft(deleted=deleted) if self.is_dirty() else None
        status, check = in_place_save(self.post.status)
        if check is not Check.DRAFT and self.problems_for(check):
            self.revalidate()
            self.status_line.setText(texts.FIX_TO_KEEP_SCHEDULED if check is Check.SCHEDULE
                                     else texts.FIX_BEFORE_LATE)
            return None
        return self._save(status, undoable=undoable)

    def _save_as_new_draft(self, *, deleted: bool) -> Post | None:
        """The changes to a post that is gone (deleted) or that Late took over go to a new draft of their own."""
        result = self.runner.save_as_new_draft(self.current_post(), initiator=self)
        if not result.posts:
            self.status_line.setText(result.message.text if result.message else "")
            return None
        copy = result.posts[0]
        self.store.clear_autosave(self.key)
        if not deleted:
            self.load(self.post)  # the form shows the post as Late has it again: the changes live in the copy
        else:
            self._baseline = self.snapshot().comparable()
        self.show_note(texts.saved_as_new_draft(copy))
        self.saved.emit(copy)
        return copy

    def delete(self) -> None:
        if self.delete_handler is not None:
            self.delete_handler(self.post.local_id, self)  # the window asks, on top of us; the store change closes us

    def retry(self) -> None:
        """Retry the failed platforms with what is on screen: unsaved changes (the fix) are saved first."""
        if self.is_dirty() and not self.read_only and self.save_in_place(undoable=False) is None:
            return  # the fix has problems Late would refuse: they are listed, nothing is retried
        if self.retry_handler is not None:
            self.retry_handler(self.post.local_id)

    # -- where the stored post stands against Late ------------------------------------------------------------

    def status_text(self) -> str:
        """The footer's line: what the stored post is, and whether Late has it (follows every store change)."""
        if self.is_new:
            return ""
        sync = self.sync_provider()
        link = texts.Connection(connected=sync is not None, online=sync is None or sync.online,
                                deferred=self._deferred())
        return texts.status_text(self.post, late_message=self.late_message, zone=self.effective_zone(), link=link)

    def _deferred(self) -> tuple[str, datetime] | None:
        """An attempt that failed and waits (e.g. Late asked to slow down): why, and until when."""
        now = self.clock()
        waiting = [e for e in self.store.outbox_entries(self.post.local_id)
                   if e.next_attempt_at is not None and e.next_attempt_at > now and e.last_error]
        if not waiting:
            return None
        entry = max(waiting, key=lambda e: e.next_attempt_at)
        return entry.last_error, entry.next_attempt_at

    def refresh_status(self) -> None:
        self.status_line.setText(self.status_text())
