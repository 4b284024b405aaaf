"""Helpers shared by the LateClient unit tests: a scripted MockTransport and an instant, recorded sleep."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from latecal.late.client import LateClient

API_KEY = "sk_fake_" + "0f" * 24  # made up: the tests prove it never reaches a log line or a message
BASE = "https://zernio.com/api"
NOW = 1_800_000_000.0  # the fake wall clock


def post_json(late_id: str = "p1", status: str = "scheduled", **extra: Any) -> dict:
    return {"_id": late_id, "status": status, "content": "hello", "scheduledFor": "2027-01-15T10:00:00Z",
            "platforms": [{"platform": "twitter", "accountId": {"_id": "acc1", "platform": "twitter"},
                           "status": "pending"}], "updatedAt": "2027-01-01T00:00:00Z", **extra}


def reply(status: int = 200, body: Any = None, *, headers: dict[str, str] | None = None,
          text: str | None = None) -> httpx.Response:
    if text is not None:
        return httpx.Response(status, text=text, headers=headers)
    return httpx.Response(status, content=json.dumps(body if body is not None else {}).encode(),
                          headers={"content-type": "application/json", **(headers or {})})


Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class Script:
    """Answers requests with the next scripted step (a response, an exception to raise, or a callable)."""

    def __init__(self, *steps: Step, repeat_last: bool = False) -> None:
        self.steps = list(steps)
        self.repeat_last = repeat_last
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.content)
        if not self.steps:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        step = self.steps[0] if (self.repeat_last and len(self.steps) == 1) else self.steps.pop(0)
        if isinstance(step, Exception):
            # httpx exceptions carry the request, as the real transport's do
            if isinstance(step, httpx.RequestError):
                step.request = request
            raise step
        if callable(step) and not isinstance(step, httpx.Response):
            return step(request)
        return step

    @property
    def count(self) -> int:
        return len(self.requests)

    def header(self, name: str) -> list[str | None]:
        return [r.headers.get(name) for r in self.requests]


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make_client(script: Script, *, base_url: str = BASE, **kw: Any) -> tuple[LateClient, Sleeps]:
    sleeps = Sleeps()
    kw.setdefault("rand", lambda: 1.0)  # full jitter at its ceiling: deterministic waits
    client = LateClient(API_KEY, base_url, transport=httpx.MockTransport(script), sleep=sleeps,
                        clock=lambda: NOW, **kw)
    return client, sleeps
