"""Importing checked CSV rows: every ready row becomes a post through the store's normal create path (its row
and its outbox entry, with the row's Idempotency-Key), all in one transaction and one change set; and the
checks that need the store (keys already imported, posts a row may duplicate, the remembered column mapping)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from latecal.core.csv_check import DUPLICATE_WINDOW, ImportChecker
from latecal.core.csv_columns import (
    HEADERLESS_COLUMNS,
    header_signature,
    lacks_header,
    mapping_from_json,
    mapping_to_json,
    suggested_mapping,
)
from latecal.core.csv_reading import CsvTable, read_csv_file
from latecal.core.csv_rows import ImportContext, RowResult, import_key
from latecal.core.scheduling import Refusal
from latecal.operations.failure import why_failed
from latecal.operations.result import OpResult
from latecal.presentation import import_texts as texts
from latecal.presentation import messages as say
from latecal.store import Store
from latecal.store.import_keys import stored_keys

_MAPPING_META = "csv_mapping:"


def read_file(path) -> CsvTable:
    """The file as a table (``CsvUnreadable`` when it is none); one without a header line (Hootsuite's) gets
    Hootsuite's column names and keeps its first line as row 1."""
    table = read_csv_file(path)
    return table.with_header(HEADERLESS_COLUMNS) if lacks_header(table.header) else table


def remembered_mapping(store: Store, header: Sequence[str]) -> dict[str, str]:
    """The mapping last confirmed for this header set, else the suggested one."""
    remembered = mapping_from_json(store.get_meta(_MAPPING_META + header_signature(header)), header)
    return remembered if remembered is not None else suggested_mapping(header)


def remember_mapping(store: Store, header: Sequence[str], mapping: dict[str, str]) -> None:
    store.set_meta(_MAPPING_META + header_signature(header), mapping_to_json(mapping))


def checker_for(store: Store, table: CsvTable, mapping: dict[str, str], ctx: ImportContext) -> ImportChecker:
    """A checker that knows which of the file's rows are in the store already."""
    keys = stored_keys(store, (import_key(table.digest, r.index) for r in table.rows))
    return ImportChecker(table, mapping, ctx, existing_keys=keys)


def load_neighbours(store: Store, checker: ImportChecker) -> None:
    """Hand the checker the stored posts its rows could duplicate (within 24 h of the file's span)."""
    times = [t for r in checker.rows if r.post is not None
             for t in (r.post.scheduled_for, *(x.scheduled_for for x in r.post.targets)) if t is not None]
    if not times:
        return
    margin = DUPLICATE_WINDOW + timedelta(minutes=1)
    neighbours = store.posts_between(min(times) - margin, max(times) + margin)
    checker.set_existing(neighbours)


def import_rows(store: Store, rows: Sequence[RowResult], *, initiator: object) -> OpResult:
    """Store every ready row as a new post, in one transaction. A row whose key another import stored since the
    check is counted as already imported, never stored twice."""
    ready = [r for r in rows if r.importable and r.post is not None]
    try:
        with store.batch(initiator=initiator) as batch:
            taken = stored_keys(store, (r.key for r in ready))
            saved = tuple(store.save_post(r.post, initiator=initiator) for r in ready if r.key not in taken)
    except Exception as exc:  # nothing of the import is written: one transaction
        return OpResult(message=say.problem(say.could_not_save(why_failed(exc))),
                        refused={r.post.local_id: Refusal.STORE_ERROR for r in ready if r.post is not None})
    already = sum(r.already_imported for r in rows) + len(ready) - len(saved)
    return OpResult(batch.changes, saved, say.info(texts.imported(len(saved), already)))
