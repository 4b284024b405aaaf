"""``POST /v1/posts/bulk-upload?dryRun=`` (§2.11): CSV in a multipart ``file`` field, per-row results,
200 when every row went the same way and 207 when valid and invalid rows are mixed."""

from __future__ import annotations

import csv
import email.parser
import email.policy
import io
from typing import Any

from . import queue, validation
from .errors import ApiError, invalid
from .platforms import PLATFORMS
from .posts import _duplicate_check, _new_post
from .state import SandboxState
from .timeutil import iso, parse_client_datetime, zone

MAX_ROWS = 5000
ADVISORY_ROWS = 500
ALIASES = {"content": "post_content", "timezone": "tz", "scheduledFor": "schedule_time", "mediaUrls": "media_urls"}
KNOWN = {"platforms", "profiles", "schedule_time", "publish_now", "use_queue", "is_draft", "post_content", "title",
         "media_urls", "tz", "hashtags", "mentions", "tags"}
PER_PLATFORM = ("schedule_time_", "custom_content_", "custom_media_")


def _file_from_multipart(content_type: str, body: bytes) -> bytes:
    if not content_type.lower().startswith("multipart/form-data"):
        raise invalid("Upload the CSV as multipart/form-data in the field 'file'", code="missing_required_field",
                      param="file")
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    msg = parser.parsebytes(b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n" + body)
    if not msg.is_multipart():
        raise invalid("Malformed multipart body", code="invalid_multipart", param="file")
    for part in msg.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    raise invalid("The multipart field 'file' is required", code="missing_required_field", param="file")


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes")


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]


def _row_errors(state: SandboxState, row: dict[str, str], platforms_cols: set[str]) -> tuple[list[str], Any]:
    """Validate one row; returns (error codes, a ready-to-store post or None)."""
    errors: list[str] = []
    platforms = [p.lower() for p in _split(row.get("platforms", ""))]
    if not platforms:
        errors.append("platforms_missing")
    for p in platforms:
        if p not in PLATFORMS:
            errors.append(f"unknown_platform:{p}")
    profile_ref = (row.get("profiles") or "").strip()
    profile = state.profiles.get(profile_ref) or next(
        (p for p in state.profiles.values() if p.get("name", "").lower() == profile_ref.lower()), None
    )
    if profile is None:
        errors.append(f"unknown_profile:{profile_ref}")
    targets = []
    if profile is not None:
        for p in platforms:
            if p not in PLATFORMS:
                continue
            acc = next((a for a in state.accounts.values()
                        if a.get("profileId") == profile["_id"] and a["platform"] == p), None)
            if acc is None:
                errors.append(f"no_account_for_platform:{p}")
            elif not acc.get("isActive", True) or acc.get("needsReconnection"):
                errors.append(f"account_disconnected:{p}")
            else:
                target: dict[str, Any] = {"platform": p, "accountId": acc["_id"], "status": "pending"}
                if row.get(f"custom_content_{p}"):
                    target["customContent"] = row[f"custom_content_{p}"]
                if row.get(f"custom_media_{p}"):
                    target["customMedia"] = [{"url": u} for u in _split(row[f"custom_media_{p}"])]
                targets.append(target)
    content, title, media_urls = row.get("post_content", ""), row.get("title", ""), row.get("media_urls", "")
    if not (content.strip() or title.strip() or media_urls.strip()):
        errors.append("content_missing")
    tz_name = (row.get("tz") or "").strip() or ((profile or {}).get("timezone") or "UTC")
    tz = zone(tz_name)
    if tz is None:
        errors.append(f"invalid_timezone:{tz_name}")
    is_draft, publish_now, use_queue = (_truthy(row.get(k, "")) for k in ("is_draft", "publish_now", "use_queue"))
    when = None
    schedule = (row.get("schedule_time") or "").strip()
    per_platform = {p: (row.get(f"schedule_time_{p}") or "").strip() for p in platforms}
    if schedule and tz is not None:
        try:
            when = parse_client_datetime(schedule, tz)
        except ValueError:
            errors.append("invalid_schedule_time")
    if not (is_draft or publish_now or use_queue or schedule or any(per_platform.values())):
        errors.append("schedule_time_missing")
    if errors:
        return errors, None
    try:
        items = validation.media_items([{"url": u} for u in _split(media_urls)], "media_urls", "")
        for t in targets:
            if "customMedia" in t:
                t["customMedia"] = validation.media_items(t["customMedia"], f"custom_media_{t['platform']}", "")
    except ApiError as exc:
        return [f"invalid_media:{exc.param}"], None
    post = _new_post(state, {"content": content, "title": title, "mediaItems": items, "platforms": targets,
                             "tags": _split(row.get("tags", "")), "hashtags": _split(row.get("hashtags", "")),
                             "mentions": _split(row.get("mentions", ""))})
    post["timezone"] = tz_name
    for t in targets:
        raw = per_platform.get(t["platform"])
        if raw:
            try:
                t["scheduledFor"] = iso(parse_client_datetime(raw, tz))  # type: ignore[arg-type]
            except ValueError:
                return [f"invalid_schedule_time:{t['platform']}"], None
    if is_draft:
        post["status"] = "draft"
        return [], post
    try:
        validation.check_publishable(state, post)
        _duplicate_check(state, post)
    except ApiError as exc:
        code = exc.code or ("duplicate" if exc.status == 409 else "invalid")
        return [f"{code}:{exc.param or (exc.details or {}).get('platform', '')}"], None
    if use_queue and when is None and not publish_now:
        try:
            slot, queue_id = queue.assign(state, profile, None)  # type: ignore[arg-type]
        except ApiError as exc:
            return [f"{exc.code or 'invalid'}:use_queue"], None
        post.update(scheduledFor=slot, queuedFromProfile=profile["_id"], queueId=queue_id)  # type: ignore[index]
    elif publish_now or when is None:
        when = when or min(parse_client_datetime(v, tz) for v in per_platform.values() if v)  # type: ignore[arg-type]
        post["scheduledFor"] = iso(state.now() if publish_now else when)
    else:
        post["scheduledFor"] = iso(when)
    # Bulk rows never publish inside the request: due rows are picked up by the simulation right away.
    post["status"] = "scheduled"
    return [], post


