"""A Late-compatible HTTP server for demo mode, integration tests and benchmarks.

URL layout (one server, one port):

- ``{origin}/api/v1/...``   Late's API (bearer auth, rate limited, fault injection applies);
- ``{origin}/media/...``    presigned upload targets and public media URLs (no auth, like Late's storage);
- ``{origin}/_sandbox/...`` the control API (reset, seed, clock, faults, outcomes, stats); never under /v1.

``SandboxServer`` (``latecal.sandbox.runner``) runs it in-process; ``latecal-sandbox`` on the command line.
Nothing here imports Qt or any other latecal package: it is an independent implementation of Late's server.
"""

from __future__ import annotations

# The fixed key demo mode accepts. Public on purpose: it opens only the embedded sandbox on this computer and is
# no Late key (a Late key lives only in the OS keyring).
DEMO_API_KEY = "sk_demo_public_local_sandbox"

__all__ = ["DEMO_API_KEY"]
