"""A reset sandbox is indistinguishable from a new one: the suite shares one server per module and resets it
between tests, so any state a reset missed would make tests depend on their order.

Two checks: every attribute reachable from the ``Sandbox`` object equals a new one's (an unknown kind of state
fails the walk, so new state must be taught here), and the same script of requests gets the same answers from
a reset server as from a new one. The sandbox's clock is frozen so ids and timestamps are comparable.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections import deque
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import httpx
import pytest

from latecal.sandbox import state as state_module
from latecal.sandbox.runner import SandboxServer
from latecal.sandbox.service import Sandbox
from sandbox_support import ACCOUNTS, KEY, PROFILE_ID, seed_basic, target

FROZEN = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)
_LOCKS = (type(threading.Lock()), type(threading.RLock()), threading.Condition)
CASES = {
    "seeded": {"seed": 1234},
    "demo": {"demo": True, "seed": 5, "api_keys": ("sk_other_key",), "rpm_limit": 40, "fail_rate": 0.25},
}


class _FrozenDatetime(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:
        return FROZEN.astimezone(tz) if tz else FROZEN.replace(tzinfo=None)


@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr(state_module, "datetime", _FrozenDatetime)


def plain(value: Any, path: str = "sandbox") -> Any:
    """Everything a sandbox holds, as comparable data; raises on a kind of state it does not know."""
    if isinstance(value, _LOCKS):
        return "<lock>"
    if isinstance(value, random.Random):
        return ("Random", value.getstate())
    if isinstance(value, itertools.count):
        return repr(value)  # the next id it hands out
    if value is None or isinstance(value, str | int | float | bool | bytes | Path):
        return value
    if isinstance(value, dict):  # Counter included
        return {k: plain(v, f"{path}[{k!r}]") for k, v in value.items()}
    if isinstance(value, list | tuple | deque):
        return [plain(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, set | frozenset):
        return sorted(value)
    if is_dataclass(value):
        return {f.name: plain(getattr(value, f.name), f"{path}.{f.name}") for f in fields(value)}
    if type(value).__module__.startswith("latecal.sandbox"):
        return {"type": type(value).__name__,
                **{k: plain(v, f"{path}.{k}") for k, v in vars(value).items()}}
    raise TypeError(f"{path}: {type(value).__name__} is state this test does not know how to compare")


def dirty(server: SandboxServer) -> None:
    """Change every piece of state a test can reach, through HTTP and the runner's helpers."""
    server.seed(profiles=[{"name": "Extra", "timezone": "Asia/Tokyo"}])
    seed_basic(server)
    server.configure(latencyMs=1, failRate=0.5, rpmLimit=500, publishDurationSeconds=7, syncPublishDelayMs=1,
                     seed=99)
    server.force_outcome(ACCOUNTS["bluesky"], "fail", count=3)
    server.add_fault("status", status=503, route="GET /v1/profiles", count=1)
    server.add_fault("latency", latencyMs=1, probability=0.5)
    key = sorted(server.sandbox.api_keys)[0]
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as c:
        assert c.get("/v1/profiles").status_code == 503
        for n in range(4):
            c.post("/v1/posts", json={"content": f"d{n}", "platforms": [target("twitter"), target("bluesky")],
                                      "publishNow": True},
                   headers={"Idempotency-Key": f"k{n}", "x-request-id": f"r{n}"})
        c.post("/v1/posts", json={"content": "q", "platforms": [target("linkedin")], "queuedFromProfile": PROFILE_ID})
        info = c.post("/v1/media/presign", json={"filename": "a.png", "contentType": "image/png"}).json()
        httpx.put(info["uploadUrl"], content=b"png!", headers={"Content-Type": "image/png"})
        c.post("/v1/media/presign", json={"filename": "b.png", "contentType": "image/png"})  # never uploaded
        hold = server.hold("POST /v1/posts")
        late = {}
        t = threading.Thread(target=lambda: late.setdefault("r", c.post("/v1/posts", json={
            "content": "held", "platforms": [target("twitter")], "publishNow": True},
            headers={"Idempotency-Key": "held"})))
        t.start()
        server.wait_held(hold)
        server.hold("GET /v1/accounts", count=None)
        server.advance(3 * 3600)
        server.sandbox.state.rng.random()
        server.sandbox.api_keys = {"sk_someone_else"}
        server.reset()  # releases the held create, whose late answer must not leak into the fresh state
        t.join(10)
    assert "r" in late  # answered, not left waiting


def script(server: SandboxServer) -> list[Any]:
    """Requests whose answers show the state: data, ids, clock, config, keys, faults, holds, limits, media."""
    control = [("GET", p) for p in ("/config", "/faults", "/holds", "/outcomes", "/stats", "/clock", "/state")]
    out: list[Any] = []
    origin = server.origin
    with httpx.Client(base_url=server.control_url, timeout=10) as ctl:
        for method, path in control:
            out.append(ctl.request(method, path).json())
        out.append(ctl.post("/faults", json={"kind": "status", "status": 500, "probability": 0.5}).json())
        out.append(ctl.post("/holds", json={"route": "/nowhere"}).json())
    seed_basic(server)
    for key in sorted({KEY, "sk_someone_else", "sk_other_key", "sk_demo_public_local_sandbox"}):
        with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as c:
            for n in range(3):
                r = c.post("/v1/posts", json={"content": f"s{n}", "platforms": [target("twitter")],
                                              "publishNow": True}, headers={"Idempotency-Key": f"k{n}"})
                out.append((key, r.status_code, r.text.replace(origin, "ORIGIN"),
                            r.headers.get("x-ratelimit-limit"), r.headers.get("x-ratelimit-remaining")))
            for path in ("/v1/posts?limit=500", "/v1/accounts", "/v1/profiles",
                         f"/v1/queue/next-slot?profileId={PROFILE_ID}"):
                r = c.get(path)
                out.append((key, path, r.status_code, r.text.replace(origin, "ORIGIN")))
    gone = httpx.get(f"{server.origin}/media/temp/none.png")
    out.append(gone.status_code)
    with httpx.Client(base_url=server.control_url, timeout=10) as ctl:
        out.append(ctl.get("/stats").json())
        out.append(ctl.post("/clock/advance", json={"seconds": 86400}).json())
        out.append(ctl.get("/state").json() | {"savedAt": None})
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_reset_sandbox_holds_exactly_what_a_new_one_holds(frozen_clock, case):
    kwargs = CASES[case]
    with SandboxServer(**kwargs) as used:
        dirty(used)
        new = Sandbox(**kwargs)
        assert plain(used.sandbox) == plain(new)
        assert used.sandbox.faults.rng is used.sandbox.state.rng  # faults draw from the seeded RNG, as new


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_reset_sandbox_answers_every_request_as_a_new_one(frozen_clock, case):
    kwargs = CASES[case]
    with SandboxServer(**kwargs) as used, SandboxServer(**kwargs) as new:
        dirty(used)
        assert script(used) == script(new)


def test_reset_over_http_is_the_same_reset(frozen_clock):
    with SandboxServer(seed=3) as used:
        dirty(used)
        seed_basic(used)
        with httpx.Client(base_url=used.control_url, timeout=10) as ctl:
            assert ctl.post("/reset", json={}).json()["posts"] == 0
        assert plain(used.sandbox) == plain(Sandbox(seed=3))
        assert used.reset(demo=True)["posts"] >= 70  # asked for: the demo data on a sandbox made without it
