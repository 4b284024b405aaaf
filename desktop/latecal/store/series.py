"""Recurring series: their rows, their occurrences (ordinary posts marked with ``series_id``/``occurrence``) and
their exceptions (an occurrence skipped, or edited on its own).

A mixin of :class:`latecal.store.Store`. Membership is written only here (``posts.series_id`` is not a content
column), so neither an editor save nor a pull from Late changes which series a post belongs to.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from latecal.core.models import Post
from latecal.core.recurrence import HORIZON, Rule, Series, occurrence_post, occurrences_due
from latecal.store import codec
from latecal.store.records import ChangeSet

#: series extended per call of ``extend_series`` (per sync run, one a minute)
EXTEND_PER_RUN = 5
_COLUMNS = "id, rule, zone, first_us, template, on_late, made_until_us"


def _series(row) -> Series:
    return Series(id=row[0], rule=Rule.from_json(row[1]), zone=row[2], first_utc=codec.from_us(row[3]),
                  template=codec.post_from_json(row[4]), on_late=bool(row[5]), made_until=codec.from_us(row[6]))


class SeriesStore:

    def put_series(self, series: Series) -> None:
        """Insert or replace a series row (inside the caller's batch)."""
        with self._write(durable=True):
            self._db.execute(
                # an upsert, not INSERT OR REPLACE: a replace deletes the row first, and its exceptions with it
                f"INSERT INTO series ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "rule = excluded.rule, zone = excluded.zone, first_us = excluded.first_us, "
                "template = excluded.template, on_late = excluded.on_late, made_until_us = excluded.made_until_us",
                (series.id, series.rule.to_json(), series.zone, codec.to_us(series.first_utc),
                 codec.post_to_json(series.template), int(series.on_late), codec.to_us(series.made_until)),
            )

    def make_occurrences(self, series: Series, *, now: datetime, until: datetime | None = None) -> list[Post]:
        """Create the local occurrences due up to ``until`` (default: ``HORIZON`` from now), each an ordinary post
        with its own Idempotency-Key and outbox entry, and note how far the series now goes."""
        until = until or now + HORIZON
        if series.on_late or until <= series.made_until:
            return []
        with self._write(durable=True):
            skipped = [i for i, kind in self.exceptions(series.id).items() if kind == "skipped"]
            made = [self.save_post(occurrence_post(series, i, when))
                    for i, when in occurrences_due(series, until_utc=until, now=now, skipped=skipped)]
            self.put_series(replace(series, made_until=until))
        return made

    def extend_series(self, now: datetime, *, initiator: object | None = None, limit: int = EXTEND_PER_RUN) -> int:
        """Keep local series ``HORIZON`` ahead (the sync engine calls this each run): one query on the small series
        table when nothing is due. A series is extended once it is a day short, and at most ``limit`` per call, so
        a run on the GUI thread stays short (~3 ms a series) while the day's slack leaves time for every series."""
        due = self.series_to_extend(now + HORIZON - timedelta(days=1), limit)
        if not due:
            return 0
        with self.batch(initiator=initiator):
            return sum(len(self.make_occurrences(s, now=now)) for s in due)

    def series_to_local(self, series_id: str, now: datetime, *, initiator: object | None = None) -> list[Post]:
        """Late refused to repeat the series' post (its limit of 10, counted with posts this app never pulled):
        the post goes without ``recycling`` and the app makes the repeats itself, as for any local series."""
        series = self.get_series(series_id)
        if series is None or not series.on_late:
            return []
        with self.batch(initiator=initiator):
            local = replace(series, on_late=False)
            self.put_series(local)
            for post in self.series_posts(series_id):
                if post.recycling is not None:
                    self.save_post(replace(post, recycling=None))
            return self.make_occurrences(local, now=now)

    def drop_series(self, series_id: str) -> None:
        """Forget a series (its exceptions too); its posts stay, as ordinary posts."""
        with self._write(durable=True):
            ids = [r[0] for r in self._db.execute("SELECT local_id FROM posts WHERE series_id = ?", (series_id,))]
            self._db.execute("UPDATE posts SET series_id = '', occurrence = 0 WHERE series_id = ?", (series_id,))
            self._db.execute("DELETE FROM series_exceptions WHERE series_id = ?", (series_id,))
            self._db.execute("DELETE FROM series WHERE id = ?", (series_id,))
            self._record(changed=ids)

    def get_series(self, series_id: str) -> Series | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM series WHERE id = ?", (series_id,)).fetchone()
        return None if row is None else _series(row)

    def series_to_extend(self, until: datetime, limit: int = -1) -> list[Series]:
        """Local series whose occurrences stop short of ``until``, the most pressing first (one scan of a small
        table)."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM series WHERE on_late = 0 AND made_until_us < ? "
                                    "ORDER BY made_until_us LIMIT ?", (codec.to_us(until), limit)).fetchall()
        return [_series(r) for r in rows]

    def set_occurrence(self, local_id: str, series_id: str, occurrence: int) -> ChangeSet:
        """Make a post occurrence ``occurrence`` of a series ("" takes it out of any)."""
        with self._write(durable=True):
            self._db.execute("UPDATE posts SET series_id = ?, occurrence = ? WHERE local_id = ?",
                             (series_id, occurrence if series_id else 0, local_id))
            return self._record(changed=(local_id,))

    def series_posts(self, series_id: str) -> list:
        """The series' posts that are not deleted, in occurrence order."""
        with self._lock:
            return self._posts(f"series_id = ? AND {'deleted = 0'}", (series_id,), order="occurrence")

    def series_posts_on_late_with(self, series_id: str, content: str) -> list:
        """The series' posts Late has with exactly this text (what a repeat of it may wait for): one indexed query,
        not a decode of the whole series per post pushed."""
        with self._lock:
            return self._posts("series_id = ? AND content = ? AND late_id IS NOT NULL AND deleted = 0",
                               (series_id, content), order="occurrence")

    def add_exception(self, series_id: str, occurrence: int, kind: str) -> None:
        with self._write(durable=True):
            self._db.execute("INSERT OR REPLACE INTO series_exceptions (series_id, occurrence, kind) VALUES (?, ?, ?)",
                             (series_id, occurrence, kind))

    def exceptions(self, series_id: str) -> dict[int, str]:
        with self._lock:
            rows = self._db.execute("SELECT occurrence, kind FROM series_exceptions WHERE series_id = ?",
                                    (series_id,)).fetchall()
        return {r[0]: r[1] for r in rows}

    def set_exceptions(self, series_id: str, exceptions: dict[int, str]) -> None:
        with self._write(durable=True):
            self._db.execute("DELETE FROM series_exceptions WHERE series_id = ?", (series_id,))
            self._db.executemany("INSERT INTO series_exceptions (series_id, occurrence, kind) VALUES (?, ?, ?)",
                                 [(series_id, i, k) for i, k in exceptions.items()])

    def active_recycling(self, account_ids: Iterable[str] | None = None) -> dict[str, int]:
        """How many posts with Late's recycling switched on each account has (Late allows 10)."""
        counts: dict[str, int] = {}
        with self._lock:
            rows = self._db.execute(
                "SELECT targets FROM posts WHERE deleted = 0 AND recycling IS NOT NULL "
                "AND json_extract(recycling, '$.enabled') = 1").fetchall()
        wanted = None if account_ids is None else set(account_ids)
        for (targets,) in rows:
            for t in json.loads(targets):
                a = t.get("account_id", "")
                if wanted is None or a in wanted:
                    counts[a] = counts.get(a, 0) + 1
        return counts
