"""The outbox: coalescing of user edits, the in-flight push protocol and the remote merge primitives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from latecal.core.models import MediaItem, Post, Target
from latecal.store import (
    ChangeSet,
    DuplicateLateIdError,
    PendingEditsError,
    Store,
    StoreError,
    UnknownPostError,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "store.sqlite3")
    yield s
    assert s.check_integrity() == []
    s.close()


def draft(**kw) -> Post:
    kw.setdefault("content", "hello")
    kw.setdefault("targets", [Target("twitter", "acc-x"), Target("bluesky", "acc-b")])
    kw.setdefault("scheduled_for", T0)
    return Post(**kw)


def ops(store: Store, local_id: str | None = None) -> list[str]:
    return [e.op for e in store.outbox_entries(local_id)]


def push_ok(store: Store, local_id: str, late_id: str | None = None) -> None:
    """Push the post's first ready entry successfully, as the sync engine would."""
    (entry,) = [e for e in store.pending_entries(T0 + timedelta(days=365)) if e.local_id == local_id][:1]
    token = store.begin_push(entry)
    store.finish_push(token, late_id=late_id or f"late-{local_id}")


def synced_post(store: Store, **kw) -> Post:
    p = store.save_post(draft(**kw))
    push_ok(store, p.local_id)
    p = store.get_post(p.local_id)
    assert p.sync_state == "synced"
    assert store.outbox_entries() == []
    return p


# --------------------------------------------------------------------------- coalescing


def test_first_save_mints_key_and_queues_a_create(store):
    p = store.save_post(draft())
    assert p.idempotency_key.startswith("latecal-")
    assert p.sync_state == "pending"
    assert ops(store) == ["create"]
    assert store.get_post(p.local_id).idempotency_key == p.idempotency_key


def test_given_idempotency_key_is_kept(store):
    p = store.save_post(draft(idempotency_key="my-key"))
    assert p.idempotency_key == "my-key"


def test_several_updates_coalesce_into_one_update(store):
    p = synced_post(store)
    for minutes in (15, 30, 45):
        p.scheduled_for = T0 + timedelta(minutes=minutes)
        store.save_post(p)
    (entry,) = store.outbox_entries()
    assert entry.op == "update"
    assert entry.edits == 3
    assert store.get_post(p.local_id).scheduled_for == T0 + timedelta(minutes=45)


def test_create_then_update_stays_one_create_with_the_same_key(store):
    p = store.save_post(draft())
    p.content = "edited"
    p2 = store.save_post(p)
    assert ops(store) == ["create"]
    assert p2.idempotency_key == p.idempotency_key
    assert store.get_post(p.local_id).content == "edited"


def test_update_then_delete_becomes_one_delete_and_a_tombstone(store):
    p = synced_post(store)
    p.content = "moved"
    store.save_post(p)
    cs = store.delete_post(p.local_id)
    assert cs == ChangeSet.of(removed=(p.local_id,), queued=True)  # the delete is queued for Late
    assert ops(store) == ["delete"]
    assert store.get_post(p.local_id) is None
    assert store.get_post(p.local_id, include_deleted=True).content == "moved"


def test_create_then_delete_before_any_push_leaves_nothing(store):
    p = store.save_post(draft())
    p.content = "edited"
    store.save_post(p)
    cs = store.delete_post(p.local_id)
    assert cs == ChangeSet.of(removed=(p.local_id,))  # nothing left to push
    assert store.outbox_entries() == []
    assert store.count(include_deleted=True) == 0


def test_create_then_delete_after_an_attempt_keeps_a_delete_to_resolve(store):
    p = store.save_post(draft())
    (entry,) = store.pending_entries(T0)
    token = store.begin_push(entry)
    store.fail_push(token, "timeout", retry_at=None, rejected=False)  # the create may exist on Late
    store.delete_post(p.local_id)
    (entry,) = store.outbox_entries()
    assert entry.op == "delete"
    rec = store.get_record(p.local_id)
    assert rec.deleted
    assert rec.post.late_id is None  # the engine replays the create with this key first
    assert rec.post.idempotency_key == p.idempotency_key