def bulk_upload(state: SandboxState, content_type: str, body: bytes, *, dry_run: bool) -> tuple[int, dict, dict]:
    raw = _file_from_multipart(content_type, body)
    try:
        text = raw.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
    except (UnicodeDecodeError, csv.Error):
        raise invalid("The file must be a UTF-8 CSV", code="invalid_csv", param="file") from None
    if not rows:
        raise invalid("The CSV is empty", code="invalid_csv", param="file")
    header = [h.strip() for h in rows[0]]
    data = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if len(data) > MAX_ROWS:
        raise invalid(f"At most {MAX_ROWS} rows per upload", code="too_many_rows", param="file")
    canonical = [ALIASES.get(h, h) for h in header]
    warnings: list[str] = []
    unknown = [h for h in header if ALIASES.get(h, h) not in KNOWN and not h.startswith(PER_PLATFORM)]
    if unknown:
        warnings.append("unknown_columns:" + ",".join(unknown))
    if len(data) > ADVISORY_ROWS:
        warnings.append(f"rows_exceed_advisory_limit:{ADVISORY_ROWS}")
    schedule_cols = {"schedule_time", "publish_now", "use_queue", "is_draft"}
    missing = [c for c in ("platforms", "profiles") if c not in canonical]
    if not (schedule_cols & set(canonical) or any(c.startswith("schedule_time_") for c in canonical)):
        missing.append("schedule_time")
    if missing:
        raise invalid(f"Missing required column(s): {', '.join(missing)}", code="missing_columns", param=missing[0])
    for col in ("hashtags", "mentions"):
        if col in canonical:
            warnings.append(f"not_added_to_caption:{col}")

    results = []
    with state.lock:
        for index, cells in enumerate(data, start=1):
            row: dict[str, str] = {}
            for name, alias, value in zip(canonical, header, cells, strict=False):
                # The real column wins over its alias unless it is blank.
                if name in row and row[name].strip() and alias != name:
                    continue
                row[name] = value
            errors, post = _row_errors(state, row, set())
            if errors:
                results.append({"rowIndex": index, "ok": False, "errors": errors})
                continue
            entry: dict[str, Any] = {"rowIndex": index, "ok": True}
            if not dry_run:
                state.posts[post["_id"]] = post
                state.touch()
                entry["createdPostId"] = post["_id"]
            results.append(entry)
    valid = sum(1 for r in results if r["ok"])
    result = {"total": len(results), "valid": valid, "invalid": len(results) - valid, "results": results,
              "warnings": warnings}
    status = 207 if 0 < valid < len(results) else 200
    return status, result, {}
