"""The sync engine against a real sandbox over loopback HTTP, with a real SQLite store."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta

import httpx
import pytest
import pytest_asyncio

from latecal.core.models import MediaItem, Post, Target
from latecal.late.client import LateClient
from latecal.sandbox.runner import SandboxServer
from latecal.store import Store
from latecal.sync import SyncEngine
from sandbox_support import ACCOUNTS, KEY, account_ids_on_sandbox, fresh, module_sandbox, sandbox_posts, seed_basic

pytestmark = pytest.mark.asyncio


shared_server = module_sandbox(seed=7)


@pytest.fixture
def server(shared_server):
    yield from fresh(shared_server, seed_basic)


def sandbox_clock(server: SandboxServer):
    return lambda: server.sandbox.state.now()


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


@pytest.fixture
def engine(store, client, server) -> SyncEngine:
    eng = SyncEngine(store, client, clock=sandbox_clock(server))
    now = server.sandbox.state.now()
    eng.set_window(now - timedelta(days=28), now + timedelta(days=42))
    return eng


def _at(server, hours: float) -> datetime:
    """A time ``hours`` from the sandbox's now, on a whole minute as the UI makes them."""
    return (server.sandbox.state.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def _post(server, text: str, *, platform: str = "twitter", hours: float = 24, status: str = "scheduled",
          **kw) -> Post:
    when = _at(server, hours)
    return Post(content=text, scheduled_for=when, status=status, targets=[Target(platform, ACCOUNTS[platform])], **kw)


async def test_create_is_pushed_once_and_second_run_changes_nothing(store, engine, server):
    local = store.save_post(_post(server, "Our spring collection lands Monday"))
    report = await engine.run_once()
    assert report.pushed == 1 and not report.errors
    saved = store.get_post(local.local_id)
    assert saved.late_id and saved.sync_state == "synced"
    remote = sandbox_posts(server)
    assert [p["_id"] for p in remote] == [saved.late_id]
    assert server.stats()["creates_by_idempotency_key"] == {saved.idempotency_key: 1}

    events = []
    unsubscribe = store.subscribe(lambda changes, initiator: events.append(changes))
    again = await engine.run_once()
    unsubscribe()
    assert again.changed == {} and again.pushed == 0 and not again.conflicts
    assert events == [] or all(not e for e in events)


async def test_several_moves_become_one_put(store, engine, server):
    post = store.save_post(_post(server, "Webinar reminder"))
    await engine.run_once()
    server.reset_stats()
    for hours in (30, 31, 32):
        post.scheduled_for = _at(server, hours)
        post = store.save_post(post)
    report = await engine.run_once()
    assert report.pushed == 1
    puts = {k: v for k, v in server.stats()["requests"].items() if k.startswith("PUT")}
    assert sum(puts.values()) == 1
    remote = sandbox_posts(server)[0]
    assert datetime.fromisoformat(remote["scheduledFor"]) == post.scheduled_for


async def test_create_then_delete_before_push_sends_nothing(store, engine, server):
    post = store.save_post(_post(server, "Never mind"))
    store.delete_post(post.local_id)
    server.reset_stats()
    await engine.run_once()
    assert sandbox_posts(server) == []
    assert not any(k.startswith(("POST", "DELETE")) for k in server.stats()["requests"])


async def test_pull_inserts_remote_posts_and_recolours_after_publishing(store, engine, server):
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        due = (server.sandbox.state.now() + timedelta(minutes=2)).isoformat()
        r = http.post("/v1/posts", json={"content": "Made on the web app", "scheduledFor": due,
                                         "platforms": [{"platform": "linkedin", "accountId": ACCOUNTS["linkedin"]}]})
        assert r.status_code == 201
        late_id = r.json()["post"]["_id"]
    first = await engine.run_once()
    local = store.get_by_late_id(late_id)
    assert local is not None and local.status == "scheduled"
    assert first.changed[local.local_id] == (None, "scheduled")

    server.configure(failRate=0.0)
    server.advance(10 * 60)
    server.tick()
    report = await engine.run_once()
    now_local = store.get_by_late_id(late_id)
    assert now_local.status == "published"
    assert report.changed[local.local_id] == ("scheduled", "published")
    assert now_local.targets[0].platform_post_url
    assert (await engine.run_once()).changed == {}


async def test_forced_failure_keeps_the_reason(store, engine, server):
    post = store.save_post(_post(server, "This one will fail", platform="linkedin", hours=0.05))
    await engine.run_once()
    server.force_outcome(ACCOUNTS["linkedin"], "fail")
    server.advance(10 * 60)
    server.tick()
    await engine.run_once()
    failed = store.get_post(post.local_id)
    assert failed.status == "failed"
    assert failed.targets[0].error_message


async def test_validation_error_keeps_the_edit_and_shows_lates_message(store, engine, server):
    post = store.save_post(_post(server, "A photo post without the photo", platform="instagram"))
    report = await engine.run_once()
    kept = store.get_post(post.local_id)
    assert kept.late_id is None and kept.content == "A photo post without the photo"
    assert kept.sync_state == "rejected"
    assert "media" in kept.sync_error.lower()
    assert report.rejected[post.local_id] == kept.sync_error
    assert sandbox_posts(server) == []
    # the parked entry is not retried on every run
    server.reset_stats()
    await engine.run_once()
    assert not any(k.startswith("POST") for k in server.stats()["requests"])
    # editing it again (adding media) lets it go through
    kept.media = [MediaItem(type="image", url="https://cdn.example.com/spring.jpg")]
    store.save_post(kept)
    await engine.run_once()
    assert store.get_post(post.local_id).sync_state == "synced"


async def test_duplicate_content_adopts_the_existing_post(store, engine, server):
    when = server.sandbox.state.now() + timedelta(hours=5)
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        r = http.post("/v1/posts", json={"content": "Same words twice", "scheduledFor": when.isoformat(),
                                         "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"]}]})
        existing = r.json()["post"]["_id"]
    # a local post with the same text, whose create the sandbox sees as a content duplicate
    post = store.save_post(Post(content="Same words twice", scheduled_for=when, status="scheduled",
                                targets=[Target("twitter", ACCOUNTS["twitter"])]))
    # the pull must not insert the remote twin while our create is unresolved... it is not attempted yet,
    # so push runs after the pull inserted it: the push then finds it owned by another local post.
    await engine.run_once(pull=False)
    assert store.get_post(post.local_id).late_id == existing
    assert len(sandbox_posts(server)) == 1


