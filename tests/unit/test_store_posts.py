"""Posts in the store: exact round trips, queries and their boundaries, tombstones, change sets, caches."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from latecal.core.models import Account, MediaItem, Post, Profile, Target
from latecal.store import ChangeSet, Store, UnknownPostError, codec

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "store.sqlite3")
    yield s
    assert s.check_integrity() == []
    s.close()


# --------------------------------------------------------------------------- round trip

# Offsets, not ZoneInfo: equality of a fold=1 ZoneInfo time with any other zone is always False by design.
zones = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=9, seconds=17))])
aware = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=zones)
maybe_naive = st.one_of(st.none(), aware, st.datetimes())
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
media = st.builds(
    MediaItem,
    type=st.sampled_from(["image", "video", "gif", "document", "hologram"]),
    url=st.text(),
    filename=st.text(),
    mime_type=st.text(),
    size=st.none() | st.integers(min_value=0, max_value=2**62),
    alt_text=st.text(),
    thumbnail=st.text(),
    local_path=st.text(),
    duration_s=st.none() | st.floats(allow_nan=False, allow_infinity=False),
)
targets = st.builds(
    Target,
    platform=st.text(),
    account_id=st.text(),
    status=st.text(),
    custom_content=st.none() | st.text(),
    scheduled_for=maybe_naive,
    platform_post_id=st.text(),
    platform_post_url=st.text(),
    published_at=maybe_naive,
    error_message=st.text(),
    error_category=st.text(),
    platform_specific_data=st.dictionaries(st.text(max_size=8), json_values, max_size=4),
)
posts = st.builds(
    Post,
    local_id=st.text(min_size=1, max_size=40),
    late_id=st.none() | st.text(min_size=1, max_size=30),
    idempotency_key=st.text(max_size=60),
    title=st.text(),
    content=st.text(max_size=400),
    hashtags=st.lists(st.text(max_size=20), max_size=5),
    tags=st.lists(st.text(max_size=20), max_size=5),
    media=st.lists(media, max_size=4),
    targets=st.lists(targets, max_size=6),
    scheduled_for=st.none() | aware,
    timezone=st.none() | st.sampled_from(["Europe/Berlin", "America/New_York", "Not/AZone", ""]),
    status=st.sampled_from(["draft", "scheduled", "published", "partial", "recycling"]) | st.text(),
    published_at=st.none() | aware,
    remote_updated_at=st.none() | aware,
    sync_state=st.sampled_from(["synced", "pending", "rejected", "conflict"]),
    sync_error=st.text(),
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(post=posts)
def test_codec_round_trips_every_field(post):
    assert codec.post_from_columns(codec.encode_post(post)) == post  # read by column name
    assert codec.post_from_json(codec.post_to_json(post)) == post


@SETTINGS
@given(post=posts)
def test_save_post_round_trips_every_field(tmp_path, post):
    path = tmp_path / "rt.sqlite3"
    with Store.open(path) as s:
        saved = s.save_post(post)
        s.delete_post(post.local_id)  # keep the store tiny for the next example
    expected_key = post.idempotency_key or saved.idempotency_key
    expected = Post(**{**{f: getattr(post, f) for f in Post.__slots__}, "idempotency_key": expected_key,
                       "sync_state": "pending", "sync_error": ""})
    assert saved == expected
    with Store.open(path) as s:
        s._db.execute("DELETE FROM posts")


def test_round_trip_survives_reopen(tmp_path):
    path = tmp_path / "s.sqlite3"
    post = Post(
        title="Launch",
        content="We launch 🚀\x00 today",
        hashtags=["#launch"],
        tags=["campaign"],
        media=[MediaItem("video", url="https://cdn/v.mp4", size=123, duration_s=12.5, local_path="/tmp/v.mp4")],
        targets=[
            Target("twitter", "a1", custom_content="short", platform_specific_data={"thread": [{"t": 1}]}),
            Target("youtube", "a2", status="published", published_at=datetime(2026, 3, 1, 10, tzinfo=ZoneInfo(
                "Europe/Berlin"))),
        ],
        scheduled_for=datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        timezone="Europe/Berlin",
        status="scheduled",
        remote_updated_at=datetime(2026, 2, 1, 12, 0, 0, 123456, tzinfo=UTC),
    )
    with Store.open(path) as s:
        saved = s.save_post(post)
    with Store.open(path) as s:
        got = s.get_post(post.local_id)
    assert got == saved
    assert got.scheduled_for.tzinfo is UTC
    assert got.content == "We launch 🚀\x00 today"


def test_upsert_remote_round_trips(store):
    post = Post(late_id="L1", idempotency_key="", content="remote", status="recycling",
                targets=[Target("x", "a", platform_post_url="https://x/1")], scheduled_for=T0)
    store.upsert_remote(post)
    got = store.get_by_late_id("L1")
    assert got == Post(**{**{f: getattr(post, f) for f in Post.__slots__}, "sync_state": "synced"})


def test_naive_times_are_refused(store):
    with pytest.raises(ValueError, match="naive"):
        store.posts_between(datetime(2026, 1, 1), datetime(2026, 2, 1))
    p = Post(content="x")
    p.remote_updated_at = datetime(2026, 1, 1)
    with pytest.raises(ValueError, match="naive"):
        store.save_post(p)
    assert store.count(include_deleted=True) == 0


# --------------------------------------------------------------------------- queries


def at(store: Store, when: datetime | None, **kw) -> Post:
    return store.save_post(Post(content=kw.pop("content", "x"), scheduled_for=when, **kw))


def test_posts_between_boundaries(store):
    start, end = T0, T0 + timedelta(days=31)
    us = timedelta(microseconds=1)
    before = at(store, start - us)
    first = at(store, start)
    last = at(store, end - us)
    at(store, end)
    at(store, None)
    got = store.posts_between(start, end)
    assert [p.local_id for p in got] == [first.local_id, last.local_id]
    berlin = ZoneInfo("Europe/Berlin")
    assert len(store.posts_between(start.astimezone(berlin), end.astimezone(berlin))) == 2
    assert [p.local_id for p in store.posts_between(start - us, start)] == [before.local_id]
    assert store.posts_between(end, start) == []


def test_posts_between_is_ordered_by_time(store):
    ids = [at(store, T0 + timedelta(hours=h)).local_id for h in (5, 1, 3)]
    assert [p.local_id for p in store.posts_between(T0, T0 + timedelta(days=1))] == [ids[1], ids[2], ids[0]]


def test_posts_with_status_and_due_before(store):
    due = at(store, T0 - timedelta(minutes=1), status="scheduled")
    at(store, T0 + timedelta(minutes=1), status="scheduled")
    pub = at(store, T0 - timedelta(hours=1), status="publishing")
    odd = at(store, T0, status="recycling")  # unknown statuses are kept and queryable
    at(store, None, status="scheduled")
    assert {p.local_id for p in store.posts_with_status(["scheduled", "publishing"], due_before=T0)} == {
        due.local_id, pub.local_id,
    }
    assert len(store.posts_with_status({"scheduled"})) == 3
    assert [p.local_id for p in store.posts_with_status(["recycling"])] == [odd.local_id]
    assert store.posts_with_status([]) == []


def test_unscheduled_drafts_all_posts_and_count(store):
    a = at(store, None, content="a")
    at(store, T0)
    b = at(store, None, content="b")
    assert {p.local_id for p in store.unscheduled_drafts()} == {a.local_id, b.local_id}
    assert store.count() == 3
    assert len(store.all_posts()) == 3


def test_tombstones_are_hidden_from_every_query_unless_asked(store):
    p = at(store, T0, status="scheduled")
    u = at(store, None)
    for post in (p, u):
        tok = store.begin_push(next(e for e in store.pending_entries(T0) if e.local_id == post.local_id))
        store.finish_push(tok, late_id=f"L-{post.local_id}")
        store.delete_post(post.local_id)
    assert store.get_post(p.local_id) is None
    assert store.get_by_late_id(f"L-{p.local_id}") is None
    assert store.posts_between(T0 - timedelta(days=1), T0 + timedelta(days=1)) == []
    assert store.posts_with_status(["scheduled"]) == []
    assert store.unscheduled_drafts() == []
    assert store.all_posts() == []
    assert store.count() == 0
    assert store.count(include_deleted=True) == 2
    assert len(store.all_posts(include_deleted=True)) == 2
    assert store.get_post(p.local_id, include_deleted=True).local_id == p.local_id
    assert store.get_by_late_id(f"L-{p.local_id}", include_deleted=True).local_id == p.local_id
    assert store.get_record(p.local_id).deleted


def test_get_missing(store):
    assert store.get_post("nope") is None
    assert store.get_record("nope") is None
    assert store.get_by_late_id("nope") is None
    with pytest.raises(UnknownPostError):
        store.mark_conflict("nope", Post(), "x")


# --------------------------------------------------------------------------- change sets


def test_every_user_edit_notifies_with_its_initiator(store):
    seen: list[tuple[ChangeSet, object]] = []
    unsubscribe = store.subscribe(lambda cs, who: seen.append((cs, who)))
    view = object()
    p = store.save_post(Post(content="x"), initiator=view)
    first = store.get_post(p.local_id)
    p.content = "y"
    second = store.save_post(p)
    store.delete_post(p.local_id, initiator="undo")
    assert seen == [
        (ChangeSet(frozenset({p.local_id}), posts={p.local_id: first}, queued=True), view),
        (ChangeSet(frozenset({p.local_id}), posts={p.local_id: second}, queued=True), None),
        (ChangeSet.of(removed=(p.local_id,)), "undo"),  # never pushed: it just goes, nothing is queued
    ]
    assert second.content == "y"
    unsubscribe()
    unsubscribe()
    store.save_post(Post(content="z"))
    assert len(seen) == 3


def test_rolled_back_changes_are_not_announced(store):
    seen = []
    store.subscribe(lambda cs, who: seen.append(cs))
    with pytest.raises(ValueError):
        store.save_post(Post(content="x", published_at=datetime(2026, 1, 1)))  # naive: refused mid-transaction
    assert seen == []


def test_a_failing_listener_does_not_stop_the_others(store, caplog):
    seen = []

    def broken(cs, who):
        raise RuntimeError("view bug")

    store.subscribe(broken)
    store.subscribe(lambda cs, who: seen.append(cs))
    p = store.save_post(Post(content="x"))
    assert seen == [ChangeSet(frozenset({p.local_id}), posts={p.local_id: p}, queued=True)]
    assert store.get_post(p.local_id) is not None
    assert "view bug" in caplog.text


def test_change_set_merge():
    a = ChangeSet.of(changed=("1", "2"))
    b = ChangeSet.of(removed=("2", "3"))
    assert a.merge(b) == ChangeSet.of(changed=("1",), removed=("2", "3"))
    assert b.merge(ChangeSet.of(changed=("3",))) == ChangeSet.of(changed=("3",), removed=("2",))
    assert not ChangeSet()
    assert a


def test_sync_steps_return_and_announce_change_sets(store):
    seen = []
    store.subscribe(lambda cs, who: seen.append((cs, who)))
    p = store.save_post(Post(content="x"))
    tok = store.begin_push(store.pending_entries(T0)[0])
    cs = store.finish_push(tok, late_id="L1", remote_account_ids=[], initiator="sync")
    assert cs == ChangeSet.of(changed=(p.local_id,))  # returned: the ids, no posts
    assert seen[-1] == (ChangeSet(cs.changed, posts={p.local_id: store.get_post(p.local_id)}), "sync")
    assert store.upsert_remote(Post(late_id="L1", content="x")) == ChangeSet()  # nothing changed: silent
    assert len(seen) == 2


# --------------------------------------------------------------------------- caches, meta, autosave


def test_accounts_and_profiles_are_replaced_in_order(tmp_path):
    path = tmp_path / "s.sqlite3"
    accounts = [Account("b", "twitter", "p1", "bob", "Bob", "https://a", True, False, True),
                Account("a", "bluesky", "p2", needs_reconnection=True, is_active=False)]
    profiles = [Profile("p2", "Two", "#ff0000", "Europe/Berlin", True), Profile("p1", "One")]
    with Store.open(path) as s:
        s.replace_accounts([Account("old", "x", "p")])
        s.replace_accounts(accounts)
        s.replace_profiles(profiles)
    with Store.open(path) as s:
        assert s.accounts() == accounts
        assert s.profiles() == profiles
        s.replace_accounts([])
        assert s.accounts() == []


def test_meta(store):
    assert store.get_meta("last_sync") is None
    assert store.get_meta("last_sync", "never") == "never"
    store.set_meta("last_sync", "2026-03-01T09:00:00Z")
    store.set_meta("last_sync", "2026-03-01T09:01:00Z")
    assert store.get_meta("last_sync") == "2026-03-01T09:01:00Z"
    store.set_meta("last_sync", None)
    assert store.get_meta("last_sync") is None


def test_autosave(tmp_path):
    path = tmp_path / "s.sqlite3"
    clock = [T0]
    with Store.open(path, clock=lambda: clock[0]) as s:
        s.save_autosave("new:1", '{"content": "a"}')
        clock[0] += timedelta(seconds=1)
        s.save_autosave("post-9", '{"content": "b"}')
        clock[0] += timedelta(seconds=1)
        s.save_autosave("new:1", '{"content": "a2"}')
        assert s.load_autosaves() == {"post-9": '{"content": "b"}', "new:1": '{"content": "a2"}'}
    with Store.open(path) as s:
        assert list(s.load_autosaves()) == ["post-9", "new:1"]
        s.clear_autosave("new:1")
        s.clear_autosave("missing")
        assert s.load_autosaves() == {"post-9": '{"content": "b"}'}


# --------------------------------------------------------------------------- threads


def test_store_can_be_used_from_several_threads(store):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(60):
                p = store.save_post(Post(content=f"{n}-{i}", scheduled_for=T0 + timedelta(minutes=i)))
                if i % 3 == 0:
                    store.delete_post(p.local_id)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    def reader() -> None:
        try:
            for _ in range(100):
                store.posts_between(T0, T0 + timedelta(days=1))
                store.pending_entries(T0)
        except BaseException as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)] + [threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count() == 3 * 40
    assert len(store.outbox_entries()) == 3 * 40