def test_at_most_one_change_entry_per_post_in_the_database(store):
    import sqlite3

    p = store.save_post(draft())
    with pytest.raises(sqlite3.IntegrityError):
        store._db.execute("INSERT INTO outbox (local_id, op, created_us) VALUES (?, 'update', 0)", (p.local_id,))


def test_retry_is_a_separate_single_entry_and_delete_drops_it(store):
    p = synced_post(store, status="failed")
    store.request_retry(p.local_id)
    store.request_retry(p.local_id)
    assert ops(store) == ["retry"]
    p.content = "fixed"
    store.save_post(p)
    assert sorted(ops(store)) == ["retry", "update"]
    store.delete_post(p.local_id)
    assert ops(store) == ["delete"]


def test_retry_needs_a_post_on_late(store):
    p = store.save_post(draft())
    with pytest.raises(StoreError, match="not on Late"):
        store.request_retry(p.local_id)
    with pytest.raises(UnknownPostError):
        store.request_retry("nope")


def test_entries_keep_their_first_position_in_global_order(store):
    a = synced_post(store, content="a")
    b = store.save_post(draft(content="b"))
    a.content = "a2"
    store.save_post(a)
    a.content = "a3"
    store.save_post(a)
    seqs = [(e.local_id, e.op) for e in store.outbox_entries()]
    assert seqs == [(b.local_id, "create"), (a.local_id, "update")]
    assert [e.seq for e in store.outbox_entries()] == sorted(e.seq for e in store.outbox_entries())


def test_saving_an_untouched_synced_post_queues_nothing(store):
    p = synced_post(store)
    seen = []
    store.subscribe(lambda cs, who: seen.append(cs))
    store.save_post(store.get_post(p.local_id))
    assert store.outbox_entries() == []
    assert seen == []


def test_editor_copy_cannot_clobber_store_managed_fields(store):
    p = store.save_post(draft())
    stale = store.get_post(p.local_id)  # editor opened before the create finished
    push_ok(store, p.local_id, late_id="L1")
    stale.content = "typed meanwhile"
    stale.idempotency_key = "other"
    saved = store.save_post(stale)
    assert saved.late_id == "L1"
    assert saved.idempotency_key == p.idempotency_key
    assert ops(store) == ["update"]


def test_delete_is_a_noop_for_missing_or_already_deleted_posts(store):
    assert store.delete_post("missing") == ChangeSet()
    p = synced_post(store)
    store.delete_post(p.local_id)
    assert store.delete_post(p.local_id) == ChangeSet()
    assert ops(store) == ["delete"]


def test_saving_a_tombstone_brings_it_back_as_an_update(store):
    p = synced_post(store)
    store.delete_post(p.local_id)
    back = store.save_post(p)  # undo of the delete
    assert back.late_id == p.late_id
    assert ops(store) == ["update"]
    assert store.get_post(p.local_id) is not None


# --------------------------------------------------------------------------- in-flight protocol


def test_push_create_sets_late_id_and_synced(store):
    p = store.save_post(draft())
    (entry,) = store.pending_entries(T0)
    token = store.begin_push(entry)
    assert token.op == "create"
    assert token.attempt == 1
    assert store.outbox_entries()[0].attempts == 1  # committed before any network I/O
    remote = draft(local_id="ignored", late_id="L1", status="scheduled", remote_updated_at=T0)
    remote.targets[0].status = "pending"
    cs = store.finish_push(token, late_id="L1", remote_post=remote, remote_account_ids=["acc-x", "acc-b"])
    assert cs == ChangeSet.of(changed=(p.local_id,))
    rec = store.get_record(p.local_id)
    assert rec.post.late_id == "L1"
    assert rec.post.sync_state == "synced"
    assert rec.post.status == "scheduled"
    assert rec.post.remote_updated_at == T0
    assert rec.remote_account_ids == ["acc-x", "acc-b"]
    assert store.outbox_entries() == []
    assert store.get_by_late_id("L1").local_id == p.local_id


