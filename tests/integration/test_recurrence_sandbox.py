"""Recurring posts over loopback against the sandbox: a weekly series is one post with Late's ``recycling``; a
daily or several-weekday series is local occurrences pushed each with its own key and never with a past time;
edit one, this and following, all, skip, rotating texts, undo; the 10-active limit and YouTube/TikTok fall back
to local occurrences; the sandbox makes copies on its clock that come back with ``recycledFromPostId``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio
from late.models._generated import models as schema

from latecal.core.models import Post, Target
from latecal.core.recurrence import Freq, Rule
from latecal.late.client import LateClient
from latecal.operations import recurring
from latecal.operations.recurring import Scope
from latecal.store import Store
from latecal.sync import SyncEngine
from sandbox_support import ACCOUNTS, KEY, fresh, module_sandbox, sandbox_posts, seed_basic

pytestmark = pytest.mark.asyncio

shared_server = module_sandbox(seed=18)


@pytest.fixture
def server(shared_server):
    yield from fresh(shared_server, seed_basic)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "posts.sqlite3", clock=None)
    yield s
    s.close()


@pytest_asyncio.fixture
async def client(server) -> AsyncIterator[LateClient]:
    async with LateClient(KEY, server.base_url, sleep=_no_sleep) as c:
        yield c


async def _no_sleep(seconds: float) -> None:
    return None


class Clock:
    def __init__(self, start: datetime) -> None:
        self.wall, self.mono = start, 1000.0

    def elapse(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


def _engine(store, client, server) -> tuple[SyncEngine, Clock]:
    clock = Clock(server.sandbox.state.now())
    engine = SyncEngine(store, client, clock=lambda: clock.wall, monotonic=lambda: clock.mono)
    engine.set_window(clock.wall - timedelta(days=7), clock.wall + timedelta(days=70))
    return engine, clock


def _post(store, when: datetime, *platforms: str, text: str = "Weekly tips, part one") -> Post:
    return store.save_post(Post(content=text, status="scheduled", scheduled_for=when.replace(microsecond=0),
                                timezone="Europe/Berlin", targets=[Target(p, ACCOUNTS[p]) for p in platforms]))


def _make(store, post, rule, clock) -> recurring.SeriesResult:
    return recurring.make_recurring(store, post.local_id, rule, zone="Europe/Berlin", now=clock.wall, initiator=None)


def _keys(server) -> dict[str, str]:
    return {k: v["postId"] for k, v in server.sandbox.state.idempotency.items()}


async def test_a_weekly_series_is_one_post_carrying_late_recycling(store, client, server):
    engine, clock = _engine(store, client, server)
    post = _post(store, clock.wall + timedelta(hours=2), "twitter")
    done = _make(store, post, Rule(Freq.WEEKLY, count=3, variations=("Tip two", "Tip three")), clock)
    assert len(done.result.posts) == 1 and done.result.posts[0].recycling["gapFreq"] == "week"
    await engine.run_once()
    (on_late,) = sandbox_posts(server)
    schema.Post3.model_validate(on_late)  # Late's own model of a post (RecyclingState inside)
    assert on_late["recycling"]["gap"] == 1 and on_late["recycling"]["expireCount"] == 2
    assert on_late["recycling"]["contentVariations"] == ["Tip two", "Tip three"]

    # the sandbox publishes it, then makes the copies on its own clock, the texts in turn
    server.advance(15 * 24 * 3600)
    clock.elapse(15 * 24 * 3600)
    server.tick()
    copies = sorted((p for p in sandbox_posts(server) if p.get("recycledFromPostId")), key=lambda p: p["scheduledFor"])
    assert [p["content"] for p in copies] == ["Tip two", "Tip three"]
    assert all(p["recycledFromPostId"] == on_late["_id"] for p in copies)
    original = next(p for p in sandbox_posts(server) if p["_id"] == on_late["_id"])
    assert original["recycling"]["recycleCount"] == 2 and original["recycling"]["enabled"] is False
    schema.Post3.model_validate(original)
    await engine.run_once()
    pulled = [p for p in store.all_posts() if p.recycled_from == on_late["_id"]]
    assert sorted(p.content for p in pulled) == ["Tip three", "Tip two"]


async def test_a_weekday_series_is_local_posts_each_with_its_own_key_none_in_the_past(store, client, server):
    engine, clock = _engine(store, client, server)
    post = _post(store, clock.wall + timedelta(hours=1), "twitter", text="Stand-up notes")
    # (Late refuses the same text to an account within 24 h of creating it: five variations keep all six apart)
    rule = Rule(Freq.WEEKLY, weekdays=(0, 2, 4), count=6, variations=tuple(f"Notes {c}" for c in "BCDEF"))
    done = _make(store, post, rule, clock)
    posts = sorted(done.result.posts, key=lambda p: p.occurrence)
    assert [p.occurrence for p in posts] == list(range(6)) and all(p.recycling is None for p in posts)
    assert [p.content for p in posts] == ["Stand-up notes", "Notes B", "Notes C", "Notes D", "Notes E", "Notes F"]
    await engine.run_once()
    on_late = sandbox_posts(server)
    assert len(on_late) == 6 and not any("recycling" in p for p in on_late)
    assert len(set(_keys(server))) == 6 and len(set(_keys(server).values())) == 6  # one key per occurrence
    assert all(datetime.fromisoformat(p["scheduledFor"]) > clock.wall for p in on_late)


async def test_one_text_repeated_reaches_late_a_day_apart_never_refused_as_a_duplicate(store, client, server):
    """Late refuses one text to an account twice within 24 h of creating it: the second occurrence waits a day."""
    engine, clock = _engine(store, client, server)
    post = _post(store, clock.wall + timedelta(hours=1), "twitter", text="Same every time")
    wd = post.scheduled_for.astimezone(ZoneInfo("Europe/Berlin")).weekday()
    _make(store, post, Rule(Freq.WEEKLY, weekdays=(wd, (wd + 4) % 7), count=4), clock)  # the next one 3+ days on
    sent = []
    for _day in range(3):
        report = await engine.run_once()
        assert not report.rejected, report.rejected
        sent.append(len(sandbox_posts(server)))
        # (a day after Late's last change to the post: its publishing an hour in counts, so 26 h apart here)
        clock.elapse(26 * 3600)
        server.advance(26 * 3600)
    assert sent == [1, 2, 3]
    assert len(set(_keys(server).values())) == 3
    assert all(datetime.fromisoformat(p["scheduledFor"]) > datetime.fromisoformat(p["createdAt"])
               for p in sandbox_posts(server))  # none created with a time already past


async def test_the_sync_engine_keeps_an_endless_local_series_eight_weeks_ahead(store, client, server):
    engine, clock = _engine(store, client, server)
    post = _post(store, clock.wall + timedelta(hours=1), "twitter", text="Every day, no end")
    _make(store, post, Rule(Freq.DAILY, variations=tuple(f"Day {n}" for n in range(2, 22))), clock)
    series_id = store.get_post(post.local_id).series_id
    last = max(p.scheduled_for for p in store.series_posts(series_id))
    assert timedelta(weeks=8) - timedelta(days=1) < last - clock.wall <= timedelta(weeks=8)
    await engine.run_once()
    made = len(store.series_posts(series_id))
    assert store.extend_series(clock.wall) == 0  # nothing due: nothing made twice
    clock.elapse(10 * 24 * 3600)
    server.advance(10 * 24 * 3600)
    await engine.run_once()
    posts = store.series_posts(series_id)
    assert len(posts) == made + 10 and len({p.occurrence for p in posts}) == len(posts)
    assert max(p.scheduled_for for p in posts) - clock.wall > timedelta(weeks=8) - timedelta(days=1)


async def test_an_offline_occurrence_whose_time_passed_is_held_not_sent(store, client, server):
    engine, clock = _engine(store, client, server)
    post = _post(store, clock.wall + timedelta(minutes=5), "twitter", text="Daily reminder")
    _make(store, post, Rule(Freq.DAILY, count=3, variations=("Reminder two", "Reminder three")), clock)
    clock.elapse(3600)  # offline while the first one's time passes
    server.advance(3600)
    report = await engine.run_once()
    assert report.missed == [post.local_id]
    sent = sandbox_posts(server)
    assert len(sent) == 2 and all(datetime.fromisoformat(p["scheduledFor"]) > clock.wall for p in sent)


async def test_edit_one_this_and_following_all_and_skip_then_undo(store, client, server):
    engine, clock = _engine(store, client, server)
    post = _post(store, clock.wall + timedelta(hours=1), "twitter", text="Daily")
    variations = tuple(f"Daily {n}" for n in range(1, 6))  # Late refuses one text twice a day to an account
    _make(store, post, Rule(Freq.DAILY, count=6, variations=variations), clock)
    await engine.run_once()
    series_id = store.get_post(post.local_id).series_id
    made = [(p.occurrence, p.content, p.scheduled_for) for p in store.series_posts(series_id)]

    def occ(i: int, sid: str = series_id) -> Post:
        return next(p for p in store.series_posts(sid) if p.occurrence == i)

    one = recurring.edit_occurrence(store, replace(occ(1), content="Only this one"), Scope.THIS, now=clock.wall,
                                    initiator=None)
    assert occ(1).content == "Only this one" and occ(2).content == "Daily 2"
    hour_later = occ(2).scheduled_for + timedelta(hours=1)
    every = recurring.edit_occurrence(store, replace(occ(2), scheduled_for=hour_later), Scope.ALL, now=clock.wall,
                                      initiator=None)
    times = {i: occ(i).scheduled_for for i in range(6)}
    assert [times[i] - made[i][2] for i in (0, 2, 3, 4, 5)] == [timedelta(hours=1)] * 5
    assert times[1] == made[1][2]  # the one edited on its own stays as it was
    # a text changed for all: the variation that occurrence uses changes, wherever it is used
    reworded = recurring.edit_occurrence(store, replace(occ(4), content="Daily four, reworded"), Scope.ALL,
                                         now=clock.wall, initiator=None)
    assert [occ(i).content for i in range(6)] == ["Daily", "Only this one", "Daily 2", "Daily 3",
                                                  "Daily four, reworded", "Daily 5"]
    recurring.restore(store, reworded.before, initiator=None)
    skip = recurring.skip_occurrence(store, occ(5).local_id, now=clock.wall, initiator=None)
    assert 5 not in {p.occurrence for p in store.series_posts(series_id)}
    later = occ(3)
    split = recurring.edit_occurrence(store, replace(later, content="From here on",
                                                     scheduled_for=later.scheduled_for + timedelta(hours=2)),
                                      Scope.FOLLOWING, now=clock.wall, initiator=None)
    assert [p.occurrence for p in store.series_posts(series_id)] == [0, 1, 2]
    new_id = store.get_post(later.local_id).series_id
    assert new_id != series_id
    tail = store.series_posts(new_id)
    assert [p.content for p in tail] == ["From here on", "Daily 4"]  # 3 and 4 (5 stays skipped); texts carry on
    assert tail[1].scheduled_for - tail[0].scheduled_for == timedelta(days=1)
    await engine.run_once()
    assert sorted(p["content"] for p in sandbox_posts(server)) == sorted(
        ["Daily", "Only this one", "Daily 2", "From here on", "Daily 4"])

    # each action is one undo step: undo them in reverse and the series is as it was made
    for step in (split, skip, every, one):
        recurring.restore(store, step.before, initiator=None)
    assert [(p.occurrence, p.content, p.scheduled_for) for p in store.series_posts(series_id)] == made
    await engine.run_once()
    assert sorted(p["content"] for p in sandbox_posts(server)) == sorted(["Daily", *variations])


async def test_stop_repeating_a_published_late_series_and_a_local_one(store, client, server):
    engine, clock = _engine(store, client, server)
    weekly = _post(store, clock.wall + timedelta(hours=1), "twitter", text="Weekly, then no more")
    _make(store, weekly, Rule(Freq.WEEKLY), clock)
    await engine.run_once()
    clock.elapse(2 * 3600)
    server.advance(2 * 3600)
    server.tick()
    await engine.run_once()
    assert store.get_post(weekly.local_id).status == "published"
    server.reset_stats()
    recurring.stop_repeating(store, weekly.local_id, now=clock.wall, initiator=None)
    report = await engine.run_once()
    assert not report.rejected, report.rejected  # Late takes ``recycling`` alone from a published post
    (on_late,) = sandbox_posts(server)
    assert on_late["recycling"]["enabled"] is False and "nextRecycleAt" not in on_late["recycling"]
    clock.elapse(15 * 24 * 3600)
    server.advance(15 * 24 * 3600)
    server.tick()
    assert len(sandbox_posts(server)) == 1  # no copies any more

    daily = _post(store, clock.wall + timedelta(hours=1), "twitter", text="Daily 1")
    _make(store, daily, Rule(Freq.DAILY, count=5, variations=("Daily 2", "Daily 3", "Daily 4", "Daily 5")), clock)
    series_id = store.get_post(daily.local_id).series_id
    second = next(p for p in store.series_posts(series_id) if p.occurrence == 1)
    done = recurring.stop_repeating(store, second.local_id, now=clock.wall, initiator=None)
    kept = [store.get_post(daily.local_id), store.get_post(second.local_id)]
    assert all(p.series_id == "" for p in kept) and store.get_series(series_id) is None
    assert sorted(p.content for p in store.all_posts() if p.content.startswith("Daily")) == ["Daily 1", "Daily 2"]
    recurring.restore(store, done.before, initiator=None)
    assert [p.content for p in store.series_posts(series_id)] == [f"Daily {n}" for n in range(1, 6)]


async def test_an_occurrence_dragged_on_its_own_keeps_its_time_when_all_are_changed(store, client, server):
    from latecal.operations.placement import Placement, Verb
    from latecal.operations.placing import place

    engine, clock = _engine(store, client, server)
    post = _post(store, clock.wall + timedelta(hours=1), "twitter", text="Daily")
    _make(store, post, Rule(Freq.DAILY, count=4, variations=("Daily 2", "Daily 3", "Daily 4")), clock)
    series_id = store.get_post(post.local_id).series_id
    third = next(p for p in store.series_posts(series_id) if p.occurrence == 2)
    dropped = third.scheduled_for + timedelta(hours=5)
    place(store, [Placement(third.local_id, dropped, third.scheduled_for)], verb=Verb.MOVE, now=clock.wall,
          zone=ZoneInfo("Europe/Berlin"), initiator=None)  # what a drag on the calendar runs
    first = store.get_post(post.local_id)
    recurring.edit_occurrence(store, replace(first, title="Renamed"), Scope.ALL, now=clock.wall, initiator=None)
    posts = store.series_posts(series_id)
    assert [p.title for p in posts] == ["Renamed"] * 4
    assert posts[2].scheduled_for == dropped and posts[3].scheduled_for - posts[1].scheduled_for == timedelta(days=2)
    await engine.run_once()
    on_late = {p["content"]: datetime.fromisoformat(p["scheduledFor"]) for p in sandbox_posts(server)}
    assert on_late["Daily 3"] == dropped and all(p["title"] == "Renamed" for p in sandbox_posts(server))


async def test_a_weekday_added_for_all_makes_the_new_occurrences_in_place(store, client, server):
    clock = Clock(server.sandbox.state.now())
    post = _post(store, clock.wall + timedelta(hours=1), "twitter", text="Tips")
    wd = post.scheduled_for.astimezone(ZoneInfo("Europe/Berlin")).weekday()
    _make(store, post, Rule(Freq.WEEKLY, weekdays=(wd, (wd + 3) % 7), count=4), clock)
    series_id = store.get_post(post.local_id).series_id
    before = [p.scheduled_for for p in store.series_posts(series_id)]
    wider = Rule(Freq.WEEKLY, weekdays=(wd, (wd + 1) % 7, (wd + 3) % 7), count=6)
    recurring.edit_occurrence(store, store.get_post(post.local_id), Scope.ALL, now=clock.wall, initiator=None,
                              rule=wider)
    after = [p.scheduled_for for p in store.series_posts(series_id)]
    assert len(after) == 6 and after[0] == before[0] and set(before) < set(after)
    assert [(t - after[0]).days for t in after] == sorted((t - after[0]).days for t in after)


async def test_youtube_tiktok_and_the_ten_active_limit_fall_back_to_local_occurrences(store, client, server):
    engine, clock = _engine(store, client, server)
    video = _post(store, clock.wall + timedelta(hours=1), "twitter", "tiktok", text="Clip of the week")
    done = _make(store, video, Rule(Freq.WEEKLY, count=3), clock)
    assert len(done.result.posts) == 3 and all(p.recycling is None for p in done.result.posts)
    for n in range(10):
        _make(store, _post(store, clock.wall + timedelta(hours=2, minutes=n), "bluesky", text=f"Series {n}"),
              Rule(Freq.WEEKLY), clock)
    await engine.run_once()
    assert sum(1 for p in sandbox_posts(server) if p.get("recycling", {}).get("enabled")) == 10
    eleventh = _make(store, _post(store, clock.wall + timedelta(hours=3), "bluesky", text="One too many"),
                     Rule(Freq.WEEKLY, count=2), clock)
    assert len(eleventh.result.posts) == 2 and all(p.recycling is None for p in eleventh.result.posts)


async def test_a_post_late_already_repeats_is_taken_over_without_counting_against_itself(store, client, server):
    engine, clock = _engine(store, client, server)
    for n in range(9):
        _make(store, _post(store, clock.wall + timedelta(hours=2, minutes=n), "bluesky", text=f"S{n}"),
              Rule(Freq.WEEKLY), clock)
    tenth = _post(store, clock.wall + timedelta(hours=3), "bluesky", text="Set up on Late")
    tenth = store.save_post(replace(tenth, recycling={"enabled": True, "gap": 1, "gapFreq": "month"}))
    weekly = _make(store, tenth, Rule(Freq.WEEKLY, count=3), clock)
    assert [p.recycling["gapFreq"] for p in weekly.result.posts] == ["week"]  # still Late's: 10 with itself
    daily = _post(store, clock.wall + timedelta(hours=4), "bluesky", text="Daily, set up on Late")
    daily = store.save_post(replace(daily, recycling={"enabled": True, "gap": 1, "gapFreq": "week"}))
    made = _make(store, daily, Rule(Freq.DAILY, count=2, variations=("a", "b")), clock)
    first = next(p for p in made.result.posts if p.local_id == daily.local_id)
    assert first.recycling["enabled"] is False and len(made.result.posts) == 2  # the app's now, not Late's too
    await engine.run_once()
    assert not any(p.get("recycledFromPostId") for p in sandbox_posts(server))


async def test_late_refusing_recycling_turns_the_series_into_local_occurrences(store, client, server):
    """Late counts its 10 with posts this app never pulled (outside the synced weeks): its refusal is not the end
    of the series, the app makes the repeats itself."""
    engine, clock = _engine(store, client, server)
    far = (clock.wall + timedelta(days=200)).isoformat()
    twitter = [{"platform": "twitter", "accountId": ACCOUNTS["twitter"]}]
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        for n in range(10):
            made = http.post("/v1/posts", json={"content": f"Elsewhere {n}", "scheduledFor": far, "platforms": twitter,
                                                "recycling": {"gap": 1, "gapFreq": "month"}})
            assert made.status_code == 201, made.text
    post = _post(store, clock.wall + timedelta(hours=1), "twitter", text="Weekly, here")
    done = _make(store, post, Rule(Freq.WEEKLY, count=3, variations=("Weekly 2", "Weekly 3")), clock)
    assert done.result.posts[0].recycling is not None  # none of the ten is known here
    first = await engine.run_once()
    assert not first.rejected, first.rejected
    series_id = store.get_post(post.local_id).series_id
    assert [p.content for p in store.series_posts(series_id)] == ["Weekly, here", "Weekly 2", "Weekly 3"]
    assert store.get_post(post.local_id).recycling is None
    await engine.run_once()
    mine = [p for p in sandbox_posts(server) if not p["content"].startswith("Elsewhere")]
    assert sorted(p["content"] for p in mine) == ["Weekly 2", "Weekly 3", "Weekly, here"]
    assert not any("recycling" in p for p in mine)


async def test_the_sandbox_refuses_what_late_refuses(server):
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        when = (server.sandbox.state.now() + timedelta(days=1)).isoformat()
        body = {"content": "x", "scheduledFor": when, "recycling": {"gap": 1, "gapFreq": "week"}}
        refused = http.post("/v1/posts", json={**body, "platforms": [{"platform": "youtube",
                                                                      "accountId": ACCOUNTS["youtube"]}]})
        assert refused.status_code == 400 and refused.json()["code"] == "recycling_not_supported"
        schema.ErrorResponse.model_validate(refused.json())
        bad = http.post("/v1/posts", json={**body, "platforms": [{"platform": "twitter",
                                                                  "accountId": ACCOUNTS["twitter"]}],
                                           "recycling": {"gap": 0}})
        assert bad.status_code == 400 and bad.json()["param"] == "recycling.gap"
        for n in range(10):
            ok = http.post("/v1/posts", json={**body, "content": f"n{n}", "platforms": [
                {"platform": "twitter", "accountId": ACCOUNTS["twitter"]}]})
            assert ok.status_code == 201, ok.text
        full = http.post("/v1/posts", json={**body, "content": "eleven", "platforms": [
            {"platform": "twitter", "accountId": ACCOUNTS["twitter"]}]})
        assert full.status_code == 400 and full.json()["code"] == "recycling_limit_reached"
