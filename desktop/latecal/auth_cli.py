"""`latecal auth set|status|clear`: manage the Late API key in the OS keyring from a terminal.

The key is read from standard input (without echo on a terminal) and never printed, not even in part.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from latecal.secrets import Backend, KeyringUnavailable, KeyStore

EXIT_OK = 0
EXIT_NO_KEY = 1  # status: no key is stored; set: nothing usable on standard input
EXIT_USAGE = 2  # argparse's own code for a bad command line
EXIT_NO_KEYRING = 3  # no usable system keyring, or it is locked: nothing was stored or removed

_EPILOG = """\
exit codes:
  0  done (status: a key is stored)
  1  status: no key is stored; set: no key on standard input
  2  bad command line
  3  no usable system keyring, or it is locked (nothing was changed)

examples:
  latecal auth set                   # type or paste the key; it is not echoed
  pass show late | latecal auth set  # or pipe it in
  latecal auth status                # which keyring holds the key (never the key)
"""


def _read_key() -> str:
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        return getpass.getpass("Late API key (input hidden): ")
    return sys.stdin.read()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="latecal auth",
        description="Manage the Late API key in the operating system's keyring. The key is never printed.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="{set,status,clear}")
    sub.add_parser("set", help="store a key read from standard input (never echoed)", epilog=_EPILOG,
                   formatter_class=argparse.RawDescriptionHelpFormatter)
    sub.add_parser("status", help="say which keyring holds a key (never the key); exit 1 when none is set",
                   epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub.add_parser("clear", help="remove the key from the keyring", epilog=_EPILOG,
                   formatter_class=argparse.RawDescriptionHelpFormatter)
    return parser


def _set(store: KeyStore) -> int:
    try:
        text = _read_key()
    except (EOFError, KeyboardInterrupt):
        text = ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        print("latecal: no key given on standard input; nothing was stored", file=sys.stderr)
        return EXIT_NO_KEY
    if len(lines) > 1:
        print("latecal: expected one key on one line; nothing was stored", file=sys.stderr)
        return EXIT_NO_KEY
    try:
        where = store.set(lines[0])
    except ValueError as exc:  # the message describes the problem, never the key
        print(f"latecal: {exc}; nothing was stored", file=sys.stderr)
        return EXIT_NO_KEY
    if where is not Backend.SYSTEM:
        reason = ("the system keyring is locked" if where is Backend.LOCKED
                  else "no usable system keyring is available (is a Secret Service running?)")
        print(f"latecal: {reason}; nothing was stored", file=sys.stderr)
        return EXIT_NO_KEYRING
    print(f"Stored the Late API key in the system keyring ({store.status().name}).")
    return EXIT_OK


def _status(store: KeyStore) -> int:
    status = store.status()
    print(status.describe())
    if status.backend is not Backend.SYSTEM:
        return EXIT_NO_KEYRING
    return EXIT_OK if status.has_key else EXIT_NO_KEY


def _clear(store: KeyStore) -> int:
    had = store.status()
    if had.backend is not Backend.SYSTEM:
        print(f"latecal: {had.describe()}; nothing was removed", file=sys.stderr)
        return EXIT_NO_KEYRING
    try:
        store.delete()
    except KeyringUnavailable as exc:
        print(f"latecal: {exc}; nothing was removed", file=sys.stderr)
        return EXIT_NO_KEYRING
    if had.has_key:
        print(f"Removed the Late API key from the system keyring ({had.name}).")
    else:
        print(f"No Late API key was stored in the system keyring ({had.name}).")
    return EXIT_OK


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    store = KeyStore()
    return {"set": _set, "status": _status, "clear": _clear}[args.command](store)
