"""Change sets carry the changed posts as committed, and say whether the transaction queued a push for something the
user did (``queued``): the sync engine wakes on that, and not on its own bookkeeping. Real SQLite files."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from latecal.core.models import Post, Target
from latecal.store import ChangeSet, PendingEditsError, Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=365)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "store.sqlite3")
    yield s
    assert s.check_integrity() == []
    s.close()


class Seen:
    """A listener that checks, while it runs, that the posts carried are what the store holds."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.changes: list[ChangeSet] = []
        self.initiators: list[object] = []
        store.subscribe(self)

    def __call__(self, changes: ChangeSet, initiator: object) -> None:
        assert changes.posts == {i: self.store.get_post(i) for i in changes.changed}
        assert not changes.removed & changes.changed and not changes.removed & changes.posts.keys()
        self.changes.append(changes)
        self.initiators.append(initiator)

    @property
    def last(self) -> ChangeSet:
        return self.changes[-1]

    def queued(self) -> list[bool]:
        return [c.queued for c in self.changes]


def draft(**kw) -> Post:
    kw.setdefault("content", "hello")
    kw.setdefault("targets", [Target("twitter", "acc-x")])
    kw.setdefault("scheduled_for", T0)
    return Post(**kw)


def push_ok(store: Store, local_id: str) -> None:
    (entry,) = [e for e in store.pending_entries(LATER) if e.local_id == local_id][:1]
    store.finish_push(store.begin_push(entry), late_id=f"late-{local_id}", remote_account_ids=["acc-x"])


def synced(store: Store, **kw) -> Post:
    p = store.save_post(draft(**kw))
    push_ok(store, p.local_id)
    return store.get_post(p.local_id)


# --------------------------------------------------------------------------- the posts carried


def test_the_posts_carried_are_the_posts_as_committed(store):
    seen = Seen(store)
    p = store.save_post(draft())
    assert seen.last.posts == {p.local_id: p}
    push_ok(store, p.local_id)
    assert seen.last.posts[p.local_id] == store.get_post(p.local_id)
    assert seen.last.posts[p.local_id].late_id == f"late-{p.local_id}"
    store.request_retry(p.local_id)
    moved = store.save_post(replace(p, scheduled_for=T0 + timedelta(hours=3)))
    assert seen.last.posts == {p.local_id: moved} == {p.local_id: store.get_post(p.local_id)}
    assert len(seen.changes) == 4  # (Seen checked every one against get_post while it was called)


def test_every_listener_gets_the_same_change_set_read_once(store):
    other: list[ChangeSet] = []
    seen = Seen(store)
    store.subscribe(lambda changes, _who: other.append(changes))
    store.save_post(draft())
    assert other[0] is seen.last


def test_a_batch_carries_each_post_once_as_it_stands_at_the_end(store):
    seen = Seen(store)
    a = synced(store)
    with store.batch(initiator="sync"):
        store.upsert_remote(draft(late_id="N1", content="new on Late"))
        store.save_post(replace(a, content="first"))
        b = store.save_post(draft(content="made in the batch"))
        final = store.save_post(replace(a, content="second"))
    (changes,) = seen.changes[-1:]
    n1 = store.get_by_late_id("N1")
    assert changes.changed == {a.local_id, b.local_id, n1.local_id}
    assert changes.posts == {a.local_id: final, b.local_id: b, n1.local_id: n1}
    assert changes.posts[a.local_id].content == "second"
    assert seen.initiators[-1] == "sync" and changes.queued


def test_a_savepoint_rolled_back_inside_a_batch_takes_its_posts_and_its_queued_push_with_it(store):
    seen = Seen(store)
    p = synced(store)
    store.save_post(replace(p, content="local edit"))  # unpushed: a pull must not overwrite it
    before = len(seen.changes)
    def edit_then_fail() -> None:
        with store.batch():
            store.save_post(draft(content="never happened"))
            raise RuntimeError("undone")

    with store.batch(initiator="sync"):
        store.upsert_remote(draft(late_id="N1"))
        with pytest.raises(RuntimeError):
            edit_then_fail()
        with pytest.raises(PendingEditsError):
            store.upsert_remote(draft(late_id=p.late_id, content="Late's edit"))
    assert len(seen.changes) == before + 1
    n1 = store.get_by_late_id("N1")
    assert seen.last == ChangeSet(frozenset({n1.local_id}), posts={n1.local_id: n1}, queued=False)
    assert store.count() == 2