async def test_remote_change_to_post_with_unpushed_edit_is_a_conflict(store, engine, server):
    post = store.save_post(_post(server, "Version A"))
    await engine.run_once()
    late_id = store.get_post(post.local_id).late_id
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.put(f"/v1/posts/{late_id}", json={"content": "Version B from a teammate"}).status_code == 200
    mine = store.get_post(post.local_id)
    mine.content = "Version C, mine"
    store.save_post(mine)
    report = await engine.run_once()
    assert report.conflicts == [post.local_id]
    record = store.get_record(post.local_id)
    assert record.post.content == "Version C, mine"
    assert record.conflict_remote.content == "Version B from a teammate"
    assert sandbox_posts(server)[0]["content"] == "Version B from a teammate"  # not overwritten
    # a second run keeps the conflict without new changes
    assert (await engine.run_once()).conflicts == []
    assert store.get_post(post.local_id).sync_state == "conflict"


async def test_remote_deletion_is_detected_and_a_moved_post_is_not_deleted(store, engine, server):
    gone = store.save_post(_post(server, "To be deleted on the web"))
    moved = store.save_post(_post(server, "To be moved far away"))
    await engine.run_once()
    gone_id = store.get_post(gone.local_id).late_id
    moved_id = store.get_post(moved.local_id).late_id
    far = _at(server, 200 * 24).isoformat()
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.delete(f"/v1/posts/{gone_id}").status_code == 200
        assert http.put(f"/v1/posts/{moved_id}", json={"scheduledFor": far}).status_code == 200
    report = await engine.run_once()
    assert report.removed == [gone.local_id]
    assert store.get_post(gone.local_id) is None
    assert store.get_post(moved.local_id).scheduled_for == datetime.fromisoformat(far)


async def test_changing_accounts_recreates_the_late_post(store, engine, server):
    post = store.save_post(_post(server, "Cross-post me"))
    await engine.run_once()
    old = store.get_post(post.local_id)
    old.targets = [Target("linkedin", ACCOUNTS["linkedin"]), Target("bluesky", ACCOUNTS["bluesky"])]
    store.save_post(old)
    report = await engine.run_once()
    assert not report.errors and not report.rejected
    new = store.get_post(post.local_id)
    assert new.late_id and new.late_id != old.late_id
    assert new.idempotency_key != old.idempotency_key
    remote = sandbox_posts(server)
    assert [p["_id"] for p in remote] == [new.late_id]
    assert account_ids_on_sandbox(remote[0]) == {ACCOUNTS["linkedin"], ACCOUNTS["bluesky"]}
    assert all(n == 1 for n in server.stats()["creates_by_idempotency_key"].values())


async def test_dropped_connection_keeps_the_edit_and_backs_off(store, client, server):
    now = [server.sandbox.state.now()]
    engine = SyncEngine(store, client, clock=lambda: now[0])
    post = store.save_post(_post(server, "Sent when the network is back"))
    server.add_fault("drop", route="POST /v1/posts", processed=False)
    report = await engine.run_once(pull=False)
    assert report.offline
    assert store.get_post(post.local_id).sync_state == "pending"
    server.clear_faults()
    await engine.run_once(pull=False)  # still backing off: nothing sent
    assert sandbox_posts(server) == []
    now[0] += timedelta(minutes=20)
    await engine.run_once(pull=False)
    assert len(sandbox_posts(server)) == 1
    assert store.get_post(post.local_id).sync_state == "synced"


async def test_server_errors_and_rate_limits_are_ridden_out(store, engine, server):
    store.save_post(_post(server, "Through the storm"))
    server.add_fault("status", status=503, count=2)
    server.add_fault("rate_limit", count=2, retryAfter=1)
    report = await engine.run_once()
    assert report.pushed == 1 and not report.offline
    assert len(sandbox_posts(server)) == 1


async def test_a_bad_key_pauses_sync_and_keeps_edits(store, server):
    async with LateClient("sk_wrong_key", server.base_url, sleep=_no_sleep) as bad:
        engine = SyncEngine(store, bad, clock=sandbox_clock(server))
        post = store.save_post(_post(server, "Waiting for a good key"))
        report = await engine.run_once()
    assert report.auth_failed and engine.paused_for_auth
    assert store.get_post(post.local_id).sync_state == "pending"


