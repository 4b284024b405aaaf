"""A post with fields Late may legally leave out, or with values the app cannot read, is kept with what can be
read, marked (``Post.read_problems``), stored with its mark, read-only in every rule that would send a change,
and shown as "Unknown" when its status is not one the app knows."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from latecal.core.lifecycle import keeps_as_copy, takes_changes
from latecal.core.models import Post, Target
from latecal.core.scheduling import Refusal, move_refusal, status_refusal
from latecal.core.status import PostStatus
from latecal.core.validation import validate_post
from latecal.late.wire import EARLIEST_TIME, LATEST_TIME, post_from_json, with_account_platforms
from latecal.presentation import messages, statuses
from latecal.store import Store

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
POST = {
    "_id": "65f1c0a9e2b5af0012ab34cd", "status": "scheduled", "title": "Launch", "content": "We launched",
    "scheduledFor": "2026-12-20T10:00:00Z", "updatedAt": "2026-12-01T10:00:00Z",
    "platforms": [{"platform": "twitter", "accountId": "acc1", "status": "pending"}],
}


def read(**changes: object) -> Post:
    raw = copy.deepcopy(POST)
    raw.update(changes)
    return post_from_json(raw)


# --- the reader ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "banana", "+999999-01-01",
                                  "0001-01-01T00:00:00+05:00", 1730455200, {"$date": 1}])
@pytest.mark.parametrize("field", ["scheduledFor", "publishedAt", "updatedAt"])
def test_a_time_that_cannot_be_read_is_left_empty_and_marks_the_post(field: str, when: object) -> None:
    post = read(**{field: when})
    assert (post.late_id, post.content) == (POST["_id"], "We launched")
    assert post.read_problems == (field,)
    assert {"scheduledFor": post.scheduled_for, "publishedAt": post.published_at,
            "updatedAt": post.remote_updated_at}[field] is None


def test_times_inside_the_bounds_are_read() -> None:
    assert EARLIEST_TIME.year == 1970 and LATEST_TIME.year == 3000
    post = read(scheduledFor="1970-01-01T00:00:00Z", publishedAt="2999-12-31T23:59:59Z")
    assert (post.scheduled_for, post.read_problems) == (EARLIEST_TIME, ())
    # every time the reader keeps survives the arithmetic around it (a calendar range, a week before)
    assert post.published_at + timedelta(days=400) > post.published_at - timedelta(days=400)


def test_a_target_time_that_cannot_be_read_names_the_target() -> None:
    raw = copy.deepcopy(POST)
    raw["platforms"].append({"platform": "bluesky", "accountId": "acc2", "scheduledFor": "9999-12-31T23:59:59Z"})
    post = post_from_json(raw)
    assert post.read_problems == ("platforms[1].scheduledFor",)
    assert [t.account_id for t in post.targets] == ["acc1", "acc2"]


def test_missing_optional_fields_keep_the_post_with_defaults() -> None:
    post = post_from_json({"_id": "p1", "platforms": [{}]})
    assert post.status == "" and post.targets == [Target(platform="", account_id="")]
    assert post.read_problems == ("platforms[0].accountId", "platforms[0].platform")


def test_a_status_that_is_not_text_is_empty_and_marked() -> None:
    post = read(status={"value": "scheduled"})
    assert (post.status, post.read_problems) == ("", ("status",))


def test_platforms_come_from_the_accounts_once_known() -> None:
    post = read(platforms=[{"accountId": "acc1"}, {"accountId": {"_id": "acc2", "platform": "bluesky"}}])
    assert post.read_problems == ("platforms[0].platform",)
    resolved = with_account_platforms(post, {"acc1": "twitter"})
    assert [t.platform for t in resolved.targets] == ["twitter", "bluesky"]
    assert resolved.read_problems == ()
    assert with_account_platforms(post, {}).read_problems == ("platforms[0].platform",)


# --- the rules: a marked post takes no change ------------------------------------------------------------------


def test_a_marked_post_refuses_moves_saves_and_keeps_a_copy_in_a_conflict() -> None:
    marked = read(updatedAt="banana")
    assert marked.status == PostStatus.SCHEDULED  # a status that would otherwise take changes
    assert status_refusal(marked) is Refusal.UNREADABLE
    assert move_refusal(marked, NOW + timedelta(days=3), NOW) is Refusal.UNREADABLE
    assert not takes_changes(marked) and keeps_as_copy(marked)
    assert [p.field for p in validate_post(marked, {}, now=NOW, intent="draft")] == ["status"]
    clean = read()
    assert status_refusal(clean) is None and takes_changes(clean) and not keeps_as_copy(clean)


def test_the_refusal_and_the_marks_have_words() -> None:
    marked = read(updatedAt="banana", status="weird")
    said = messages.move_refused(marked, status_refusal(marked), None, UTC)
    assert said == ("“Launch” cannot be moved: some of what Late sent for it could not be read, and a change "
                    "from here would overwrite that on Late (change it on Late instead).")
    assert statuses.read_problem_line(marked.read_problems) == (
        "Could not read from Late: last change. Read-only here: change it on Late.")
    assert statuses.read_problem_line(()) == ""
    assert statuses.read_problem_line(["platforms[0].platform", "platforms[1]", "mediaItems[0]", "tags"]) == (
        "Could not read from Late: platform (platform 1), platform 2, media item 1 and 1 more. "
        "Read-only here: change it on Late.")


def test_an_unknown_status_is_unknown_with_lates_value_in_the_tooltip() -> None:
    for status in ("weird", "recycling_hold", ""):
        assert statuses.status_label(status) == "Unknown"
    assert statuses.late_status_line("weird") == "Late's status: “weird”"
    assert statuses.late_status_line("") == "Late sent no status for this post."
    assert statuses.late_status_line(PostStatus.DRAFT) == ""
    assert statuses.status_label(PostStatus.PENDING_APPROVAL) == "Awaiting approval"
    assert statuses.target_state("processing") == "Processing"


# --- the store keeps the mark ---------------------------------------------------------------------------------


def test_the_mark_is_stored_and_cleared_when_late_sends_a_readable_post(tmp_path) -> None:
    with Store.open(tmp_path / "store.sqlite3") as store:
        store.upsert_remote(read(scheduledFor="+999999-01-01"))
        kept = store.get_by_late_id(POST["_id"])
        assert kept.read_problems == ("scheduledFor",) and kept.scheduled_for is None
        changes = store.upsert_remote(read())  # only the mark (and the time) differ
        assert changes.changed
        assert store.get_by_late_id(POST["_id"]).read_problems == ()
        assert store.check_integrity() == []
