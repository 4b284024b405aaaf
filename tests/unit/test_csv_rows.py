"""A CSV row becomes the post it will be, with the editor's rules as its problems (each named by the source
column), plus what only the file shows: repeated rows and the same text within 24 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from latecal.core.csv_check import ImportChecker
from latecal.core.csv_columns import (
    header_signature,
    is_late_format,
    mapping_from_json,
    mapping_to_json,
    suggested_mapping,
)
from latecal.core.csv_reading import parse_csv_bytes
from latecal.core.csv_rows import ImportContext
from latecal.core.csv_writing import export_rows, to_csv
from latecal.core.models import Account, Post, Profile, Target

NOW = datetime(2027, 3, 10, 11, 0, tzinfo=UTC)
PROFILES = [Profile("p-acme", "Acme", timezone="Europe/Berlin", is_default=True),
            Profile("p-nw", "Northwind", timezone="America/New_York")]
ACCOUNTS = {a.id: a for a in [
    Account("x1", "twitter", "p-acme", username="acme"),
    Account("ig1", "instagram", "p-acme", username="acme.ig"),
    Account("th1", "threads", "p-acme", username="acme.th", needs_reconnection=True),
    Account("fb1", "facebook", "p-nw", username="nw.page"),
    Account("fb2", "facebook", "p-nw", username="nw.events"),
]}


def check(text: str, *, zone: str | None = None, profile: str | None = None, existing=(), mapping=None):
    table = parse_csv_bytes(text.encode("utf-8"))
    ctx = ImportContext(ACCOUNTS, PROFILES, NOW, "Europe/Berlin", zone=zone, profile=profile)
    checker = ImportChecker(table, mapping or suggested_mapping(table.header), ctx, existing=existing)
    checker.check_all()
    return checker


def problems(checker) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in checker.problems()]


def berlin(y, m, d, hh, mm=0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)


def test_late_columns_with_aliases_per_platform_text_and_times():
    c = check("content,post_content,platforms,profiles,scheduledFor,timezone,mediaUrls,custom_content_twitter,"
              "schedule_time_instagram,hashtags\n"
              "alias text,real text,\"twitter, instagram\",Acme,2027-04-01 09:00,Europe/Berlin,"
              "https://cdn.example.com/p.jpg,Short for X,2027-04-01 12:30,\"spring;coffee\"\n"
              "only the alias,,twitter,acme,2027-04-02T08:00:00Z,,,,,\n")
    assert problems(c) == []
    first, second = (r.post for r in c.rows)
    assert first.content == "real text"  # the real column wins over its alias
    assert second.content == "only the alias"  # unless it is blank
    assert first.scheduled_for == berlin(2027, 4, 1, 9) and first.timezone == "Europe/Berlin"
    assert [(t.platform, t.account_id, t.custom_content) for t in first.targets] == [
        ("twitter", "x1", "Short for X"), ("instagram", "ig1", None)]
    assert first.targets[1].scheduled_for == berlin(2027, 4, 1, 12, 30)
    assert [m.url for m in first.media] == ["https://cdn.example.com/p.jpg"] and first.media[0].type == "image"
    assert first.hashtags == ["spring", "coffee"]
    assert second.scheduled_for == datetime(2027, 4, 2, 8, tzinfo=UTC)  # its own offset beats the zone
    assert is_late_format(c.table.header)


def test_each_rule_of_the_editor_is_a_problem_named_by_its_column():
    c = check("post_content,platforms,profiles,accounts,schedule_time,media_urls\n"
              f"{'x' * 300},twitter,Acme,,2027-04-01 09:00,\n"  # over X's 280
              "no photo,instagram,Acme,,2027-04-01 09:00,\n"  # Instagram needs media
              "long gone,twitter,Acme,,2027-03-01 09:00,\n"  # past
              "who,,Acme,@nobody,2027-04-01 09:00,\n"  # unknown account
              "off,threads,Acme,,2027-04-01 09:00,\n"  # disconnected
              "which page,facebook,Northwind,,2027-04-01 09:00,\n"  # two Facebook accounts
              "bad link,twitter,Acme,,2027-04-01 09:00,ftp://nope\n"
              "no time,twitter,Acme,,,\n"
              "gap,twitter,Acme,,2027-03-28 02:30,\n")  # the clocks jump 02:00 → 03:00 in Berlin
    found = {(row, col) for row, col, _ in problems(c)}
    assert found >= {(1, "post_content"), (2, "media_urls"), (3, "schedule_time"), (4, "accounts"), (5, "platforms"),
                     (6, "accounts"), (7, "media_urls"), (8, "schedule_time"), (9, "schedule_time")}
    words = dict(((row, col), msg) for row, col, msg in problems(c))
    assert words[(1, "post_content")] == "X allows 280 characters; this text has 300."
    assert words[(2, "media_urls")] == "Instagram needs at least one image or video."
    assert "is in the past" in words[(3, "schedule_time")]
    assert words[(4, "accounts")] == "No account '@nobody' among your Late accounts."
    assert "disconnected" in words[(5, "platforms")]
    assert words[(6, "accounts")].startswith("Profile Northwind has 2 Facebook accounts (nw.page, nw.events)")
    assert "does not exist in Europe/Berlin" in words[(9, "schedule_time")]
    assert c.summary().valid == 0


def test_a_username_picks_the_account_and_a_draft_needs_no_time():
    c = check("post_content,platforms,accounts,schedule_time,is_draft\n"
              "events only,facebook,@nw.events,2027-04-01 09:00,\n"
              "later maybe,twitter,@acme,,true\n", profile="Northwind")
    assert problems(c) == []
    assert [t.account_id for t in c.rows[0].post.targets] == ["fb2"]
    # no tz cell and no --timezone: the profile's zone
    assert c.rows[0].post.timezone == "America/New_York"
    assert c.rows[0].post.scheduled_for == datetime(2027, 4, 1, 13, tzinfo=UTC)
    draft = c.rows[1].post
    assert draft.status == "draft" and draft.scheduled_for is None


def test_timezone_option_and_profile_zone():
    c = check("post_content,platforms,profiles,schedule_time\nhi,facebook,Northwind,2027-04-01 09:00\n",
              mapping={"post_content": "post_content", "platforms": "platforms", "profiles": "profiles",
                       "schedule_time": "schedule_time"})
    assert problems(c)[0][1] == "accounts"  # two Facebook accounts; the time is still read:
    c = check("post_content,accounts,profiles,schedule_time\nhi,@nw.page,Northwind,2027-04-01 09:00\n")
    assert c.rows[0].post.timezone == "America/New_York"  # the profile's zone when no tz and no --timezone
    c = check("post_content,accounts,schedule_time\nhi,@nw.page,2027-04-01 09:00\n", zone="Asia/Tokyo")
    assert c.rows[0].post.timezone == "Asia/Tokyo"
    assert c.rows[0].post.scheduled_for == datetime(2027, 4, 1, 0, tzinfo=UTC)


def test_rows_repeated_in_the_file_and_the_same_text_within_24_hours():
    existing = [Post(content="Already planned", scheduled_for=berlin(2027, 4, 1, 8), status="scheduled",
                     targets=[Target("twitter", "x1")])]
    c = check("post_content,platforms,schedule_time\n"
              "Hello,twitter,2027-04-01 09:00\n"
              "Hello,twitter,2027-04-01 09:00\n"  # the same row again
              "Hello,twitter,2027-04-01 20:00\n"  # same text, 11 hours later
              "Hello,twitter,2027-04-02 10:00\n"  # 25 hours later: Late takes it
              "Already planned,twitter,2027-04-01 18:00\n", existing=existing)
    said = problems(c)
    assert said[0] == (2, "", "Row 2 repeats row 1; skip one of them.")
    assert said[1][0] == 3 and "within 24 hours of row 1" in said[1][2]
    assert said[2][0] == 5 and "within 24 hours of a post already in your calendar" in said[2][2]
    assert len(said) == 3
    c.skip(1)  # skipping the first makes the second the original
    assert [p[0] for p in problems(c)] == [3, 5]
    assert "row 2" in problems(c)[0][2]


def test_a_fix_in_place_rechecks_the_row_and_the_file():
    c = check("post_content,platforms,schedule_time\nHello,twitter,2027-03-01 09:00\nHello,twitter,2027-04-01 09:00\n")
    assert [p[0] for p in problems(c)] == [1]
    c.fix(1, "schedule_time", "2027-04-01 10:00")  # now within 24 h of row 2
    assert [(p[0], p[1]) for p in problems(c)] == [(2, "")]
    c.fix(2, "post_content", "Hello again")
    assert problems(c) == []


def test_extra_cells_are_a_problem_and_missing_cells_are_blank():
    c = check("post_content,platforms,schedule_time\nshifted,twitter,2027-04-01 09:00,oops\nshort,twitter\n")
    said = problems(c)
    assert said[0][:2] == (1, "#4") and "has 4 cells but the header names 3 columns" in said[0][2]
    assert said[1][:2] == (2, "schedule_time") and said[1][2].startswith("No date and time")


def test_buffer_and_hootsuite_exports_map_to_late_fields():
    buffer = suggested_mapping(["Text", "Image URL", "Posting Time", "Channel", "Service", "Tags"])
    assert buffer == {"Text": "post_content", "Image URL": "media_urls", "Posting Time": "schedule_time",
                      "Channel": "accounts", "Service": "platforms", "Tags": "tags"}
    c = check("Date,Message,Link,Social Network,Social Profile\n"
              "04/01/2027 09:00,Hoot hoot,https://acme.example/blog,Twitter,acme\n"
              "13/04/2027 09:00 ,Day first,,X,@acme\n")
    assert problems(c) == []
    first, second = (r.post for r in c.rows)
    assert first.content == "Hoot hoot\n\nhttps://acme.example/blog"
    assert first.scheduled_for == berlin(2027, 4, 1, 9)  # month first, as Hootsuite writes it
    assert second.scheduled_for == berlin(2027, 4, 13, 9)  # 13 cannot be a month
    assert [t.account_id for t in second.targets] == ["x1"]
    assert not is_late_format(c.table.header)
    assert problems(c) == [] and c.column_of("post_content") == "Message"


def test_a_remembered_mapping_is_kept_per_header_set():
    header = ["Text", "Posting Time", "Service"]
    saved = mapping_to_json({"Text": "title", "Posting Time": "schedule_time", "Service": "platforms"})
    assert mapping_from_json(saved, header)["Text"] == "title"
    assert mapping_from_json(saved, ["Text", "Posting Time"]) is None  # other columns: suggest afresh
    assert header_signature(header) == header_signature(["service", "TEXT", "Posting Time"])


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_an_export_imports_back_to_the_same_posts(zone):
    posts = [
        Post(content="Two platforms,\n\"quoted\"", title="Launch", scheduled_for=NOW + timedelta(days=3),
             timezone=zone, status="scheduled", hashtags=["coffee"], tags=["launch"],
             targets=[Target("twitter", "x1", custom_content="X only"),
                      Target("instagram", "ig1", scheduled_for=NOW + timedelta(days=3, hours=2))],
             media=[]),
        Post(content="Page post", scheduled_for=NOW + timedelta(days=4), timezone=zone, status="scheduled",
             targets=[Target("facebook", "fb2")]),
        Post(content="An idea", status="draft", targets=[Target("twitter", "x1")]),
    ]
    from latecal.core.csv_values import read_media

    posts[0].media = read_media("https://cdn.example.com/one.jpg")
    header, rows = export_rows(posts, ACCOUNTS, PROFILES, zone)
    c = check(to_csv(header, rows))
    assert problems(c) == []
    for before, row in zip(posts, c.rows, strict=True):
        after = row.post
        assert (after.content, after.title, after.hashtags, after.tags, after.status, after.timezone) == (
            before.content, before.title, before.hashtags, before.tags, before.status, before.timezone or zone)
        assert after.scheduled_for == before.scheduled_for
        assert [(t.platform, t.account_id, t.custom_content, t.scheduled_for) for t in after.targets] == [
            (t.platform, t.account_id, t.custom_content, t.scheduled_for) for t in before.targets]
        assert [m.url for m in after.media] == [m.url for m in before.media]


def test_columns_the_import_cannot_keep_are_problems_not_silent_losses():
    c = check("post_content,platforms,schedule_time,mentions,custom_media_twitter,publish_now\n"
              "a,twitter,2027-04-01 09:00,@bob,,\n"
              "b,twitter,2027-04-01 10:00,,https://cdn.example.com/x.jpg,\n"
              "c,twitter,,,,true\n")
    assert [(row, col) for row, col, _ in problems(c)] == [(1, "mentions"), (2, "custom_media_twitter"),
                                                            (3, "publish_now"), (3, "schedule_time")]


def test_a_profile_asked_for_before_any_was_read_says_how_to_read_them():
    table = parse_csv_bytes(b"post_content,platforms,profiles,schedule_time\nHello,twitter,Acme,2027-03-20 10:00\n")
    checker = ImportChecker(table, suggested_mapping(table.header), ImportContext({}, [], NOW, "Europe/Berlin"))
    checker.check_all()
    assert any(column == "profiles" and "--sync" in message for _row, column, message in problems(checker))