def test_begin_push_survives_a_reopen(tmp_path):
    path = tmp_path / "s.sqlite3"
    with Store.open(path) as s:
        s.save_post(draft())
        s.begin_push(s.pending_entries(T0)[0])
    with Store.open(path) as s:
        assert s.outbox_entries()[0].attempts == 1


def test_edit_during_create_push_keeps_entry_as_an_update(store):
    p = store.save_post(draft())
    token = store.begin_push(store.pending_entries(T0)[0])
    p.content = "typed while pushing"
    store.save_post(p)
    store.finish_push(token, late_id="L1", remote_post=draft(late_id="L1", content="hello", status="scheduled"))
    (entry,) = store.outbox_entries()
    assert entry.op == "update"
    assert entry.attempts == 0
    got = store.get_post(p.local_id)
    assert got.late_id == "L1"
    assert got.content == "typed while pushing"  # Late's answer never overwrites the newer edit
    assert got.status == "draft"  # nor the user's status intent
    assert got.sync_state == "pending"


def test_edit_during_update_push_keeps_the_entry(store):
    p = synced_post(store)
    p.content = "v2"
    store.save_post(p)
    token = store.begin_push(store.pending_entries(T0)[0])
    p.content = "v3"
    store.save_post(p)
    store.finish_push(token)
    (entry,) = store.outbox_entries()
    assert entry.op == "update"
    assert store.get_post(p.local_id).sync_state == "pending"
    token = store.begin_push(entry)
    store.finish_push(token)
    assert store.outbox_entries() == []
    assert store.get_post(p.local_id).sync_state == "synced"


def test_delete_during_create_push_keeps_a_delete_with_the_new_late_id(store):
    p = store.save_post(draft())
    token = store.begin_push(store.pending_entries(T0)[0])
    store.delete_post(p.local_id)  # attempted, so it must become a delete, not vanish
    store.finish_push(token, late_id="L1")
    (entry,) = store.outbox_entries()
    assert entry.op == "delete"
    assert store.get_record(p.local_id).post.late_id == "L1"
    token = store.begin_push(entry)
    cs = store.finish_push(token)
    assert cs == ChangeSet.of(removed=(p.local_id,))
    assert store.count(include_deleted=True) == 0


def test_finished_delete_removes_the_tombstone(store):
    p = synced_post(store)
    store.delete_post(p.local_id)
    token = store.begin_push(store.pending_entries(T0)[0])
    assert token.op == "delete"
    store.finish_push(token)
    assert store.get_record(p.local_id) is None
    assert store.outbox_entries() == []


def test_delete_with_replayed_create_records_the_late_id_then_removes(store):
    p = store.save_post(draft())
    store.fail_push(store.begin_push(store.pending_entries(T0)[0]), "timeout", retry_at=None, rejected=False)
    store.delete_post(p.local_id)
    token = store.begin_push(store.pending_entries(T0)[0])
    store.finish_push(token, late_id="L9")
    assert store.get_record(p.local_id) is None


def test_undo_delete_while_the_delete_is_in_flight_recreates_with_a_new_key(store):
    p = synced_post(store)
    store.delete_post(p.local_id)
    token = store.begin_push(store.pending_entries(T0)[0])
    store.save_post(p)  # undo while Late is deleting it
    store.finish_push(token)
    (entry,) = store.outbox_entries()
    assert entry.op == "create"
    rec = store.get_record(p.local_id)
    assert rec.post.late_id is None
    assert not rec.deleted
    assert rec.post.idempotency_key != p.idempotency_key


def test_finish_create_without_late_id_is_an_error(store):
    store.save_post(draft())
    token = store.begin_push(store.pending_entries(T0)[0])
    with pytest.raises(ValueError, match="Late id"):
        store.finish_push(token)
    assert store.outbox_entries()[0].op == "create"


