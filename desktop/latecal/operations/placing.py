"""Giving posts a new time: a drag or nudge (move), a draft dropped on the calendar (schedule), back to the
drafts (unschedule), and the undo and redo of each, which put a post back only where the user left it and never
at a time that has passed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from latecal.core.models import Post
from latecal.core.scheduling import Refusal, drop_time, is_past, move_refusal, status_refusal
from latecal.core.status import PostStatus
from latecal.core.target_times import group_time, move_targets, target_move_refusal
from latecal.core.zones import own_zone, profile_zones
from latecal.operations.failure import why_failed
from latecal.operations.placement import Placement, Verb
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.presentation import time_format
from latecal.store import Store


def place(store: Store, placements: Sequence[Placement], *, verb: Verb, now: datetime, zone: ZoneInfo,
          initiator: object, checked: bool = True) -> OpResult:
    """Place every post that may go where asked, in one transaction; the others stay, each with its reason.
    ``checked=False`` skips the time rules (Late already decided, e.g. putting back a move Late refused)."""
    refused: dict[str, Refusal] = {}
    said: list[say.Message] = []
    saved: list[Post] = []
    try:
        with store.batch(initiator=initiator) as batch:  # read and written in one transaction
            for placement in placements:
                post = store.get_post(placement.local_id)
                why, words = _refusal(post, placement, verb, now, zone, checked)
                if why is None and post is not None:
                    saved.append(store.save_post(_placed(post, placement), initiator=initiator))
                    continue
                refused[placement.local_id] = why or Refusal.GONE
                if words:
                    said.append(say.problem(words))
    except Exception as exc:  # e.g. a full disk: nothing of this action is kept, and the user hears why
        reason = why_failed(exc)
        error = say.move_not_saved(reason) if verb is Verb.MOVE else say.schedule_not_saved(reason)
        failed = {p.local_id: Refusal.STORE_ERROR for p in placements if p.local_id not in refused}
        return OpResult(message=say.problem(error), refused={**refused, **failed})
    return OpResult(batch.changes, tuple(saved), say.first_of(said), refused)


def unschedule(store: Store, local_ids: Sequence[str], *, now: datetime, zone: ZoneInfo,
               initiator: object) -> OpResult:
    """Back to the drafts: no time, draft status (Late takes no time for a post that is not a draft)."""
    placements = [Placement(i, None, post.scheduled_for, PostStatus.DRAFT)
                  for i in local_ids if (post := store.get_post(i)) is not None]
    return place(store, placements, verb=Verb.SCHEDULE, now=now, zone=zone, initiator=initiator)


def _placed(post: Post, placement: Placement) -> Post:
    if placement.accounts and placement.when is not None:
        return move_targets(post, placement.accounts, placement.when)
    if placement.status is None:
        return post.moved_to(placement.when)
    return post.moved_to(placement.when, status=placement.status)


def _time_of(post: Post, p: Placement) -> datetime | None:
    """The time the placed part of the post has now: its platforms' when moved alone, else the post's."""
    return group_time(post, p.accounts) if p.accounts else post.scheduled_for


def _refusal(post: Post | None, p: Placement, verb: Verb, now: datetime, zone: ZoneInfo,
             checked: bool) -> tuple[Refusal | None, str]:
    """Why ``post`` is not placed, and the words for it ("" when nothing needs saying)."""
    if verb is Verb.MOVE:
        if post is not None and _time_of(post, p) != p.expected:
            return Refusal.CHANGED_SINCE, say.move_changed_since(post, zone)
        if checked and p.accounts and p.when is not None:
            why = target_move_refusal(post, p.accounts, p.when, now)
            return (why, say.move_refused(post, why, p.when, zone)) if why is not None else (None, "")
        if checked and p.when is not None and (why := move_refusal(post, p.when, now)) is not None:
            return why, say.move_refused(post, why, p.when, zone)
        return (None, "") if post is not None else (Refusal.GONE, "")
    if post is None:
        return Refusal.GONE, ""
    if post.scheduled_for != p.expected:
        return Refusal.CHANGED_SINCE, say.schedule_changed_since(post)
    if (why := status_refusal(post)) is not None:  # e.g. an undo after Late published it
        return why, say.cannot_change(post, why)
    if p.status == PostStatus.SCHEDULED and p.when is not None and is_past(p.when, now):
        return Refusal.PAST, say.move_refused(post, Refusal.PAST, p.when, zone)  # Late would publish it at once
    return None, ""


def schedule_drafts(store: Store, local_ids: Sequence[str], day: date, exact: datetime | None, *, now: datetime,
                    zone: ZoneInfo, initiator: object) -> tuple[list[Placement], OpResult]:
    """Drafts dropped on ``day`` (at ``exact`` on a time grid): each must meet every rule for scheduling first.
    Returns the placements that may be made (for the undo history to make) and what was refused."""
    from latecal.core.validation import validate_post  # here: the drafts tray is on the first paint, a drop is not

    accounts = {a.id: a for a in store.accounts()}
    zones = profile_zones(accounts.values(), store.profiles())
    placements, refused, said = [], {}, []
    for local_id in local_ids:
        post = store.get_post(local_id)
        if post is None:
            continue
        when = drop_time(post, day, exact, zone, own_zone(post, zone, zones))
        problems = validate_post(replace(post, scheduled_for=when, status=PostStatus.SCHEDULED), accounts, now=now,
                                 intent="schedule", zone=zone.key, time_text=time_format.day_and_clock)
        if problems:
            refused[local_id] = Refusal.INVALID
            said.append(say.problem(say.not_scheduled(post, [p.message for p in problems])))
            continue
        placements.append(Placement(local_id, when, post.scheduled_for, PostStatus.SCHEDULED))
    return placements, OpResult(message=say.first_of(said), refused=refused)
