"""The notice after a sync run in which posts published, partly published or failed: one short title and body
for the tray (or the message bar where there is no tray)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from latecal.core.models import Post
from latecal.core.status import PostStatus
from latecal.presentation.posts import failure_reasons, named, quoted
from latecal.presentation.statuses import OUTCOME_PHRASES

#: the outcomes worth interrupting someone for, in the order they are listed (failures first: they need action)
OUTCOMES = (PostStatus.FAILED, PostStatus.PARTIAL, PostStatus.PUBLISHED)
MAX_TITLES = 3


@dataclass(frozen=True, slots=True)
class Notice:
    title: str
    body: str
    #: True when something failed: shown with a warning icon
    warning: bool
    local_ids: tuple[str, ...] = ()

    @property
    def one_line(self) -> str:
        """For the message bar: one post's body says it all ("“X” published."); several get the title first."""
        return self.body if len(self.local_ids) == 1 else f"{self.title}: {self.body}"


def _count_phrase(counts: dict[str, int]) -> str:
    """ "1 post failed, 5 published": the noun only on the first part, in the body's order (failures first)."""
    parts = []
    for outcome in OUTCOMES:
        n = counts.get(outcome, 0)
        if n:
            noun = ("post " if n == 1 else "posts ") if not parts else ""
            parts.append(f"{n} {noun}{OUTCOME_PHRASES[outcome]}")
    return ", ".join(parts)


def summarise(
    changed: Mapping[str, tuple[str | None, str]],
    lookup: Callable[[str], Post | None],
    *,
    max_titles: int = MAX_TITLES,
) -> Notice | None:
    """One notice for the posts that just published, partly published or failed; None if there are none.

    Only transitions count: a post seen for the first time (old status None) is history being pulled onto
    this machine, not news, so a first sync of a long calendar announces nothing.
    """
    by_outcome: dict[str, list[str]] = {o: [] for o in OUTCOMES}
    for local_id, (old, new) in changed.items():
        if old is not None and old != new and new in by_outcome:
            by_outcome[new].append(local_id)
    ids = [i for o in OUTCOMES for i in by_outcome[o]]
    if not ids:
        return None
    counts = {o: len(v) for o, v in by_outcome.items()}
    warning = bool(counts[PostStatus.FAILED] or counts[PostStatus.PARTIAL])
    posts = {i: lookup(i) for i in ids[:max_titles]}
    if len(ids) == 1:
        (outcome,) = (o for o in OUTCOMES if counts[o])
        post = posts[ids[0]]
        name = named(post, 60)
        body = f"{name} {OUTCOME_PHRASES[outcome]}."
        reasons = failure_reasons(post) if post and outcome != PostStatus.PUBLISHED else []
        if reasons:
            body += " " + reasons[0]
        return Notice(f"Post {OUTCOME_PHRASES[outcome]}", body, warning, tuple(ids))
    # mixed outcomes say which post had which ("Failed: “A”. Published: “B”."): a bare list reads as all one
    mixed = sum(1 for n in counts.values() if n) > 1
    groups = []
    for outcome in OUTCOMES:
        titles = [quoted(p) for i in by_outcome[outcome] if (p := posts.get(i)) is not None]
        rest = len(by_outcome[outcome]) - len(titles)
        if not by_outcome[outcome]:
            continue
        text = ", ".join(titles)
        if rest:
            text = f"{text} and {rest} more" if titles else f"{rest} post{'s' if rest > 1 else ''}"
        groups.append(f"{OUTCOME_PHRASES[outcome].capitalize()}: {text}." if mixed else f"{text}.")
    return Notice(_count_phrase(counts), " ".join(groups), warning, tuple(ids))
