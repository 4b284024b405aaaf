"""Post ▸ Edit queues…: the queue dialog on the queues the last sync read, the selected post's profile first.
Saving redraws the calendar's queue slots at once."""

from __future__ import annotations

from latecal.core.queue_slots import QueueSchedule, queued_posts
from latecal.presentation import queue_texts as words
from latecal.presentation.messages import info


def open_queue_dialog(window) -> object | None:
    from datetime import timedelta

    from latecal.store.queue_cache import load_queues
    from latecal.ui.dialogs.queue_dialog import QueueDialog

    store = window.store
    profiles = {p.id: p for p in store.profiles()}
    queues = [(q, profiles[q.profile_id]) for q in load_queues(store) if q.profile_id in profiles]
    if not queues:
        window.say(info(words.NO_QUEUES))
        return None
    selected = window.mirror.selected()
    accounts = {a.id: a.profile_id for a in store.accounts()}
    mine = {accounts.get(a) for a in selected.account_ids} if selected is not None else set()
    queues.sort(key=lambda qp: (qp[0].profile_id not in mine, not qp[0].is_default))

    def client():
        engine = getattr(window.sync, "engine", None)
        return getattr(engine, "client", None)

    def queued(schedule: QueueSchedule):
        now = window.clock()
        return queued_posts(schedule, store.posts_between(now, now + timedelta(days=400)), accounts, now)

    dialog = QueueDialog(queues, runner=window.runner, client=client, queued_posts=queued, zone=window.zone,
                         parent=window)
    dialog.queue_saved.connect(lambda _schedule: window.mirror.accounts_may_have_changed())
    window.queue_dialog = dialog  # kept: the window owns it while it is open
    dialog.show()
    return dialog
