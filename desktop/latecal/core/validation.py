"""Client-side validation of a post before it is saved or sent: every problem at once, each with a field.

Rules come from late-api.md §2.6 (what Late requires), §3 (uploads) and §8 (per-platform limits, through
``latecal.core.platforms``), and seed 001 (60-second grace for past times, hashtags appended to the text).

Intents:
* ``draft``: lenient. Only what would make the post unsavable or ambiguous: an unknown time zone, the same
  account twice, a read-only status, a file Late cannot accept at all (MIME type, over 5 GB), and nothing Late
  would keep (no text and no media: Late requires content unless media is attached, §2.6 and seed 002).
* ``schedule`` and ``publish_now``: everything; ``schedule`` also needs a time no more than 60 s in the past.

Field names the editor attaches problems to: ``content``, ``custom_content:<account_id>``, ``scheduled_for``,
``timezone``, ``targets``, ``media``, ``status``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from latecal.core.models import Account, MediaItem, Post, Target, utc
from latecal.core.platforms import (
    ALLOWED_MIME_TYPES,
    MAX_UPLOAD_BYTES,
    PlatformRules,
    format_bytes,
    media_kind,
    rules_for,
)
from latecal.core.status import is_editable, is_known
from latecal.core.text import base_text, count_text, text_for_target, uses_custom_text
from latecal.core.zones import is_valid_zone, utc_to_wall

INTENTS = ("draft", "schedule", "publish_now")
PAST_GRACE = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str
    platform: str | None = None
    account_id: str | None = None


#: the field of "not uploaded yet" problems: the editor words them from its own upload states instead
UPLOAD_FIELD = "upload"


def custom_content_field(account_id: str) -> str:
    return f"custom_content:{account_id}"


def validate_post(
    post: Post,
    accounts: Mapping[str, Account],
    *,
    now: datetime,
    intent: str,
    zone: str | None = None,
    time_text: Callable[[datetime], str] | None = None,
) -> list[Problem]:
    """All problems with ``post`` for ``intent`` ("draft" | "schedule" | "publish_now"); empty when it may go.

    Times in messages are shown in the post's own zone, else ``zone`` (the one the user sees), else UTC, and
    written by ``time_text`` (a wall time → text, e.g. the UI's 12/24-hour format), else as "2026-05-01 13:58".
    """
    if intent not in INTENTS:
        raise ValueError(f"intent must be one of {', '.join(INTENTS)}, got {intent!r}")
    problems: list[Problem] = []
    problems += _status_problems(post)
    problems += _timezone_problems(post)
    problems += _duplicate_target_problems(post)
    problems += _upload_problems(post.media)
    if intent == "draft":
        return problems + _empty_draft_problems(post)
    problems += _not_uploaded_problems(post.media)
    if intent == "schedule":
        problems += _time_problems(post, utc(now), zone, time_text)
    problems += _target_problems(post, accounts)
    problems += _empty_content_problems(post)
    problems += _title_problems(post)
    problems += _text_limit_problems(post, accounts)
    for platform in dict.fromkeys(t.platform for t in post.targets):
        problems += _media_problems(post.media, rules_for(platform))
    return problems


def is_valid(post: Post, accounts: Mapping[str, Account], *, now: datetime, intent: str) -> bool:
    return not validate_post(post, accounts, now=now, intent=intent)


def problems_for_field(problems: list[Problem], field: str) -> list[Problem]:
    return [p for p in problems if p.field == field]


# -- structural ---------------------------------------------------------------------------------------


def _status_problems(post: Post) -> list[Problem]:
    if post.read_problems:  # a save would overwrite on Late what we could not read
        return [Problem("status", "Some of what Late sent for this post could not be read, so it is read-only "
                                  "here; change it on Late.")]
    if is_editable(post.status):
        return []
    if not post.status:
        msg = "Late sent no status for this post, so it is read-only."
    elif not is_known(post.status):
        msg = f"This post has a status this app does not know ('{post.status}'), so it is read-only."
    else:
        msg = f"This post is {post.status.replace('_', ' ')} and can no longer be changed."
    return [Problem("status", msg)]


def _timezone_problems(post: Post) -> list[Problem]:
    if post.timezone is None or is_valid_zone(post.timezone):
        return []
    return [Problem("timezone", f"'{post.timezone}' is not a known time zone; pick one such as 'Europe/Berlin'.")]


def _duplicate_target_problems(post: Post) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for t in post.targets:
        if t.account_id in seen:
            problems.append(
                Problem(
                    "targets",
                    f"The {_name(t.platform)} account {t.account_id} is selected more than once.",
                    t.platform,
                    t.account_id,
                )
            )
        seen.add(t.account_id)
    return problems


def _item_name(item: MediaItem, index: int) -> str:
    return item.filename or (item.url.rsplit("/", 1)[-1] if item.url else "") or f"attachment {index + 1}"


def _upload_problems(media: list[MediaItem]) -> list[Problem]:
    problems = []
    for i, item in enumerate(media):
        name = _item_name(item, i)
        mime = item.mime_type.lower()
        if mime and mime not in ALLOWED_MIME_TYPES:
            problems.append(Problem("media", f"{name} is of type {item.mime_type}, which Late does not accept."))
        if item.size is not None and item.size > MAX_UPLOAD_BYTES:
            problems.append(Problem("media", f"{name} is {format_bytes(item.size)}; Late accepts files up to 5 GB."))
    return problems


def _not_uploaded_problems(media: list[MediaItem]) -> list[Problem]:
    """Late gets only uploaded files (``wire.post_to_json``): a post sent without one would publish without it."""
    return [Problem(UPLOAD_FIELD, f"{_item_name(item, i)} has not been uploaded to Late yet: open the post to "
                                  "upload it again, or remove it.")
            for i, item in enumerate(media) if not item.uploaded]


# -- time ---------------------------------------------------------------------------------------------


def _time_problems(
    post: Post, now: datetime, zone: str | None, time_text: Callable[[datetime], str] | None
) -> list[Problem]:
    if post.scheduled_for is None:
        return [Problem("scheduled_for", "Pick a date and time to schedule this post.")]
    when = utc(post.scheduled_for)
    shown_zone = next((z for z in (post.timezone, zone) if z and is_valid_zone(z)), "UTC")

    def shown(at: datetime) -> str:
        wall = utc_to_wall(at, shown_zone)
        return time_text(wall) if time_text is not None else f"{wall:%Y-%m-%d %H:%M}"

    # a platform's own time (platforms[].scheduledFor) is checked like the post's
    own = [Problem("scheduled_for", f"The time for {_name(t.platform)}, {shown(utc(t.scheduled_for))} "
                                    f"({shown_zone}), is in the past; pick a later time.")
           for t in post.targets if t.scheduled_for is not None and utc(t.scheduled_for) < now - PAST_GRACE
           and t.status != "published"]
    if when >= now - PAST_GRACE:
        return own
    return [
        Problem(
            "scheduled_for",
            f"The scheduled time {shown(when)} ({shown_zone}) is in the past; pick a later time or publish now.",
        ),
        *own,
    ]


# -- targets and text ---------------------------------------------------------------------------------


def _name(platform: str) -> str:
    return rules_for(platform).display_name


def _target_problems(post: Post, accounts: Mapping[str, Account]) -> list[Problem]:
    if not post.targets:
        return [Problem("targets", "Choose at least one account to post to.")]
    problems = []
    for t in post.targets:
        account = accounts.get(t.account_id)
        if account is None:
            problems.append(
                Problem(
                    "targets",
                    f"The {_name(t.platform)} account {t.account_id} is not among your Late accounts any more; "
                    "remove it.",
                    t.platform,
                    t.account_id,
                )
            )
        elif not account.connected:
            problems.append(
                Problem(
                    "targets",
                    f"The {_name(t.platform)} account {account.label} is disconnected; "
                    "reconnect it in Late or remove it.",
                    t.platform,
                    t.account_id,
                )
            )
        elif account.platform and account.platform != t.platform:
            problems.append(
                Problem(
                    "targets",
                    f"The account {account.label} is on {_name(account.platform)}, not {_name(t.platform)}.",
                    t.platform,
                    t.account_id,
                )
            )
    return problems


def _empty_content_problems(post: Post) -> list[Problem]:
    # Late: content may be empty when media is attached or every target has its own text (§2.6).
    if post.media:
        return []
    targets = post.targets or [Target(platform="", account_id="")]
    if all(text_for_target(post, t).strip() for t in targets):
        return []
    return [Problem("content", "Write some text, attach media, or give every account its own text.")]


NOTHING_TO_SAVE = "Nothing to save: write something or add media first."


def lacks_content(post: Post) -> bool:
    """Whether Late would refuse ``post`` for want of content: no media, and a target (or, with none, the post)
    without text. Such a post is never sent (``sync.push``), whatever wrote it."""
    return bool(_empty_content_problems(post))


def _empty_draft_problems(post: Post) -> list[Problem]:
    if not lacks_content(post):
        return []
    if not post.title.strip() and not post.content.strip() and not post.hashtags:
        return [Problem("content", NOTHING_TO_SAVE)]
    # a title alone (or an account left without text) is not a post Late keeps, not even as a draft
    return [Problem("content", "Late keeps a draft only with some text or media: write something or add media.")]


def _text_field(target: Target) -> str:
    return custom_content_field(target.account_id) if uses_custom_text(target) else "content"


def text_limit(target: Target, account: Account | None, *, has_media: bool) -> int | None:
    """The limit ``target``'s composed text is held to; an X poll caps even Premium accounts at 280."""
    rules = rules_for(target.platform)
    premium = account is not None and account.is_premium and not target.platform_specific_data.get("poll")
    return rules.text_limit_for(premium=premium, has_media=has_media)


def _text_limit_problems(post: Post, accounts: Mapping[str, Account]) -> list[Problem]:
    problems = []
    per_platform: dict[str, int] = {}
    for t in post.targets:
        per_platform[t.platform] = per_platform.get(t.platform, 0) + 1
    for t in post.targets:
        account = accounts.get(t.account_id)
        limit = text_limit(t, account, has_media=bool(post.media))
        if limit is None:
            continue
        text = text_for_target(post, t)
        count = count_text(text, t.platform)
        if count <= limit:
            continue
        rules = rules_for(t.platform)
        who = rules.display_name
        if per_platform[t.platform] > 1 and account is not None:
            who += f" ({account.label})"
        if account is not None and account.is_premium and limit == rules.premium_text_limit:
            scope = " for Premium accounts"
        elif post.media and limit == rules.media_text_limit:
            scope = " in a caption with media"
        else:
            scope = ""
        with_tags = " with its hashtags" if text != base_text(post, t) else ""
        problems.append(
            Problem(
                _text_field(t),
                f"{who} allows {limit:,} characters{scope}; this text has {count:,}{with_tags}.",
                t.platform,
                t.account_id,
            )
        )
    return problems


# -- media per platform -------------------------------------------------------------------------------


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _title_problems(post: Post) -> list[Problem]:
    """The title is the video's or pin's title there (``sync.outgoing.composed``): their limits apply."""
    title = post.title.strip()
    problems = []
    for platform in dict.fromkeys(t.platform for t in post.targets):
        rules = rules_for(platform)
        if rules.max_title is not None and len(title) > rules.max_title:
            problems.append(Problem("title", f"{rules.display_name} takes titles up to {rules.max_title} "
                                             f"characters; this one has {len(title)}.", platform))
    return problems


def _clock(seconds: float) -> str:
    """A video's length as people write it: 2:20."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _media_problems(media: list[MediaItem], rules: PlatformRules) -> list[Problem]:
    name = rules.display_name
    kinds = [media_kind(m.mime_type, m.type) for m in media]
    images, videos, documents = kinds.count("image"), kinds.count("video"), kinds.count("document")
    found: list[str] = []

    if rules.media_required and not media:
        found.append(f"{name} needs at least one image or video.")
    if rules.video_required and not videos:
        found.append(f"{name} needs a video.")
    if videos and not rules.allows_video:
        found.append(f"{name} does not take videos; remove {'it' if videos == 1 else 'them'} or post elsewhere.")
    carousel_video = not rules.video_in_carousel and videos and len(media) > 1
    if carousel_video:
        found.append(f"{name} carousels can hold only images; a video must be the only attachment.")
    elif rules.allows_video:
        if images and videos and not rules.allows_mixing:
            found.append(f"{name} cannot mix images and videos in one post.")
        if rules.max_videos is not None and videos > rules.max_videos:
            found.append(f"{name} allows {_count(rules.max_videos, 'video')} per post; this post has {videos}.")
    if rules.max_images is not None and images > rules.max_images:
        found.append(f"{name} allows at most {_count(rules.max_images, 'image')}; this post has {images}.")
    if documents and not rules.allows_documents:
        found.append(f"{name} does not take documents (PDF).")
    elif rules.max_documents is not None and documents > rules.max_documents:
        found.append(f"{name} allows {_count(rules.max_documents, 'document')}; this post has {documents}.")
    if rules.max_media is not None and len(media) > rules.max_media:
        if rules.max_media == 1:
            found.append(f"{name} takes one image or one video; this post has {len(media)} attachments.")
        else:
            found.append(f"{name} allows at most {rules.max_media} attachments; this post has {len(media)}.")
    for i, (item, kind) in enumerate(zip(media, kinds, strict=True)):
        limit = rules.max_bytes(kind)
        if item.size is not None and limit is not None and item.size > limit:
            found.append(
                f"{name} accepts {kind}s up to {format_bytes(limit)}; "
                f"{_item_name(item, i)} is {format_bytes(item.size)}."
            )
        seconds = rules.max_video_seconds
        if kind == "video" and seconds is not None and item.duration_s is not None and item.duration_s > seconds:
            found.append(f"{name} takes videos up to {_clock(seconds)}; {_item_name(item, i)} runs "
                         f"{_clock(item.duration_s)}.")
        if rules.max_alt_text is not None and len(item.alt_text) > rules.max_alt_text:
            found.append(f"{name} takes alt text up to {rules.max_alt_text:,} characters; that of "
                         f"{_item_name(item, i)} has {len(item.alt_text):,}.")
    return [Problem("media", msg, rules.key) for msg in found]
