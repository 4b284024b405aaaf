"""`latecal import FILE …` and `latecal export …` (design.md "Contracts"): no window and no Qt.

Import exit codes: 0 every row valid (dry run) or imported, 1 rows have problems (nothing is written then), 2 the
file cannot be read. ``--json`` prints one object last: {rows, valid, imported, already_imported, problems}.
``--sync`` talks to Late first (accounts, then Late's dry run of the file) and pushes the new posts after;
``--demo`` uses the demo store and the embedded sandbox (``--sync`` then reaches the sandbox).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from latecal.paths import resolve

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="NAME", help="the Late profile (name or id)")
    parser.add_argument("--sync", action="store_true", help="talk to Late: refresh accounts, check, push or pull")
    parser.add_argument("--demo", action="store_true", help="use the demo store and the embedded Late sandbox")
    parser.add_argument("--data-dir", metavar="DIR", type=Path, help="where the local post store lives")


def import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="latecal import", description="Import posts from a CSV file (Late's "
                                     "bulk format, or a mapped export of Buffer or Hootsuite).",
                                     epilog="exit codes: 0 imported (or, with --dry-run, every row valid); "
                                     "1 rows have problems (nothing written); 2 the file cannot be read")
    parser.add_argument("file", type=Path, help="the CSV file")
    parser.add_argument("--dry-run", action="store_true", help="check every row; write nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    parser.add_argument("--timezone", metavar="TZ", help="the zone of times without one (IANA, e.g. Europe/Berlin)")
    _common(parser)
    return parser


def export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="latecal export", description="Export posts as CSV (imports back) or "
                                     "iCalendar.")
    parser.add_argument("--format", choices=("csv", "ics"), required=True)
    parser.add_argument("--out", metavar="FILE", type=Path, required=True)
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", type=_iso_date)
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", type=_iso_date)
    parser.add_argument("--status", metavar="S", action="append", help="only posts with this status (repeatable)")
    _common(parser)
    return parser


@dataclass(slots=True)
class _Late:
    """A client (and, in demo mode, the sandbox serving it) for one command."""

    client: object
    sandbox: object | None = None

    async def close(self) -> None:
        await self.client.aclose()
        if self.sandbox is not None:
            self.sandbox.stop()


def _local_zone() -> str:
    from latecal.core.zones import is_valid_zone

    try:
        key = getattr(datetime.now().astimezone().tzinfo, "key", None)
    except (OSError, ValueError):
        key = None
    if key and is_valid_zone(key):
        return key
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except OSError:
        name = ""
    return name if is_valid_zone(name) else "UTC"


async def _connect(store, paths, demo: bool) -> _Late:
    from latecal.late.client import LateClient

    if demo:
        from latecal.sandbox import DEMO_API_KEY
        from latecal.sandbox.runner import SandboxServer

        server = SandboxServer(api_keys=(DEMO_API_KEY,), demo=True, state_file=paths.sandbox_state_file)
        server.start()
        return _Late(LateClient(DEMO_API_KEY, server.base_url), server)
    from latecal.late.urls import PRODUCTION_BASE_URL
    from latecal.secrets import KeyStore

    key = KeyStore().get()
    if not key:
        from latecal.presentation import import_texts as texts

        raise RuntimeError(texts.NO_KEY)
    return _Late(LateClient(key, PRODUCTION_BASE_URL))


async def _reach_late(store, paths, demo: bool) -> _Late | None:
    """Late (or the demo sandbox), or None with a warning: the import then checks and writes locally, and the
    app sends the posts on its next sync."""
    from latecal.presentation import import_texts as texts

    try:
        return await _connect(store, paths, demo)
    except Exception as exc:  # the keyring, the network or the sandbox: the import goes on locally
        print(f"latecal: {texts.cli_no_late(str(exc))}", file=sys.stderr)
        return None


async def _sync(store, late: _Late, *, pull: bool, window: tuple[datetime, datetime] | None = None):
    from latecal.sync import SyncEngine

    engine = SyncEngine(store, late.client)
    if window is not None:
        engine.set_window(*window)
    return await engine.run_once(pull=pull, refresh_accounts=True)


def _open_store(data_dir: Path | None, demo: bool):
    from latecal.store import Store

    paths = resolve(data_dir, demo=demo)
    return Store.open(paths.store_file), paths


def _say(text: str, *, json_mode: bool) -> None:
    print(text, file=sys.stderr if json_mode else sys.stdout)


def run_import(argv: list[str]) -> int:
    from latecal.core.csv_reading import CsvUnreadable
    from latecal.operations.importing import read_file
    from latecal.presentation import import_texts as texts
    from latecal.store import StoreError

    args = import_parser().parse_args(argv)
    out: dict = {"rows": 0, "valid": 0, "imported": 0, "already_imported": 0, "problems": []}

    def finish(code: int) -> int:
        if args.json:
            print(json.dumps(out, ensure_ascii=False))
        return code

    try:
        table = read_file(args.file)
    except CsvUnreadable as exc:
        out["problems"] = [{"row": exc.problem.row, "column": exc.problem.column, "message": exc.problem.message}]
        print(texts.cli_unreadable(args.file.name, exc.problem), file=sys.stderr)
        return finish(EXIT_UNREADABLE)
    try:
        store, paths = _open_store(args.data_dir, args.demo)
    except StoreError as exc:
        print(f"latecal: {texts.no_store(str(exc))}", file=sys.stderr)
        return finish(EXIT_UNREADABLE)
    try:
        return finish(asyncio.run(_import(args, table, store, paths, out)))
    finally:
        store.close()


async def _import(args, table, store, paths, out: dict) -> int:
    from latecal.core.csv_columns import missing_fields
    from latecal.core.csv_rows import ImportContext
    from latecal.core.zones import is_valid_zone
    from latecal.operations import importing
    from latecal.presentation import import_texts as texts

    if args.timezone and not is_valid_zone(args.timezone):
        out["problems"] = [{"row": 0, "column": "", "message": texts.unknown_zone(args.timezone)}]
        print(f"latecal: {texts.unknown_zone(args.timezone)}", file=sys.stderr)
        return EXIT_PROBLEMS
    late = await _reach_late(store, paths, args.demo) if args.sync else None
    try:
        if late is not None:
            await _sync(store, late, pull=True)
        mapping = importing.remembered_mapping(store, table.header)
        ctx = ImportContext({a.id: a for a in store.accounts()}, store.profiles(), datetime.now(UTC),
                            _local_zone(), zone=args.timezone, profile=args.profile)
        checker = importing.checker_for(store, table, mapping, ctx)
        checker.check_some(checker.total)
        importing.load_neighbours(store, checker)
        checker.cross_check()
        problems = checker.problems()
        if late is not None and checker.importable():
            problems += await _late_dry_run(late, checker, ctx)
        summary = checker.summary()
        # valid: rows without a problem, those imported before included (they are fine, just done)
        out.update(rows=summary.rows, valid=summary.valid + summary.already_imported,
                   already_imported=summary.already_imported,
                   problems=[{"row": p.row, "column": p.column, "message": p.message} for p in problems])
        for p in problems:
            _say(texts.problem_line(p), json_mode=args.json)
        if missing := missing_fields(mapping):
            _say(texts.missing_columns(missing), json_mode=args.json)
        if problems:
            _say(texts.summary(summary.valid, summary.already_imported, summary.with_problems, 0),
                 json_mode=args.json)
            return EXIT_PROBLEMS
        if args.dry_run:
            _say(texts.cli_dry_run(summary.valid, summary.rows), json_mode=args.json)
            return EXIT_OK
        result = importing.import_rows(store, checker.rows, initiator="cli-import")
        if not result.posts and summary.valid:
            _say(result.message.text if result.message else "", json_mode=args.json)
            out["problems"] = [{"row": 0, "column": "", "message": result.message.text if result.message else ""}]
            return EXIT_PROBLEMS
        out["imported"] = len(result.posts)
        out["already_imported"] = summary.already_imported + summary.valid - len(result.posts)
        _say(texts.imported(out["imported"], out["already_imported"]), json_mode=args.json)
        if late is not None and result.posts:
            await _sync(store, late, pull=False)
        return EXIT_OK
    finally:
        if late is not None:
            await late.close()


async def _late_dry_run(late: _Late, checker, ctx) -> list:
    """Late's own check of the ready rows (bulk upload, dryRun=true): its row errors, named by our rows."""
    from latecal.core.csv_reading import CsvProblem
    from latecal.core.csv_writing import late_upload_csv
    from latecal.late.errors import LateError
    from latecal.presentation import import_texts as texts

    ready = checker.importable()
    body = late_upload_csv([r.post for r in ready], ctx.accounts, ctx.profiles, ctx.display_zone)
    try:
        result = await late.client.bulk_upload(body, dry_run=True)
    except LateError as exc:
        print(f"latecal: {texts.LATE_UNREACHABLE} ({exc})", file=sys.stderr)
        return []
    problems = []
    for row in result.rows:
        if not row.ok and 1 <= row.row_index <= len(ready):
            problems.append(CsvProblem(ready[row.row_index - 1].index, "",
                                       "Late: " + texts.late_row_errors(row.errors)))
    return problems


