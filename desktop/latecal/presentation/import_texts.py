"""Every sentence and label of the CSV import (the preview dialog and ``latecal import``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from latecal.core.csv_reading import CsvProblem

FIELD_LABELS = {
    "post_content": "Text", "title": "Title", "platforms": "Platforms", "profiles": "Profile",
    "accounts": "Accounts (usernames)", "schedule_time": "Date and time", "tz": "Time zone",
    "media_urls": "Media URLs", "link": "Link (added to the text)", "hashtags": "Hashtags", "mentions": "Mentions",
    "tags": "Tags", "is_draft": "Draft (true/false)", "publish_now": "Publish now", "use_queue": "Use queue",
}
NOT_IMPORTED = "(not imported)"
DIALOG_TITLE = "Import posts from CSV"
CHOOSE_FILE = "Choose a CSV file to import"
FILE_FILTER = "CSV files (*.csv *.tsv *.txt);;All files (*)"
MAPPING_HINT = ("These columns are not in Late's own format. Say what each one holds; the choice is remembered "
                "for files with the same columns.")
PREVIEW_HEADERS = ("Import", "Row", "Accounts", "Time", "Zone", "Text", "Media", "Problems", "Late's check")
CHECKING_LATE = "Late is checking the file too…"
LATE_UNREACHABLE = "Late's own check could not run (offline?); the import checks above still apply."
LATE_OK = "OK"
IMPORT_BUTTON = "Import {count} posts"
CANCEL_CHECK = "Stop checking"
CHECK_ROWS = "Check rows"
CHECK_STOPPED = "Checking stopped; nothing was imported. Close the dialog, or open the file again."
ALREADY = "already imported"
SKIPPED = "skipped"
READY = "ready"
UNDO_TEXT = "Import of {count} posts from {name}"
NO_KEY = "no Late API key is set: run 'latecal auth set' first (or leave out --sync)"
NO_ROWS_TO_IMPORT = "No row is ready to import: fix or skip the rows with problems."


def where(problem: CsvProblem) -> str:
    """"Row 3, column schedule_time" — what every problem line starts with."""
    if problem.row <= 0:
        return "File"
    return f"Row {problem.row}" + (f", column {problem.column}" if problem.column else "")


def cell_problem(column: str, message: str) -> str:
    """A problem in the preview's row: its column first, when it has one."""
    return f"{column}: {message}" if column else message


def problem_line(problem: CsvProblem) -> str:
    return f"{where(problem)}: {problem.message}"


def unreadable(name: str, problem: CsvProblem) -> str:
    return f"Cannot import {name}. {problem_line(problem)}"


def importing(count: int) -> str:
    return f"Importing {count:,} posts…"


def checking(done: int, total: int) -> str:
    return f"Checking row {done:,} of {total:,}…"


def read_as(rows: int, encoding: str, delimiter: str) -> str:
    return f"{rows:,} rows, read as {encoding}, {delimiter}-separated."


def summary(valid: int, already: int, problems: int, skipped: int) -> str:
    parts = [f"{valid:,} ready to import", f"{already:,} already imported"]
    if problems:
        parts.append(f"{problems:,} with problems")
    if skipped:
        parts.append(f"{skipped:,} skipped")
    return ", ".join(parts) + "."


def imported(new: int, already: int) -> str:
    """"0 new, 40 already imported" — the double import's answer."""
    return f"Imported: {new:,} new, {already:,} already imported."


def missing_columns(fields: list[str]) -> str:
    names = " and ".join(FIELD_LABELS.get(f, f) for f in fields)
    return f"Map a column to {names}, or no row can be imported."


def late_row_errors(codes: list[str]) -> str:
    return "; ".join(_late_code(c) for c in codes) or LATE_OK


def _late_code(code: str) -> str:
    kind, _, detail = code.partition(":")
    words = {"unknown_profile": "unknown profile", "no_account_for_platform": "no account for",
             "schedule_time_missing": "no time", "invalid_schedule_time": "unreadable time",
             "content_missing": "no content", "unknown_platform": "unknown platform",
             "account_disconnected": "account disconnected", "duplicate": "duplicate within 24 h",
             "rate_limited": "rate limited"}.get(kind, kind.replace("_", " "))
    return f"{words} {detail}".strip()


def late_warning(code: str) -> str:
    return "Late: " + _late_code(code)


def cli_unreadable(name: str, problem: CsvProblem) -> str:
    return f"latecal: {unreadable(name, problem)}"


def cli_dry_run(valid: int, rows: int) -> str:
    return f"Dry run: {valid:,} of {rows:,} rows would be imported; nothing was written."


def cli_no_late(why: str) -> str:
    return f"cannot reach Late ({why}); working with the local store only (the app sends new posts when it syncs)."


def unknown_zone(name: str) -> str:
    return f"Unknown time zone '{name}'; use an IANA name such as Europe/Berlin."


def no_store(why: str) -> str:
    return f"cannot open the local store: {why}"
