"""One running sandbox: state, config, faults, rate limiter, persistence, and the control operations that
both the ``/_sandbox`` routes and the runner's Python helpers call (thread-safe via the state lock)."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from . import DEMO_API_KEY, demo_data, health, publishing
from .config import SandboxConfig
from .errors import ApiError, invalid
from .faults import FaultSet
from .holds import HoldSet
from .platforms import PLATFORMS
from .ratelimit import RateLimiter
from .state import SandboxState
from .timeutil import UTC_ZONE, iso, parse_client_datetime, zone

log = logging.getLogger(__name__)
SAVE_DEBOUNCE_S = 1.0
_OUTCOME_CATEGORIES = (
    "auth_expired", "user_content", "user_abuse", "account_issue", "platform_rejected", "platform_error",
    "platform_rate_limit", "quota_exhausted", "system_error", "unknown",
)


class Sandbox:
    def __init__(
        self,
        *,
        api_keys: tuple[str, ...] | list[str] = ("sk_test_sandbox",),
        demo: bool = False,
        state_file: str | Path | None = None,
        latency_ms: int = 0,
        fail_rate: float = 0.0,
        rpm_limit: int | None = None,
        seed: int | None = None,
    ) -> None:
        self.api_keys = set(api_keys)
        if demo:
            self.api_keys.add(DEMO_API_KEY)
        self.demo = demo
        self.seed = seed
        self.state_file = Path(state_file) if state_file else None
        self.config = SandboxConfig(latency_ms=latency_ms, fail_rate=fail_rate, rpm_limit=rpm_limit)
        self.state = SandboxState(seed=seed)
        self.faults = FaultSet(self.state.rng)
        self.holds = HoldSet()
        self.limiter = RateLimiter()
        # What reset() returns to: tests change keys and knobs mid-run (a revoked key, a slower Late).
        self._initial_api_keys = frozenset(self.api_keys)
        self._initial_config = self.config.copy()
        self._last_save = 0.0
        if self.state_file is not None and self.state_file.exists():
            self.state.load(self.state_file)
        elif demo:
            demo_data.populate(self.state)
            self.save()

    # -- simulation and persistence ---------------------------------------------------------------------------
    def tick(self) -> int:
        with self.state.lock:
            return publishing.run_due(self.state, self.state.now(), fail_rate=self.config.fail_rate,
                                      duration_s=self.config.publish_duration_s)

    def save(self) -> None:
        if self.state_file is not None:
            self.state.save(self.state_file)
            self._last_save = time.monotonic()

    def save_if_due(self) -> None:
        """Debounced save after changes; the runner also saves on stop."""
        if self.state_file is not None and self.state.dirty and time.monotonic() - self._last_save >= SAVE_DEBOUNCE_S:
            self.save()

    # -- control operations ---------------------------------------------------------------------------------------
    def reset(self, *, demo: bool | None = None) -> dict[str, Any]:
        """Back to exactly what the constructor made (without a state file to load): data, ids and RNG from the
        seed, clock, config, API keys, faults, holds, forced outcomes, rate-limit windows and stats.
        ``demo`` None keeps the constructor's choice; True/False asks for the demo data or an empty sandbox."""
        self.holds.reset()  # held requests finish against the old data, not wait forever
        with self.state.lock:
            fresh = SandboxState(seed=self.seed)
            fresh.lock = self.state.lock  # keep the lock other threads may be waiting on
            # The same object stays: the app's routes and tests' clocks hold references to it.
            self.state.__dict__.update({k: v for k, v in fresh.__dict__.items() if k != "lock"})
            self.faults.reset(self.state.rng)
            self.limiter.reset()
            self.api_keys = set(self._initial_api_keys)
            for name, value in self._initial_config.as_dict().items():
                setattr(self.config, name, value)
            self._last_save = 0.0
            if self.demo if demo is None else demo:
                demo_data.populate(self.state)
            if self.state_file is not None:
                self.state.touch()  # the file must not bring back what was reset
            return self.summary()

    def summary(self) -> dict[str, Any]:
        with self.state.lock:
            return {
                "profiles": len(self.state.profiles),
                "accounts": len(self.state.accounts),
                "posts": len(self.state.posts),
                "now": self.state.now_iso(),
            }

    def seed_data(self, payload: Any) -> dict[str, Any]:
        """Add profiles, accounts and posts given in Late's JSON shape; missing ids/timestamps are filled in."""
        if not isinstance(payload, dict):
            raise invalid("seed body must be an object")
        st = self.state
        out: dict[str, list[Any]] = {"profiles": [], "accounts": [], "posts": []}
        with st.lock:
            now = st.now_iso()
            for raw in _objects(payload, "profiles"):
                prof = {"_id": _id_or_new(st, raw), "userId": st.user_id, "name": "Profile", "description": "",
                        "color": "#4f46e5", "timezone": "UTC", "externalId": None, "isDefault": not st.profiles,
                        "createdAt": now, **{k: v for k, v in raw.items() if k != "_id"}}
                if prof.get("timezone") is not None and zone(prof["timezone"]) is None:
                    raise invalid(f"unknown timezone {prof['timezone']!r}", param="timezone")
                st.profiles[prof["_id"]] = prof
                out["profiles"].append(st.render_profile(prof))
            for raw in _objects(payload, "accounts"):
                acc = {"_id": _id_or_new(st, raw), "isActive": True, "createdAt": now,
                       **{k: v for k, v in raw.items() if k != "_id"}}
                if isinstance(acc.get("profileId"), dict):
                    acc["profileId"] = acc["profileId"].get("_id")
                if acc.get("platform") not in PLATFORMS:
                    raise invalid("account platform must be a supported platform", param="platform")
                if acc.get("profileId") not in st.profiles:
                    if not st.profiles:
                        raise invalid("seed a profile before its accounts", param="profileId")
                    acc["profileId"] = next(iter(st.profiles))
                acc.setdefault("username", f"{acc['platform']}_{acc['_id'][-4:]}")
                acc.setdefault("displayName", acc["username"])
                st.accounts[acc["_id"]] = acc
                out["accounts"].append(st.render_account(acc))
            for raw in _objects(payload, "posts"):
                post = self._seed_post(raw, now)
                st.posts[post["_id"]] = post
                out["posts"].append(st.render_post(post))
            st.touch()
        return out

    def _seed_post(self, raw: dict[str, Any], now: str) -> dict[str, Any]:
        st = self.state
        post = {"_id": _id_or_new(st, raw), "userId": st.user_id, "title": "", "content": "", "mediaItems": [],
                "platforms": [], "scheduledFor": None, "timezone": "UTC", "status": "draft", "tags": [],
                "hashtags": [], "mentions": [], "visibility": "public", "metadata": {}, "crosspostingEnabled": True,
                "createdAt": now, "updatedAt": now, **{k: v for k, v in raw.items() if k != "_id"}}
        if post["status"] not in ("draft", "pending_approval", "scheduled", "publishing", "published", "partial",
                                  "failed", "cancelled"):
            raise invalid("post status is not a Late status", param="status")
        targets = []
        for t in post.get("platforms") or []:
            if not isinstance(t, dict):
                raise invalid("platforms[] must be objects", param="platforms")
            acc_id = t.get("accountId")
            acc_id = acc_id.get("_id") if isinstance(acc_id, dict) else acc_id
            if acc_id not in st.accounts:
                raise invalid(f"unknown accountId {acc_id!r} in seeded post", param="platforms.accountId")
            targets.append({"platform": st.accounts[acc_id]["platform"], "status": "pending", **t,
                            "accountId": acc_id})
        post["platforms"] = targets
        for key in ("scheduledFor", "createdAt", "updatedAt", "publishedAt"):
            if isinstance(post.get(key), str):
                try:
                    post[key] = iso(_parse_any(post[key]))
                except ValueError:
                    raise invalid(f"{key} is not an ISO-8601 datetime", param=key) from None
        return post

    def advance(self, seconds: Any) -> dict[str, Any]:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds <= 10 * 365 * 86400:
            raise invalid("seconds must be a non-negative number", param="seconds")
        with self.state.lock:
            self.state.clock_offset += float(seconds)
            self.state.touch()
            transitions = self.tick()
            return {"now": self.state.now_iso(), "offsetSeconds": self.state.clock_offset, "transitions": transitions}

    def clock(self) -> dict[str, Any]:
        with self.state.lock:
            return {"now": self.state.now_iso(), "offsetSeconds": self.state.clock_offset}

    def set_config(self, patch: Any) -> dict[str, Any]:
        if not isinstance(patch, dict):
            raise invalid("config body must be an object")
        self.config.update(patch)
        if "seed" in patch:
            if patch["seed"] is not None and (isinstance(patch["seed"], bool) or not isinstance(patch["seed"], int)):
                raise invalid("seed must be an integer", param="seed")
            self.state.rng.seed(patch["seed"])
        return self.config.to_json()

    def force_outcome(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise invalid("outcome body must be an object")
        account_id = raw.get("accountId")
        outcome = raw.get("outcome", "fail")
        with self.state.lock:
            if account_id not in self.state.accounts:
                raise ApiError(404, "Account not found")
            if outcome not in ("fail", "publish"):
                raise invalid("outcome must be fail or publish", param="outcome")
            category = raw.get("errorCategory")
            if category is not None and category not in _OUTCOME_CATEGORIES:
                raise invalid("errorCategory is not a Late error category", param="errorCategory")
            count = raw.get("count")
            if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
                raise invalid("count must be a positive integer or null", param="count")
            rule = {"outcome": outcome, "remaining": count}
            for key in ("errorMessage", "errorSource"):
                if isinstance(raw.get(key), str):
                    rule[key] = raw[key]
            if category:
                rule["errorCategory"] = category
            self.state.outcomes[account_id] = rule
            return {"accountId": account_id, **rule}

    def set_account_health(self, account_id: str, raw: Any) -> dict[str, Any]:
        """Disconnect or reconnect an account, or set when its token expires (``sandbox/health.py``)."""
        with self.state.lock:
            acc = self.state.accounts.get(account_id)
            if acc is None:
                raise ApiError(404, "Account not found")
            health.set_health(acc, raw)
            self.state.touch()
            return health.entry(acc, self.state.now())

    def outcomes(self) -> dict[str, Any]:
        with self.state.lock:
            return {k: dict(v) for k, v in self.state.outcomes.items()}

    def clear_outcomes(self) -> None:
        with self.state.lock:
            self.state.outcomes.clear()

    def count_request(self, route: str) -> None:
        with self.state.lock:
            self.state.requests[route] += 1

    def stats(self) -> dict[str, Any]:
        with self.state.lock:
            return {
                "requests": dict(self.state.requests),
                "requestsTotal": sum(self.state.requests.values()),
                "creates_by_idempotency_key": dict(self.state.creates_by_key),
                "posts_by_status": self.state.counts_by_status(),
                "postsTotal": len(self.state.posts),
                "faultsInjected": dict(self.faults.injected),
                "now": self.state.now_iso(),
            }

    def reset_stats(self) -> None:
        with self.state.lock:
            self.state.requests.clear()
            self.state.creates_by_key.clear()
            self.faults.injected.clear()


def _objects(payload: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = payload.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise invalid(f"{key} must be an array of objects", param=key)
    return items


def _id_or_new(st: SandboxState, raw: dict[str, Any]) -> str:
    value = raw.get("_id")
    if isinstance(value, str) and len(value) == 24 and all(c in "0123456789abcdef" for c in value):
        return value
    if value is not None:
        raise invalid("_id must be a 24-character hex id", param="_id")
    return st.new_id()


def _parse_any(value: str) -> Any:
    return parse_client_datetime(value, UTC_ZONE)
