"""Late's ``recycling`` and ``recycledFromPostId`` read and written by the wire, kept by the store (migration 8),
and a series' membership that neither a save nor a pull changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from latecal.core.models import Post, Target
from latecal.core.recurrence import Freq, Rule, Series
from latecal.late.wire import post_from_json, post_to_json
from latecal.store import Store
from latecal.sync.outgoing import request_body

WHEN = datetime(2027, 3, 10, 9, tzinfo=UTC)
STATE = {"enabled": True, "gap": 2, "gapFreq": "week", "startDate": "2027-03-10T09:00:00Z", "expireCount": 3,
         "contentVariations": ["a", "b"], "contentVariationIndex": 1, "recycleCount": 1,
         "nextRecycleAt": "2027-04-07T09:00:00Z", "lastRecycledAt": "2027-03-24T09:00:00Z"}


def _late(**extra) -> dict:
    return {"_id": "6a" * 12, "content": "x", "status": "scheduled", "scheduledFor": "2027-03-10T09:00:00Z",
            "platforms": [{"platform": "twitter", "accountId": "acc"}], **extra}


def test_the_wire_reads_recycling_and_the_post_a_copy_came_from():
    post = post_from_json(_late(recycling=STATE, recycledFromPostId="6b" * 12))
    assert post.recycling == STATE and post.recycled_from == "6b" * 12 and not post.read_problems
    odd = post_from_json(_late(recycling="weekly"))
    assert odd.recycling is None and odd.read_problems == ("recycling",)  # kept, marked, read-only


def test_only_the_settings_are_sent_and_a_published_post_sends_recycling_alone():
    post = Post(content="x", status="scheduled", scheduled_for=WHEN, targets=[Target("twitter", "acc")],
                recycling=STATE)
    body = post_to_json(post)
    assert set(body["recycling"]) == {"enabled", "gap", "gapFreq", "startDate", "expireCount", "contentVariations"}
    published = replace(post, status="published", recycling={**STATE, "enabled": False})
    assert set(request_body(published)) == {"recycling"}


def test_the_store_keeps_recycling_and_membership_across_saves_and_pulls(tmp_path):
    store = Store.open(tmp_path / "s.sqlite3")
    post = store.save_post(Post(content="x", status="scheduled", scheduled_for=WHEN, late_id="6a" * 12,
                                targets=[Target("twitter", "acc")], recycling=STATE))
    series = Series("s1", Rule(Freq.WEEKLY), "UTC", WHEN, post, True, WHEN)
    store.put_series(series)
    store.set_occurrence(post.local_id, "s1", 0)
    store.add_exception("s1", 3, "skipped")
    store.put_series(replace(series, made_until=WHEN))  # an upsert: the exceptions stay
    assert store.exceptions("s1") == {3: "skipped"}
    edited = store.save_post(replace(store.get_post(post.local_id), content="y", series_id="", occurrence=0))
    assert (edited.series_id, edited.recycling) == ("s1", STATE)  # a save never changes membership
    copy = post_from_json(_late(_id="6c" * 12, recycledFromPostId="6a" * 12))
    store.upsert_remote(replace(copy, late_id="6c" * 12))
    assert store.get_by_late_id("6c" * 12).recycled_from == "6a" * 12
    assert store.active_recycling() == {"acc": 1}
    store.close()
    again = Store.open(tmp_path / "s.sqlite3")
    assert again.get_series("s1").rule == Rule(Freq.WEEKLY) and again.get_post(post.local_id).series_id == "s1"
    again.close()
