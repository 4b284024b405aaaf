"""What an operation hands back: the one change set of its transaction, the posts as stored now, per-post
refusals and the message for the user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from latecal.core.models import Post
from latecal.core.scheduling import Refusal
from latecal.presentation.messages import Message
from latecal.store.records import ChangeSet


@dataclass(frozen=True, slots=True)
class OpResult:
    changes: ChangeSet = field(default_factory=ChangeSet)
    #: the affected posts as stored after the transaction, in the order asked
    posts: tuple[Post, ...] = ()
    message: Message | None = None
    #: local id -> why that post was left as it was
    refused: Mapping[str, Refusal] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        """Whether the operation changed anything."""
        return bool(self.posts) or bool(self.changes)

