"""Per-key sliding one-minute window (§6.3): X-RateLimit-Limit/Remaining/Reset and 429 + Retry-After."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

WINDOW_S = 60.0


class RateLimiter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str, limit: int) -> tuple[bool, dict[str, str]]:
        """Count one request for ``key``; returns (allowed, headers). Rejected requests are not counted."""
        now = time.time()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - WINDOW_S:
                hits.popleft()
            allowed = len(hits) < limit
            if allowed:
                hits.append(now)
            oldest = hits[0] if hits else now
            reset_at = oldest + WINDOW_S
            headers = {
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(max(limit - len(hits), 0)),
                "X-RateLimit-Reset": str(math.ceil(reset_at)),
            }
            if not allowed:
                headers["Retry-After"] = str(max(1, math.ceil(reset_at - now)))
            return allowed, headers

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

    def peek(self, key: str, limit: int) -> dict[str, str]:
        """Headers for a response that is not counted (unauthenticated or answered by a fault)."""
        now = time.time()
        with self._lock:
            hits = [t for t in self._hits.get(key, ()) if t > now - WINDOW_S]
        reset_at = (hits[0] if hits else now) + WINDOW_S
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(limit - len(hits), 0)),
            "X-RateLimit-Reset": str(math.ceil(reset_at)),
        }
