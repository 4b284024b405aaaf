"""Post operations with Late's semantics: create (§2.6, three duplicate guards §2.7), update (§2.8),
delete (§2.9) and retry (§2.10). Routes in app.py only translate HTTP to these calls.

Results are ``(status, payload, headers)``. Synchronous publishes await ``pause`` (request latency plus the
configured publish delay) while the post is ``publishing`` and its Idempotency-Key is still in flight.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from . import publishing, queue, recycling, validation
from .config import SandboxConfig as Settings
from .errors import ApiError, invalid, not_found
from .state import SandboxState
from .timeutil import iso, parse_iso

Result = tuple[int, dict[str, Any], dict[str, str]]
Pause = Callable[[bool], Awaitable[None]]  # pause(publishing): request latency (+ publish delay)
WINDOW = timedelta(hours=24)
MAX_KEY = 255


def _within_window(state: SandboxState, created: str) -> bool:
    try:
        return state.now() - parse_iso(created) < WINDOW
    except ValueError:
        return False


def _replay(state: SandboxState, post: dict[str, Any]) -> Result:
    return 200, {"message": "Post already exists (idempotent retry)", "post": state.render_post(post)}, {}


def _profile_for_queue(state: SandboxState, profile_id: Any) -> dict[str, Any]:
    if not isinstance(profile_id, str) or profile_id not in state.profiles:
        raise ApiError(404, "Profile not found", type="not_found", param="queuedFromProfile")
    return state.profiles[profile_id]


def _apply_settings(post: dict[str, Any], fields: dict[str, Any]) -> None:
    """tiktokSettings / facebookSettings merge into matching targets; target values win (§2.6)."""
    for key, platform in (("tiktokSettings", "tiktok"), ("facebookSettings", "facebook")):
        if key in fields:
            for t in post["platforms"]:
                if t["platform"] == platform:
                    t["platformSpecificData"] = {**fields[key], **t.get("platformSpecificData", {})}


def _resolve_times(state: SandboxState, post: dict[str, Any], fields: dict[str, Any], needed: bool) -> Any:
    """Parse top-level and per-target scheduledFor in the post's zone; returns the top-level datetime or None."""
    tz_name = validation.resolve_zone(state, fields.get("timezone"), post["platforms"], needed)
    post["timezone"] = tz_name
    when = None
    if fields.get("scheduledFor"):
        when = validation.parse_when(fields["scheduledFor"], tz_name, "scheduledFor")
        post["scheduledFor"] = iso(when)
    for i, t in enumerate(post["platforms"]):
        raw = t.get("scheduledFor")
        if isinstance(raw, str):
            t["scheduledFor"] = iso(validation.parse_when(raw, tz_name, f"platforms[{i}].scheduledFor"))
    return when


def _duplicate_check(state: SandboxState, post: dict[str, Any], skip_id: str | None = None) -> None:
    """Content hash guard: same platform+account+text+media within 24 h → 409 (§2.7 rule 3)."""
    mine = {validation.target_fingerprint(post, t): t for t in post["platforms"]}
    for other in state.posts.values():
        if other["_id"] == skip_id or other["status"] == "draft" or not _within_window(state, other["createdAt"]):
            continue
        for t in other.get("platforms") or []:
            fp = validation.target_fingerprint(other, t)
            if fp in mine:
                raise ApiError(
                    409,
                    "This exact content was already posted to this account within the last 24 hours.",
                    details={"accountId": t["accountId"], "platform": t["platform"], "existingPostId": other["_id"]},
                )


def _incomplete(state: SandboxState, post: dict[str, Any], message: str) -> Result:
    failed = [t for t in post["platforms"] if t.get("status") == "failed"]
    body = {
        "message": message,
        "error": "; ".join(f"{t['platform']}: {t.get('errorMessage', 'failed')}" for t in failed) or None,
        "platformResults": [
            {"platform": t["platform"], "status": t.get("status"), "error": t.get("errorMessage")}
            for t in post["platforms"]
        ],
        "post": state.render_post(post),
    }
    return 207, body, {}


async def _publish_now(state: SandboxState, post: dict[str, Any], settings: Settings, pause: Pause,
                       *, retry: bool = False) -> None:
    with state.lock:
        publishing.begin(state, post, state.now(), sync=True, duration_s=0, retry=retry)
    await pause(True)
    with state.lock:
        if post["_id"] in state.posts and post["status"] == "publishing":
            publishing.finish(state, post, state.now(), settings.fail_rate)


