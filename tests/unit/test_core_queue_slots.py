"""Queue slots as wall times in the queue's zone (0 = Sunday), DST-correct, and filled by a post of the profile
at that instant."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from latecal.core.models import Post, Target
from latecal.core.queue_slots import QueueSchedule, WeeklySlot, filling, late_day_of_week, queued_posts, slot_times

BERLIN = ZoneInfo("Europe/Berlin")


def test_late_counts_sunday_as_zero():
    assert late_day_of_week(datetime(2027, 3, 14).date()) == 0  # a Sunday
    assert late_day_of_week(datetime(2027, 3, 15).date()) == 1


def test_a_berlin_queue_keeps_its_wall_time_across_europes_dst_change():
    queue = QueueSchedule("q1", "p1", "Default", "Europe/Berlin", (WeeklySlot(1, time(9, 0)),))  # Mondays 09:00
    times = slot_times(queue, datetime(2027, 3, 20, tzinfo=UTC), datetime(2027, 4, 6, tzinfo=UTC))
    assert [t.astimezone(BERLIN).strftime("%a %d %H:%M") for t in times] == ["Mon 22 09:00", "Mon 29 09:00",
                                                                            "Mon 05 09:00"]
    assert [t.hour for t in times] == [8, 7, 7]  # 08:00Z in CET, 07:00Z in CEST


def test_a_slot_in_the_spring_gap_moves_past_it_and_inactive_queues_have_none():
    queue = QueueSchedule("q1", "p1", "Default", "Europe/Berlin", (WeeklySlot(0, time(2, 30)),))
    (slot,) = slot_times(queue, datetime(2027, 3, 28, tzinfo=UTC), datetime(2027, 3, 29, tzinfo=UTC))
    assert slot.astimezone(BERLIN).strftime("%H:%M") == "03:30"
    paused = QueueSchedule("q1", "p1", "Default", "Europe/Berlin", queue.slots, active=False)
    assert slot_times(paused, datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC)) == []


def test_a_slot_is_filled_by_a_post_of_the_profile_at_that_instant_and_those_are_what_a_reshuffle_moves():
    queue = QueueSchedule("q1", "p1", "Default", "Europe/Berlin", (WeeklySlot(3, time(10, 0)),))
    at_ten = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)  # Wed 10:00 in Berlin
    mine = Post(content="mine", scheduled_for=at_ten, status="scheduled", targets=[Target("twitter", "acc-1")])
    other = Post(content="other profile", scheduled_for=at_ten, status="scheduled",
                 targets=[Target("twitter", "acc-2")])
    off_slot = Post(content="not on a slot", scheduled_for=at_ten.replace(minute=5), status="scheduled",
                    targets=[Target("twitter", "acc-1")])
    profiles = {"acc-1": "p1", "acc-2": "p2"}
    (slot,) = slot_times(queue, datetime(2027, 3, 8, tzinfo=UTC), datetime(2027, 3, 15, tzinfo=UTC))
    assert ("p1", slot) in filling([mine, other], profiles) and ("p2", slot) in filling([other], profiles)
    assert ("p1", slot) not in filling([other, off_slot], profiles)
    assert queued_posts(queue, [mine, other, off_slot], profiles, datetime(2027, 3, 8, tzinfo=UTC)) == [mine]
