"""The client's queue calls against the sandbox: every queue of a profile in one ``all=true`` call, the weekly
slots changed with PUT (reshuffle only when asked), the preview, and a lenient reader for odd answers."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

import httpx
import pytest

from latecal.core.queue_slots import WeeklySlot
from latecal.late.client import LateClient
from latecal.late.queues import schedules_from_json
from sandbox_support import KEY, PROFILE_ID, target

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.asyncio
async def test_list_update_and_preview_a_profiles_queues(sandbox):
    async with LateClient(KEY, sandbox.base_url, timeout=10.0) as client:
        (default,) = await client.list_queues(PROFILE_ID)
        assert default.is_default and default.timezone == "Europe/Berlin"
        assert WeeklySlot(0, time(11, 0)) in default.slots  # Sunday 11:00
        with httpx.Client(base_url=sandbox.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
            queued = http.post("/v1/posts", json={"content": "Queued", "platforms": [target("twitter")],
                                                  "queuedFromProfile": PROFILE_ID}).json()["post"]
        kept = await client.update_queue(PROFILE_ID, "Europe/Berlin", [WeeklySlot(2, time(8, 30))])
        assert kept.reshuffled == 0 and kept.schedule is not None
        assert kept.schedule.slots == (WeeklySlot(2, time(8, 30)),)
        moved = await client.update_queue(PROFILE_ID, "Europe/Berlin", [WeeklySlot(2, time(8, 30))], reshuffle=True)
        assert moved.reshuffled == 1
        preview = await client.preview_queue(PROFILE_ID, count=5)
        assert len(preview) == 5
        assert all(t.astimezone(BERLIN).strftime("%a %H:%M") == "Tue 08:30" for t in preview)
        got = (await client.get_post(queued["_id"])).scheduled_for
        assert got.astimezone(BERLIN).strftime("%a %H:%M") == "Tue 08:30"


def test_the_reader_keeps_what_it_can_read():
    body = {"queues": [
        {"_id": "q1", "profileId": {"_id": "p1"}, "name": "Main", "timezone": "Europe/Berlin", "isDefault": True,
         "slots": [{"dayOfWeek": 1, "time": "09:00"}, {"dayOfWeek": 9, "time": "09:00"}, {"time": "25:00"}, "x"]},
        {"_id": "q2", "timezone": "Mars/Olympus", "slots": []},  # a zone nobody knows: skipped
        {"name": "no id", "timezone": "UTC"},
        "not a queue",
    ], "count": 4}
    (queue,) = schedules_from_json(body, "p1")
    assert queue.id == "q1" and queue.profile_id == "p1" and queue.slots == (WeeklySlot(1, time(9, 0)),)
    assert schedules_from_json({"exists": False}, "p1") == []
    assert schedules_from_json(None, "p1") == []