def test_removed_posts_carry_no_post(store):
    seen = Seen(store)
    a, b = synced(store), synced(store, content="other")
    store.delete_post(a.local_id)  # a tombstone until Late deleted it
    assert seen.last.removed == {a.local_id} and seen.last.changed == frozenset() and not seen.last.posts
    store.remove_remote_deleted(b.local_id)
    assert seen.last == ChangeSet.of(removed=(b.local_id,))
    with store.batch():
        c = store.save_post(draft(content="brief"))
        store.delete_post(c.local_id)
    assert seen.last.removed == {c.local_id} and seen.last.changed == frozenset() and not seen.last.posts


def test_a_later_change_wins_over_an_earlier_removal_in_a_batch(store):
    seen = Seen(store)
    p = synced(store)
    before, entries = store.get_record(p.local_id), store.outbox_entries(p.local_id)
    with store.batch():
        store.delete_post(p.local_id)
        back = store.cancel_delete(before, entries)
    assert seen.last.changed == {p.local_id} and seen.last.removed == frozenset()
    assert seen.last.posts == {p.local_id: back}


def test_a_change_made_on_another_thread_carries_its_posts_too(store):
    seen = Seen(store)
    saved: list[Post] = []
    worker = threading.Thread(target=lambda: saved.append(store.save_post(draft(content="from a thread"))))
    worker.start()
    worker.join()
    assert seen.last.posts == {saved[0].local_id: saved[0]}


# --------------------------------------------------------------------------- queued: a push for a user's change


def test_each_user_edit_that_writes_an_outbox_entry_is_queued(store):
    seen = Seen(store)
    p = store.save_post(draft())
    assert seen.last.queued
    push_ok(store, p.local_id)
    store.request_retry(p.local_id)
    assert seen.last.queued
    store.save_post(replace(p, content="moved"))
    assert seen.last.queued
    before, entries = store.get_record(p.local_id), store.outbox_entries(p.local_id)
    store.delete_post(p.local_id)
    assert seen.last.queued
    store.cancel_delete(before, entries)
    assert seen.last.queued and seen.last.changed == {p.local_id}
    store.mark_conflict(p.local_id, draft(late_id=p.late_id, content="theirs"), "both changed")
    assert not seen.last.queued
    store.resolve_conflict(p.local_id, "local")
    assert seen.last.queued


def test_user_changes_that_leave_nothing_to_push_are_not_queued(store):
    seen = Seen(store)
    fresh = store.save_post(draft())
    store.delete_post(fresh.local_id)  # never pushed: it simply goes
    assert seen.last == ChangeSet.of(removed=(fresh.local_id,))
    p = synced(store)
    before, entries = store.get_record(p.local_id), store.outbox_entries(p.local_id)
    store.delete_post(p.local_id)
    store.cancel_delete(before, entries)  # back as it was, synced
    assert not seen.last.queued and store.outbox_entries() == []
    store.save_post(replace(p, content="mine"))
    store.mark_conflict(p.local_id, draft(late_id=p.late_id, content="theirs"), "both changed")
    store.resolve_conflict(p.local_id, "remote")  # Late's version: the queued edit is dropped
    assert not seen.last.queued and store.outbox_entries() == []


def test_pull_merges_are_never_queued(store):
    seen = Seen(store)
    p = synced(store)
    with store.batch(initiator="sync"):
        store.upsert_remote(draft(late_id="N1"))
        store.upsert_remote(draft(late_id=p.late_id, content="edited on Late", remote_updated_at=T0))
    assert len(seen.last.changed) == 2 and not seen.last.queued
    store.save_post(replace(store.get_post(p.local_id), content="mine"))
    store.mark_conflict(p.local_id, draft(late_id=p.late_id, content="theirs"), "both changed")
    assert not seen.last.queued
    n1 = store.get_by_late_id("N1")
    store.remove_remote_deleted(n1.local_id)
    assert not seen.last.queued