def _new_post(state: SandboxState, fields: dict[str, Any]) -> dict[str, Any]:
    now = state.now_iso()
    post: dict[str, Any] = {
        "_id": state.new_id(),
        "userId": state.user_id,
        "title": fields.get("title") or "",
        "content": fields.get("content") or "",
        "mediaItems": fields.get("mediaItems", []),
        "platforms": [{**t, "status": "pending"} for t in fields.get("platforms", [])],
        "scheduledFor": None,
        "timezone": "UTC",
        "status": "draft",
        "tags": fields.get("tags", []),
        "hashtags": fields.get("hashtags", []),
        "mentions": fields.get("mentions", []),
        "visibility": fields.get("visibility") or "public",
        "metadata": fields.get("metadata", {}),
        "crosspostingEnabled": fields.get("crosspostingEnabled", True),
        "createdAt": now,
        "updatedAt": now,
    }
    _apply_settings(post, fields)
    return post


async def create(state: SandboxState, settings: Settings, body: Any, headers: dict[str, str], origin: str,
                 pause: Pause) -> Result:
    body = validation.require_object(body)
    key = headers.get("idempotency-key") or None
    if key is not None and len(key) > MAX_KEY:
        raise invalid("Idempotency-Key must be at most 255 characters", code="invalid_idempotency_key",
                      param="Idempotency-Key")
    with state.lock:
        if key is not None and key in state.idempotency:
            rec = state.idempotency[key]
            if rec.get("inFlight"):
                raise ApiError(409, "A request with this Idempotency-Key is still being processed; retry later.",
                               type="invalid_request_error", code="idempotency_conflict",
                               headers={"Retry-After": "1"})
            original = state.posts.get(rec.get("postId") or "")
            if original is not None and _within_window(state, rec["createdAt"]):
                return _replay(state, original)
            del state.idempotency[key]  # expired, or the post is gone: the key starts over

    fields = validation.fields(body, origin)
    if fields.get("dryRun"):
        return _dry_run(state, fields)
    is_draft = bool(fields.get("isDraft"))
    wants_queue = bool(fields.get("queuedFromProfile")) and not fields.get("scheduledFor")
    if fields.get("requiresApproval"):
        if is_draft or fields.get("publishNow") or fields.get("queuedFromProfile") or fields.get("queueId"):
            raise invalid("requiresApproval cannot be combined with isDraft, publishNow or a queue",
                          param="requiresApproval")
        if not fields.get("scheduledFor"):
            raise invalid("requiresApproval needs scheduledFor", code="missing_required_field", param="scheduledFor")
    if not is_draft and not (fields.get("publishNow") or fields.get("scheduledFor") or wants_queue):
        is_draft = True  # nothing says when: Late saves a draft

    with state.lock:
        post = _new_post(state, fields)
        validation.check_accounts(state, post["platforms"], publishable=False)
        when = _resolve_times(state, post, fields, needed=not is_draft or bool(fields.get("scheduledFor")))
        if fields.get("recycling") is not None:
            recycling.apply(state, post, fields["recycling"])
        sync = False
        if is_draft:
            post["status"] = "draft"
        else:
            validation.check_publishable(state, post)
            if fields.get("publishNow") or (when is not None and when <= state.now()):
                sync = True
                if post["scheduledFor"] is None:
                    post["scheduledFor"] = state.now_iso()
            elif fields.get("requiresApproval"):
                post["status"] = "pending_approval"
            elif when is not None:
                post["status"] = "scheduled"
            else:
                profile = _profile_for_queue(state, fields["queuedFromProfile"])
                slot, queue_id = queue.assign(state, profile, fields.get("queueId"))
                post.update(scheduledFor=slot, status="scheduled", queuedFromProfile=profile["_id"], queueId=queue_id)
                if not fields.get("timezone"):
                    post["timezone"] = profile.get("timezone") or "UTC"

        fingerprint = validation.post_fingerprint(post)
        request_id = headers.get("x-request-id")
        if key is None and request_id:
            rec = state.request_ids.get(request_id)
            if rec and rec["fingerprint"] == fingerprint and _within_window(state, rec["createdAt"]):
                original = state.posts.get(rec["postId"])
                if original is not None:
                    if rec.get("inFlight"):
                        return 202, {"postId": original["_id"]}, {}
                    return _replay(state, original)
        if not is_draft:
            _duplicate_check(state, post)

        state.posts[post["_id"]] = post
        state.touch()
        if key is not None:
            state.idempotency[key] = {"postId": post["_id"], "inFlight": True, "createdAt": post["createdAt"]}
            state.creates_by_key[key] += 1
        if request_id:
            state.request_ids[request_id] = {"postId": post["_id"], "fingerprint": fingerprint, "inFlight": True,
                                             "createdAt": post["createdAt"]}
    try:
        if sync:
            await _publish_now(state, post, settings, pause)
        else:
            await pause(False)
    finally:
        with state.lock:
            if key is not None and key in state.idempotency:
                state.idempotency[key]["inFlight"] = False
            if request_id and request_id in state.request_ids:
                state.request_ids[request_id]["inFlight"] = False
    with state.lock:
        if sync and post["status"] != "published":
            return _incomplete(state, post, "Post saved but publishing was incomplete")
        message = {
            "draft": "Post saved as draft",
            "published": "Post published successfully",
            "pending_approval": "Post submitted for approval",
        }.get(post["status"], "Post scheduled successfully")
        return 201, {"message": message, "post": state.render_post(post)}, {}


