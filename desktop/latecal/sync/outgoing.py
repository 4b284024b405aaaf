"""What we send to Late for a post, and how we recognise our own text when Late sends it back.

Hashtags are appended to the text (seed 001): Late stores ``hashtags`` but never puts them in the caption.
On the way back the caption therefore holds the hashtags; when it equals what we composed, the local
content (without the appended tags) stays as the user wrote it.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from latecal.core.models import Post, Target
from latecal.core.platforms import rules_for
from latecal.core.status import PostStatus
from latecal.core.text import compose_text
from latecal.late.wire import RECYCLING_SETTINGS, format_time, post_to_json


def intent_for(post: Post) -> str | None:
    """The publishing switch matching the post's local status; None lets Late keep what it has."""
    if post.status == PostStatus.DRAFT:
        return "draft"
    if post.status == PostStatus.SCHEDULED and post.scheduled_for is not None:
        return "schedule"
    return None


def composed(post: Post) -> Post:
    """A copy of ``post`` as the platforms should show it: texts carrying the hashtags, and the post's title where
    the platform has a title of its own (YouTube, Pinterest, Reddit: ``platformSpecificData.title``, §8; the post's
    ``title`` is display only on Late, §2.4). No title here means none there: the platform's default (the first
    line) instead of one the user removed."""
    title = post.title.strip()

    def target(t: Target) -> Target:
        if t.custom_content:
            t = replace(t, custom_content=compose_text(t.custom_content, post.hashtags))
        if rules_for(t.platform).max_title is not None:
            data = {k: v for k, v in t.platform_specific_data.items() if k != "title"}
            t = replace(t, platform_specific_data={**data, "title": title} if title else data)
        return t

    return replace(post, content=compose_text(post.content, post.hashtags), targets=[target(t) for t in post.targets])


def request_body(post: Post) -> dict:
    if post.status == PostStatus.PUBLISHED and post.recycling is not None:
        # Late takes only ``recycling`` from a published post (§2.8): e.g. a series stopped after it went out
        return {"recycling": {k: v for k, v in post.recycling.items() if k in RECYCLING_SETTINGS}}
    return post_to_json(composed(post), intent=intent_for(post))


def shown_title(post: Post) -> str:
    """The post's title, or else the title a platform of its own has on Late (a YouTube title set there): one
    title in this app, as ``composed`` sends it."""
    if post.title.strip():
        return post.title
    for t in post.targets:
        title = t.platform_specific_data.get("title")
        if rules_for(t.platform).max_title is not None and isinstance(title, str) and title.strip():
            return title
    return post.title


def with_shown_title(remote: Post) -> Post:
    """Late's copy as the app keeps it: a title set only for a platform becomes the post's title (the editor's
    Title field), so the next change from here sends it back instead of dropping it."""
    title = shown_title(remote)
    return remote if title == remote.title else replace(remote, title=title)


def fingerprint(post: Post) -> str:
    """The content Late holds of a post (texts as composed, time, accounts, media): equal for a post we sent
    (``fingerprint(composed(local))``) and Late's copy of it (``fingerprint(remote)``)."""
    parts = [
        shown_title(post),
        post.content,
        format_time(post.scheduled_for) if post.scheduled_for else "",
        *sorted(f"{t.account_id}\x1f{t.custom_content or ''}" for t in post.targets),
        *[m.url for m in post.media if m.url],
    ]
    return hashlib.sha256("\x1e".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def keep_local_text(remote: Post, local: Post) -> Post:
    """``remote`` with the local texts where Late only holds our own composition of them (``composed``'s texts,
    worked out here without the rest of ``composed``: a pull runs this for every post Late changed)."""
    hashtags = local.hashtags
    content = local.content if remote.content == compose_text(local.content, hashtags) else remote.content
    local_texts = {t.account_id: t.custom_content for t in local.targets}
    targets: list[Target] = []
    for t in remote.targets:
        if t.account_id in local_texts:
            mine = local_texts[t.account_id]
            sent = compose_text(mine, hashtags) if mine else mine
            if (t.custom_content or None) == (sent or None) and t.custom_content != mine:
                t = replace(t, custom_content=mine)
        targets.append(t)
    if content == remote.content and all(a is b for a, b in zip(targets, remote.targets, strict=True)):
        return remote
    return replace(remote, content=content, targets=targets)