async def test_incomplete_inline_publish_207_is_read_not_taken_as_success(store, engine, server):
    server.force_outcome(ACCOUNTS["bluesky"], "fail", errorMessage="Image too large", errorCategory="user_content")
    # due now, within Late's one-minute grace (a minute past it, the post is Missed)
    due_now = (server.sandbox.state.now() - timedelta(seconds=30)).replace(microsecond=0)
    post = store.save_post(Post(content="Going out right now", status="scheduled", scheduled_for=due_now,
                                targets=[Target("linkedin", ACCOUNTS["linkedin"]),
                                         Target("bluesky", ACCOUNTS["bluesky"])]))
    report = await engine.run_once()
    saved = store.get_post(post.local_id)
    assert saved.status == "partial"
    assert report.changed[post.local_id] == ("scheduled", "partial")
    by_platform = {t.platform: t for t in saved.targets}
    assert by_platform["linkedin"].status == "published" and by_platform["linkedin"].platform_post_url
    assert by_platform["bluesky"].status == "failed" and by_platform["bluesky"].error_message == "Image too large"


async def test_malformed_listing_is_retried(store, engine, server):
    store.save_post(_post(server, "Listed despite a garbled answer"))
    await engine.run_once()
    server.add_fault("malformed", route="GET /v1/posts", count=1)
    report = await engine.run_once()
    assert report.complete and not report.errors and not report.offline


async def test_retry_of_a_failed_post_pushes_only_that(store, engine, server):
    post = store.save_post(_post(server, "Second chance", platform="linkedin", hours=0.05))
    await engine.run_once()
    server.force_outcome(ACCOUNTS["linkedin"], "fail", count=1)
    server.advance(10 * 60)
    server.tick()
    await engine.run_once()
    assert store.get_post(post.local_id).status == "failed"
    store.request_retry(post.local_id)
    report = await engine.run_once()
    assert store.get_post(post.local_id).status == "published"
    assert report.changed[post.local_id] == ("failed", "published")


async def test_run_forever_syncs_at_start_and_on_demand_then_stops_cleanly(store, engine, server):
    import asyncio

    runs = []
    finished = asyncio.Event()
    from latecal.sync import SyncListener

    def on_finished(report) -> None:
        runs.append(report)
        finished.set()

    async def next_run() -> None:
        await asyncio.wait_for(finished.wait(), 2)
        finished.clear()

    engine.add_listener(SyncListener(finished=on_finished))
    task = asyncio.get_running_loop().create_task(engine.run_forever())
    await next_run()
    assert len(runs) == 1  # at once on start
    store.save_post(_post(server, "Sync me now"))
    engine.sync_now()
    await next_run()
    assert len(runs) == 2 and runs[1].pushed == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_cadence_wakes_at_a_due_time_then_polls_until_the_outcome(store, engine, server):
    """Nothing can happen to a post before its time: the run comes at that time (not every few seconds before),
    then every 10 s until Late's outcome is in the store (tests/integration/test_sync_budget.py has the rest)."""
    assert engine.next_interval() == 60.0
    post = store.save_post(_post(server, "Due in three minutes", hours=0.05))
    await engine.run_once()
    assert engine.next_interval() == 60.0  # three minutes away: the calm cadence comes first
    due_at = store.get_post(post.local_id).scheduled_for  # (on a whole minute: two to three minutes away)
    server.advance((due_at - server.sandbox.state.now()).total_seconds() - 30)
    interval = engine.next_interval()
    due_in = (due_at - server.sandbox.state.now()).total_seconds()  # (the sandbox's clock runs meanwhile)
    assert 0 < due_in < 60 and interval == pytest.approx(due_in, abs=1.0)
    server.advance(due_in + 1)  # its time has come: Late is publishing it
    assert engine.next_interval() == 10.0


# Found by the crash suite (tests/reliability): a push whose answer never arrived must not cost an edit.


async def test_update_whose_answer_was_lost_then_edited_again_is_not_a_conflict(store, engine, server):
    post = store.save_post(_post(server, "v1"))
    await engine.run_once()
    post = store.get_post(post.local_id)
    post.content = "v2"
    post = store.save_post(post)
    server.add_fault("drop", route="PUT /v1/posts", processed=True, count=1)  # Late saves v2, its answer is lost
    report = await engine.run_once()
    assert report.offline and sandbox_posts(server)[0]["content"] == "v2"
    post.content = "v3"
    store.save_post(post)
    report = await engine.run_once()
    assert report.conflicts == [] and report.pushed == 1
    assert [p["content"] for p in sandbox_posts(server)] == ["v3"]
    assert store.get_post(post.local_id).sync_state == "synced"


async def test_create_replayed_after_a_lost_answer_sends_the_newer_edit(store, engine, server):
    post = store.save_post(_post(server, "first words"))
    server.add_fault("drop", route="POST /v1/posts", processed=True, count=5)  # created on Late, answer lost
    assert (await engine.run_once()).offline
    post.content = "second thoughts"
    post = store.save_post(post)
    report = await engine.run_once()
    assert report.pushed == 1 and not report.rejected
    assert [p["content"] for p in sandbox_posts(server)] == ["second thoughts"]
    assert server.stats()["creates_by_idempotency_key"] == {post.idempotency_key: 1}
    assert store.get_post(post.local_id).sync_state == "synced" and store.outbox_entries() == []


async def test_delete_of_a_post_already_gone_from_late_completes(store, engine, server):
    post = store.save_post(_post(server, "Gone already"))
    await engine.run_once()
    late_id = store.get_post(post.local_id).late_id
    store.delete_post(post.local_id)
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.delete(f"/v1/posts/{late_id}").status_code == 200  # as an attempt cut off by a crash did
    report = await engine.run_once()
    assert not report.rejected
    assert store.get_post(post.local_id, include_deleted=True) is None and store.outbox_entries() == []