def test_transient_failure_backs_off_until_retry_at(store):
    p = store.save_post(draft())
    token = store.begin_push(store.pending_entries(T0)[0])
    cs = store.fail_push(token, "503 Service Unavailable", retry_at=T0 + timedelta(seconds=30), rejected=False)
    assert cs == ChangeSet.of(changed=(p.local_id,))
    assert store.pending_entries(T0) == []
    assert store.pending_entries(T0 + timedelta(seconds=29)) == []
    (entry,) = store.pending_entries(T0 + timedelta(seconds=30))
    assert entry.last_error == "503 Service Unavailable"
    assert entry.attempts == 1
    assert store.get_post(p.local_id).sync_state == "pending"
    assert store.get_post(p.local_id).sync_error == ""


def test_user_edit_clears_the_backoff(store):
    p = store.save_post(draft())
    store.fail_push(store.begin_push(store.pending_entries(T0)[0]), "down", retry_at=T0 + timedelta(hours=1),
                    rejected=False)
    p.content = "again"
    store.save_post(p)
    assert len(store.pending_entries(T0)) == 1


def test_backoff_skips_only_that_entry_and_order_is_kept(store):
    a = store.save_post(draft(content="a"))
    b = store.save_post(draft(content="b"))
    c = store.save_post(draft(content="c"))
    token = store.begin_push(store.pending_entries(T0)[1])
    store.fail_push(token, "slow", retry_at=T0 + timedelta(minutes=1), rejected=False)
    assert [e.local_id for e in store.pending_entries(T0)] == [a.local_id, c.local_id]
    assert [e.local_id for e in store.pending_entries(T0 + timedelta(minutes=1))] == [a.local_id, b.local_id,
                                                                                    c.local_id]


def test_rejected_push_keeps_the_edit_and_parks_until_the_user_edits(store):
    p = synced_post(store)
    p.content = "x" * 500
    store.save_post(p)
    token = store.begin_push(store.pending_entries(T0)[0])
    store.fail_push(token, "Content exceeds 280 characters", retry_at=None, rejected=True)
    got = store.get_post(p.local_id)
    assert got.content == "x" * 500
    assert got.sync_state == "rejected"
    assert got.sync_error == "Content exceeds 280 characters"
    assert store.pending_entries(T0 + timedelta(days=1)) == []
    (entry,) = store.outbox_entries()
    assert entry.parked
    p.content = "short"
    store.save_post(p)
    assert [e.op for e in store.pending_entries(T0)] == ["update"]
    got = store.get_post(p.local_id)
    assert got.sync_state == "pending"
    assert got.sync_error == ""


def test_rejection_of_an_older_version_does_not_park_the_newer_edit(store):
    p = synced_post(store)
    p.content = "bad"
    store.save_post(p)
    token = store.begin_push(store.pending_entries(T0)[0])
    p.content = "good"
    store.save_post(p)
    store.fail_push(token, "bad content", retry_at=None, rejected=True)
    assert [e.op for e in store.pending_entries(T0)] == ["update"]
    assert store.get_post(p.local_id).sync_state == "pending"


def test_rejected_delete_brings_the_post_back_with_the_message(store):
    p = synced_post(store, status="published")
    store.delete_post(p.local_id)
    token = store.begin_push(store.pending_entries(T0)[0])
    cs = store.fail_push(token, "Published posts cannot be deleted", retry_at=None, rejected=True)
    assert cs == ChangeSet.of(changed=(p.local_id,))
    got = store.get_post(p.local_id)
    assert got.sync_state == "rejected"
    assert got.sync_error == "Published posts cannot be deleted"
    store.delete_post(p.local_id)  # deleting again tries again
    assert [e.op for e in store.pending_entries(T0)] == ["delete"]


def test_rejected_replayed_create_completes_the_delete(store):
    p = store.save_post(draft())
    store.fail_push(store.begin_push(store.pending_entries(T0)[0]), "timeout", retry_at=None, rejected=False)
    store.delete_post(p.local_id)
    token = store.begin_push(store.pending_entries(T0)[0])
    store.fail_push(token, "Content required", retry_at=None, rejected=True)
    assert store.get_record(p.local_id) is None


def test_stale_token_and_vanished_entry(store):
    p = synced_post(store)
    p.content = "v2"
    store.save_post(p)
    entry = store.pending_entries(T0)[0]
    token = store.begin_push(entry)
    store.finish_push(token)
    with pytest.raises(StoreError, match="no longer exists"):
        store.begin_push(entry)
    assert store.finish_push(token) == ChangeSet.of(changed=(p.local_id,))  # harmless replay
    assert store.outbox_entries() == []


