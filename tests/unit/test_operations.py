"""The operations, Qt-free, on a real SQLite file: one transaction and one change set per user action, for one
post or many; per-post refusals with their reason; the words for the user; undo and redo that never publish a
post or throw away a newer change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from latecal.core.lifecycle import user_edit
from latecal.core.models import Account, Post, Profile, Target
from latecal.core.scheduling import Refusal
from latecal.operations.conflicts import resolve_conflict
from latecal.operations.copies import duplicate_posts
from latecal.operations.edits import put_back, save_post
from latecal.operations.placing import Placement, Verb, place, schedule_drafts, unschedule
from latecal.operations.removal import delete_posts, restore_posts
from latecal.operations.retries import retry_posts
from latecal.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 3, 10, 11, 0, tzinfo=UTC)
ME = object()  # the initiator
X = Target("twitter", "acc-x")


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "ops.sqlite3", clock=lambda: NOW)
    s.replace_accounts([Account("acc-x", "twitter", "p1", username="acme")])
    yield s
    if s._conn is not None:
        assert s.check_integrity() == []
        s.close()


class Announced:
    """Every change set the store announces, with its initiator."""

    def __init__(self, store: Store) -> None:
        self.seen: list = []
        store.subscribe(lambda changes, initiator: self.seen.append((changes, initiator)))


def _post(store: Store, text: str, hours: float | None = 24, status: str = "scheduled") -> Post:
    when = NOW + timedelta(hours=hours) if hours is not None else None
    return store.save_post(Post(content=text, scheduled_for=when, status=status, targets=[X]))


def _on_late(store: Store, post: Post, late_id: str) -> Post:
    (entry,) = store.pending_entries(NOW + timedelta(days=400))
    store.finish_push(store.begin_push(entry), late_id=late_id)
    return store.get_post(post.local_id)


# -- moving many posts is one transaction, and each refusal has its reason ------------------------------------


def test_moving_fifty_posts_is_one_transaction_and_one_change_set(store):
    posts = [_post(store, f"Post {n}", 24 + n) for n in range(50)]
    announced = Announced(store)
    moves = [Placement(p.local_id, p.scheduled_for + timedelta(days=1), p.scheduled_for) for p in posts]
    result = place(store, moves, verb=Verb.MOVE, now=NOW, zone=BERLIN, initiator=ME)
    assert [p.local_id for p in result.posts] == [p.local_id for p in posts]
    assert result.refused == {} and result.message is None
    ((changes, initiator),) = announced.seen  # one change set, carrying every moved post
    assert initiator is ME and changes.queued and set(changes.posts) == {p.local_id for p in posts}
    assert result.changes.changed == changes.changed
    assert all(store.get_post(p.local_id).scheduled_for == p.scheduled_for + timedelta(days=1) for p in posts)


def test_posts_that_may_move_move_and_the_others_stay_with_their_reason(store):
    ok = _post(store, "Free to move")
    published = store.save_post(replace(_post(store, "Out already"), status="published"))
    gone = _post(store, "Deleted meanwhile", None, status="draft")
    store.delete_post(gone.local_id)
    moves = [Placement(ok.local_id, ok.scheduled_for + timedelta(hours=2), ok.scheduled_for),
             Placement(published.local_id, NOW + timedelta(days=3), published.scheduled_for),
             Placement(gone.local_id, NOW + timedelta(days=3), None)]
    result = place(store, moves, verb=Verb.MOVE, now=NOW, zone=BERLIN, initiator=ME)
    assert [p.local_id for p in result.posts] == [ok.local_id]
    assert result.refused == {published.local_id: Refusal.PUBLISHED, gone.local_id: Refusal.GONE}
    assert result.message.problem
    assert result.message.text == ("“Out already” cannot be moved: it has already been published. "
                                   "(and 1 more)")
    assert store.get_post(published.local_id).scheduled_for == published.scheduled_for


def test_a_move_into_the_past_and_an_undo_over_a_newer_time_are_refused(store):
    post = _post(store, "Launch")
    past = place(store, [Placement(post.local_id, NOW - timedelta(hours=1), post.scheduled_for)],
                 verb=Verb.MOVE, now=NOW, zone=BERLIN, initiator=ME)
    assert past.refused == {post.local_id: Refusal.PAST} and "that time has passed" in past.message.text
    store.save_post(post.moved_to(NOW + timedelta(days=5)))  # moved elsewhere since (an editor, a teammate)
    undo = place(store, [Placement(post.local_id, post.scheduled_for, NOW + timedelta(days=2))],
                 verb=Verb.MOVE, now=NOW, zone=BERLIN, initiator=ME)
    assert undo.refused == {post.local_id: Refusal.CHANGED_SINCE}
    assert "has been changed since (it is now at" in undo.message.text
    assert store.get_post(post.local_id).scheduled_for == NOW + timedelta(days=5)


def test_a_store_that_cannot_write_keeps_nothing_of_the_action_and_says_why(store):
    post = _post(store, "Launch")
    store.close()
    result = place(store, [Placement(post.local_id, post.scheduled_for + timedelta(hours=1), post.scheduled_for)],
                   verb=Verb.MOVE, now=NOW, zone=BERLIN, initiator=ME)
    assert not result.done and result.refused == {post.local_id: Refusal.STORE_ERROR}
    assert result.message.problem and result.message.text.startswith("Could not save the move:")


# -- drafts: scheduling checks every rule, unscheduling is back to no time ----------------------------------


def test_dropped_drafts_are_checked_against_every_rule_first(store):
    good = _post(store, "Ready", None, status="draft")
    empty = store.save_post(Post(content="", status="draft", targets=[X]))
    day = date(2027, 3, 12)
    placements, refused = schedule_drafts(store, [good.local_id, empty.local_id], day, None, now=NOW, zone=BERLIN,
                                          initiator=ME)
    assert [p.local_id for p in placements] == [good.local_id]
    assert placements[0].when == datetime(2027, 3, 12, 9, 0, tzinfo=BERLIN)  # a month day: 09:00 there
    assert refused.refused == {empty.local_id: Refusal.INVALID}
    assert refused.message.text.startswith("“(no text)” was not scheduled:")
    result = place(store, placements, verb=Verb.SCHEDULE, now=NOW, zone=BERLIN, initiator=ME)
    assert store.get_post(good.local_id).status == "scheduled" and result.done


def test_a_dropped_draft_keeps_its_planned_time_of_day_in_its_profiles_zone(store):
    store.replace_profiles([Profile("p1", "Acme", timezone="Europe/Berlin")])
    planned = datetime(2027, 3, 26, 9, 0, tzinfo=BERLIN)  # CET; Berlin springs forward on the 28th
    draft = store.save_post(Post(content="Planned", status="draft", scheduled_for=planned, targets=[X]))
    new_york = ZoneInfo("America/New_York")
    placements, refused = schedule_drafts(store, [draft.local_id], date(2027, 3, 29), None, now=NOW, zone=new_york,
                                          initiator=ME)
    assert not refused.refused
    assert placements[0].when == datetime(2027, 3, 29, 9, 0, tzinfo=BERLIN)  # 09:00 CEST, not New York's 04:00


def test_unscheduling_sends_posts_back_to_the_drafts(store):
    a, b = _post(store, "A"), _post(store, "B", 30)
    result = unschedule(store, [a.local_id, b.local_id], now=NOW, zone=BERLIN, initiator=ME)
    assert {p.local_id for p in result.posts} == {a.local_id, b.local_id}
    assert all(p.scheduled_for is None and p.status == "draft" for p in result.posts)
    assert {p.local_id for p in store.unscheduled_drafts()} == {a.local_id, b.local_id}


# -- deletes, restores, duplicates, retries --------------------------------------------------------------------


def test_deleting_many_is_one_change_set_and_undo_brings_them_all_back(store):
    posts = [_post(store, f"Post {n}", 24 + n) for n in range(3)]
    announced = Announced(store)
    deletion = delete_posts(store, [p.local_id for p in posts], initiator=ME)
    assert len(deletion.deleted) == 3 and len(announced.seen) == 1
    assert announced.seen[0][0].removed == {p.local_id for p in posts}
    back = restore_posts(store, deletion.deleted, now=NOW, initiator=ME)
    assert {p.local_id for p in back.posts} == {p.local_id for p in posts} and back.message is None
    assert [user_edit(store.get_post(p.local_id)) for p in posts] == [user_edit(p) for p in posts]


def test_undoing_a_creation_never_deletes_a_post_changed_since(store):
    made = _post(store, "New")
    store.save_post(replace(made, content="New, and edited since"))
    result = delete_posts(store, [made.local_id], initiator=ME, unchanged={made.local_id: made})
    assert result.refused == {made.local_id: Refusal.CHANGED_SINCE} and not result.deleted
    assert "has been changed since" in result.message.text
    published = store.save_post(replace(_post(store, "Published since"), status="published"))
    was = replace(published, status="scheduled")
    assert delete_posts(store, [published.local_id], initiator=ME, unchanged={published.local_id: was}).refused
    assert store.get_post(published.local_id) is not None


def test_a_post_that_cannot_be_deleted_is_said_and_the_others_go(store):
    keep = store.save_post(replace(_post(store, "Out already"), status="published"))
    doomed = _post(store, "Goes")
    result = delete_posts(store, [keep.local_id, doomed.local_id], initiator=ME)
    assert [d.post.local_id for d in result.deleted] == [doomed.local_id]
    assert result.refused == {keep.local_id: Refusal.NOT_DELETABLE}
    assert result.message.text == "“Out already” is published and cannot be deleted."


def test_duplicates_are_new_drafts_made_together(store):
    a, b = _post(store, "A"), _post(store, "B", -2)
    announced = Announced(store)
    result = duplicate_posts(store, [a.local_id, b.local_id], now=NOW, initiator=ME)
    assert len(result.posts) == 2 and len(announced.seen) == 1
    copy_a, copy_b = result.posts
    assert copy_a.status == copy_b.status == "draft" and copy_a.local_id != a.local_id
    assert copy_a.scheduled_for == a.scheduled_for and copy_b.scheduled_for is None  # B's time has passed
    assert copy_a.idempotency_key and copy_a.idempotency_key != store.get_post(a.local_id).idempotency_key
    assert result.message.text == "Duplicated “A” as a draft at the same time."


def test_a_retry_of_a_post_late_never_got_is_refused_and_the_others_are_retried(store):
    on_late = _on_late(store, _post(store, "On Late"), "late-1")
    store.save_post(replace(on_late, status="failed"))
    (entry,) = store.pending_entries(NOW + timedelta(days=400))
    store.finish_push(store.begin_push(entry))
    local_only = store.save_post(replace(_post(store, "Local failure"), status="failed"))
    result = retry_posts(store, [on_late.local_id, local_only.local_id, "missing"], initiator=ME)
    assert [p.local_id for p in result.posts] == [on_late.local_id]
    assert result.refused == {local_only.local_id: Refusal.NOT_ON_LATE, "missing": Refusal.GONE}
    assert result.message.text.startswith("Cannot retry “Local failure”:")
    assert [e.op for e in store.outbox_entries(on_late.local_id)] == ["retry"]


def test_a_retry_whose_failed_platforms_account_cannot_post_is_refused_with_the_account_to_reconnect(store):
    on_late = _on_late(store, _post(store, "On Late"), "late-1")
    store.save_post(replace(on_late, status="failed", targets=[replace(X, status="failed")]))
    (entry,) = store.pending_entries(NOW + timedelta(days=400))
    store.finish_push(store.begin_push(entry))
    store.replace_accounts([Account("acc-x", "twitter", "p1", username="acme", token_expires_at=NOW)])
    result = retry_posts(store, [on_late.local_id], initiator=ME, now=NOW)
    assert result.refused == {on_late.local_id: Refusal.ACCOUNT_CANNOT_POST} and result.posts == ()
    assert result.message.problem
    assert result.message.text == ("Cannot retry “On Late”: X · acme has lost its access (the token expired): "
                                   "reconnect it in Late, then retry.")
    assert store.outbox_entries(on_late.local_id) == []  # nothing goes to Late

    store.replace_accounts([Account("acc-x", "twitter", "p1", username="acme")])  # reconnected
    again = retry_posts(store, [on_late.local_id], initiator=ME, now=NOW)
    assert [p.local_id for p in again.posts] == [on_late.local_id]


# -- conflicts and editor saves ---------------------------------------------------------------------------------


def test_keeping_mine_over_a_published_post_makes_the_copy_and_settles_in_one_transaction(store):
    post = _on_late(store, _post(store, "Mine"), "late-9")
    store.save_post(replace(post, content="Mine, edited"))
    store.mark_conflict(post.local_id, replace(post, content="Theirs", status="published"), "changed on Late")
    announced = Announced(store)
    result = resolve_conflict(store, post.local_id, "local", now=NOW, initiator=ME)
    assert len(announced.seen) == 1  # the copy and the settling together: never one without the other
    (copy,) = result.posts
    assert copy.content == "Mine, edited" and copy.status == "draft" and copy.local_id != post.local_id
    assert store.get_post(post.local_id).content == "Theirs"
    assert result.message.text.startswith("Late has already published “Theirs”, so your version is now the new draft")
    again = resolve_conflict(store, post.local_id, "remote", now=NOW, initiator=ME)
    assert again.refused == {post.local_id: Refusal.NOT_IN_CONFLICT} and not again.message.problem


def test_an_undone_save_never_schedules_a_post_at_a_time_that_has_passed(store):
    before = _post(store, "Launch", 1)  # due in an hour
    after = save_post(store, before.moved_to(NOW + timedelta(days=2)), initiator=ME).posts[0]
    later = NOW + timedelta(hours=3)  # the old time has passed by the time the user presses Ctrl+Z
    result = put_back(store, before, expected=after, now=later, zone=BERLIN, initiator=ME)
    assert result.refused == {before.local_id: Refusal.PAST} and "that time has passed" in result.message.text
    assert store.get_post(before.local_id).scheduled_for == NOW + timedelta(days=2)
    ok = put_back(store, before, expected=after, now=NOW, zone=BERLIN, initiator=ME)
    assert ok.posts and store.get_post(before.local_id).scheduled_for == before.scheduled_for


def test_an_undone_save_never_throws_away_a_newer_edit(store):
    before = _post(store, "Launch")
    after = save_post(store, replace(before, content="Launch!"), initiator=ME).posts[0]
    store.save_post(replace(after, content="Launch, changed again"))
    result = put_back(store, before, expected=after, now=NOW, zone=BERLIN, initiator=ME)
    assert result.refused == {before.local_id: Refusal.CHANGED_SINCE}
    assert store.get_post(before.local_id).content == "Launch, changed again"