async def test_change_of_accounts_when_the_old_late_post_is_gone_still_recreates(store, engine, server):
    post = store.save_post(_post(server, "Moving house"))
    await engine.run_once()
    post = store.get_post(post.local_id)
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.delete(f"/v1/posts/{post.late_id}").status_code == 200  # deleted by a cut-off attempt
    post.targets = [Target("linkedin", ACCOUNTS["linkedin"])]
    store.save_post(post)
    report = await engine.run_once()
    assert not report.rejected and report.pushed == 1
    (remote,) = sandbox_posts(server)
    assert account_ids_on_sandbox(remote) == {ACCOUNTS["linkedin"]}
    assert store.get_post(post.local_id).sync_state == "synced"


async def test_garbled_answer_to_a_retry_is_transient_not_a_refusal(store, engine, server):
    """Found by the reliability suite's malformed-JSON run: the retry had run on Late; only its answer was cut."""
    post = store.save_post(_post(server, "Garbled answer", platform="linkedin", hours=0.05))
    await engine.run_once()
    server.force_outcome(ACCOUNTS["linkedin"], "fail")
    server.advance(10 * 60)
    server.tick()
    await engine.run_once()
    store.request_retry(post.local_id)
    server.add_fault("malformed", route="POST /v1/posts/", count=1)
    report = await engine.run_once()
    assert not report.rejected
    (entry,) = store.outbox_entries(post.local_id)
    assert entry.op == "retry" and not entry.parked and entry.next_attempt_at is not None


@pytest.mark.parametrize("reached_late", [False, True])
async def test_a_post_deleted_after_a_failed_create_is_never_published_by_the_delete(
        store, client, server, reached_late):
    """The delete of a post whose create may have reached Late replays the create to learn its id, as a draft:
    replaying it as scheduled, after its time passed while offline, would publish what the user deleted."""
    now = [server.sandbox.state.now()]
    engine = SyncEngine(store, client, clock=lambda: now[0])
    minutes = 60 if reached_late else 2  # a post that reached Late and whose time passed is Late's to publish
    post = store.save_post(Post(content="Flash sale soon", status="scheduled",
                                scheduled_for=now[0] + timedelta(minutes=minutes),
                                targets=[Target("twitter", ACCOUNTS["twitter"])]))
    server.add_fault("drop", route="POST /v1/posts", processed=reached_late)  # the answer (or request) is lost
    assert (await engine.run_once(pull=False)).offline
    server.clear_faults()
    assert len(sandbox_posts(server)) == int(reached_late)
    store.delete_post(post.local_id)
    server.advance(10 * 60)  # the network comes back ten minutes later
    now[0] += timedelta(minutes=10)
    report = await engine.run_once(pull=False)
    assert not report.offline and not report.rejected and report.pushed == 1
    assert sandbox_posts(server) == []  # nothing published, nothing left behind
    assert store.get_record(post.local_id) is None


async def test_a_long_retry_after_is_honoured(store, engine, server):
    """A 429 whose Retry-After is longer than the client waits by itself: the entry is retried no earlier than
    Late said, and the rest of the run's pushes wait for the next run instead of hitting the limit now."""
    first = store.save_post(_post(server, "Rate limited create"))
    second = store.save_post(_post(server, "Queued behind it", hours=25))
    server.add_fault("rate_limit", route="POST /v1/posts", retryAfter=600)
    now = server.sandbox.state.now()
    await engine.run_once()
    entry = store.outbox_entries(first.local_id)[0]
    assert (entry.next_attempt_at - now).total_seconds() >= 599
    assert store.outbox_entries(second.local_id)[0].attempts == 0
    server.reset_stats()
    elapsed = 0.0
    while elapsed + engine.next_interval() < 599:  # the engine's own cadence through the ten minutes asked for
        step = engine.next_interval()
        server.advance(step)
        elapsed += step
        await engine.run_once()
    assert server.stats()["requests"].get("POST /v1/posts", 0) == 1  # the other post, once; then it waits too
    assert store.get_post(first.local_id).sync_state == "pending"
    server.clear_faults()
    server.advance(120)
    await engine.run_once()
    assert len(sandbox_posts(server)) == 2


async def test_half_an_emoji_from_late_does_not_stop_the_pushes(store, engine, server):
    """A text Late holds with a lone surrogate (cut mid-emoji by some JavaScript tool) is pulled, moved here and
    sent back escaped, as JavaScript writes it; the posts queued behind it are pushed too."""
    raw = json.dumps({"content": "Cut by a tool", "scheduledFor": _at(server, 24).isoformat(),
                      "platforms": [{"platform": "linkedin", "accountId": ACCOUNTS["linkedin"],
                                     "customContent": "LinkedIn text \ud83d"}]})  # escaped: "\\ud83d"
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.post("/v1/posts", content=raw.encode(), headers={"Content-Type": "application/json"}).is_success
    await engine.run_once()
    (pulled,) = store.all_posts()
    assert pulled.targets[0].custom_content == "LinkedIn text \ud83d"
    new_time = _at(server, 30)  # once: the sandbox's clock is the wall clock, and a minute may turn meanwhile
    moved = store.save_post(replace(pulled, scheduled_for=new_time))  # a drag
    other = store.save_post(_post(server, "Unrelated new post", hours=26))
    report = await engine.run_once()
    assert not report.rejected and not report.errors
    assert store.get_post(other.local_id).sync_state == "synced"
    late = {p["_id"]: p for p in sandbox_posts(server)}[moved.late_id]
    assert late["platforms"][0]["customContent"] == "LinkedIn text \ud83d"
    assert late["scheduledFor"].startswith(new_time.strftime("%Y-%m-%dT%H:%M"))