def test_parked_entries_cannot_be_begun(store):
    store.save_post(draft())
    store.fail_push(store.begin_push(store.pending_entries(T0)[0]), "no", retry_at=None, rejected=True)
    with pytest.raises(StoreError, match="parked"):
        store.begin_push(store.outbox_entries()[0])


def test_retry_entry_finishes_independently_of_edits(store):
    p = synced_post(store, status="failed")
    store.request_retry(p.local_id)
    token = store.begin_push(store.pending_entries(T0)[0])
    assert token.op == "retry"
    p.content = "edit during retry"
    store.save_post(p)
    store.finish_push(token, remote_post=draft(late_id=p.late_id, status="publishing"))
    assert ops(store) == ["update"]
    assert store.get_post(p.local_id).status == "failed"  # the queued edit's status is kept


def test_rekey_persists_a_new_key(tmp_path):
    path = tmp_path / "s.sqlite3"
    with Store.open(path) as s:
        p = s.save_post(draft())
        key = s.rekey(p.local_id)
        assert key != p.idempotency_key
    with Store.open(path) as s:
        assert s.get_post(p.local_id).idempotency_key == key
        with pytest.raises(UnknownPostError):
            s.rekey("missing")


def test_outbox_survives_reopen(tmp_path):
    path = tmp_path / "s.sqlite3"
    with Store.open(path) as s:
        p = s.save_post(draft())
        s.fail_push(s.begin_push(s.pending_entries(T0)[0]), "down", retry_at=T0 + timedelta(minutes=5),
                    rejected=False)
        before = s.outbox_entries()
    with Store.open(path) as s:
        assert s.outbox_entries() == before
        assert s.get_post(p.local_id).sync_state == "pending"


# --------------------------------------------------------------------------- remote merge


def test_upsert_remote_inserts_and_updates_by_late_id(store):
    remote = draft(late_id="R1", status="scheduled", remote_updated_at=T0, idempotency_key="")
    cs = store.upsert_remote(remote)
    got = store.get_by_late_id("R1")
    assert cs == ChangeSet.of(changed=(got.local_id,))
    assert got.sync_state == "synced"
    assert store.outbox_entries() == []
    assert store.get_record(got.local_id).remote_account_ids == ["acc-x", "acc-b"]
    newer = draft(late_id="R1", status="published", content="from late", remote_updated_at=T0 + timedelta(hours=1))
    cs = store.upsert_remote(newer)
    assert cs == ChangeSet.of(changed=(got.local_id,))
    again = store.get_by_late_id("R1")
    assert again.local_id == got.local_id
    assert again.content == "from late"
    assert again.status == "published"
    assert store.upsert_remote(newer) == ChangeSet()  # identical: no write, no refresh
    assert store.count() == 1


def test_upsert_remote_keeps_local_media_paths(store):
    m = MediaItem("image", url="https://cdn/x.png", local_path="/home/u/x.png")
    p = synced_post(store, media=[m])
    remote = draft(late_id=p.late_id, media=[MediaItem("image", url="https://cdn/x.png")], content="changed")
    store.upsert_remote(remote)
    assert store.get_post(p.local_id).media[0].local_path == "/home/u/x.png"
    assert remote.media[0].local_path == ""  # the caller's object is not modified


def test_upsert_remote_refuses_to_overwrite_pending_edits(store):
    p = synced_post(store)
    p.content = "local edit"
    store.save_post(p)
    with pytest.raises(PendingEditsError):
        store.upsert_remote(draft(late_id=p.late_id, content="remote edit"))
    assert store.get_post(p.local_id).content == "local edit"