def _dry_run(state: SandboxState, fields: dict[str, Any]) -> Result:
    """TikTok dry run: validates and persists nothing (§2.6)."""
    with state.lock:
        post = _new_post(state, fields)
        tiktok = [t for t in post["platforms"] if t["platform"] == "tiktok"]
        if not tiktok:
            raise invalid("dryRun is only supported for TikTok targets", param="dryRun")
        validation.check_publishable(state, post)
        return 200, {
            "dryRun": True,
            "canPublish": True,
            "tiktok": [{"accountId": t["accountId"], "canPublish": True} for t in tiktok],
        }, {}


def get(state: SandboxState, post_id: str) -> Result:
    with state.lock:
        post = state.posts.get(post_id)
        if post is None:
            raise not_found()
        return 200, {"post": state.render_post(post)}, {}


def _merge_targets(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Replace the target list; a target that already existed keeps its publish state and settings."""
    by_key = {(t["platform"], t["accountId"]): t for t in old}
    out = []
    for t in new:
        prev = by_key.get((t["platform"], t["accountId"]))
        if prev is None:
            out.append({**t, "status": "pending"})
            continue
        merged = {k: v for k, v in prev.items() if k not in ("customContent", "customMedia", "scheduledFor")}
        merged.update({k: v for k, v in t.items() if k != "platformSpecificData"})
        if "platformSpecificData" in t:
            merged["platformSpecificData"] = {**prev.get("platformSpecificData", {}), **t["platformSpecificData"]}
        out.append(merged)
    return out


def _reset_for_schedule(post: dict[str, Any]) -> None:
    """Rescheduling a failed/partial/cancelled post re-arms every target that is not already live."""
    for t in post["platforms"]:
        if t.get("status") != "published":
            t["status"] = "pending"
            for key in ("errorMessage", "errorCategory", "errorSource", "platformError"):
                t.pop(key, None)


async def update(state: SandboxState, settings: Settings, post_id: str, body: Any, origin: str,
                 pause: Pause) -> Result:
    body = validation.require_object(body)
    fields = validation.fields(body, origin)
    with state.lock:
        stored = state.posts.get(post_id)
        if stored is None:
            raise not_found()
        status = stored["status"]
        if status == "published":
            if set(body) - {"recycling"}:
                raise invalid("Published posts can only change recycling", code="invalid_state")
        elif status not in validation.EDITABLE:
            raise invalid(f"Posts in status '{status}' cannot be edited", code="invalid_state")
        if fields.get("requiresApproval") and status != "draft":
            raise ApiError(409, "Only drafts can be submitted for approval", code="invalid_state")

        post = copy.deepcopy(stored)
        for key in ("title", "content", "mediaItems", "tags", "hashtags", "mentions", "visibility", "metadata",
                    "crosspostingEnabled"):
            if key in fields and fields[key] is not None:
                post[key] = fields[key]
        if "platforms" in fields:
            post["platforms"] = _merge_targets(post["platforms"], fields["platforms"])
        _apply_settings(post, fields)
        if fields.get("timezone"):
            post["timezone"] = fields["timezone"]
        tz_fields = {**fields, "timezone": fields.get("timezone") or post.get("timezone")}
        when = _resolve_times(state, post, tz_fields, needed=bool(fields.get("scheduledFor")))
        if fields.get("recycling") is not None:
            recycling.apply(state, post, fields["recycling"])
        validation.check_accounts(state, post["platforms"], publishable=False)

        if "queueId" in body and body["queueId"] is None:  # leaves its queue: the time is the post's own now
            post.pop("queuedFromProfile", None)
            post.pop("queueId", None)
        elif fields.get("scheduledFor") and queue.conflict(state, post, post.get("scheduledFor")):
            raise ApiError(409, "Another post of this queue is at that time", code="queue_slot_conflict",
                           param="scheduledFor")
        wants_queue = bool(fields.get("queuedFromProfile")) and not fields.get("scheduledFor")
        has_trigger = bool(fields.get("publishNow") or when is not None or wants_queue)
        target = status
        if fields.get("isDraft") is True:
            target = "draft"
        elif status == "draft":
            # Promotion needs isDraft:false plus a time, publishNow or a queue (§2.8).
            if fields.get("requiresApproval") and post.get("scheduledFor"):
                target = "pending_approval"
            elif fields.get("isDraft") is False and has_trigger:
                target = "scheduled"
        elif has_trigger and status != "published":
            target = "scheduled"
        sync = False
        if target == "scheduled":
            if wants_queue:
                profile = _profile_for_queue(state, fields["queuedFromProfile"])
                slot, queue_id = queue.assign(state, profile, fields.get("queueId"))
                post.update(scheduledFor=slot, queuedFromProfile=profile["_id"], queueId=queue_id)
            if post.get("scheduledFor") is None and not fields.get("publishNow"):
                raise invalid("scheduledFor is required to schedule a post", code="missing_required_field",
                              param="scheduledFor")
            due = post.get("scheduledFor") is not None and post["scheduledFor"] <= state.now_iso()
            sync = bool(fields.get("publishNow")) or due
            if post.get("scheduledFor") is None:
                post["scheduledFor"] = state.now_iso()
            _reset_for_schedule(post)
        if target != "draft" and status != "published":
            validation.check_publishable(state, post)
            if target != status or sync:
                _duplicate_check(state, post, skip_id=post_id)
        post["status"] = target
        post["updatedAt"] = max(state.now_iso(), stored["updatedAt"])
        stored.clear()
        stored.update(post)
        state.posts.reindex(post_id)  # its time may have changed in place
        state.touch()
        post = stored
    if sync:
        await _publish_now(state, post, settings, pause)
        with state.lock:
            if post["status"] != "published":
                return _incomplete(state, post, "Post updated but publishing was incomplete")
    with state.lock:
        return 200, {"message": "Post updated successfully", "post": state.render_post(post)}, {}


def delete(state: SandboxState, post_id: str) -> Result:
    with state.lock:
        post = state.posts.get(post_id)
        if post is None:
            raise not_found()
        if post["status"] == "published":
            raise invalid("Published posts cannot be deleted; unpublish them instead", code="invalid_state")
        del state.posts[post_id]
        state.touch()
        return 200, {"message": "Post deleted successfully"}, {}


async def retry(state: SandboxState, settings: Settings, post_id: str, pause: Pause) -> Result:
    with state.lock:
        post = state.posts.get(post_id)
        if post is None:
            raise not_found()
        if post["status"] == "publishing":
            raise ApiError(409, "The post is currently publishing", code="post_publishing")
        if post["status"] not in ("failed", "partial"):
            raise invalid(f"Only failed or partial posts can be retried (status is '{post['status']}')",
                          code="invalid_state")
        for t in post["platforms"]:
            acc = state.accounts.get(t["accountId"])
            if t.get("status") == "failed" and acc is not None and (
                not acc.get("isActive", True) or acc.get("needsReconnection")
            ):
                raise ApiError(403, f"The {acc['platform']} account is disconnected. Reconnect it.",
                               type="permission_error", code="ACCOUNT_DISCONNECTED",
                               details={"accountId": acc["_id"], "platform": acc["platform"]})
    await _publish_now(state, post, settings, pause, retry=True)
    with state.lock:
        if post["status"] == "published":
            return 200, {"message": "Post published successfully", "post": state.render_post(post)}, {}
        failed = [t for t in post["platforms"] if t.get("status") == "failed"]
        error = "; ".join(f"{t['platform']}: {t.get('errorMessage')}" for t in failed)
        return 207, {"message": "Retry finished with failures", "error": error, "post": state.render_post(post)}, {}
