"""What the toolbar's filters and search keep. Applied to posts already in memory: filtering never queries.

Each filter takes several values (a post matches when it has any of them); filters combine (all must match).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from latecal.core.models import Account, Post
from latecal.core.platforms import display_name
from latecal.core.post_flags import attention_of

_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PostFilter:
    accounts: frozenset[str] = _NONE
    platforms: frozenset[str] = _NONE
    statuses: frozenset[str] = _NONE
    tags: frozenset[str] = _NONE  # casefolded
    profiles: frozenset[str] = _NONE
    attention: frozenset[str] = _NONE  # ``post_flags.Attention`` values
    text: str = ""
    #: account id → its names ("Acme Coffee @acme"): the search finds a post by the accounts it goes to
    account_names: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    #: the accounts by id: their profiles (the profile filter) and health ("cannot post")
    accounts_by_id: Mapping[str, Account] = field(default_factory=dict, compare=False, hash=False)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC), compare=False, hash=False)

    @property
    def active(self) -> bool:
        return bool(self.accounts or self.platforms or self.statuses or self.tags or self.profiles
                    or self.attention or self.text.strip())

    def matches(self, post: Post) -> bool:
        if self.accounts and self.accounts.isdisjoint(post.account_ids):
            return False
        if self.platforms and self.platforms.isdisjoint(post.platforms):
            return False
        if self.statuses and post.status not in self.statuses:
            return False
        if self.tags and self.tags.isdisjoint(t.casefold() for t in post.tags):
            return False
        if self.profiles and not any(
                (a := self.accounts_by_id.get(i)) is not None and a.profile_id in self.profiles
                for i in post.account_ids):
            return False
        if self.attention and self.attention.isdisjoint(attention_of(post, self.clock(), self.accounts_by_id)):
            return False
        needle = self.text.strip().casefold()
        if needle:
            haystack = " ".join(
                [post.title, post.content, *post.hashtags, *post.tags]
                + [f"{t.custom_content or ''} {t.platform} {display_name(t.platform)} "
                   f"{self.account_names.get(t.account_id, '')}"
                   for t in post.targets]
            ).casefold()
            return all(word in haystack for word in needle.split())
        return True
