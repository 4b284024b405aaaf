"""Mapping between Late's JSON and the domain objects (design.md "Contracts"; late-api.md §2.4, §2.6, §4).

Reading is lenient where Late is loose and strict where a wrong guess would mislead the calendar:
- ``accountId`` may be an id or a populated account object (with or without ``profileId``);
- statuses are kept as strings, known or not; optional fields may be missing or null;
- a post without ``_id``/``status``, or with a time that is present but unparseable, raises ``WireError``
  so a sync can skip that one post and report it. Nothing else ever escapes ``post_from_json``.

Writing emits tz-aware UTC times, ``timezone`` only when the user chose one, and only uploaded media.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

from latecal.core.media import media_type, media_type_of_name
from latecal.core.models import Account, MediaItem, Post, Profile, Target
from latecal.core.status import SyncState, TargetStatus
from latecal.late.errors import WireError

Intent = Literal["draft", "schedule", "publish_now"]
INTENTS: tuple[str, ...] = ("draft", "schedule", "publish_now")

# ---------------------------------------------------------------------------------------------- reading


def post_from_json(obj: dict) -> Post:
    """One Late post (list/get/create/update/retry shape) → ``Post``; ``WireError`` if it cannot be trusted."""
    if not isinstance(obj, dict):
        raise WireError(f"post is a {type(obj).__name__}, not an object")
    late_id = obj.get("_id")
    if not isinstance(late_id, str) or not late_id:
        raise WireError("post without _id", field="_id")
    try:
        return _post(obj, late_id)
    except WireError as exc:
        exc.late_id = late_id
        raise
    except (TypeError, ValueError, AttributeError, OverflowError) as exc:  # belt and braces: junk never escapes
        raise WireError(f"post {late_id}: {type(exc).__name__}", late_id=late_id) from exc


def _post(obj: dict, late_id: str) -> Post:
    status = obj.get("status")
    if not isinstance(status, str) or not status:
        raise WireError(f"post {late_id}: missing or non-string status", field="status")
    tz_name = _opt_str(obj, "timezone") or None
    zone = zone_for(tz_name)
    platforms = obj.get("platforms")
    if platforms is None:
        platforms = []
    if not isinstance(platforms, list):
        raise WireError(f"post {late_id}: platforms is not a list", field="platforms")
    return Post(
        late_id=late_id,
        title=_opt_str(obj, "title"),
        content=_opt_str(obj, "content"),
        hashtags=_str_list(obj.get("hashtags")),
        tags=_str_list(obj.get("tags")),
        media=_media_list(obj.get("mediaItems")),
        targets=[_target(t, zone, late_id, i) for i, t in enumerate(platforms)],
        scheduled_for=_time(obj, "scheduledFor", zone, late_id),
        timezone=tz_name,
        status=status,
        published_at=_time(obj, "publishedAt", zone, late_id),
        remote_updated_at=_time(obj, "updatedAt", zone, late_id),
        sync_state=SyncState.SYNCED.value,
    )


def _target(obj: Any, zone: tzinfo, late_id: str, index: int) -> Target:
    where = f"platforms[{index}]"
    if not isinstance(obj, dict):
        raise WireError(f"post {late_id}: {where} is not an object", field=where)
    platform = obj.get("platform")
    if not isinstance(platform, str) or not platform:
        raise WireError(f"post {late_id}: {where}.platform missing", field=f"{where}.platform")
    account_id = _id_of(obj.get("accountId"))
    if not account_id:
        raise WireError(f"post {late_id}: {where}.accountId missing", field=f"{where}.accountId")
    custom = obj.get("customContent")
    psd = obj.get("platformSpecificData")
    return Target(
        platform=platform,
        account_id=account_id,
        status=_opt_str(obj, "status") or TargetStatus.PENDING,
        custom_content=custom if isinstance(custom, str) else None,
        scheduled_for=_time(obj, "scheduledFor", zone, late_id, where),
        platform_post_id=_opt_str(obj, "platformPostId"),
        platform_post_url=_opt_str(obj, "platformPostUrl"),
        published_at=_time(obj, "publishedAt", zone, late_id, where),
        error_message=_opt_str(obj, "errorMessage"),
        error_category=_opt_str(obj, "errorCategory"),
        platform_specific_data=dict(psd) if isinstance(psd, dict) else {},
    )


def _media_list(value: Any) -> list[MediaItem]:
    if not isinstance(value, list):
        return []
    items = []
    for m in value:
        # Late silently drops items without a url (§3.3); so do we, instead of failing the post.
        if isinstance(m, dict) and isinstance(m.get("url"), str) and m["url"]:
            items.append(media_from_json(m))
    return items


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


def _time(obj: dict, key: str, zone: tzinfo, late_id: str, where: str = "") -> datetime | None:
    try:
        return parse_time(obj.get(key), zone)
    except (ValueError, OverflowError) as exc:
        field = f"{where}.{key}" if where else key
        raise WireError(f"post {late_id}: unparseable {field}", field=field) from exc


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
        body["platforms"] = [target_to_json(t) for t in post.targets]
    if post.scheduled_for is not None and intent != "publish_now":
        body["scheduledFor"] = format_time(post.scheduled_for)
    if post.timezone is not None:
        body["timezone"] = post.timezone
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


def target_to_json(target: Target) -> dict:
    out: dict[str, Any] = {"platform": target.platform, "accountId": target.account_id}
    if target.custom_content:
        out["customContent"] = target.custom_content
    if target.scheduled_for is not None:
        out["scheduledFor"] = format_time(target.scheduled_for)
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
