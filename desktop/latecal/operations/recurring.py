"""Recurring posts: make a post repeat, edit one occurrence / this and following / all, skip one, extend the
series as time passes, and undo any of these. Each is one store transaction (one change set).

A series Late's ``recycling`` can carry is that one post with ``recycling`` set: Late makes the copies. Any other
is a local series whose occurrences are ordinary local posts (each with its own Idempotency-Key, pushed through
the outbox) made ``HORIZON`` ahead, so the offline guarantee of ``core.missed`` covers them like any post.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from latecal.core.models import Post, new_local_id
from latecal.core.recurrence import (
    HORIZON,
    Rule,
    Series,
    continued_from,
    ended_before,
    local_reason,
    occurrence_post,
    occurrences,
    recycling_body,
)
from latecal.core.scheduling import Refusal
from latecal.core.status import PostStatus
from latecal.core.zones import local_to_utc, utc_to_wall
from latecal.operations.failure import why_failed
from latecal.operations.result import OpResult
from latecal.presentation import messages as say
from latecal.presentation import recurrence_texts as texts
from latecal.store import Store

#: statuses of an occurrence a series may still rewrite: not sent to a platform yet
_REWRITABLE = frozenset({PostStatus.DRAFT.value, PostStatus.SCHEDULED.value})


class Scope(StrEnum):
    THIS = "this"
    FOLLOWING = "following"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class SeriesState:
    """What an undo puts back: the series rows, their exceptions and every post of theirs (None: absent)."""

    series: dict[str, Series | None] = field(default_factory=dict)
    exceptions: dict[str, dict[int, str]] = field(default_factory=dict)
    posts: dict[str, Post | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SeriesResult:
    result: OpResult
    before: SeriesState
    after: SeriesState


def _state(store: Store, series_ids: Iterable[str], extra_posts: Iterable[str] = ()) -> SeriesState:
    ids = list(dict.fromkeys(series_ids))
    posts: dict[str, Post | None] = {p.local_id: p for sid in ids for p in store.series_posts(sid)}
    for local_id in extra_posts:
        posts.setdefault(local_id, store.get_post(local_id))
    return SeriesState({i: store.get_series(i) for i in ids}, {i: store.exceptions(i) for i in ids}, posts)


def _fail(exc: Exception, local_id: str) -> OpResult:
    return OpResult(message=say.problem(say.could_not_save(why_failed(exc))), refused={local_id: Refusal.STORE_ERROR})


def _changed(store: Store, sids: list[str], before: SeriesState, extra: Iterable[str], batch, message) -> SeriesResult:
    after = _state(store, sids, [*before.posts, *extra])
    posts = tuple(p for p in after.posts.values() if p is not None)
    return SeriesResult(OpResult(batch.changes, posts, message), before, after)


def make_recurring(store: Store, local_id: str, rule: Rule, *, zone: str, now: datetime,
                   initiator: object) -> SeriesResult:
    post = store.get_post(local_id)
    if post is None or post.scheduled_for is None or post.series_id:
        why = Refusal.GONE if post is None else Refusal.INVALID
        return SeriesResult(OpResult(refused={local_id: why}), SeriesState(), SeriesState())
    zone = post.timezone or zone
    active = store.active_recycling(post.account_ids)
    recycled = bool(post.recycling and post.recycling.get("enabled"))
    if recycled:  # Late's recycling on this post already (set elsewhere): it does not count against itself
        active = {a: n - 1 for a, n in active.items()}
    reason = local_reason(rule, post.scheduled_for, zone, post.platforms, active, post.account_ids)
    series = Series(new_local_id(), rule, zone, post.scheduled_for, post, reason is None, post.scheduled_for)
    before = _state(store, [series.id], [local_id])
    try:
        with store.batch(initiator=initiator) as batch:
            store.put_series(series)
            store.set_occurrence(local_id, series.id, 0)
            if series.on_late:
                store.save_post(replace(store.get_post(local_id),
                                        recycling=recycling_body(rule, post.scheduled_for, zone)))
            else:
                if recycled:  # the app makes the repeats now: Late must not make copies too
                    store.save_post(replace(post, recycling={**post.recycling, "enabled": False}))
                store.make_occurrences(series, now=now)
    except Exception as exc:
        return SeriesResult(_fail(exc, local_id), before, before)
    return _changed(store, [series.id], before, (), batch, say.info(texts.made_recurring(rule, reason)))


def _future_unsent(store: Store, series: Series, now: datetime) -> dict[int, Post]:
    detached = {i for i, k in store.exceptions(series.id).items() if k == "detached"}
    return {p.occurrence: p for p in store.series_posts(series.id)
            if p.status in _REWRITABLE and p.scheduled_for is not None and p.scheduled_for > now
            and p.occurrence not in detached}


def _shifted_first(series: Series, current: Post, edited: Post) -> datetime:
    """The series' first time moved as the user moved this occurrence, in wall-clock days and time of day."""
    if edited.scheduled_for is None or current.scheduled_for is None:
        return series.first_utc
    was, now_at = utc_to_wall(current.scheduled_for, series.zone), utc_to_wall(edited.scheduled_for, series.zone)
    first = utc_to_wall(series.first_utc, series.zone)
    return local_to_utc(first.date() + (now_at.date() - was.date()), now_at.time(), series.zone)


