"""Which of an import's Idempotency-Keys the store already holds: those rows were imported before.

A query beside the store rather than in it: only the import asks it. Deleted posts (an import undone) do not
count, so the same file can be imported again after an undo.
"""

from __future__ import annotations

from collections.abc import Iterable

from latecal.store.store import Store

_CHUNK = 500  # well under SQLite's bound-parameter limit


def stored_keys(store: Store, keys: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    with store._lock:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            rows = store._db.execute(
                f"SELECT idempotency_key FROM posts WHERE deleted = 0 AND idempotency_key IN "
                f"({', '.join('?' * len(chunk))})", chunk).fetchall()
            found.update(row[0] for row in rows)
    return found
