"""Mapping between Late's JSON and the domain objects (design.md "Contracts"; late-api.md §2.4, §2.6, §4).

Reading keeps every post Late's published schema allows (it marks almost every field optional):
- ``accountId`` may be an id or a populated account object (with or without ``profileId``);
- statuses are kept as strings, known or not; a missing status is "" (shown as "Unknown");
- a target without ``platform`` keeps "" until ``with_account_platforms`` fills it from the accounts;
- a field that is present but cannot be read (a time out of range or unparseable, a number for a text, an
  object for a list) is left empty and named in ``Post.read_problems``, which makes the post read-only here.
Only a post that is not an object or has no ``_id`` raises ``WireError`` (it has no identity to keep); nothing
else ever escapes ``post_from_json``.

Writing emits tz-aware UTC times, ``timezone`` only when the user chose one, and only uploaded media.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

from latecal.core.media import media_type, media_type_of_name
from latecal.core.models import Account, MediaItem, Post, Profile, Target
from latecal.core.status import SyncState, TargetStatus
from latecal.late.errors import WireError

Intent = Literal["draft", "schedule", "publish_now"]
INTENTS: tuple[str, ...] = ("draft", "schedule", "publish_now")

#: Times outside these bounds are not Late's (it began in the 2020s) and would overflow the date arithmetic
#: around them (a calendar range, "7 days before"): such a field is read as unreadable, not as a date.
EARLIEST_TIME = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_TIME = datetime(3000, 1, 1, tzinfo=UTC)

# ---------------------------------------------------------------------------------------------- reading


def post_from_json(obj: dict) -> Post:
    """One Late post (list/get/create/update/retry shape) → ``Post``; ``WireError`` only without an identity."""
    if not isinstance(obj, dict):
        raise WireError(f"post is a {type(obj).__name__}, not an object")
    late_id = obj.get("_id")
    if not isinstance(late_id, str) or not late_id:
        raise WireError("post without _id", field="_id")
    try:
        return _PostReader(obj).post(late_id)
    except (TypeError, ValueError, AttributeError, OverflowError, RecursionError) as exc:  # junk never escapes
        raise WireError(f"post {late_id}: {type(exc).__name__}", late_id=late_id) from exc


def with_account_platforms(post: Post, platform_of: Mapping[str, str]) -> Post:
    """``post`` with each target Late sent without ``platform`` given its account's platform. The mark goes once
    every target has one; an account we do not know leaves the post marked (read-only)."""
    if all(t.platform for t in post.targets):
        return post
    targets = [t if t.platform else replace(t, platform=platform_of.get(t.account_id, "")) for t in post.targets]
    problems = post.read_problems
    if all(t.platform for t in targets):
        problems = tuple(p for p in problems if not p.endswith(".platform"))
    return replace(post, targets=targets, read_problems=problems)


class _PostReader:
    """Reads one post's fields, noting each one that is present but cannot be read, and a target's account or
    platform when Late left it out (an update sends every target with both)."""

    def __init__(self, obj: dict) -> None:
        self.obj = obj
        self.problems: list[str] = []

    def post(self, late_id: str) -> Post:
        obj = self.obj
        status = obj.get("status")
        if status is not None and not isinstance(status, str):
            self.problems.append("status")
        tz_name = self.text(obj, "timezone") or None
        zone = zone_for(tz_name)
        post = Post(
            late_id=late_id,
            title=self.text(obj, "title"),
            content=self.text(obj, "content"),
            hashtags=self.str_list(obj, "hashtags"),
            tags=self.str_list(obj, "tags"),
            media=self.media(obj.get("mediaItems")),
            targets=self.targets(obj.get("platforms"), zone),
            scheduled_for=self.time(obj, "scheduledFor", zone),
            timezone=tz_name,
            status=status if isinstance(status, str) else "",
            published_at=self.time(obj, "publishedAt", zone),
            remote_updated_at=self.time(obj, "updatedAt", zone),
            sync_state=SyncState.SYNCED.value,
        )
        recycling = obj.get("recycling")
        if isinstance(recycling, dict):
            post.recycling = recycling
        elif recycling is not None:
            self.problems.append("recycling")
        post.recycled_from = self.text(obj, "recycledFromPostId")
        post.read_problems = tuple(self.problems)
        return post

    def targets(self, value: Any, zone: tzinfo) -> list[Target]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append("platforms")
            return []
        targets = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                targets.append(self.target(item, zone, f"platforms[{index}]"))
            else:
                self.problems.append(f"platforms[{index}]")
        return targets

    def target(self, obj: dict, zone: tzinfo, where: str) -> Target:
        account = obj.get("accountId")
        account_id = _id_of(account)
        if not account_id:
            self.problems.append(f"{where}.accountId")
        platform = self.text(obj, "platform", where)
        if not platform and isinstance(account, dict) and isinstance(account.get("platform"), str):
            platform = account["platform"]  # a populated account says which platform it is on
        if not platform:  # filled from the accounts where they are known (``with_account_platforms``)
            self.problems.append(f"{where}.platform")
        custom = obj.get("customContent")
        if custom is not None and not isinstance(custom, str):
            self.problems.append(f"{where}.customContent")
        psd = obj.get("platformSpecificData")
        if psd is not None and not isinstance(psd, dict):
            self.problems.append(f"{where}.platformSpecificData")
        return Target(
            platform=platform,
            account_id=account_id,
            status=self.text(obj, "status", where) or TargetStatus.PENDING,
            custom_content=custom if isinstance(custom, str) else None,
            scheduled_for=self.time(obj, "scheduledFor", zone, where),
            platform_post_id=self.text(obj, "platformPostId", where),
            platform_post_url=self.text(obj, "platformPostUrl", where),
            published_at=self.time(obj, "publishedAt", zone, where),
            error_message=self.text(obj, "errorMessage", where),
            error_category=self.text(obj, "errorCategory", where),
            platform_specific_data=dict(psd) if isinstance(psd, dict) else {},
        )

    def media(self, value: Any) -> list[MediaItem]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append("mediaItems")
            return []
        items = []
        for index, m in enumerate(value):
            url = m.get("url") if isinstance(m, dict) else None
            if isinstance(url, str) and url:
                items.append(media_from_json(m))
            elif not isinstance(m, dict) or url not in (None, ""):
                self.problems.append(f"mediaItems[{index}]")
            # else: Late drops an item with a null, missing or empty url (§3.3); so do we
        return items

    def text(self, obj: dict, key: str, where: str = "") -> str:
        value = obj.get(key)
        if isinstance(value, str):
            return value
        if value is not None:
            self.problems.append(_name(where, key))
        return ""

    def str_list(self, obj: dict, key: str) -> list[str]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.append(key)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def time(self, obj: dict, key: str, zone: tzinfo, where: str = "") -> datetime | None:
        try:
            when = parse_time(obj.get(key), zone)
            readable = when is None or EARLIEST_TIME <= when < LATEST_TIME
        except (ValueError, OverflowError):
            readable = False
        if not readable:
            self.problems.append(_name(where, key))
            return None
        return when


def _name(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def media_from_json(obj: dict) -> MediaItem:
    url = _opt_str(obj, "url")
    filename = _opt_str(obj, "filename")
    mime = _opt_str(obj, "mimeType")
    size = obj.get("size")
    return MediaItem(
        type=_opt_str(obj, "type") or _infer_media_type(mime, filename or url),
        url=url,
        filename=filename,
        mime_type=mime,
        size=int(size) if isinstance(size, int | float) and not isinstance(size, bool) and size >= 0 else None,
        alt_text=_opt_str(obj, "altText"),
        thumbnail=_opt_str(obj, "thumbnail"),
    )


def _infer_media_type(mime: str, name: str) -> str:
    return media_type(mime) or media_type_of_name(name)


def account_from_json(obj: dict) -> Account:
    """A SocialAccount (§4.1). ``profileId`` may be an id, a populated profile, or missing."""
    if not isinstance(obj, dict):
        raise WireError(f"account is a {type(obj).__name__}, not an object")
    account_id = obj.get("_id")
    platform = obj.get("platform")
    if not isinstance(account_id, str) or not account_id:
        raise WireError("account without _id", field="_id")
    if not isinstance(platform, str) or not platform:
        raise WireError(f"account {account_id}: missing platform", late_id=account_id, field="platform")
    extra = dig(obj, "metadata", "profileData", "extraData")
    return Account(
        id=account_id,
        platform=platform,
        profile_id=_id_of(obj.get("profileId")),
        username=_opt_str(obj, "username"),
        display_name=_opt_str(obj, "displayName"),
        avatar_url=_opt_str(obj, "profilePicture"),
        is_active=obj.get("isActive") is not False,
        needs_reconnection=obj.get("needsReconnection") is True,
        is_premium=isinstance(extra, dict) and extra.get("isPremium") is True,
    )


def profile_from_json(obj: dict) -> Profile:
    """A Profile (§4.2). A null timezone means Late uses UTC; we keep None."""
    if not isinstance(obj, dict):
        raise WireError(f"profile is a {type(obj).__name__}, not an object")
    profile_id = obj.get("_id")
    if not isinstance(profile_id, str) or not profile_id:
        raise WireError("profile without _id", field="_id")
    profile = Profile(id=profile_id, name=_opt_str(obj, "name") or profile_id,
                      timezone=_opt_str(obj, "timezone") or None, is_default=obj.get("isDefault") is True)
    color = _opt_str(obj, "color")
    if color:
        profile.color = color
    return profile


def parse_time(value: Any, zone: tzinfo = UTC) -> datetime | None:
    """Late timestamp → aware UTC. ``Z`` and offsets are honoured; an offset-less time is read in ``zone``
    (the post's timezone), as Late itself reads it. None/"" → None; anything else unparseable → ValueError."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"time is a {type(value).__name__}")
    text = value.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None or dt.utcoffset() is None:
        dt = dt.replace(tzinfo=zone)
    return dt.astimezone(UTC)


def zone_for(name: str | None) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except Exception:  # unknown or malformed zone names (ZoneInfo raises several kinds): fall back to UTC
        return UTC


def _id_of(value: Any) -> str:
    """An id given either as a string or as a populated object with ``_id``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("_id"), str):
        return value["_id"]
    return ""


def _opt_str(obj: dict, key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _str_list(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def dig(obj: Any, *keys: str) -> Any:
    """``obj[k1][k2]…`` through nested dicts, None as soon as a level is missing or not a dict."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


# ---------------------------------------------------------------------------------------------- writing


def format_time(dt: datetime) -> str:
    """Aware datetime → ISO-8601 UTC with ``Z`` (a naive one is a bug: Late would read it in ``timezone``)."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("naive datetime; Late would read it as local time in the post's timezone")
    dt = dt.astimezone(UTC)
    if dt.microsecond:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


#: what a create or update may set of ``recycling`` (late-api.md §2.6)
RECYCLING_SETTINGS = ("enabled", "gap", "gapFreq", "startDate", "expireCount", "expireDate", "contentVariations")


def post_to_json(post: Post, *, intent: Intent | None = None) -> dict:
    """A create or update body for ``post``.

    ``intent`` adds the publishing switches; None leaves them out, so Late keeps (update) or infers
    (create: scheduled when scheduledFor is set, else draft) the state:
    - "draft": ``isDraft: true`` (the planned time is kept, isDraft beats it);
    - "schedule": ``isDraft: false`` plus ``scheduledFor``: both are needed to promote a draft (§2.8);
    - "publish_now": ``isDraft: false, publishNow: true`` and no scheduledFor (publishNow beats it anyway).
    Hashtags are sent as Late's stored list only; composing them into the text is the core's job.
    """
    if intent is not None and intent not in INTENTS:
        raise ValueError(f"unknown intent {intent!r}; expected one of {INTENTS}")
    body: dict[str, Any] = {
        "title": post.title,
        "content": post.content,
        "hashtags": list(post.hashtags),
        "tags": list(post.tags),
    }
    # Always sent (an update replaces the list); items not uploaded yet have no url Late could use.
    body["mediaItems"] = [media_to_json(m) for m in post.media if m.uploaded]
    if post.targets:
        # a post with a platform at its own time states every platform's time: Late keeps a per-platform time it
        # is not sent again beside a new post time (late-api.md §2.8), so "back to the post's time" must be said
        split = intent != "publish_now" and any(t.scheduled_for is not None for t in post.targets)
        body["platforms"] = [target_to_json(t, post.scheduled_for if split else None) for t in post.targets]
    if post.scheduled_for is not None and intent != "publish_now":
        body["scheduledFor"] = format_time(post.scheduled_for)
    if post.timezone is not None:
        body["timezone"] = post.timezone
    if post.recycling is not None:  # the settings only: Late keeps the counters (recycleCount, nextRecycleAt…)
        body["recycling"] = {k: v for k, v in post.recycling.items() if k in RECYCLING_SETTINGS}
    if intent == "draft":
        body["isDraft"] = True
    elif intent == "schedule":
        if post.scheduled_for is None:
            raise ValueError("intent 'schedule' needs post.scheduled_for")
        body["isDraft"] = False
    elif intent == "publish_now":
        body["isDraft"] = False
        body["publishNow"] = True
    return body


def target_to_json(target: Target, post_time: datetime | None = None) -> dict:
    """One platform; ``post_time``: the time it goes out at when it has none of its own (else nothing is sent)."""
    out: dict[str, Any] = {"platform": target.platform, "accountId": target.account_id}
    if target.custom_content:
        out["customContent"] = target.custom_content
    if (when := target.scheduled_for or post_time) is not None:
        out["scheduledFor"] = format_time(when)
    if target.platform_specific_data:
        out["platformSpecificData"] = dict(target.platform_specific_data)
    return out


def media_to_json(item: MediaItem) -> dict:
    out: dict[str, Any] = {"url": item.url}
    if item.type:
        out["type"] = item.type
    for key, value in (("filename", item.filename), ("mimeType", item.mime_type), ("altText", item.alt_text),
                       ("thumbnail", item.thumbnail)):
        if value:
            out[key] = value
    if item.size is not None:
        out["size"] = item.size
    return out
