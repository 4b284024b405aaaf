"""What the toolbar's filters and search keep. Applied to posts already in memory: filtering never queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from latecal.core.models import Post
from latecal.core.platforms import display_name


@dataclass(frozen=True, slots=True)
class PostFilter:
    account_id: str | None = None
    platform: str | None = None
    status: str | None = None
    tag: str | None = None
    text: str = ""
    #: account id → its names ("Acme Coffee @acme"): the search finds a post by the accounts it goes to
    account_names: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def active(self) -> bool:
        return bool(self.account_id or self.platform or self.status or self.tag or self.text.strip())

    def matches(self, post: Post) -> bool:
        if self.account_id and self.account_id not in post.account_ids:
            return False
        if self.platform and self.platform not in post.platforms:
            return False
        if self.status and post.status != self.status:
            return False
        if self.tag and self.tag.casefold() not in {t.casefold() for t in post.tags}:
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
