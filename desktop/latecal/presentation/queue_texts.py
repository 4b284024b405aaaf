"""Every sentence about Late's posting queues: the empty slots on the calendar, the editor's "next free slot"
choice, and the queue dialog."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from latecal.core.queue_slots import QueueSchedule
from latecal.core.zones import utc_to_wall
from latecal.presentation import time_format


def queue_name(schedule: QueueSchedule, profile_name: str) -> str:
    """ "Acme's queue", or "Acme's queue “Evenings”" when the profile has several."""
    if schedule.is_default or not schedule.name:
        return f"{profile_name}'s queue"
    return f"{profile_name}'s queue “{schedule.name}”"


def slot_label(profile_name: str) -> str:
    """What an empty queue slot says on the calendar (it is drawn in the profile's colour)."""
    return f"{profile_name} · free slot"


def slot_tip(schedule: QueueSchedule, profile_name: str, when: datetime, shown_zone: ZoneInfo) -> str:
    own = utc_to_wall(when, schedule.timezone)
    here = time_format.at_in(when, shown_zone)
    where = "" if schedule.timezone == shown_zone.key else f" ({time_format.clock(own)} in {schedule.timezone})"
    return (f"A free slot in {queue_name(schedule, profile_name)}: {here}{where}. Late fills it with the next post "
            "queued from that profile. Double-click to write a post for this time.")


# -- the editor -----------------------------------------------------------------------------------------------

def next_free_slot_choice(schedule: QueueSchedule, profile_name: str) -> str:
    return f"Next free slot in {queue_name(schedule, profile_name)}"


NEXT_FREE_SLOT_TIP = ("Late picks the time: the post goes into the queue's next free slot when Late receives it. "
                      "It is sent to Late at once and cannot be undone here.")
QUEUE_NEEDS_LATE = "Connect to Late to use its queue."
QUEUE_NEEDS_ACCOUNT = "Choose an account of a profile with a queue to use it."
QUEUE_ONLY_NEW = "Only a new post can be queued from here: set a time for this one."
QUEUEING = "Asking Late for the queue's next free slot…"


def queued_at(when: datetime, zone: ZoneInfo, profile_name: str) -> str:
    return f"Queued: Late gave it {time_format.at_in(when, zone)}, the next free slot in {profile_name}'s queue."


def could_not_queue(reason: str) -> str:
    return f"Could not queue the post: {reason}"


# -- the queue dialog -------------------------------------------------------------------------------------------

def dialog_title(schedule: QueueSchedule | None, profile_name: str) -> str:
    return f"{profile_name}'s queue" if schedule is None else queue_name(schedule, profile_name)


DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")  # Late's 0 = Sunday


def day_name(day_of_week: int) -> str:
    return DAY_NAMES[day_of_week]


QUEUE_ZONE_HINT = "Slot times are in the queue's zone:"
NO_SLOTS = "No weekly slots: posts cannot be queued into this queue."
PREVIEW_HEADING = "Next free slots (as Late fills them now):"
PREVIEW_LOADING = "Reading the next slots from Late…"
SAVE_CANNOT_UNDO = "Saving sends the new slots to Late at once; it cannot be undone here."


def preview_line(when: datetime, shown_zone: ZoneInfo) -> str:
    return time_format.at_in(when, shown_zone)


def reshuffle_question(queued: int, profile_name: str) -> str:
    return (f"{queued} post{'s are' if queued != 1 else ' is'} already queued in {profile_name}'s queue. Move "
            f"{'them' if queued != 1 else 'it'} onto the new slots (Late's “reshuffle”)? "
            "No keeps their times. Either way this cannot be undone here.")


RESHUFFLE_TITLE = "Move the queued posts too?"
MOVE_THEM = "Move them"
KEEP_TIMES = "Keep their times"


def queue_saved(profile_name: str, moved: int) -> str:
    if moved:
        return f"{profile_name}'s queue is saved on Late; Late moved {moved} queued post{'s' if moved != 1 else ''}."
    return f"{profile_name}'s queue is saved on Late."


def could_not_save_queue(reason: str) -> str:
    return f"Could not save the queue: {reason}"


def could_not_read_queue(reason: str) -> str:
    return f"Could not read the queue from Late: {reason}"


NO_QUEUES = "No queues yet: Late's queues appear here after the next sync with Late."
EDIT_QUEUES = "Edit &queues…"
ADD_SLOT = "Add slot"
REMOVE_SLOT = "Remove slot"
