"""Checking a whole file: every row by the editor's rules (``csv_rows``), then what only the file as a whole
shows: rows duplicated within it, and the same text for the same account within 24 hours of another row or of a
post already here (Late refuses that with 409, §2.7). Runs in slices so a window can show progress and cancel.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from latecal.core.csv_columns import row_values
from latecal.core.csv_reading import CsvProblem, CsvTable
from latecal.core.csv_rows import ImportContext, RowResult, build_row, fingerprint, import_key
from latecal.core.models import Post
from latecal.core.platforms import display_name
from latecal.core.status import PostStatus

DUPLICATE_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Summary:
    rows: int
    valid: int  # rows that would be (or were) imported, already imported ones not counted
    already_imported: int
    skipped: int
    with_problems: int


class ImportChecker:
    """``table`` read through ``mapping``; ``existing_keys`` are the import keys already in the store, and
    ``existing`` the stored posts a new row may duplicate (those of the same time span, at least)."""

    def __init__(self, table: CsvTable, mapping: Mapping[str, str], ctx: ImportContext, *,
                 existing_keys: Iterable[str] = (), existing: Iterable[Post] = ()) -> None:
        self.table = table
        self.mapping = dict(mapping)
        self.ctx = ctx
        self.keys = frozenset(existing_keys)
        self._sent: dict[tuple[str, str], list[tuple[datetime, int | None]]] = {}
        self.set_existing(existing)
        self.rows: list[RowResult] = []
        #: field -> the source column the user knows it by
        self.columns = {f: c for c, f in reversed(list(self.mapping.items())) if f}
        self._file_notes = self._width_notes()

    # -- checking ---------------------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.table.rows)

    @property
    def finished(self) -> bool:
        return len(self.rows) == self.total

    def check_some(self, count: int) -> int:
        """Check the next ``count`` rows; how many are checked so far. ``cross_check`` once all are."""
        for source in self.table.rows[len(self.rows): len(self.rows) + count]:
            key = import_key(self.table.digest, source.index)
            values = row_values(self.table.header, source.cells, self.mapping)
            self.rows.append(self._built(source.index, key, values))
        return len(self.rows)

    def check_all(self) -> None:
        self.check_some(self.total)
        self.cross_check()

    def _built(self, index: int, key: str, values: dict[str, str]) -> RowResult:
        if key in self.keys:
            return RowResult(index, key, values, already_imported=True)
        result = build_row(index, key, values, self.ctx)
        result.problems.extend(self._file_notes.get(index, []))
        return result

    def fix(self, index: int, field: str, value: str) -> RowResult:
        """The user's fix of one cell of row ``index`` (1-based); the whole file is checked across again."""
        old = self.rows[index - 1]
        values = {**old.values, field: value}
        row = self._built(index, old.key, values)
        row.skipped = old.skipped
        self.rows[index - 1] = row
        self.cross_check()
        return row

    def skip(self, index: int, skipped: bool = True) -> None:
        self.rows[index - 1].skipped = skipped
        self.cross_check()

    def set_existing(self, posts: Iterable[Post]) -> None:
        """The stored posts the rows may duplicate (those of other files or none: this file's own are skipped)."""
        self._sent = {}
        for post in posts:
            if post.idempotency_key in self.keys or post.status == PostStatus.DRAFT or post.scheduled_for is None:
                continue
            for t in post.targets:
                self._sent.setdefault((t.account_id, fingerprint(post, t)), []).append(
                    (t.scheduled_for or post.scheduled_for, None))

    def cross_check(self) -> None:
        for _ in self.cross_check_steps():
            pass

    def cross_check_steps(self, every: int = 500) -> Iterator[int]:
        """Rows repeated in the file, and the same text to the same account within 24 hours; yields the rows
        done every ``every`` rows, so a window can keep its events flowing."""
        seen: dict[tuple, int] = {}
        sent = {key: list(times) for key, times in self._sent.items()}
        for n, row in enumerate(self.rows, start=1):
            if n % every == 0:
                yield n
            row.problems[:] = [p for p in row.problems if p[0] != _CROSS]
            if row.skipped or row.already_imported or row.post is None:
                continue
            if row.identity in seen:
                row.problems.append((_CROSS, f"Row {row.index} repeats row {seen[row.identity]}; skip one of them."))
                continue
            seen[row.identity] = row.index
            for account_id, text, when in row.fingerprints:
                twins = sent.setdefault((account_id, text), [])
                near = next((other for other in twins if abs(other[0] - when) < DUPLICATE_WINDOW), None)
                if near is not None:
                    what = f"row {near[1]}" if near[1] is not None else "a post already in your calendar"
                    name = display_name(self.ctx.accounts[account_id].platform)
                    row.problems.append((_CROSS, f"The same text goes to this {name} account within 24 hours of "
                                                 f"{what}; Late refuses such a duplicate. Change the text or the "
                                                 "time, or skip the row."))
                    break
                twins.append((when, row.index))

    # -- results ----------------------------------------------------------------------------------------------

    def column_of(self, field: str) -> str:
        if field == _CROSS:
            return ""
        return self.columns.get(field, field)

    def problems(self) -> list[CsvProblem]:
        return [CsvProblem(row.index, self.column_of(f), message) for row in self.rows if not row.skipped
                for f, message in row.problems]

    def importable(self) -> list[RowResult]:
        return [row for row in self.rows if row.importable]

    def summary(self) -> Summary:
        return Summary(rows=self.total, valid=len(self.importable()),
                       already_imported=sum(r.already_imported for r in self.rows),
                       skipped=sum(r.skipped for r in self.rows),
                       with_problems=sum(1 for r in self.rows if r.problems and not r.skipped))

    def _width_notes(self) -> dict[int, list[tuple[str, str]]]:
        """Cells beyond the header are data with no column: the row may be shifted, so it is a problem."""
        width = len(self.table.header)
        notes: dict[int, list[tuple[str, str]]] = {}
        for source in self.table.rows:
            extra = [i for i, cell in enumerate(source.cells[width:], start=width + 1) if cell.strip()]
            if extra:
                notes[source.index] = [(f"#{extra[0]}", f"This row has {len(source.cells)} cells but the header "
                                                        f"names {width} columns; cell {extra[0]} has no column "
                                                        "(a missing quote or delimiter?).")]
        return notes


_CROSS = "__file__"  # a problem of the row as a whole within the file


