"""Request-body checks for posts: field types, media items, targets, schedule resolution, platform rules.

Everything raises ``ApiError`` (400/403/404) with Late's body; nothing here may raise anything else on
client input, because the sandbox must never answer 500 to bad input.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from .errors import ApiError, invalid
from .platforms import (
    MEDIA_REQUIRED,
    MEDIA_TYPES,
    PLATFORMS,
    TELEGRAM_CAPTION_LIMIT,
    TEXT_LIMITS,
    TWITTER_PREMIUM_LIMIT,
    VIDEO_REQUIRED,
    text_length,
    type_from_url,
)
from .state import ORIGIN_TOKEN, SandboxState
from .timeutil import parse_client_datetime, zone

POST_STATUSES = (
    "draft", "pending_approval", "scheduled", "publishing", "published", "partial", "failed", "cancelled",
)
EDITABLE = {"draft", "scheduled", "failed", "partial", "cancelled"}
_STR_FIELDS = ("title", "content", "timezone", "queuedFromProfile", "queueId", "visibility")
_BOOL_FIELDS = ("publishNow", "isDraft", "requiresApproval", "dryRun", "crosspostingEnabled")
_LIST_FIELDS = ("tags", "hashtags", "mentions")
_OBJ_FIELDS = ("metadata", "tiktokSettings", "facebookSettings", "recycling")
MAX_TEXT = 100_000


def require_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid("Request body must be a JSON object", code="invalid_json")
    return body


def _str_list(value: Any, param: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(f"{param} must be an array of strings", param=param)
    return list(value)


def normalize_url(url: str, origin: str) -> str:
    """Media on the sandbox itself is stored origin-free so it survives a restart on another port."""
    if origin and url.startswith(origin + "/media/"):
        return ORIGIN_TOKEN + url[len(origin):]
    return url


def media_items(value: Any, param: str, origin: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid(f"{param} must be an array", param=param)
    out = []
    for i, item in enumerate(value):
        p = f"{param}[{i}]"
        if not isinstance(item, dict):
            raise invalid(f"{p} must be an object", param=p)
        url = item.get("url")
        if url is None or url == "":
            continue  # Late silently drops items without a url
        if not isinstance(url, str) or not url.startswith(("https://", "http://", ORIGIN_TOKEN)) or len(url) > 4096:
            raise invalid(f"{p}.url must be a public http(s) URL", code="invalid_url", param=f"{p}.url")
        given = item.get("type")
        inferred = type_from_url(url)
        if given is not None:
            if given not in MEDIA_TYPES:
                raise invalid(f"{p}.type must be one of {', '.join(MEDIA_TYPES)}", param=f"{p}.type")
            compatible = {given, inferred} <= {"image", "gif"} or inferred in (None, given)
            if not compatible:
                raise invalid(
                    f"{p}.type '{given}' contradicts the file extension ({inferred})", param=f"{p}.type"
                )
        for key in ("altText", "title", "filename", "mimeType", "thumbnail", "instagramThumbnail"):
            if key in item and item[key] is not None and not isinstance(item[key], str):
                raise invalid(f"{p}.{key} must be a string", param=f"{p}.{key}")
        if "size" in item and item["size"] is not None and (
            not isinstance(item["size"], int) or isinstance(item["size"], bool) or item["size"] < 0
        ):
            raise invalid(f"{p}.size must be a non-negative integer", param=f"{p}.size")
        norm = dict(item)
        norm["url"] = normalize_url(url, origin)
        norm["type"] = given or inferred or "image"
        for key in ("thumbnail", "instagramThumbnail"):
            if isinstance(norm.get(key), str):
                norm[key] = normalize_url(norm[key], origin)
        out.append(norm)
    return out


def targets(value: Any, origin: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid("platforms must be an array", param="platforms")
    out = []
    for i, item in enumerate(value):
        p = f"platforms[{i}]"
        if not isinstance(item, dict):
            raise invalid(f"{p} must be an object", param=p)
        platform = item.get("platform")
        if platform is None:
            raise invalid(f"{p}.platform is required", code="missing_required_field", param=f"{p}.platform")
        if not isinstance(platform, str) or platform not in PLATFORMS:
            raise invalid(f"{p}.platform is not a supported platform", param=f"{p}.platform")
        account = item.get("accountId")
        if isinstance(account, dict):  # a populated object echoed back from a read
            account = account.get("_id")
        if account is None or account == "":
            raise invalid(f"{p}.accountId is required", code="missing_required_field", param=f"{p}.accountId")
        if not isinstance(account, str):
            raise invalid(f"{p}.accountId must be a string", param=f"{p}.accountId")
        target: dict[str, Any] = {"platform": platform, "accountId": account}
        custom = item.get("customContent")
        if custom is not None:
            if not isinstance(custom, str) or len(custom) > MAX_TEXT:
                raise invalid(f"{p}.customContent must be a string", param=f"{p}.customContent")
            target["customContent"] = custom
        if item.get("customMedia") is not None:
            target["customMedia"] = media_items(item["customMedia"], f"{p}.customMedia", origin)
        if item.get("scheduledFor") is not None:
            if not isinstance(item["scheduledFor"], str):
                raise invalid(f"{p}.scheduledFor must be an ISO-8601 string", param=f"{p}.scheduledFor")
            target["scheduledFor"] = item["scheduledFor"]
        psd = item.get("platformSpecificData")
        if psd is not None:
            if not isinstance(psd, dict):
                raise invalid(f"{p}.platformSpecificData must be an object", param=f"{p}.platformSpecificData")
            target["platformSpecificData"] = psd
        out.append(target)
    return out


def fields(body: dict[str, Any], origin: str) -> dict[str, Any]:
    """Type-check the known fields present in a create/update body; unknown fields are ignored like Late."""
    out: dict[str, Any] = {}
    for key in _STR_FIELDS:
        if key in body and body[key] is not None:
            if not isinstance(body[key], str) or len(body[key]) > MAX_TEXT:
                raise invalid(f"{key} must be a string", param=key)
            out[key] = body[key]
        elif key in body:
            out[key] = None
    if out.get("visibility") not in (None, "public", "private", "unlisted"):
        raise invalid("visibility must be public, private or unlisted", param="visibility")
    for key in _BOOL_FIELDS:
        if key in body and body[key] is not None:
            if not isinstance(body[key], bool):
                raise invalid(f"{key} must be a boolean", param=key)
            out[key] = body[key]
    for key in _LIST_FIELDS:
        if key in body and body[key] is not None:
            out[key] = _str_list(body[key], key)
    for key in _OBJ_FIELDS:
        if key in body and body[key] is not None:
            if not isinstance(body[key], dict):
                raise invalid(f"{key} must be an object", param=key)
            out[key] = body[key]
    if "scheduledFor" in body:
        value = body["scheduledFor"]
        if value is not None and not isinstance(value, str):
            raise invalid("scheduledFor must be an ISO-8601 string", code="invalid_date", param="scheduledFor")
        out["scheduledFor"] = value or None
    if "mediaItems" in body:
        out["mediaItems"] = media_items(body["mediaItems"], "mediaItems", origin)
    if "platforms" in body:
        out["platforms"] = targets(body["platforms"], origin)
    return out


def check_accounts(state: SandboxState, tgts: list[dict[str, Any]], *, publishable: bool) -> None:
    for i, t in enumerate(tgts):
        acc = state.accounts.get(t["accountId"])
        if acc is None:
            raise ApiError(404, "Account not found", type="not_found", code="account_not_found",
                           param=f"platforms[{i}].accountId")
        if acc["platform"] != t["platform"]:
            raise invalid(f"Account {acc['_id']} is a {acc['platform']} account, not {t['platform']}",
                          code="platform_mismatch", param=f"platforms[{i}].platform")
        if publishable and (not acc.get("isActive", True) or acc.get("needsReconnection")):
            raise ApiError(
                403, f"The {acc['platform']} account @{acc.get('username', '')} is disconnected. Reconnect it.",
                type="permission_error", code="ACCOUNT_DISCONNECTED",
                details={"accountId": acc["_id"], "platform": acc["platform"]},
            )


def resolve_zone(state: SandboxState, tz_name: str | None, tgts: list[dict[str, Any]], needed: bool) -> str:
    """The post's zone: ``timezone`` if given, else the profiles' common zone, else UTC (§2.6)."""
    if tz_name:
        if zone(tz_name) is None:
            if needed:
                raise invalid(f"Unknown timezone '{tz_name}'", code="invalid_timezone", param="timezone")
            return "UTC"
        return tz_name
    zones = {
        (state.profile_of_account(t["accountId"]) or {}).get("timezone") or "UTC" for t in tgts
    }
    if len(zones) == 1:
        name = zones.pop()
        return name if zone(name) else "UTC"
    return "UTC"


def parse_when(value: str, tz_name: str, param: str) -> datetime:
    tz = zone(tz_name) or zone("UTC")
    assert tz is not None
    try:
        return parse_client_datetime(value, tz)
    except ValueError:
        raise invalid(f"{param} is not a valid ISO-8601 datetime", code="invalid_date", param=param) from None


def effective(post: dict[str, Any], target: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    text = target.get("customContent") or post.get("content") or ""
    media = target.get("customMedia") or post.get("mediaItems") or []
    return text, media


def check_publishable(state: SandboxState, post: dict[str, Any]) -> None:
    """Content and per-platform rules (§2.6, §8) for anything that is not a draft."""
    tgts = post.get("platforms") or []
    if not tgts:
        raise invalid("At least one platform is required", code="missing_required_field", param="platforms")
    check_accounts(state, tgts, publishable=True)
    for i, t in enumerate(tgts):
        text, media = effective(post, t)
        platform = t["platform"]
        if not text.strip() and not media and platform != "youtube":
            raise invalid("content is required when no media is attached", code="missing_required_field",
                          param="content")
        if platform in MEDIA_REQUIRED and not media:
            raise invalid(f"{platform.capitalize()} requires media for all posts", code="media_required",
                          param="mediaItems")
        if platform in VIDEO_REQUIRED and not any(m.get("type") == "video" for m in media):
            raise invalid("YouTube requires a video in mediaItems", code="video_required", param="mediaItems")
        limit = TEXT_LIMITS.get(platform)
        acc = state.accounts[t["accountId"]]
        if platform == "twitter":
            extra = ((acc.get("metadata") or {}).get("profileData") or {}).get("extraData") or {}
            if isinstance(extra, dict) and extra.get("isPremium"):
                limit = TWITTER_PREMIUM_LIMIT
        if platform == "telegram" and media:
            limit = TELEGRAM_CAPTION_LIMIT
        if limit is not None and text_length(platform, text) > limit:
            param = f"platforms[{i}].customContent" if t.get("customContent") else "content"
            raise invalid(f"Content exceeds the {limit}-character limit for {platform}", code="content_too_long",
                          param=param)


def target_fingerprint(post: dict[str, Any], target: dict[str, Any]) -> str:
    text, media = effective(post, target)
    urls = sorted(str(m.get("url")) for m in media)
    raw = "\x1f".join([target["platform"], target["accountId"], text, *urls])
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def post_fingerprint(post: dict[str, Any]) -> str:
    parts = sorted(target_fingerprint(post, t) for t in post.get("platforms") or [])
    parts.append(post.get("content") or "")
    parts.extend(sorted(str(m.get("url")) for m in post.get("mediaItems") or []))
    return hashlib.sha256("\x1e".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