def test_upsert_remote_inside_a_batch_rolls_back_only_the_refused_post(store):
    p = synced_post(store)
    p.content = "local"
    store.save_post(p)
    seen = []
    store.subscribe(lambda cs, who: seen.append((cs, who)))
    with store.batch(initiator="sync"):
        store.upsert_remote(draft(late_id="N1"))
        with pytest.raises(PendingEditsError):
            store.upsert_remote(draft(late_id=p.late_id, content="remote"))
        store.upsert_remote(draft(late_id="N2"))
    assert store.count() == 3
    ((cs, who),) = seen
    assert who == "sync"
    assert cs.changed == {store.get_by_late_id("N1").local_id, store.get_by_late_id("N2").local_id}


def test_batch_rolls_back_entirely_on_an_uncaught_error(store):
    def pull_then_crash():
        with store.batch():
            store.upsert_remote(draft(late_id="N1"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        pull_then_crash()
    assert store.count() == 0


def test_pulled_copy_is_merged_into_the_pushed_post(store):
    p = store.save_post(draft())
    token = store.begin_push(store.pending_entries(T0)[0])
    store.upsert_remote(draft(late_id="L1"))  # a pull saw the post before the create's answer arrived
    other = store.get_by_late_id("L1").local_id
    cs = store.finish_push(token, late_id="L1")
    assert cs == ChangeSet.of(changed=(p.local_id,), removed=(other,))
    assert store.count() == 1
    assert store.get_by_late_id("L1").local_id == p.local_id


def test_duplicate_late_id_with_pending_edits_is_refused(store):
    a = synced_post(store)
    a.content = "edit"
    store.save_post(a)
    b = store.save_post(draft())
    token = store.begin_push(next(e for e in store.pending_entries(T0) if e.local_id == b.local_id))
    with pytest.raises(DuplicateLateIdError):
        store.finish_push(token, late_id=a.late_id)
    assert store.get_post(b.local_id).late_id is None


def test_conflict_keep_local(store):
    p = synced_post(store)
    p.content = "mine"
    store.save_post(p)
    remote = draft(late_id=p.late_id, content="theirs", remote_updated_at=T0 + timedelta(hours=2),
                   targets=[Target("twitter", "acc-x")])
    cs = store.mark_conflict(p.local_id, remote, "Changed on Late meanwhile")
    assert cs == ChangeSet.of(changed=(p.local_id,))
    rec = store.get_record(p.local_id)
    assert rec.post.sync_state == "conflict"
    assert rec.post.sync_error == "Changed on Late meanwhile"
    assert rec.conflict_remote.content == "theirs"
    assert store.pending_entries(T0) == []  # never pushed over Late's change silently
    store.resolve_conflict(p.local_id, "local")
    rec = store.get_record(p.local_id)
    assert rec.post.content == "mine"
    assert rec.post.sync_state == "pending"
    assert rec.post.remote_updated_at == T0 + timedelta(hours=2)
    assert rec.remote_account_ids == ["acc-x"]
    assert rec.conflict_remote is None
    assert [e.op for e in store.pending_entries(T0)] == ["update"]


def test_conflict_keep_remote(store):
    p = synced_post(store)
    p.content = "mine"
    store.save_post(p)
    store.mark_conflict(p.local_id, draft(late_id=p.late_id, content="theirs", status="published"), "both changed")
    store.resolve_conflict(p.local_id, "remote")
    got = store.get_post(p.local_id)
    assert got.content == "theirs"
    assert got.status == "published"
    assert got.sync_state == "synced"
    assert got.idempotency_key == p.idempotency_key
    assert store.outbox_entries() == []


def test_resolve_without_conflict_or_with_bad_choice(store):
    p = synced_post(store)
    with pytest.raises(StoreError, match="not in conflict"):
        store.resolve_conflict(p.local_id, "local")
    with pytest.raises(ValueError):
        store.resolve_conflict(p.local_id, "both")  # type: ignore[arg-type]


def test_remove_remote_deleted(store):
    p = synced_post(store)
    assert store.remove_remote_deleted(p.local_id) == ChangeSet.of(removed=(p.local_id,))
    assert store.get_record(p.local_id) is None
    assert store.remove_remote_deleted(p.local_id) == ChangeSet()


def test_detach_for_recreate_turns_the_update_into_a_create_with_a_new_key(tmp_path):
    path = tmp_path / "store.sqlite3"
    with Store.open(path) as store:
        p = synced_post(store)
        old_key = p.idempotency_key
        p.targets = [Target("linkedin", "acc-l")]
        store.save_post(p)
        (entry,) = store.pending_entries(T0 + timedelta(days=365))
        token = store.begin_push(entry)
        assert token.op == "update"
        create = store.detach_for_recreate(token)
    # durable: a crash right after it replays this create, with this key
    with Store.open(path) as store:
        record = store.get_record(p.local_id)
        assert record.post.late_id is None and record.remote_account_ids is None
        assert record.post.idempotency_key not in ("", old_key)
        (entry,) = store.outbox_entries(p.local_id)
        assert (entry.op, entry.attempts, entry.seq) == ("create", 1, create.seq)
        store.finish_push(create, late_id="late-new", remote_account_ids=["acc-l"])
        assert store.get_post(p.local_id).late_id == "late-new"
        assert store.get_post(p.local_id).sync_state == "synced"
        assert store.check_integrity() == []


# --------------------------------------------------------------------------- a push whose answer was lost


def test_sent_fingerprint_is_known_only_once_an_attempt_began(store):
    p = synced_post(store)
    p.content = "v2"
    store.save_post(p)
    assert store.sent_fingerprints(p.local_id) == frozenset()
    (entry,) = store.pending_entries(T0 + timedelta(days=365))
    token = store.begin_push(entry)
    store.note_sent(token, "fp-v2")
    assert store.sent_fingerprints(p.local_id) == {"fp-v2"}
    for fp in ("fp-v3", "fp-v2", "fp-v4", "fp-v5", "fp-v6"):  # every attempt's, the last four
        store.note_sent(token, fp)
    assert store.sent_fingerprints(p.local_id) == {"fp-v2", "fp-v4", "fp-v5", "fp-v6"}


def test_adopting_late_copy_of_our_push_keeps_the_local_edit_queued(store):
    p = synced_post(store)
    p.content = "v2"
    store.save_post(p)
    token = store.begin_push(store.pending_entries(T0 + timedelta(days=365))[0])
    store.note_sent(token, "fp-v2")
    p.content = "v3"  # edited again before the lost answer could be noticed (e.g. after a crash)
    store.save_post(p)
    remote = draft(late_id=p.late_id, content="v2", remote_updated_at=T0 + timedelta(hours=1),
                   targets=[Target("twitter", "acc-x", status="failed", error_message="nope")])
    store.adopt_remote_base(p.local_id, remote)
    after = store.get_record(p.local_id)
    assert after.post.content == "v3" and after.post.sync_state == "pending"
    assert after.post.remote_updated_at == T0 + timedelta(hours=1)
    assert after.remote_account_ids == ["acc-x"]
    assert after.post.target_for("acc-x").error_message == "nope"
    assert ops(store, p.local_id) == ["update"]


# --------------------------------------------------------------------------- undoing a delete


def deleted(store: Store, local_id: str):
    """Delete as the window does: returns what an undo needs (the record and the outbox entries before)."""
    before = store.get_record(local_id)
    entries = store.outbox_entries(local_id)
    store.delete_post(local_id)
    return before, entries


def test_cancel_delete_of_a_never_pushed_post_brings_back_its_create_and_key(store):
    p = store.save_post(draft())
    before, queued = deleted(store, p.local_id)
    assert store.count(include_deleted=True) == 0
    back = store.cancel_delete(before, queued)
    assert back == store.get_post(p.local_id)
    assert (back.content, back.idempotency_key, back.sync_state) == ("hello", p.idempotency_key, "pending")
    (entry,) = store.outbox_entries(p.local_id)
    assert (entry.op, entry.attempts) == ("create", 0)


def test_cancel_delete_of_a_synced_post_leaves_nothing_to_push(store):
    p = synced_post(store)
    updated_before = store.get_record(p.local_id).local_updated_at
    before, queued = deleted(store, p.local_id)
    assert ops(store) == ["delete"]
    back = store.cancel_delete(before, queued)
    assert back.sync_state == "synced"
    assert store.outbox_entries() == []
    rec = store.get_record(p.local_id)
    assert not rec.deleted
    assert rec.local_updated_at == updated_before


def test_cancel_delete_brings_back_pending_edits_and_a_queued_retry(store):
    p = synced_post(store, status="failed")
    store.request_retry(p.local_id)
    p.content = "edited"
    store.save_post(p)
    before, queued = deleted(store, p.local_id)
    assert sorted(e.op for e in queued) == ["retry", "update"]
    assert ops(store) == ["delete"]
    back = store.cancel_delete(before, queued)
    assert back.content == "edited"
    assert sorted(ops(store)) == ["retry", "update"]
    assert back.sync_state == "pending"


def test_cancel_delete_brings_back_a_conflict_with_latest_version(store):
    p = synced_post(store)
    p.content = "mine"
    store.save_post(p)
    store.mark_conflict(p.local_id, draft(late_id=p.late_id, content="theirs"), "Changed on Late meanwhile")
    before, queued = deleted(store, p.local_id)
    assert store.get_record(p.local_id).conflict_remote is None  # a delete settles the conflict…
    back = store.cancel_delete(before, queued)
    rec = store.get_record(p.local_id)
    assert (back.sync_state, back.sync_error) == ("conflict", "Changed on Late meanwhile")  # …and its undo restores it
    assert rec.conflict_remote.content == "theirs"
    assert store.has_conflicts()
    assert store.pending_entries(T0) == []


def test_cancel_delete_refuses_once_the_delete_may_have_reached_late(store):
    p = synced_post(store)
    before, queued = deleted(store, p.local_id)
    (entry,) = store.pending_entries(T0)
    token = store.begin_push(entry)  # the request may be out: Late may have deleted it
    assert store.cancel_delete(before, queued) is None
    assert store.get_record(p.local_id).deleted
    store.finish_push(token)
    assert store.get_record(p.local_id) is None  # Late deleted it: the tombstone is gone
    assert store.cancel_delete(before, queued) is None
    assert store.count(include_deleted=True) == 0


def test_cancel_delete_restores_an_edit_late_refused_exactly(store):
    p = synced_post(store, status="failed")
    p.content = "too long for X"
    store.save_post(p)
    (entry,) = store.pending_entries(T0)
    store.fail_push(store.begin_push(entry), "Text too long", retry_at=None, rejected=True)
    assert store.get_post(p.local_id).sync_state == "rejected"
    before, entries = deleted(store, p.local_id)
    (delete,) = store.outbox_entries(p.local_id)
    assert (delete.op, delete.attempts) == ("delete", 1)  # the delete inherits the refused edit's attempt…
    back = store.cancel_delete(before, entries)  # …but was never sent: it is undone exactly
    assert (back.sync_state, back.sync_error, back.content) == ("rejected", "Text too long", "too long for X")
    (entry,) = store.outbox_entries(p.local_id)
    assert (entry.op, entry.parked, entry.attempts, entry.last_error) == ("update", True, 1, "Text too long")
    assert entry.seq == delete.seq  # its place in the queue too


def test_cancel_delete_after_the_create_finished_in_flight_becomes_an_update(store):
    p = store.save_post(draft())
    (entry,) = store.pending_entries(T0)
    token = store.begin_push(entry)  # the create is on its way
    before, entries = deleted(store, p.local_id)
    store.finish_push(token, late_id="late-1")  # Late made it: the delete now has a Late post to delete
    back = store.cancel_delete(before, entries)
    assert back.late_id == "late-1"
    assert ops(store) == ["update"]
    assert store.check_integrity() == []


def test_cancel_delete_after_late_refused_the_delete(store):
    p = synced_post(store, status="publishing")
    before, entries = deleted(store, p.local_id)
    (entry,) = store.pending_entries(T0)
    store.fail_push(store.begin_push(entry), "Posts being published cannot be deleted", retry_at=None, rejected=True)
    back = store.cancel_delete(before, entries)  # Late still has it as it was
    assert back is not None and back.sync_state == "synced" and store.outbox_entries() == []