def _rewrite(store: Store, series: Series, now: datetime, old: Series | None = None) -> None:
    """Bring the future unsent occurrences in line with the series (rule, times, template) and make any missing.
    One the user moved on its own (a drag: not at ``old``'s time for it) keeps its time."""
    existing = _future_unsent(store, series, now)
    was = {} if old is None else dict(occurrences(old.rule, old.first_utc, old.zone,
                                                  until_utc=max(old.made_until, now + HORIZON)))
    until = max(series.made_until, now + HORIZON)
    skipped = {i for i, k in store.exceptions(series.id).items() if k == "skipped"}
    wanted = {i: w for i, w in occurrences(series.rule, series.first_utc, series.zone, until_utc=until)
              if w > now and i not in skipped}
    for i, post in existing.items():
        if i not in wanted:
            store.delete_post(post.local_id)
            continue
        moved_alone = old is not None and was.get(i) not in (None, post.scheduled_for)
        fresh = occurrence_post(series, i, post.scheduled_for if moved_alone else wanted[i])
        store.save_post(replace(post.moved_to(fresh.scheduled_for), title=fresh.title, content=fresh.content,
                                hashtags=fresh.hashtags, tags=fresh.tags, media=fresh.media, targets=fresh.targets,
                                timezone=fresh.timezone, status=fresh.status))
    have = {p.occurrence for p in store.series_posts(series.id)}
    new_rule = old is not None and (old.rule, old.first_utc) != (series.rule, series.first_utc)
    for i, when in wanted.items():
        # one missing under an unchanged rule was deleted by the user: made again only under a new rule
        if i not in have and (new_rule or when > series.made_until):
            store.save_post(occurrence_post(series, i, when))
    store.put_series(replace(series, made_until=until))


def edit_occurrence(store: Store, edited: Post, scope: Scope, *, now: datetime, initiator: object,
                    rule: Rule | None = None) -> SeriesResult:
    """Save the editor's version of an occurrence as "this one", "this and following" or "all"."""
    current = store.get_post(edited.local_id)
    series = store.get_series(current.series_id) if current is not None and current.series_id else None
    if current is None or series is None:
        return SeriesResult(OpResult(refused={edited.local_id: Refusal.GONE}), SeriesState(), SeriesState())
    rule = rule or series.rule
    index = current.occurrence
    new_id = new_local_id()
    sids = [series.id, new_id] if scope is Scope.FOLLOWING else [series.id]
    before = _state(store, sids, [edited.local_id])
    try:
        with store.batch(initiator=initiator) as batch:
            if scope is Scope.THIS:
                store.save_post(edited)
                store.add_exception(series.id, index, "detached")
            elif series.on_late:  # one post on Late: its recycling says the rest
                first = edited.scheduled_for or series.first_utc
                store.put_series(replace(series, rule=rule, first_utc=first, template=edited))
                store.save_post(replace(edited, recycling=recycling_body(rule, first, series.zone)))
            elif scope is Scope.ALL or index == 0:
                template = edited
                if index > 0 and rule.variations:  # its text is one of the variations: that variation changes
                    slot = (index - 1) % len(rule.variations)
                    rule = replace(rule, variations=(*rule.variations[:slot], edited.content,
                                                     *rule.variations[slot + 1:]))
                    template = replace(edited, content=series.template.content)
                store.save_post(edited)
                _rewrite(store, replace(series, rule=rule, first_utc=_shifted_first(series, current, edited),
                                        template=template), now, old=series)
            else:
                _split(store, series, current, edited, rule, new_id, now)
    except Exception as exc:
        return SeriesResult(_fail(exc, edited.local_id), before, before)
    return _changed(store, sids, before, (), batch, say.info(texts.edited(scope)))


