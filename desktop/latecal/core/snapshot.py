"""The editor's content as JSON for the autosave table, and back (only what the user types and picks).

Store-managed fields (late_id, idempotency key, sync state, Late's results) are never autosaved: on restore
they come from the stored post, so an autosave can never resurrect an outdated server state.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime

from latecal.core.models import MediaItem, Post, Target

FORMAT_VERSION = 1
NEW_KEY_PREFIX = "new:"
_MEDIA_FIELDS = {f.name for f in fields(MediaItem)}


def autosave_key(local_id: str, *, is_new: bool) -> str:
    """The autosave row of an editor: the post's local id, or ``new:<local id>`` while it was never saved."""
    return f"{NEW_KEY_PREFIX}{local_id}" if is_new else local_id


def canonical_targets(targets: list[Target] | None) -> list[Target]:
    """The accounts in one order: the picker lists them its way, a post from Late in Late's."""
    return sorted(targets or [], key=lambda t: (t.platform, t.account_id))


@dataclass(slots=True)
class EditorSnapshot:
    """What an editor holds that the user made: enough to rebuild the form after a crash."""

    local_id: str
    is_new: bool
    title: str = ""
    content: str = ""
    hashtags: str = ""  # as typed: parsed on save
    targets: list[Target] | None = None
    media: list[MediaItem] | None = None
    scheduled_for: datetime | None = None
    timezone: str | None = None  # the user's explicit zone choice; None = the default zone
    saved_at: str = ""
    #: account id → the platform's own time (whole minutes), as the form shows it; None: the form shows none
    target_times: dict[str, datetime] | None = None

    def to_json(self) -> str:
        data = {
            "version": FORMAT_VERSION,
            "local_id": self.local_id,
            "is_new": self.is_new,
            "title": self.title,
            "content": self.content,
            "hashtags": self.hashtags,
            "targets": [
                {"platform": t.platform, "account_id": t.account_id, "custom_content": t.custom_content}
                for t in self.targets or []
            ],
            "media": [asdict(m) for m in self.media or []],
            "scheduled_for": self.scheduled_for.isoformat() if self.scheduled_for else None,
            "timezone": self.timezone,
            "saved_at": self.saved_at,
        }
        if self.target_times is not None:
            data["target_times"] = {a: t.isoformat() for a, t in sorted(self.target_times.items())}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> EditorSnapshot:
        data = json.loads(text)
        if not isinstance(data, dict) or "local_id" not in data:
            raise ValueError("not an editor autosave")
        when = data.get("scheduled_for")
        return cls(
            local_id=str(data["local_id"]),
            is_new=bool(data.get("is_new")),
            title=str(data.get("title") or ""),
            content=str(data.get("content") or ""),
            hashtags=str(data.get("hashtags") or ""),
            targets=[
                Target(str(t["platform"]), str(t["account_id"]), custom_content=t.get("custom_content"))
                for t in data.get("targets") or []
            ],
            media=[MediaItem(**{k: v for k, v in m.items() if k in _MEDIA_FIELDS}) for m in data.get("media") or []],
            scheduled_for=datetime.fromisoformat(when) if when else None,
            timezone=data.get("timezone"),
            saved_at=str(data.get("saved_at") or ""),
            target_times=_times(data.get("target_times")),
        )

    def comparable(self) -> str:
        """The snapshot without its timestamp: equal strings mean no unsaved change. A text field holding only
        whitespace (a stray tab or newline) counts as empty: that alone is no change worth keeping or asking
        about."""
        return replace(
            self, saved_at="", title=_unless_blank(self.title), content=_unless_blank(self.content),
            hashtags=_unless_blank(self.hashtags), targets=canonical_targets(self.targets),
        ).to_json()

    def is_blank(self) -> bool:
        """Nothing a user made: no text anywhere, no accounts, no media (the time alone is prefilled)."""
        return not (
            self.title.strip() or self.content.strip() or self.hashtags.strip() or self.targets or self.media
        )


def _times(raw: object) -> dict[str, datetime] | None:
    if not isinstance(raw, dict):
        return None
    return {str(a): datetime.fromisoformat(str(t)) for a, t in raw.items()}


def own_times_of(post: Post) -> dict[str, datetime]:
    """The platforms' own times of ``post`` as the form shows them (whole minutes)."""
    return {t.account_id: whole_minute(t.scheduled_for) for t in post.targets if t.scheduled_for is not None}


def _with_own_times(post: Post, own: dict[str, datetime]) -> Post:
    """``post`` with the form's own times: an unchanged minute keeps Late's seconds; a platform without one, or at
    the post's own time, follows the post."""
    def placed(t: Target) -> Target:
        when = own.get(t.account_id)
        if when is None or when == whole_minute(post.scheduled_for):
            # one that had its own time states the post's: Late keeps a per-platform time not sent again
            return replace(t, scheduled_for=None if t.scheduled_for is None else post.scheduled_for)
        if whole_minute(t.scheduled_for) == when:
            return t
        return replace(t, scheduled_for=when)

    return replace(post, targets=[placed(t) for t in post.targets])


def _unless_blank(text: str) -> str:
    return text if text.strip() else ""


def merge_targets(old: list[Target], chosen: list[Target]) -> list[Target]:
    """The chosen targets, keeping Late's per-target outcome for accounts that stay selected."""
    by_account = {t.account_id: t for t in old}
    merged = []
    for t in chosen:
        previous = by_account.get(t.account_id)
        merged.append(replace(previous, custom_content=t.custom_content) if previous else t)
    return merged


def apply_snapshot(base: Post, snap: EditorSnapshot, hashtags: list[str]) -> Post:
    """``base`` (the stored post, or a fresh one) with the user's fields from ``snap``. A new time moves a
    platform's own Late-held time along, as a drag does (``Post.moved_to``); the form shows whole minutes, so
    only a change of minute counts as a new time."""
    if snap.scheduled_for != whole_minute(base.scheduled_for):
        base = base.moved_to(snap.scheduled_for)
    post = replace(
        base,
        title=snap.title,
        content=snap.content,
        hashtags=hashtags,
        targets=merge_targets(base.targets, snap.targets or []),
        media=[replace(m) for m in snap.media or []],
        scheduled_for=snap.scheduled_for,
        timezone=snap.timezone,
    )
    return post if snap.target_times is None or post.scheduled_for is None else _with_own_times(post, snap.target_times)


def whole_minute(when: datetime | None) -> datetime | None:
    return when.replace(second=0, microsecond=0) if when else None
