"""The editor's "Next free slot in <profile>'s queue" (a mixin of PostEditor): a new post goes to Late with
``queuedFromProfile`` and no time, Late picks the slot, and the editor then shows the time Late gave it.

Late acts at once, so this is not in the undo history (the button's tooltip says so). The request runs as a task
the editor keeps a reference to; the editor stays usable meanwhile, the button waits for the answer.
"""

from __future__ import annotations

import asyncio

from shiboken6 import isValid

from latecal.core.lifecycle import Check
from latecal.core.queue_slots import QueueSchedule
from latecal.presentation import queue_texts as words
from latecal.store.queue_cache import load_queues


class Queueing:
    def setup_queueing(self) -> None:
        self.queue_task: asyncio.Task | None = None
        self.when.queue_source = self.queue_choice
        self.when.queue_requested.connect(self.queue_into_slot)

    def _client(self):
        sync = self.sync_provider()
        engine = getattr(sync, "engine", None)
        return getattr(engine, "client", None)

    def queue_choice(self) -> tuple[QueueSchedule, str] | None:
        """The queue the button offers: the default (else first) active queue with slots of the first chosen
        account's profile, for a new post while Late is connected."""
        if not self.is_new or self._client() is None:
            return None
        for _platform, account_id in self.picker.selected():
            account = self.accounts.get(account_id)
            profile = self.profiles.get(account.profile_id) if account else None
            if profile is None:
                return None
            usable = [q for q in load_queues(self.store) if q.profile_id == profile.id and q.active and q.slots]
            usable.sort(key=lambda q: not q.is_default)
            return (usable[0], profile.name) if usable else None
        return None

    def queue_into_slot(self) -> None:
        choice, client = self.queue_choice(), self._client()
        if choice is None or client is None:
            self.status_line.setText(words.QUEUE_NEEDS_LATE if client is None else words.QUEUE_NEEDS_ACCOUNT)
            return
        if self.problems_for(Check.PUBLISH_NOW):  # all of Late's rules but the time, which Late picks
            self.revalidate()
            return
        if self.queue_task is not None and not self.queue_task.done():
            return
        schedule, profile_name = choice
        self.when.queue_button.setEnabled(False)
        self.status_line.setText(words.QUEUEING)
        post = self.current_post()
        self.queue_task = asyncio.get_running_loop().create_task(self._queue(post, schedule, profile_name, client))

    async def _queue(self, post, schedule: QueueSchedule, profile_name: str, client) -> None:
        old_key = self.key
        try:
            result = await self.runner.queue_post(post, schedule, profile_name, client, initiator=self)
        finally:
            if isValid(self.when):
                self.when.queue_button.setEnabled(True)
        if not isValid(self.when):  # the editor was closed meanwhile: the store has the post all the same
            return
        if not result.posts:
            self.status_line.setText(result.message.text if result.message else "")
            return
        saved = result.posts[0]
        self.store.clear_autosave(old_key)
        self.is_new = False
        self.post = saved
        self.when.set_when(saved.scheduled_for)  # the time Late gave it
        self._baseline = self.snapshot().comparable()
        self.store.clear_autosave(self.key)
        self._apply_state()
        self.revalidate()
        self.show_note(result.message.text if result.message else "")
        self.saved.emit(saved)
