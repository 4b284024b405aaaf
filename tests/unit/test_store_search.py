"""The List's search over the whole store: an FTS5 index kept in step with the posts by the store itself, and what
the user types is never query syntax."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latecal.core.models import Post, Target
from latecal.store import Store, codec
from latecal.store.search_schema import SEARCH_STEPS

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "store.sqlite3")
    yield s
    assert s.check_integrity() == []
    s.close()


def _ids(store, text, **filters) -> list[str]:
    return [local_id for _us, local_id in store.agenda_keys(text, **filters)]


def test_a_post_years_away_is_found_and_results_come_in_list_order(store):
    far = store.save_post(Post(content="Anniversary giveaway", scheduled_for=T0 + timedelta(days=900)))
    near = store.save_post(Post(content="Giveaway rules", scheduled_for=T0))
    idea = store.save_post(Post(content="giveaway idea, no date yet", status="draft"))
    store.save_post(Post(content="Nothing to see", scheduled_for=T0))
    assert _ids(store, "giveaway") == [near.local_id, far.local_id, idea.local_id]
    assert store.agenda_keys("giveaway")[0] == (codec.to_us(T0), near.local_id)


def test_words_are_prefixes_all_must_match_and_case_and_accents_fold(store):
    cafe = store.save_post(Post(title="Café opening", content="Spring LAUNCH in Berlin", scheduled_for=T0))
    store.save_post(Post(content="Spring sale", scheduled_for=T0))
    assert _ids(store, "launc") == [cafe.local_id]
    assert _ids(store, "spring berlin") == [cafe.local_id]
    assert _ids(store, "cafe") == [cafe.local_id]
    assert _ids(store, "spring autumn") == []


def test_hashtags_tags_per_platform_texts_and_accounts_are_searched(store):
    post = store.save_post(Post(content="Base text", hashtags=["frühling"], tags=["Kampagne Q2"], scheduled_for=T0,
                                targets=[Target("twitter", "acc-x", custom_content="Only on X: thread")]))
    other = store.save_post(Post(content="Base text", scheduled_for=T0, targets=[Target("linkedin", "acc-li")]))
    for text in ("frühling", "kampagne", "thread", "twitter"):
        assert _ids(store, text) == [post.local_id], text
    # an account's names live outside the post: the word matches the account, the account its posts
    names = {"acc-li": "Acme Careers @acme_jobs"}
    assert _ids(store, "careers", account_names=names) == [other.local_id]
    assert _ids(store, "base acme_jobs", account_names=names) == [other.local_id]
    # a platform's display name ("LinkedIn") finds it too
    assert _ids(store, "linked") == [other.local_id]


def test_the_index_follows_edits_deletes_restores_and_pulls(store):
    post = store.save_post(Post(content="Old wording", scheduled_for=T0))
    assert _ids(store, "old") == [post.local_id]
    store.save_post(replace(store.get_post(post.local_id), content="New wording"))
    assert _ids(store, "old") == [] and _ids(store, "new") == [post.local_id]
    before, entries = store.get_record(post.local_id), store.outbox_entries(post.local_id)
    store.delete_post(post.local_id)
    assert _ids(store, "new") == []
    store.cancel_delete(before, entries)
    assert _ids(store, "new") == [post.local_id]
    pulled = Post(content="Pulled from Late", scheduled_for=T0, late_id="late-1", status="published",
                  remote_updated_at=T0)
    store.upsert_remote(pulled)
    assert _ids(store, "pulled") == [store.get_by_late_id("late-1").local_id]
    store.upsert_remote(replace(pulled, content="Late's new words", remote_updated_at=T0 + timedelta(minutes=1)))
    assert _ids(store, "pulled") == [] and _ids(store, "late's") == [store.get_by_late_id("late-1").local_id]
    # a target's own text counts; its status (a publish) changes no word
    late = store.get_by_late_id("late-1")
    store.upsert_remote(replace(late, targets=[Target("twitter", "acc-x", custom_content="Tweet only words")],
                                remote_updated_at=T0 + timedelta(minutes=2)))
    assert _ids(store, "tweet only") == [late.local_id]
    store.upsert_remote(replace(store.get_post(late.local_id), status="published", remote_updated_at=T0 + timedelta(
        minutes=3), targets=[Target("twitter", "acc-x", custom_content="Tweet only words", status="published")]))
    assert _ids(store, "tweet only") == [late.local_id] and _ids(store, "late's") == [late.local_id]
    # a row really deleted (a tombstone purged, a remote delete) leaves the index too
    with store.batch():
        store._db.execute("DELETE FROM outbox")
        store._db.execute("DELETE FROM posts")
    assert store._db.execute("SELECT count(*) FROM post_search").fetchone()[0] == 0


def test_the_other_filters_apply_to_the_matches(store):
    a = store.save_post(Post(content="launch", status="scheduled", tags=["Big"], scheduled_for=T0,
                             targets=[Target("twitter", "acc-x")]))
    b = store.save_post(Post(content="launch", status="draft", scheduled_for=T0 + timedelta(hours=1),
                             targets=[Target("bluesky", "acc-b")]))
    assert _ids(store, "launch", statuses=["draft"]) == [b.local_id]
    assert _ids(store, "launch", platforms=["twitter"]) == [a.local_id]
    assert _ids(store, "launch", account_ids=["acc-b"]) == [b.local_id]
    assert _ids(store, "launch", tags=["big"]) == [a.local_id]
    # several values: any of them; filters together: all of them
    assert _ids(store, "launch", statuses=["draft", "scheduled"]) == [a.local_id, b.local_id]
    assert _ids(store, "launch", platforms=["twitter", "bluesky"], statuses=["draft"]) == [b.local_id]
    assert _ids(store, "launch", profile_accounts=["acc-x"]) == [a.local_id]
    assert _ids(store, "launch", profile_accounts=[]) == []  # a profile chosen that has no account
    assert _ids(store, "launch", only=[b.local_id]) == [b.local_id]


def test_without_words_the_list_gets_its_range_and_the_posts_without_a_time(store):
    inside = store.save_post(Post(content="in", scheduled_for=T0))
    store.save_post(Post(content="after", scheduled_for=T0 + timedelta(days=1)))
    idea = store.save_post(Post(content="idea", status="draft"))
    between = (codec.to_us(T0), codec.to_us(T0 + timedelta(days=1)))
    assert _ids(store, "", between=between) == [inside.local_id, idea.local_id]
    assert store.posts_by_ids([idea.local_id, "gone"]) == {idea.local_id: store.get_post(idea.local_id)}


ODD = ['"', '""', "*", "a*", '"launch', "launch\"", "NEAR", "NEAR(launch", "launch NEAR/2 x", "AND", "OR NOT",
       "(", ")", "^launch", "title:launch", "-launch", "+", "{title}: x", "l'aunch", "🚀", "\\", "'", "%", "_", "a:b"]


@pytest.mark.parametrize("text", ODD)
def test_odd_input_is_plain_text_and_never_raises(store, text):
    post = store.save_post(Post(content="launch NEAR the office: title ^ stars * 🚀", scheduled_for=T0))
    found = _ids(store, text)
    assert found in ([], [post.local_id])
    if text in ("NEAR", "^launch", "-launch", "\"launch", "launch\""):
        assert found == [post.local_id]  # the words themselves are looked for


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_any_text_is_a_valid_search(tmp_path_factory, text):
    with Store.open(tmp_path_factory.mktemp("s") / "store.sqlite3") as store:
        store.save_post(Post(content="Launch day", scheduled_for=T0))
        store.agenda_keys(text)


def test_the_migration_indexes_the_posts_already_stored(tmp_path):
    path = tmp_path / "old.sqlite3"
    with Store.open(path) as store:
        kept = store.save_post(Post(content="Written before the index", scheduled_for=T0))
        store.save_post(Post(content="Written and deleted", scheduled_for=T0))
        store.delete_post(_ids(store, "deleted")[0])
    conn = sqlite3.connect(path, isolation_level=None)  # the store as it was before the search step
    for name in ("post_search_insert", "post_search_update", "post_search_delete"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE post_search")
    conn.execute("BEGIN")
    for step in SEARCH_STEPS:
        conn.execute(step)
    conn.execute("COMMIT")
    conn.close()
    with Store.open(path) as store:
        assert _ids(store, "written") == [kept.local_id]  # the deleted post (a tombstone) is not indexed
