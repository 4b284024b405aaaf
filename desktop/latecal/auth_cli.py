"""`latecal auth set|status|clear`: manage the Late API key in the OS keyring from a terminal.

The key is read from standard input (without echo on a terminal) and never printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from latecal.secrets import Backend, KeyStore


def _read_key() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Late API key (input hidden): ")
    return sys.stdin.readline()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="latecal auth", description="Manage the Late API key in the OS keyring.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("set", help="store a key read from standard input (never echoed)")
    sub.add_parser("status", help="say which keyring holds a key (never the key); exit 1 when none is set")
    sub.add_parser("clear", help="remove the key from the keyring")
    args = parser.parse_args(argv)
    store = KeyStore()

    if args.command == "set":
        try:
            key = _read_key()
        except (EOFError, KeyboardInterrupt):
            print("latecal: no key given", file=sys.stderr)
            return 1
        if not key.strip():
            print("latecal: no key given on standard input", file=sys.stderr)
            return 1
        where = store.set(key)
        if where is not Backend.SYSTEM:
            print("latecal: no usable system keyring (is a Secret Service running and unlocked?); "
                  "the key was not stored", file=sys.stderr)
            return 1
        print(f"Stored the Late API key in the system keyring ({store.status().name}).")
        return 0
    if args.command == "status":
        status = store.status()
        print(status.describe())
        return 0 if status.has_key else 1
    store.delete()
    print("Removed the Late API key from the keyring.")
    return 0
