"""Command-line parsing for `latecal` (design.md "Contracts"). Qt-free so `--version` needs no display."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from latecal import __version__

VIEWS = ("month", "week", "day", "list")


@dataclass(frozen=True, slots=True)
class Options:
    demo: bool = False
    base_url: str | None = None
    data_dir: Path | None = None
    screenshot: Path | None = None
    view: str | None = None  # None: the last session's view (month for screenshots)
    date: date | None = None


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="latecal",
        description="Late Calendar: plan, edit and watch your social media posts on the Late API.",
        epilog="The Late API key lives in your system keyring: set, inspect or remove it with "
        "'latecal auth set', 'latecal auth status' and 'latecal auth clear' (see 'latecal auth --help').",
    )
    parser.add_argument("--version", action="version", version=f"latecal {__version__}")
    parser.add_argument("--demo", action="store_true", help="run against the embedded Late sandbox with demo data")
    parser.add_argument("--base-url", metavar="URL", help="a Late-compatible API base URL, e.g. https://zernio.com/api")
    parser.add_argument("--data-dir", metavar="DIR", type=Path, help="where the local post store lives")
    parser.add_argument("--screenshot", metavar="PATH", type=Path, help="save the main window as PNG and exit")
    parser.add_argument("--view", choices=VIEWS, help="the calendar view to open (default: the one last used; "
                        "month with --screenshot)")
    parser.add_argument("--date", metavar="YYYY-MM-DD", type=_iso_date, help="the date to open the calendar on")
    return parser


def parse_args(argv: list[str] | None = None) -> Options:
    ns = build_parser().parse_args(argv)
    return Options(
        demo=ns.demo,
        base_url=ns.base_url,
        data_dir=ns.data_dir,
        screenshot=ns.screenshot,
        view=ns.view,
        date=ns.date,
    )