def _split(store: Store, series: Series, current: Post, edited: Post, rule: Rule, new_id: str,
           now: datetime) -> None:
    """"This and following": the old series ends before this occurrence; a new one starts with the edit."""
    index = current.occurrence
    day = utc_to_wall(current.scheduled_for, series.zone).date()
    for i, post in _future_unsent(store, series, now).items():
        if i >= index and post.local_id != current.local_id:
            store.delete_post(post.local_id)
    store.put_series(replace(series, rule=ended_before(series.rule, index, day)))
    first = edited.scheduled_for or current.scheduled_for
    new_rule = continued_from(series.rule, index) if rule == series.rule else rule
    template = replace(edited, series_id=new_id, occurrence=0)
    new = Series(new_id, new_rule, series.zone, first, template, False, first)
    store.put_series(new)
    skipped = {i - index: k for i, k in store.exceptions(series.id).items() if i > index and k == "skipped"}
    store.set_exceptions(new_id, skipped)
    store.save_post(edited)
    store.set_occurrence(edited.local_id, new_id, 0)
    _rewrite(store, new, now)


def skip_occurrence(store: Store, local_id: str, *, now: datetime, initiator: object) -> SeriesResult:
    """Leave one occurrence out: its post goes and the series never makes it again."""
    post = store.get_post(local_id)
    if post is None or not post.series_id:
        return SeriesResult(OpResult(refused={local_id: Refusal.GONE}), SeriesState(), SeriesState())
    before = _state(store, [post.series_id], [local_id])
    try:
        with store.batch(initiator=initiator) as batch:
            store.add_exception(post.series_id, post.occurrence, "skipped")
            store.delete_post(local_id)
    except Exception as exc:
        return SeriesResult(_fail(exc, local_id), before, before)
    return _changed(store, [post.series_id], before, [local_id], batch, say.info(texts.skipped(post)))


def stop_repeating(store: Store, local_id: str, *, now: datetime, initiator: object) -> SeriesResult:
    """The series ends with this post: the occurrences after it that have not gone out are removed (Late's
    recycling is switched off), and every post kept stays as an ordinary post."""
    post = store.get_post(local_id)
    series = store.get_series(post.series_id) if post is not None and post.series_id else None
    if post is None or series is None:
        return SeriesResult(OpResult(refused={local_id: Refusal.GONE}), SeriesState(), SeriesState())
    before = _state(store, [series.id], [local_id])
    try:
        with store.batch(initiator=initiator) as batch:
            for i, other in _future_unsent(store, series, now).items():
                if i > post.occurrence:
                    store.delete_post(other.local_id)
            if post.recycling is not None and post.recycling.get("enabled"):
                store.save_post(replace(post, recycling={**post.recycling, "enabled": False}))
            store.drop_series(series.id)
    except Exception as exc:
        return SeriesResult(_fail(exc, local_id), before, before)
    return _changed(store, [series.id], before, [local_id], batch, say.info(texts.STOPPED))


def restore(store: Store, state: SeriesState, *, initiator: object) -> OpResult:
    """Put the series and their posts back as ``state`` holds them (an undo, or a redo of an undone action)."""
    current = _state(store, state.series, state.posts)
    try:
        with store.batch(initiator=initiator) as batch:
            for local_id, post in current.posts.items():
                if state.posts.get(local_id) is None and post is not None:
                    store.delete_post(local_id)
            for sid, series in state.series.items():
                if series is None:
                    if current.series.get(sid) is not None:
                        store.drop_series(sid)
                    continue
                store.put_series(series)
                store.set_exceptions(sid, state.exceptions.get(sid, {}))
            posts = []
            for post in state.posts.values():
                if post is not None:
                    saved = store.save_post(post)
                    store.set_occurrence(saved.local_id, post.series_id, post.occurrence)
                    posts.append(store.get_post(saved.local_id))
    except Exception as exc:
        return OpResult(message=say.problem(say.could_not_save(why_failed(exc))))
    return OpResult(batch.changes, tuple(p for p in posts if p is not None))
