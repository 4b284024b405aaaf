"""The scripted edit series of the reliability suite: a pure function of a seed.

``build_script(seed, n)`` gives the steps; ``state_after(steps, k)`` what the user intends after the first ``k``;
``intended(seed, n)`` the final posts as normalized tuples, which ``late_posts`` / ``local_posts`` produce from
the sandbox's and the store's contents. Every post's text carries a unique tag, so Late's content-hash guard
never sees two intended posts as duplicates and a duplicate create is visible as two posts with one tag.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox_support import ACCOUNTS

#: Accounts that publish text posts without media rules; "bluesky" is forced to fail (the retry group).
PLATFORMS = ("twitter", "linkedin", "facebook")
FAILING = "bluesky"
#: Far ahead of any clock the suite runs under: these posts never become due while it runs.
BASE = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
#: In the past: such a post is Missed, the driver publishes it now (``Driver.publish_missed``) and it fails
#: (retry group). Its time is then the moment it was published, so the comparisons leave it out.
PAST = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
KINDS = ("create", "move", "edit", "accounts", "media", "delete", "retry")
_WEIGHTS = (24, 20, 20, 10, 12, 8, 6)
_TAG = re.compile(r"\[s(\d+)p(\d+)\]")


@dataclass(frozen=True, slots=True)
class Spec:
    """What the user wants one post to be."""

    idx: int
    local_id: str
    content: str
    when: datetime
    platforms: tuple[str, ...]
    media: tuple[str, ...]  # file names, in order
    draft: bool
    failing: bool
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    kind: str
    idx: int  # the post it acts on
    spec: Spec  # the post as intended right after this step


def local_id_for(seed: int, idx: int) -> str:
    return hashlib.sha256(f"latecal-reliability:{seed}:{idx}".encode()).hexdigest()[:32]


def media_bytes(seed: int, name: str) -> bytes:
    """A small PNG-looking file; its bytes identify it on Late (URLs differ per upload)."""
    return b"\x89PNG\r\n\x1a\n" + hashlib.sha256(f"{seed}:{name}".encode()).digest() * 8


def _text(rng: random.Random, seed: int, idx: int, version: int) -> str:
    words = ("launch", "spring", "webinar", "offer", "team", "recap", "tips", "news", "café", "ünïcode", "🎉")
    body = " ".join(rng.choice(words) for _ in range(rng.randint(2, 9)))
    return f"[s{seed}p{idx}] v{version} {body}"


def _when(rng: random.Random, failing: bool) -> datetime:
    base = PAST if failing else BASE
    return base + timedelta(days=rng.randint(-12, 12), minutes=15 * rng.randint(0, 40))


def build_script(seed: int, n: int, *, failing_posts: bool = True) -> list[Step]:
    rng = random.Random(seed)
    live: dict[int, Spec] = {}
    steps: list[Step] = []
    versions: dict[int, int] = {}
    next_idx = 0
    while len(steps) < n:
        kind = rng.choices(KINDS, _WEIGHTS)[0]
        if not live or len(live) < 3:
            kind = "create"
        if kind == "retry" and not any(s.failing for s in live.values()):
            kind = "edit"
        if kind == "create":
            idx, next_idx = next_idx, next_idx + 1
            failing = failing_posts and rng.random() < 0.12
            platforms = (FAILING,) if failing else tuple(sorted(rng.sample(PLATFORMS, rng.randint(1, 2))))
            versions[idx] = 0
            spec = Spec(idx, local_id_for(seed, idx), _text(rng, seed, idx, 0), _when(rng, failing), platforms, (),
                        draft=not failing and rng.random() < 0.2, failing=failing)
        else:
            pool = [s for s in live.values() if s.failing] if kind == "retry" else list(live.values())
            old = rng.choice(sorted(pool, key=lambda s: s.idx))
            if kind == "accounts" and old.failing:
                kind = "edit"  # a failing post stays on its one account (it would publish elsewhere)
            idx = old.idx
            if kind == "move":
                spec = replace(old, when=_when(rng, old.failing))
            elif kind == "edit":
                versions[idx] += 1
                spec = replace(old, content=_text(rng, seed, idx, versions[idx]))
            elif kind == "accounts":
                choices = [tuple(sorted(c)) for c in (rng.sample(PLATFORMS, rng.randint(1, 3)) for _ in range(4))]
                spec = replace(old, platforms=next((c for c in choices if c != old.platforms), old.platforms))
            elif kind == "media":
                spec = replace(old, media=(*old.media, f"s{seed}p{idx}m{len(old.media)}.png")[-3:])
            elif kind == "delete":
                spec = replace(old, deleted=True)
            else:  # retry: the intent does not change
                spec = old
        if spec.deleted:
            live.pop(idx, None)
        else:
            live[idx] = spec
        steps.append(Step(kind, idx, spec))
    return steps


def final_specs(steps: list[Step]) -> dict[int, Spec]:
    out: dict[int, Spec] = {}
    for step in steps:
        out[step.idx] = step.spec
    return {i: s for i, s in out.items() if not s.deleted}


def _norm(seed_of_media: dict[str, str], content: str, when: datetime | None, accounts: list[str],
          media: list[str], draft: bool) -> tuple[Any, ...]:
    return (content, when.astimezone(UTC).isoformat() if when else None, tuple(sorted(accounts)),
            tuple(seed_of_media.get(m, f"missing:{m}") for m in media), draft)


def _failing(accounts: list[str]) -> bool:
    """A post of the retry group: on the failing platform alone (its time is when it was published)."""
    return list(accounts) == [ACCOUNTS[FAILING]]


def intended(steps: list[Step], seed: int) -> set[tuple[Any, ...]]:
    out = set()
    for spec in final_specs(steps).values():
        digests = {name: hashlib.sha256(media_bytes(seed, name)).hexdigest() for name in spec.media}
        out.add(_norm(digests, spec.content, None if spec.failing else spec.when, [ACCOUNTS[p] for p in spec.platforms],
                      list(spec.media), spec.draft))
    return out


def _media_key(url: str) -> str:
    return url.split("/media/", 1)[1] if "/media/" in url else url


def late_posts(server) -> list[tuple[Any, ...]]:
    """The sandbox's live posts, normalized (media as the sha256 of the uploaded bytes the URL serves)."""
    from latecal.late.wire import parse_time

    st = server.sandbox.state
    with st.lock:
        posts = [dict(p) for p in st.posts.values()]
        digests = {k: hashlib.sha256(v["data"]).hexdigest() for k, v in st.media.items()}
    out = []
    for p in posts:
        urls = [m.get("url", "") for m in p.get("mediaItems") or []]
        by_url = {u: digests[_media_key(u)] for u in urls if _media_key(u) in digests}
        accounts = [t["accountId"]["_id"] if isinstance(t["accountId"], dict) else t["accountId"]
                    for t in p["platforms"]]
        when = None if _failing(accounts) else parse_time(p.get("scheduledFor"))
        out.append(_norm(by_url, p.get("content") or "", when, accounts, urls, p["status"] == "draft"))
    return out


def local_posts(store, server) -> list[tuple[Any, ...]]:
    """The store's live posts, normalized like ``late_posts`` (media looked up on the same sandbox)."""
    st = server.sandbox.state
    with st.lock:
        digests = {k: hashlib.sha256(v["data"]).hexdigest() for k, v in st.media.items()}
    out = []
    for p in store.all_posts():
        urls = [m.url for m in p.media]
        by_url = {u: digests[_media_key(u)] for u in urls if _media_key(u) in digests}
        when = None if _failing(p.account_ids) else p.scheduled_for
        out.append(_norm(by_url, p.content, when, p.account_ids, urls, p.status == "draft"))
    return out


def tags(normalized: list[tuple[Any, ...]]) -> list[tuple[int, int]]:
    """(seed, post index) of each normalized post, from the tag in its text."""
    found = []
    for item in normalized:
        m = _TAG.search(item[0])
        found.append((int(m.group(1)), int(m.group(2))) if m else (-1, -1))
    return found
