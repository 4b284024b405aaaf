"""`latecal` console entry point. Parses arguments before importing Qt so `--version` works headless."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """The process's start (console script, frozen bundle) when ``argv`` is None; tests pass their own ``argv``
    and keep their process's limits."""
    if argv is None:
        from latecal.no_core_dumps import forbid_core_dumps

        forbid_core_dumps()  # first of all: nothing has read the API key yet
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["auth"]:
        from latecal.auth_cli import main as auth_main

        return auth_main(args[1:])
    if args[:1] in (["import"], ["export"]):  # no window, no Qt
        from latecal import transfer_cli

        return (transfer_cli.run_import if args[0] == "import" else transfer_cli.run_export)(args[1:])

    from latecal.cli import parse_args

    options = parse_args(args)
    from latecal.app import run

    return run(options)


if __name__ == "__main__":
    sys.exit(main())