async def test_an_unexpected_error_in_one_push_parks_that_post_only(store, engine, server, client, monkeypatch):
    bad = store.save_post(_post(server, "Trips a bug"))
    good = store.save_post(_post(server, "Fine", hours=25))
    create = client.create_post

    async def create_or_fail(body, **kw):
        if body["content"] == "Trips a bug":
            raise ValueError("a bug")
        return await create(body, **kw)

    monkeypatch.setattr(client, "create_post", create_or_fail)
    report = await engine.run_once()
    assert report.rejected == {bad.local_id: "The app could not send this post (ValueError)."}
    assert report.pushed == 1
    assert store.get_post(bad.local_id).sync_state == "rejected"
    assert store.get_post(good.local_id).sync_state == "synced"


async def test_moving_a_post_moves_the_time_late_gave_one_platform(store, engine, server):
    """Late can hold one platform at its own time (a TikTok hold, a queue); a drag moves it by the same amount,
    since Late keeps a per-platform time sent beside the new post time (late-api.md §2.8)."""
    old = _at(server, 24)
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        r = http.post("/v1/posts", json={
            "content": "Held by Late", "scheduledFor": old.isoformat(),
            "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"],
                           "scheduledFor": (old + timedelta(minutes=30)).isoformat()},
                          {"platform": "linkedin", "accountId": ACCOUNTS["linkedin"]}]})
        assert r.status_code == 201, r.text
    await engine.run_once()
    local = store.get_by_late_id(r.json()["post"]["_id"])
    assert local.targets[0].scheduled_for == old + timedelta(minutes=30)
    store.save_post(local.moved_to(old + timedelta(days=2)))  # what a drag stores
    await engine.run_once()
    (late,) = sandbox_posts(server)
    held = next(t for t in late["platforms"] if t["platform"] == "twitter")
    assert late["scheduledFor"].startswith((old + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    assert held["scheduledFor"].startswith((old + timedelta(days=2, minutes=30)).strftime("%Y-%m-%dT%H:%M"))


@pytest.mark.parametrize("keep", ["local", "remote"])
async def test_a_teammate_edit_between_a_lost_answer_and_the_replay_becomes_a_conflict(
        store, engine, server, keep):
    """Our create reached Late but its answer was lost; a teammate then corrected the post on Late. Replaying
    the create returns their version: it is a conflict to settle, never silently overwritten."""
    local = store.save_post(_post(server, "Our text"))
    server.add_fault("drop", route="POST /v1/posts", processed=True)
    assert (await engine.run_once()).offline
    server.clear_faults()
    (late,) = sandbox_posts(server)
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.put(f"/v1/posts/{late['_id']}", json={"content": "Teammate's text"}).status_code == 200
    server.advance(60)  # past the entry's backoff
    report = await engine.run_once()
    assert report.conflicts == [local.local_id] and report.pushed == 0
    (late,) = sandbox_posts(server)
    assert late["content"] == "Teammate's text"
    record = store.get_record(local.local_id)
    assert (record.post.sync_state, record.post.late_id) == ("conflict", late["_id"])
    assert record.post.content == "Our text" and record.conflict_remote.content == "Teammate's text"
    assert store.check_integrity() == []
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        due = (server.sandbox.state.now() + timedelta(hours=5)).isoformat()
        r = http.post("/v1/posts", json={"content": "A teammate's new post", "scheduledFor": due,
                                         "platforms": [{"platform": "linkedin", "accountId": ACCOUNTS["linkedin"]}]})
        assert r.status_code == 201
    assert not (await engine.run_once()).conflicts  # the next run neither sends it nor reports it again…
    assert store.get_by_late_id(r.json()["post"]["_id"]) is not None  # …nor holds up other posts
    store.resolve_conflict(local.local_id, keep)
    await engine.run_once()
    (late,) = [p for p in sandbox_posts(server) if p["_id"] == late["_id"]]  # still one post of ours on Late
    assert late["content"] == ("Our text" if keep == "local" else "Teammate's text")
    assert store.get_post(local.local_id).sync_state == "synced"
    assert store.count() == 2


async def test_a_main_text_with_half_an_emoji_is_pulled_with_a_replacement_character(store, engine, server):
    raw = json.dumps({"content": "Cut mid-emoji \ud83d", "scheduledFor": _at(server, 24).isoformat(),
                      "platforms": [{"platform": "linkedin", "accountId": ACCOUNTS["linkedin"]}]})
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.post("/v1/posts", content=raw.encode(), headers={"Content-Type": "application/json"}).is_success
    report = await engine.run_once()
    assert not report.errors
    (post,) = store.all_posts()
    assert post.content == "Cut mid-emoji \ufffd"
    assert not (await engine.run_once()).errors


async def test_a_teammate_edit_while_our_update_waits_after_a_server_error_becomes_a_conflict(store, client, server):
    now = [server.sandbox.state.now()]
    engine = SyncEngine(store, client, clock=lambda: now[0])
    engine.set_window(now[0] - timedelta(days=28), now[0] + timedelta(days=42))
    post = store.save_post(_post(server, "v1"))
    await engine.run_once()
    store.save_post(replace(store.get_post(post.local_id), content="v2 from here"))
    server.add_fault("status", route="PUT /v1/posts", status=503, count=1)
    await engine.run_once()  # the update meets a server error: not resent seconds later over what Late has then
    late_id = store.get_post(post.local_id).late_id
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.put(f"/v1/posts/{late_id}", json={"content": "v2 from a teammate"}).status_code == 200
    now[0] += timedelta(minutes=5)
    report = await engine.run_once()  # pulls first: the teammate's change is seen before ours goes out
    assert report.conflicts == [post.local_id]
    assert [p["content"] for p in sandbox_posts(server)] == ["v2 from a teammate"]
    record = store.get_record(post.local_id)
    assert record.post.content == "v2 from here" and record.conflict_remote.content == "v2 from a teammate"


@pytest.mark.parametrize("hours", [24 * 60, None], ids=["two-months-ahead", "draft-without-time"])
async def test_a_retried_update_checks_lates_copy_first_even_outside_the_pulled_dates(store, client, server, hours):
    """The pull sees a teammate's change only in the dates it lists: an update retried after a failure looks at
    Late's copy itself before it is sent again."""
    now = [server.sandbox.state.now()]
    engine = SyncEngine(store, client, clock=lambda: now[0])
    engine.set_window(now[0] - timedelta(days=28), now[0] + timedelta(days=42))
    if hours is None:
        post = store.save_post(replace(_post(server, "v1"), status="draft", scheduled_for=None))
    else:
        post = store.save_post(_post(server, "v1", hours=hours))
    await engine.run_once()
    store.save_post(replace(store.get_post(post.local_id), content="v2 from here"))
    server.add_fault("status", route="PUT /v1/posts", status=503, count=1)
    await engine.run_once()
    late_id = store.get_post(post.local_id).late_id
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.put(f"/v1/posts/{late_id}", json={"content": "v2 from a teammate"}).status_code == 200
    server.advance(5 * 60)
    now[0] += timedelta(minutes=5)
    report = await engine.run_once()
    assert report.conflicts == [post.local_id]
    assert [p["content"] for p in sandbox_posts(server)] == ["v2 from a teammate"]
    assert store.check_integrity() == []


async def test_an_update_that_failed_after_late_saved_it_is_resent_without_a_conflict(store, client, server):
    now = [server.sandbox.state.now()]
    engine = SyncEngine(store, client, clock=lambda: now[0])
    post = store.save_post(_post(server, "v1"))
    await engine.run_once(pull=False)
    store.save_post(replace(store.get_post(post.local_id), content="v2"))
    server.add_fault("drop", route="PUT /v1/posts", processed=True, count=1)  # Late saved v2, the answer is lost
    assert (await engine.run_once(pull=False)).offline
    now[0] += timedelta(minutes=5)
    report = await engine.run_once(pull=False)
    assert not report.conflicts and report.pushed == 1
    assert store.get_post(post.local_id).sync_state == "synced"


async def test_a_lost_create_answer_then_a_failed_catch_up_update_is_no_conflict(store, client, server):
    """Late holds the first version (the create's answer was lost); replaying it found that, and the update to
    the newer one failed: Late's copy is still one of ours, not a teammate's change."""
    now = [server.sandbox.state.now()]
    engine = SyncEngine(store, client, clock=lambda: now[0])
    post = store.save_post(_post(server, "v1"))
    server.add_fault("drop", route="POST /v1/posts", processed=True)
    assert (await engine.run_once(pull=False)).offline
    server.clear_faults()
    store.save_post(replace(store.get_post(post.local_id), content="v2"))
    server.add_fault("status", route="PUT /v1/posts", status=503, count=1)
    await engine.run_once(pull=False)
    server.clear_faults()
    now[0] += timedelta(minutes=30)
    report = await engine.run_once(pull=False)
    assert report.conflicts == [] and [p["content"] for p in sandbox_posts(server)] == ["v2"]


async def test_an_unexpected_error_in_a_delete_is_tried_again_later(store, engine, server, client, monkeypatch):
    post = store.save_post(_post(server, "Goes"))
    await engine.run_once()
    store.delete_post(post.local_id)

    async def broken(_late_id):
        raise ValueError("a bug")

    monkeypatch.setattr(client, "delete_post", broken)
    report = await engine.run_once()
    assert report.errors == ["The app could not send this post (ValueError)."] and not report.rejected
    assert store.get_record(post.local_id).deleted  # still a tombstone, its delete still queued
    monkeypatch.undo()
    server.advance(600)
    await SyncEngine(store, client, clock=lambda: server.sandbox.state.now() + timedelta(minutes=10)).run_once()
    assert store.get_record(post.local_id) is None and sandbox_posts(server) == []


# -- races between a push in flight and the user (found in review)


async def test_a_delete_made_while_a_retried_update_checks_lates_copy_still_reaches_late(store, client, server):
    """The user deletes a post while the retried update is reading Late's copy (a teammate changed it).
    conflict_in_push then puts a conflict on the tombstone: its delete is never pushed (pending_entries skips
    posts in conflict), the post is hidden everywhere (has_conflicts ignores tombstones), and Late keeps the
    post — which it will publish."""
    now = [server.sandbox.state.now()]
    engine = SyncEngine(store, client, clock=lambda: now[0])
    engine.set_window(now[0] - timedelta(days=28), now[0] + timedelta(days=42))
    post = store.save_post(_post(server, "v1", hours=24 * 60))  # outside the pulled dates
    await engine.run_once()
    store.save_post(replace(store.get_post(post.local_id), content="v2 from here"))
    server.add_fault("status", route="PUT /v1/posts", status=503, count=1)
    await engine.run_once()  # attempt 1 fails: the next one checks Late's copy first
    late_id = store.get_post(post.local_id).late_id
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.put(f"/v1/posts/{late_id}", json={"content": "v2 from a teammate"}).status_code == 200

    get_post = client.get_post
    deleted = []

    async def get_then_user_deletes(pid):
        remote = await get_post(pid)
        if not deleted:  # the user confirms a delete while the GET is on its way
            store.delete_post(post.local_id)
            deleted.append(pid)
        return remote

    client.get_post = get_then_user_deletes
    server.advance(5 * 60)
    now[0] += timedelta(minutes=5)
    await engine.run_once()
    client.get_post = get_post
    for _ in range(3):
        server.advance(30 * 60)
        now[0] += timedelta(minutes=30)
        await engine.run_once()

    assert deleted
    record = store.get_record(post.local_id)
    # expected: the user's delete reaches Late (or the post at least stays visible as a conflict to settle)
    assert [p["_id"] for p in sandbox_posts(server)] == [], (
        f"Late still has the deleted post; local record deleted={record and record.deleted}, "
        f"conflict={record and record.conflict_remote is not None}, has_conflicts={store.has_conflicts()}, "
        f"outbox={[(e.op, e.attempts) for e in store.outbox_entries()]}")


async def test_undo_of_a_delete_that_reached_late_never_republishes_a_partly_published_post(store, client, server):
    """A partly published post is edited; the user deletes it while that PUT is in flight; the PUT's finish
    resets the (coalesced) delete entry's attempt count to 0; the delete then goes to Late (attempt 1) and
    Late deletes the post. The user presses Undo before the answer is handled: cancel_delete's ``tried`` test
    (attempts not in (0, attempts before the delete)) reads 1 == 1 as "never tried" and restores the post
    exactly, instead of bringing it back as a draft copy (comes_back_as_it_was is False for a partial post).
    The delete's finish then turns the entry into a create, and Late publishes the post again on every
    platform, including the one where it is already live."""
    from latecal.core.lifecycle import comes_back_as_it_was

    now = lambda: server.sandbox.state.now()  # noqa: E731
    engine = SyncEngine(store, client, clock=now)
    engine.set_window(now() - timedelta(days=28), now() + timedelta(days=42))
    server.force_outcome(ACCOUNTS["bluesky"], "fail", errorMessage="Image too large", errorCategory="user_content")
    post = store.save_post(Post(content="Going out right now", status="scheduled",
                                # due now, within Late's one-minute grace (a minute past it, the post is Missed)
                                scheduled_for=(now() - timedelta(seconds=30)).replace(microsecond=0),
                                targets=[Target("linkedin", ACCOUNTS["linkedin"]),
                                         Target("bluesky", ACCOUNTS["bluesky"])]))
    await engine.run_once()
    assert store.get_post(post.local_id).status == "partial"
    first_late_id = store.get_post(post.local_id).late_id
    store.save_post(replace(store.get_post(post.local_id), content="Going out right now (typo fixed)"))

    update_post, delete_post = client.update_post, client.delete_post
    undo_data, restored = [], []

    async def put_while_the_user_deletes(late_id, body):
        undo_data.append((store.get_record(post.local_id), store.outbox_entries(post.local_id)))  # as the window
        store.delete_post(post.local_id)                                                            # deleter does
        return await update_post(late_id, body)

    async def delete_while_the_user_undoes(late_id):
        result = await delete_post(late_id)  # Late has deleted it…
        before, entries = undo_data[0]
        restored.append(store.cancel_delete(before, entries))  # …and the user presses Ctrl+Z meanwhile
        return result

    client.update_post = put_while_the_user_deletes
    await engine.run_once()
    client.update_post = update_post
    client.delete_post = delete_while_the_user_undoes
    server.advance(60)
    await engine.run_once()
    client.delete_post = delete_post
    for _ in range(3):
        server.advance(10 * 60)
        await engine.run_once()

    assert not comes_back_as_it_was(undo_data[0][0].post, now())  # partial: an undo may only give a draft copy
    on_late = sandbox_posts(server)
    live_again = [p for p in on_late if p["_id"] != first_late_id and any(
        t["platform"] == "linkedin" and t.get("status") == "published" for t in p["platforms"])]
    assert restored == [None] and not live_again, (
        f"cancel_delete restored the post exactly although its delete had reached Late "
        f"(restored={[r and (r.status, r.sync_state) for r in restored]}); Late now holds "
        f"{[(p['status'], p['content'], [(t['platform'], t.get('status')) for t in p['platforms']]) for p in on_late]}"
        f" — the post went out on LinkedIn a second time")


async def test_a_delete_made_while_a_change_of_accounts_is_pushed_is_not_turned_into_a_create(store, client, server):
    """A change of accounts deletes the Late post and re-creates it. The user deletes the post while the old
    Late post's DELETE is in flight: detach_for_recreate then overwrites the (coalesced) delete entry with a
    create, without looking at its op. The tombstone now has a create entry (check_integrity fails) and the
    next run creates the deleted post on Late, where it will be published."""
    now = lambda: server.sandbox.state.now()  # noqa: E731
    engine = SyncEngine(store, client, clock=now)
    engine.set_window(now() - timedelta(days=28), now() + timedelta(days=42))
    post = store.save_post(_post(server, "Moving to LinkedIn"))
    await engine.run_once()
    store.save_post(replace(store.get_post(post.local_id), targets=[Target("linkedin", ACCOUNTS["linkedin"])]))

    delete_post = client.delete_post

    async def delete_while_the_user_deletes(late_id):
        store.delete_post(post.local_id)  # the user deletes the post meanwhile
        return await delete_post(late_id)

    client.delete_post = delete_while_the_user_deletes
    await engine.run_once()
    client.delete_post = delete_post
    problems = store.check_integrity()
    for _ in range(3):
        server.advance(10 * 60)
        await engine.run_once()
    on_late = sandbox_posts(server)
    assert problems == [] and on_late == [], (
        f"integrity after the race: {problems}; Late holds "
        f"{[(p['status'], p['content']) for p in on_late]} although the user deleted the post")


async def test_a_post_deleted_while_an_earlier_push_of_the_run_waits_does_not_end_the_run(store, client, server):
    first = store.save_post(_post(server, "First in the queue"))
    never_sent = store.save_post(_post(server, "Deleted before it was sent", hours=25))
    third = store.save_post(_post(server, "Third", hours=26))
    create = client.create_post

    async def create_while_the_user_deletes(body, **kw):
        if body["content"] == "First in the queue":
            store.delete_post(never_sent.local_id)  # its row and entry vanish while the run is under way
        return await create(body, **kw)

    client.create_post = create_while_the_user_deletes
    engine = SyncEngine(store, client, clock=lambda: server.sandbox.state.now())
    report = await engine.run_once(pull=False)
    assert report.pushed == 2
    assert {store.get_post(p.local_id).sync_state for p in (first, third)} == {"synced"}


# -- the title as YouTube's, and bare links on X ------------------------------------------------------------


async def test_a_title_cleared_in_the_app_is_no_longer_sent_as_the_youtube_title(store, engine, server):
    when = (server.sandbox.state.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    post = store.save_post(Post(title="Spring launch (draft title)", content="Our new line, in motion.",
                                scheduled_for=when, status="draft",
                                targets=[Target("youtube", ACCOUNTS["youtube"])]))
    await engine.run_once()
    [remote] = sandbox_posts(server)
    assert remote["platforms"][0]["platformSpecificData"]["title"] == "Spring launch (draft title)"
    # the user empties the title field (YouTube should fall back to the first line of the text) and saves
    store.save_post(replace(store.get_post(post.local_id), title=""))
    report = await engine.run_once()
    assert report.pushed == 1 and not report.errors
    [remote] = sandbox_posts(server)
    assert remote["title"] == ""
    # the app sends no title for YouTube any more (Late keeps a settings key left out, §2.8: clearing the title
    # there is Late's own business; the app never sends the removed one again)
    from latecal.sync.outgoing import request_body

    body = request_body(store.get_post(post.local_id))
    assert "title" not in (body["platforms"][0].get("platformSpecificData") or {}), body["platforms"][0]


async def test_a_title_cleared_after_a_pull_is_not_sent_back_to_late(store, engine, server):
    """Once a pull has merged Late's copy (a teammate's edit), the local target holds platformSpecificData.title:
    a title cleared here afterwards is not sent back from it."""
    import httpx

    from latecal.sync.outgoing import request_body

    when = (server.sandbox.state.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    post = store.save_post(Post(title="Old title", content="Body", scheduled_for=when, status="draft",
                                targets=[Target("youtube", ACCOUNTS["youtube"])]))
    await engine.run_once()
    late_id = store.get_post(post.local_id).late_id
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.put(f"/v1/posts/{late_id}", json={"content": "Body, edited by a teammate"}).status_code == 200
    await engine.run_once()  # merged: no local edits were pending
    local = store.get_post(post.local_id)
    assert local.content == "Body, edited by a teammate"
    cleared = replace(local, title="")
    body = request_body(cleared)
    assert "title" not in (body["platforms"][0].get("platformSpecificData") or {}), body["platforms"][0]


async def test_a_tweet_with_a_bare_link_the_editor_counts_as_23_is_not_refused_by_the_sandbox(store, engine, server):
    """A bare domain is a link for X (twitter-text): 23, in the editor and on Late alike."""
    from latecal.core.models import Account
    from latecal.core.text import count_text
    from latecal.core.validation import validate_post

    text = "a" * 250 + " shop.example-brand-store.com/spring-collection-2027"
    assert count_text(text, "twitter") == 274
    when = (server.sandbox.state.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    post = Post(content=text, scheduled_for=when, status="scheduled", targets=[Target("twitter", ACCOUNTS["twitter"])])
    accounts = {ACCOUNTS["twitter"]: Account(ACCOUNTS["twitter"], "twitter", "p")}
    assert validate_post(post, accounts, now=server.sandbox.state.now(), intent="schedule") == []
    saved = store.save_post(post)
    report = await engine.run_once()
    assert saved.local_id not in report.rejected, report.rejected


async def test_a_title_set_only_for_youtube_on_late_becomes_the_posts_title_and_is_kept(store, engine, server):
    """A teammate gave the video a title in Late's own settings and left the post's title empty: the pull shows
    it in the Title field, and an edit from here sends it back instead of dropping it."""
    import httpx

    from latecal.sync.outgoing import request_body

    when = (server.sandbox.state.now() + timedelta(days=2)).isoformat()
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        r = http.post("/v1/posts", json={"content": "Body", "scheduledFor": when, "isDraft": True, "platforms": [
            {"platform": "youtube", "accountId": ACCOUNTS["youtube"],
             "platformSpecificData": {"title": "Set in Late"}}]})
        assert r.status_code == 201, r.text
    await engine.run_once()
    (local,) = store.posts_between(server.sandbox.state.now(), server.sandbox.state.now() + timedelta(days=3))
    assert local.title == "Set in Late"
    edited = store.save_post(replace(local, content="Body, edited here"))
    assert request_body(edited)["platforms"][0]["platformSpecificData"]["title"] == "Set in Late"
    report = await engine.run_once()
    assert report.pushed == 1 and not report.conflicts
