"""``latecal-sandbox``: serve the sandbox until SIGINT/SIGTERM; the first stdout line is the base URL."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from . import DEMO_API_KEY


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="latecal-sandbox", description="A Late-compatible sandbox server.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--demo", action="store_true", help="demo accounts and posts, and the demo API key")
    p.add_argument("--state", metavar="FILE", help="save and reload the whole state here")
    p.add_argument("--api-key", action="append", dest="api_keys", metavar="KEY", help="accepted key (repeatable)")
    p.add_argument("--latency-ms", type=int, default=0)
    p.add_argument("--fail-rate", type=float, default=0.0)
    p.add_argument("--rpm-limit", type=int, default=None)
    p.add_argument("--seed", type=int, default=None)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not 0.0 <= args.fail_rate <= 1.0:
        print("--fail-rate must be between 0 and 1", file=sys.stderr)
        return 2
    from .runner import SandboxServer  # after argument parsing, so --help stays instant

    keys = tuple(args.api_keys or (() if args.demo else ("sk_test_sandbox",)))
    server = SandboxServer(api_keys=keys, demo=args.demo, state_file=args.state, latency_ms=args.latency_ms,
                           fail_rate=args.fail_rate, rpm_limit=args.rpm_limit, host=args.host, port=args.port,
                           seed=args.seed)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    server.start()
    print(server.base_url, flush=True)
    print(f"control: {server.control_url}  keys: {', '.join(sorted(server.sandbox.api_keys))}", file=sys.stderr,
          flush=True)
    if args.demo:
        print(f"demo key: {DEMO_API_KEY}", file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
