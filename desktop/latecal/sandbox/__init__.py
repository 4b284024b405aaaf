"""A Late-compatible HTTP server for demo mode, integration tests and benchmarks.

URL layout (one server, one port):

- ``{origin}/api/v1/...``   Late's API (bearer auth, rate limited, fault injection applies);
- ``{origin}/media/...``    presigned upload targets and public media URLs (no auth, like Late's storage);
- ``{origin}/_sandbox/...`` the control API (reset, seed, clock, faults, outcomes, stats); never under /v1.

``SandboxServer`` (``latecal.sandbox.runner``) runs it in-process; ``latecal-sandbox`` on the command line.
Nothing here imports Qt or any other latecal package: it is an independent implementation of Late's server.
"""

from __future__ import annotations

# The fixed key demo mode accepts; shaped like a real Late key (sk_ + 64 hex).
DEMO_API_KEY = "sk_demo_5a4d8b0c3e7f41d2a9b6c8e0f1d3a5b7c9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9"

__all__ = ["DEMO_API_KEY"]
