"""The sandbox's queues as Late documents them (late-api.md §5, §10), over loopback, every answer validated
against the official SDK's models: weekly slots in the queue's zone (0 = Sunday, DST-correct), several queues per
profile, preview and next slot, PUT with and without ``reshuffleExisting``, posts queued with
``queuedFromProfile`` taking distinct free slots, ``queue_slot_conflict``, and DELETE with and without a queueId."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
from late.models._generated import models as schema
from test_sandbox_schema import valid

from sandbox_support import KEY, PROFILE2_ID, PROFILE_ID, target

BERLIN = ZoneInfo("Europe/Berlin")


def _slots(client, profile=PROFILE_ID, **params) -> dict:
    return client.get("/v1/queue/slots", params={"profileId": profile, **params})


def _put(client, slots, *, zone="Europe/Berlin", **extra) -> dict:
    body = {"profileId": PROFILE_ID, "timezone": zone, "slots": slots, **extra}
    return valid(schema.QueueUpdateResponse, client.put("/v1/queue/slots", json=body), 200)


def _preview(client, count=20, **params) -> list[datetime]:
    body = valid(schema.QueuePreviewResponse, client.get("/v1/queue/preview", params={
        "profileId": PROFILE_ID, "count": count, **params}), 200)
    return [datetime.fromisoformat(s.replace("Z", "+00:00")) for s in body["slots"]]


def test_a_profile_starts_with_a_default_queue_in_its_zone(client):
    body = valid(schema.QueueSlotsResponse, _slots(client), 200)
    schedule = body["schedule"]
    assert body["exists"] and schedule["isDefault"] and schedule["timezone"] == "Europe/Berlin"
    assert {"dayOfWeek": 0, "time": "11:00"} in schedule["slots"]  # Sunday, as Late counts
    everything = _slots(client, all="true").json()
    assert everything["count"] == 1 and everything["queues"][0]["_id"] == schedule["_id"]
    for queue in everything["queues"]:
        schema.QueueSchedule.model_validate(queue)
    nxt = valid(schema.QueueNextSlotResponse, client.get("/v1/queue/next-slot", params={"profileId": PROFILE_ID}),
                200)
    assert nxt["nextSlot"] == body["nextSlots"][0]
    assert datetime.fromisoformat(nxt["nextSlot"].replace("Z", "+00:00")) == _preview(client, 1)[0]


def test_put_changes_the_weekly_slots_with_the_wall_time_kept_across_dst(client):
    answer = _put(client, [{"dayOfWeek": 0, "time": "10:00"}])  # Sundays 10:00 in Berlin
    assert answer["success"] and not answer["isNewQueue"] and answer["reshuffledCount"] == 0
    slots = _preview(client, 30)
    assert all(s.astimezone(BERLIN).strftime("%a %H:%M") == "Sun 10:00" for s in slots)
    assert {s.astimezone(UTC).hour for s in slots} == {9, 8}  # CET and CEST both seen: 09:00Z and 08:00Z
    bad = client.put("/v1/queue/slots", json={"profileId": PROFILE_ID, "timezone": "Europe/Berlin",
                                             "slots": [{"dayOfWeek": 7, "time": "10:00"}]})
    assert bad.status_code == 400 and bad.json()["param"] == "slots"
    no_zone = client.put("/v1/queue/slots", json={"profileId": PROFILE_ID, "slots": []})
    assert no_zone.status_code == 400


def test_queued_posts_take_distinct_free_slots_of_the_chosen_queue(sandbox):
    async def run() -> list[dict]:
        async with httpx.AsyncClient(base_url=sandbox.base_url, headers={"Authorization": f"Bearer {KEY}"}) as c:
            made = valid(schema.QueueUpdateResponse, await c.post("/v1/queue/slots", json={
                "profileId": PROFILE_ID, "name": "Evenings", "timezone": "America/New_York",
                "slots": [{"dayOfWeek": d, "time": "19:00"} for d in range(7)]}), 201)
            queue_id = made["schedule"]["_id"]
            bodies = [{"content": f"Queued {n}", "platforms": [target("twitter")], "queuedFromProfile": PROFILE_ID,
                       "queueId": queue_id} for n in range(4)]
            answers = await asyncio.gather(*(c.post("/v1/posts", json=b) for b in bodies))
            return [valid(schema.PostCreateResponse, a, 201)["post"] for a in answers], queue_id

    posts, queue_id = asyncio.run(run())
    times = [p["scheduledFor"] for p in posts]
    assert len(set(times)) == 4  # slot locking: no two posts share a slot
    for p in posts:
        assert p["status"] == "scheduled" and p["queuedFromProfile"] == PROFILE_ID and p["queueId"] == queue_id
        local = datetime.fromisoformat(p["scheduledFor"].replace("Z", "+00:00"))
        assert local.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") == "19:00"


def test_reshuffle_moves_queued_posts_only_when_asked(client):
    queued = [valid(schema.PostCreateResponse, client.post("/v1/posts", json={
        "content": f"In the queue {n}", "platforms": [target("twitter")], "queuedFromProfile": PROFILE_ID}), 201)
        ["post"] for n in range(3)]
    before = {p["_id"]: p["scheduledFor"] for p in queued}
    kept = _put(client, [{"dayOfWeek": 3, "time": "15:00"}])
    assert kept["reshuffledCount"] == 0
    assert {i: client.get(f"/v1/posts/{i}").json()["post"]["scheduledFor"] for i in before} == before
    moved = _put(client, [{"dayOfWeek": 3, "time": "15:00"}], reshuffleExisting=True)
    assert moved["reshuffledCount"] == 3
    after = [client.get(f"/v1/posts/{i}").json()["post"]["scheduledFor"] for i in before]
    assert all(datetime.fromisoformat(t.replace("Z", "+00:00")).astimezone(BERLIN).strftime("%a %H:%M")
               == "Wed 15:00" for t in after)


def test_a_queued_post_moved_onto_another_ones_slot_is_a_conflict(client):
    a, b = (valid(schema.PostCreateResponse, client.post("/v1/posts", json={
        "content": f"Q{n}", "platforms": [target("twitter")], "queuedFromProfile": PROFILE_ID}), 201)["post"]
        for n in range(2))
    clash = client.put(f"/v1/posts/{b['_id']}", json={"scheduledFor": a["scheduledFor"]})
    assert clash.status_code == 409 and clash.json()["code"] == "queue_slot_conflict"
    left = client.put(f"/v1/posts/{b['_id']}", json={"scheduledFor": a["scheduledFor"], "queueId": None})
    assert left.status_code == 200 and "queueId" not in left.json()["post"]


def test_delete_one_queue_promotes_another_and_without_an_id_deletes_all(client):
    extra = client.post("/v1/queue/slots", json={"profileId": PROFILE_ID, "name": "Extra", "timezone": "UTC",
                                                "slots": [{"dayOfWeek": 1, "time": "08:00"}]}).json()["schedule"]
    default = _slots(client).json()["schedule"]
    gone = valid(schema.QueueDeleteResponse, client.delete("/v1/queue/slots", params={
        "profileId": PROFILE_ID, "queueId": default["_id"]}), 200)
    assert gone["deletedCount"] == 1
    assert _slots(client).json()["schedule"]["_id"] == extra["_id"]  # promoted to default
    valid(schema.QueueDeleteResponse, client.delete("/v1/queue/slots", params={"profileId": PROFILE_ID}), 200)
    assert valid(schema.QueueSlotsResponse, _slots(client), 200)["exists"] is False
    assert _slots(client, all="true").json() == {"queues": [], "count": 0}
    assert _slots(client, PROFILE2_ID).json()["exists"] is True  # the other profile keeps its queue
