"""The sandbox's in-memory model, its clock, Late-shaped rendering and atomic persistence.

Posts are stored almost exactly as Late returns them, except that ``platforms[].accountId`` is the id string
(it is populated when rendered) and bookkeeping lives under keys starting with ``__`` (never rendered).
Every mutation happens under ``lock``: the server loop, the simulation and test threads share the state.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import random
import tempfile
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .post_index import IndexedPosts
from .timeutil import iso

# Stored media URLs that point at the sandbox itself start with this token instead of a host:port, so they
# survive a restart on another port; rendering replaces it with the origin the client used.
ORIGIN_TOKEN = "sandbox-origin:"
STATE_VERSION = 1


def json_copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars): a third of ``copy.deepcopy``'s time, which was
    most of what a 500-post page cost the sandbox."""
    if isinstance(value, dict):
        return {k: json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_copy(v) for v in value]
    return value


class SandboxState:
    def __init__(self, *, seed: int | None = None) -> None:
        self.lock = threading.RLock()
        self._id_rng = random.Random(seed)
        # as MongoDB's ObjectId: the random part is fixed per process, so ids made in one second sort by the
        # counter, i.e. in creation order (a created-asc listing breaks createdAt ties by _id)
        self._id_process = self._id_rng.getrandbits(40)
        self._id_counter = self._id_rng.randrange(1 << 24)
        # Drives simulated outcomes and probabilistic faults; reseeded through the control API.
        self.rng = random.Random(seed)
        self.clock_offset = 0.0
        self.user_id = self.new_id()
        self.demo = False
        self.profiles: dict[str, dict[str, Any]] = {}
        self.accounts: dict[str, dict[str, Any]] = {}
        self.posts = IndexedPosts()  # a dict, also in due-time order (listings by due time read pages of it)
        self.queues: dict[str, list[dict[str, Any]]] = {}  # profile id -> its queues (sandbox/queue.py)
        self.media: dict[str, dict[str, Any]] = {}  # key -> {contentType, data: bytes, createdAt}
        self.uploads: dict[str, dict[str, Any]] = {}  # presigned key -> {contentType, size, expiresAt}
        self.idempotency: dict[str, dict[str, Any]] = {}  # key -> {postId, inFlight, createdAt}
        self.request_ids: dict[str, dict[str, Any]] = {}  # x-request-id -> {postId, fingerprint, inFlight, ...}
        self.outcomes: dict[str, dict[str, Any]] = {}  # accountId -> forced outcome
        #: GET /v1/logs: (created_at, seq, entry) in time order (logs.py); not saved, as Late keeps them apart
        self.logs: list[tuple[str, int, dict[str, Any]]] = []
        self.log_seq = 0
        self.requests: Counter[str] = Counter()
        self.creates_by_key: Counter[str] = Counter()
        self.dirty = False

    # -- clock -------------------------------------------------------------------------------------------
    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.clock_offset)

    def now_iso(self) -> str:
        return iso(self.now())

    # -- ids -----------------------------------------------------------------------------------------------
    def new_id(self) -> str:
        """A 24-hex ObjectId: 4 bytes of time, 5 random bytes (per process), a 3-byte counter."""
        with self.lock:
            self._id_counter = (self._id_counter + 1) % (1 << 24)
            ts = int(datetime.now(UTC).timestamp() + self.clock_offset) & 0xFFFFFFFF
            return f"{ts:08x}{self._id_process:010x}{self._id_counter:06x}"

    def touch(self) -> None:
        self.dirty = True

    # -- rendering ---------------------------------------------------------------------------------------
    def account_summary(self, account_id: str) -> dict[str, Any] | str:
        acc = self.accounts.get(account_id)
        if acc is None:
            return account_id
        keys = ("_id", "platform", "username", "displayName", "isActive", "profilePicture", "profileUrl")
        out = {k: acc[k] for k in keys if k in acc}
        out["profileId"] = acc.get("profileId")
        return out

    def render_post(self, post: dict[str, Any], fields: list[str] | None = None) -> dict[str, Any]:
        # Late's schema has no nullable post or target field ("scheduledFor is a non-null date-time when
        # present"): a field without a value is left out, as Late does, never sent as null.
        out = {k: json_copy(v) for k, v in post.items() if not k.startswith("__") and v is not None}
        for i, target in enumerate(out.get("platforms", [])):
            target = out["platforms"][i] = {k: v for k, v in target.items() if v is not None}
            target["accountId"] = self.account_summary(target["accountId"])
        if fields is not None:
            out = {k: v for k, v in out.items() if k == "_id" or k in fields}
        return out

    def render_account(self, acc: dict[str, Any]) -> dict[str, Any]:
        out = {k: copy.deepcopy(v) for k, v in acc.items() if not k.startswith("__")}
        prof = self.profiles.get(acc.get("profileId", ""))
        if prof is not None:
            out["profileId"] = {k: prof[k] for k in ("_id", "name", "color", "timezone") if k in prof}
        return out

    def render_profile(self, prof: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(prof)
        out["accountCount"] = sum(1 for a in self.accounts.values() if a.get("profileId") == prof["_id"])
        return out

    def profile_of_account(self, account_id: str) -> dict[str, Any] | None:
        acc = self.accounts.get(account_id)
        return self.profiles.get(acc.get("profileId", "")) if acc else None

    def counts_by_status(self) -> dict[str, int]:
        return dict(Counter(p["status"] for p in self.posts.values()))

    # -- persistence -------------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "userId": self.user_id,
            "demo": self.demo,
            "clockOffset": self.clock_offset,
            "savedAt": iso(self.now()),
            "profiles": list(self.profiles.values()),
            "accounts": list(self.accounts.values()),
            "posts": list(self.posts.values()),
            "queues": self.queues,
            "media": {
                k: {**{kk: vv for kk, vv in v.items() if kk != "data"}, "data": base64.b64encode(v["data"]).decode()}
                for k, v in self.media.items()
            },
            "uploads": self.uploads,
            "idempotency": {k: v for k, v in self.idempotency.items() if not v.get("inFlight")},
            "requestIds": {k: v for k, v in self.request_ids.items() if not v.get("inFlight")},
            "createsByIdempotencyKey": dict(self.creates_by_key),
        }

    def load_json(self, data: dict[str, Any]) -> None:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported sandbox state version {data.get('version')!r}")
        self.user_id = data["userId"]
        self.demo = bool(data.get("demo"))
        self.clock_offset = float(data.get("clockOffset", 0.0))
        self.profiles = {p["_id"]: p for p in data["profiles"]}
        self.accounts = {a["_id"]: a for a in data["accounts"]}
        self.posts = IndexedPosts((p["_id"], p) for p in data["posts"])
        self.queues = data.get("queues", {})
        self.media = {
            k: {**v, "data": base64.b64decode(v["data"])} for k, v in data.get("media", {}).items()
        }
        self.uploads = data.get("uploads", {})
        self.idempotency = data.get("idempotency", {})
        self.request_ids = data.get("requestIds", {})
        self.creates_by_key = Counter(data.get("createsByIdempotencyKey", {}))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically: temp file in the same directory, fsync, rename over the old file."""
        with self.lock:
            payload = json.dumps(self.to_json(), separators=(",", ":")).encode()
            self.dirty = False
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        try:  # make the rename itself durable
            dir_fd = os.open(target.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)

    def load(self, path: str | os.PathLike[str]) -> None:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        with self.lock:
            self.load_json(data)
            self.dirty = False