def test_push_bookkeeping_is_never_queued(store):
    seen = Seen(store)
    p = store.save_post(draft())
    token = store.begin_push(store.pending_entries(LATER)[0])
    store.note_sent(token, "fp")
    store.fail_push(token, "Late is down", retry_at=T0 + timedelta(minutes=5), rejected=False)
    token = store.begin_push(store.pending_entries(LATER)[0])
    store.finish_push(token, late_id="L1", remote_account_ids=["acc-x"])
    store.save_post(replace(store.get_post(p.local_id), content="v2"))
    token = store.begin_push(store.pending_entries(LATER)[0])
    store.fail_push(token, "Late refused it", retry_at=None, rejected=True)
    store.save_post(replace(store.get_post(p.local_id), content="v3"))
    token = store.begin_push(store.pending_entries(LATER)[0])
    store.adopt_remote_base(p.local_id, draft(late_id="L1", content="v2"))
    store.conflict_in_push(token, draft(late_id="L1", content="theirs"), "changed on Late", late_id="L1")
    user_edits = 3  # the three saves
    assert sum(seen.queued()) == user_edits
    assert [c.queued for c in seen.changes if c.queued] == [True] * user_edits


def test_detaching_for_a_recreate_is_not_queued(store):
    seen = Seen(store)
    p = synced(store)
    store.save_post(replace(p, targets=[Target("bluesky", "acc-b")]))
    token = store.begin_push(store.pending_entries(LATER)[0])
    before = len(seen.changes)
    create = store.detach_for_recreate(token)
    store.finish_push(create, late_id="L-new", remote_account_ids=["acc-b"])
    assert seen.queued()[before:] == [False] * (len(seen.changes) - before)


# --------------------------------------------------------------------------- merging


def test_merge_keeps_the_latest_post_and_drops_a_removed_one():
    old, new = Post(local_id="a", content="old"), Post(local_id="a", content="new")
    b = Post(local_id="b")
    first = ChangeSet(frozenset({"a", "b"}), posts={"a": old, "b": b})
    assert first.merge(ChangeSet(frozenset({"a"}), posts={"a": new})).posts == {"a": new, "b": b}
    gone = first.merge(ChangeSet.of(removed=("b",)))
    assert gone == ChangeSet(frozenset({"a"}), frozenset({"b"}), posts={"a": old})
    back = gone.merge(ChangeSet(frozenset({"b"}), posts={"b": b}))  # a later change wins over a removal
    assert back == ChangeSet(frozenset({"a", "b"}), posts={"a": old, "b": b})
    unread = first.merge(ChangeSet.of(changed=("a",)))  # a newer change without its post: no stale one
    assert unread.posts == {"b": b} and unread.changed == {"a", "b"}


def test_merge_ors_queued_and_queued_alone_is_no_change():
    assert ChangeSet.of(changed=("a",), queued=True).merge(ChangeSet.of(removed=("b",))).queued
    assert not ChangeSet.of(changed=("a",)).merge(ChangeSet.of(removed=("b",))).queued
    assert not ChangeSet(queued=True)


def test_combine_is_repeated_merge():
    sets = [ChangeSet.of(changed=("1", "2")), ChangeSet.of(removed=("2", "3")), ChangeSet.of(changed=("3",)),
            ChangeSet(frozenset({"4"}), posts={"4": Post(local_id="4")}, queued=True), ChangeSet.of(removed=("4",))]
    folded = ChangeSet()
    for c in sets:
        folded = folded.merge(c)
    assert ChangeSet.combine(sets) == folded == ChangeSet.of(changed=("1", "3"), removed=("2", "4"), queued=True)


def test_a_change_to_a_post_that_cannot_be_read_still_commits_and_the_post_leaves_the_views(tmp_path, caplog):
    path = tmp_path / "store.sqlite3"
    with Store.open(path) as store:
        p = synced(store)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE posts SET targets = '[{broken' WHERE local_id = ?", (p.local_id,))
    raw.close()
    with Store.open(path) as store:
        seen: list[ChangeSet] = []
        store.subscribe(lambda changes, _who: seen.append(changes))
        store.request_retry(p.local_id)
        assert [e.op for e in store.outbox_entries(p.local_id)] == ["retry"]  # committed
    assert seen == [ChangeSet.of(removed=(p.local_id,), queued=True)]
    assert "cannot be read" in caplog.text
