"""The change check: between full listings, Late's publishing log says whether anything was published or failed,
for which accounts, and the pull re-lists only that (issue 16: a run spends requests only on change).

A log entry carries no post id (late-api.md §10), so what it concerns is found by listing: the *due range* (the
posts awaiting an outcome, and the minutes around the entries) of the one account named, or of every account
when several are. An entry is *explained* when the store then holds a post of its account that Late updated no
earlier than the entry; one that is not (a retry of last week's post, say) has its account's posts re-listed
over the whole window, and too many such accounts, or a feed too long to read, ask for a full listing.

Entries are read from the last full listing's start (or the newest entry seen) minus ``OVERLAP``, so a late
write on Late's side or a small clock difference loses nothing; entries read twice are told apart by their
fingerprint, and those well before the last full listing began count as read by it. What a check read counts
as seen only once its re-listing ended (``commit``): a run cut off by the network reads it again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from latecal.core.models import Post
from latecal.late.logs import LogEntry

log = logging.getLogger(__name__)

Window = tuple[datetime, datetime]

#: entries are read again this far back: Late may write one a moment after its time, and clocks differ
OVERLAP = timedelta(minutes=2)
#: an entry this much older than a full listing's start is in that listing (Late's clock and ours may differ)
COVERED_SLACK = timedelta(seconds=30)
#: around an entry's time: the post it concerns was due about then (a publish-now is due when it publishes)
AROUND_ENTRY = timedelta(minutes=5)
#: this many accounts with unexplained entries are re-listed one by one; more, and the whole window is
UNEXPLAINED_ACCOUNTS_MAX = 3
#: Late's ``updatedAt`` and a log entry's ``created_at`` are stamped a moment apart
_STAMP_SLACK = timedelta(seconds=2)


@dataclass(slots=True)
class Changes:
    """What one check read that no earlier check had."""
    entries: list[LogEntry]
    #: False: more happened than one check reads (a bulk publish): list everything instead
    complete: bool

    @property
    def accounts(self) -> set[str]:
        return {e.account_id for e in self.entries if e.account_id}

    @property
    def anonymous(self) -> bool:
        """Some entry names no account: it could concern any post."""
        return any(not e.account_id for e in self.entries)


class ChangeCheck:
    def __init__(self) -> None:
        self.since: datetime | None = None
        #: entries before this are in the last full listing: nothing to re-list for them
        self.covered_until: datetime | None = None
        #: fingerprint → the entry's time, for entries already acted on (pruned as ``since`` moves on)
        self._seen: dict[tuple[object, ...], datetime | None] = {}
        #: this Late answers the logs feed; False after a refusal (the due range is listed instead) until the
        #: next full listing
        self.supported = True

    @property
    def ready(self) -> bool:
        """A full listing has been read: the check has a point to read from."""
        return self.since is not None and self.supported

    def restart(self, listed_at: datetime) -> None:
        """A full listing that began at ``listed_at`` ended complete: every outcome before it is in the store."""
        since = listed_at - OVERLAP
        self.since = since if self.since is None else max(self.since, since)
        self.covered_until = listed_at - COVERED_SLACK
        self.supported = True  # asked again after each full listing: a refusal may have been passing

    def new_entries(self, entries: Iterable[LogEntry], complete: bool) -> Changes:
        covered = self.covered_until
        fresh = [e for e in entries if e.fingerprint not in self._seen
                 and not (covered is not None and e.created_at is not None and e.created_at < covered)]
        return Changes(entries=fresh, complete=complete)

    def commit(self, changes: Changes) -> None:
        """The re-listing for ``changes`` ended: they are seen; the next check reads from the newest of them."""
        for entry in changes.entries:
            self._seen[entry.fingerprint] = entry.created_at
        times = [e.created_at for e in changes.entries if e.created_at is not None]
        if times and self.since is not None:
            self.since = max(self.since, max(times) - OVERLAP)
        if self.since is not None:  # what is older than the point read from can never come back
            floor = self.since - OVERLAP
            self._seen = {k: t for k, t in self._seen.items() if t is None or t >= floor}


def due_range(awaiting: list[Post], entries: list[LogEntry], now: datetime) -> Window:
    """The dates a change check re-lists: from the earliest post awaiting its outcome (or entry) to just after
    now."""
    starts = [p.scheduled_for for p in awaiting if p.scheduled_for is not None]
    starts += [e.created_at - AROUND_ENTRY for e in entries if e.created_at is not None]
    start = min([*starts, now - AROUND_ENTRY]) - timedelta(seconds=1)
    return start, now + AROUND_ENTRY


def unexplained_accounts(entries: list[LogEntry], listed: list[Post]) -> set[str | None]:
    """The accounts of entries that no post of ``listed`` (the store's posts of the re-listed range) accounts
    for: no post of that account that Late updated at or after the entry. None stands for an entry without an
    account."""
    newest: dict[str, datetime] = {}
    for post in listed:
        if post.remote_updated_at is None:
            continue
        for target in post.targets:
            seen = newest.get(target.account_id)
            if seen is None or post.remote_updated_at > seen:
                newest[target.account_id] = post.remote_updated_at
    missing: set[str | None] = set()
    for entry in entries:
        latest = newest.get(entry.account_id or "")
        if entry.account_id is None or entry.created_at is None or latest is None \
                or latest < entry.created_at - _STAMP_SLACK:
            missing.add(entry.account_id)
    return missing
