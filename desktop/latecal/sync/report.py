"""What one sync run did: the numbers the UI, the tests and the benchmark read.

A report starts as "nothing known": only a pull that ran to its end sets ``pulled``, so a run that crashed, or
stopped early, never counts as having read Late (the window's "Synced …" time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class SyncReport:
    started_at: datetime
    finished_at: datetime | None = None
    inspected: int = 0  # remote posts looked at by the pull
    pushed: int = 0  # outbox entries Late accepted
    #: local id -> (status before, status after); "before" is None for a post new to this machine
    changed: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)  # deleted on Late, dropped locally
    conflicts: list[str] = field(default_factory=list)
    #: local id -> Late's reason for refusing our push (the edit is kept, the post is marked)
    rejected: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # one human line each
    bad_posts: int = 0  # remote posts that could not be read, skipped
    #: remote posts kept although some of their fields could not be read (marked on the post)
    posts_with_read_problems: int = 0
    pulled: bool = False  # the pull ran to its end (its listings may still be incomplete: ``complete``)
    #: a step of the run (accounts, pull, push) or the run itself ended on an error; ``errors`` says which
    failed: bool = False
    #: changes waiting to be sent again after a failure that was no refusal (a 5xx, a garbled answer): how many,
    #: the first one's reason, and when the first of them is tried again
    unsent: int = 0
    unsent_reason: str = ""
    unsent_retry_at: datetime | None = None
    #: posts whose create or update was held back because their time passed before it reached Late (Missed)
    missed: list[str] = field(default_factory=list)
    http_calls: int = 0
    #: what the pull read: "full" (the window and the past-due posts), "changes" (Late's log and what it named)
    scope: str = ""
    complete: bool = True  # every listing finished (remote deletions are only inferred then)
    offline: bool = False
    auth_failed: bool = False
    #: Late answered 429 (too many requests): when it said to try again; what waits keeps waiting until then
    rate_limited_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return not (self.offline or self.auth_failed or self.errors or self.rate_limited_until)

    @property
    def read_everything(self) -> bool:
        """Late's side of the calendar is known as of this run."""
        return self.finished_at is not None and self.pulled and self.complete and not (self.offline or self.auth_failed)

    @property
    def synced(self) -> bool:
        """The run read everything and pushed what it could, no step of it failed: the window's "Synced …" time.
        (Changes Late answered with a 5xx wait to be sent again: said apart, they do not undo this.)"""
        return self.read_everything and not self.failed

    def fail(self, message: str) -> None:
        """A step of the run ended on an error (``message`` says which, for the user); the run goes on if it can."""
        self.failed = True
        self.errors.append(message)

    def rate_limited(self, until: datetime) -> None:
        if self.rate_limited_until is None or until > self.rate_limited_until:
            self.rate_limited_until = until

    def summary(self) -> str:
        if self.auth_failed:
            return "Late refused the API key; syncing is paused until a new key is set."
        if self.rate_limited_until is not None and not self.complete:
            return f"Late asked to wait (too many requests) until {self.rate_limited_until:%H:%M} UTC."
        if self.offline:
            return "Offline: your edits are kept and will be sent when Late can be reached."
        parts = [f"{len(self.changed)} changed"]
        if self.pushed:
            parts.append(f"{self.pushed} sent")
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} in conflict")
        if self.rejected:
            parts.append(f"{len(self.rejected)} refused by Late")
        if self.unsent:
            parts.append(f"{self.unsent} waiting to be sent again")
        if self.bad_posts:
            parts.append(f"{self.bad_posts} unreadable")
        if self.errors:
            parts.append(f"{len(self.errors)} errors")
        summary = ", ".join(parts)
        return f"Failed ({self.errors[0]}): {summary}" if self.failed and self.errors else summary