def run_export(argv: list[str]) -> int:
    from latecal.operations import exporting
    from latecal.presentation import export_texts as texts
    from latecal.store import StoreError

    args = export_parser().parse_args(argv)
    try:
        store, paths = _open_store(args.data_dir, args.demo)
    except StoreError as exc:
        from latecal.presentation.import_texts import no_store

        print(f"latecal: {no_store(str(exc))}", file=sys.stderr)
        return 2
    try:
        zone = _local_zone()
        if args.sync:
            asyncio.run(_pull_for_export(store, paths, args, zone))
        selection = exporting.Selection(args.start, args.end, args.profile, frozenset(args.status or ()), zone)
        posts = exporting.select_posts(store, selection)
        accounts = {a.id: a for a in store.accounts()}
        if args.format == "csv":
            data = exporting.csv_text(posts, accounts, store.profiles(), zone).encode("utf-8")
        else:
            data = exporting.ics_bytes(posts, accounts, zone)
        try:
            args.out.write_bytes(data)
        except OSError as exc:
            print(f"latecal: {texts.cannot_write(str(args.out), exc.strerror or str(exc))}", file=sys.stderr)
            return 2
        print(texts.exported(len(posts), str(args.out)))
        return 0
    finally:
        store.close()


async def _pull_for_export(store, paths, args, zone: str) -> None:
    from datetime import time, timedelta

    from latecal.core.zones import local_to_utc

    late = await _reach_late(store, paths, args.demo)
    if late is None:
        return
    try:
        start = local_to_utc(args.start, time(0), zone) if args.start else datetime.now(UTC) - timedelta(days=90)
        end = (local_to_utc(args.end + timedelta(days=1), time(0), zone) if args.end
               else datetime.now(UTC) + timedelta(days=365))
        await _sync(store, late, pull=True, window=(start, end))
    finally:
        await late.close()
