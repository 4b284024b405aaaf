"""The domain objects of the calendar: posts, their per-platform targets, media, accounts and profiles.

Plain dataclasses with no I/O. Times are aware datetimes in UTC; a post also carries the IANA zone the
user chose (``None`` means "not chosen": Late then applies the profile's zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from latecal.core.status import PostStatus, SyncState, TargetStatus


def new_local_id() -> str:
    import uuid  # here, not at the top: it imports ``platform`` (~4 ms) and the first paint needs no new ids

    return uuid.uuid4().hex


def new_idempotency_key() -> str:
    """One key per user-intended post, persisted with it (late-api.md §2.7)."""
    import uuid

    return f"latecal-{uuid.uuid4()}"


def utc(dt: datetime) -> datetime:
    """Normalise an aware datetime to UTC; a naive one is a programming error."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt.isoformat()} where an aware one is required")
    return dt.astimezone(UTC)


MEDIA_TYPES = ("image", "video", "gif", "document")


@dataclass(slots=True)
class MediaItem:
    """An attachment. ``url`` is Late's public URL once uploaded; ``local_path`` the file it came from."""

    type: str  # image | video | gif | document (kept as given when unknown)
    url: str = ""
    filename: str = ""
    mime_type: str = ""
    size: int | None = None
    alt_text: str = ""
    thumbnail: str = ""
    local_path: str = ""
    # duration in seconds for videos when known (platform rules look at it)
    duration_s: float | None = None

    @property
    def uploaded(self) -> bool:
        return bool(self.url)


@dataclass(slots=True)
class Target:
    """One platform account a post goes to, with Late's per-platform outcome."""

    platform: str
    account_id: str
    status: str = TargetStatus.PENDING.value  # Late's target status, kept as a string
    custom_content: str | None = None
    scheduled_for: datetime | None = None  # Late may move a single target (TikTok holds, queues)
    platform_post_id: str = ""
    platform_post_url: str = ""
    published_at: datetime | None = None
    error_message: str = ""
    error_category: str = ""
    platform_specific_data: dict = field(default_factory=dict)


@dataclass(slots=True)
class Post:
    local_id: str = field(default_factory=new_local_id)
    late_id: str | None = None
    # Minted by the store on first save when empty; a new key only when the Late post is recreated.
    idempotency_key: str = ""
    title: str = ""
    content: str = ""
    hashtags: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    media: list[MediaItem] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    scheduled_for: datetime | None = None  # aware, UTC
    timezone: str | None = None  # IANA name the user chose, else None
    status: str = PostStatus.DRAFT.value
    published_at: datetime | None = None
    remote_updated_at: datetime | None = None  # Late's updatedAt as last seen
    sync_state: str = SyncState.PENDING.value
    sync_error: str = ""  # Late's message when a push was rejected, or the conflict summary
    # Late's fields that could not be read, or that an update needs and Late left out (e.g. "scheduledFor",
    # "platforms[0].platform"): what was readable is kept, and the post is read-only here, since a change sent
    # back would overwrite what was not understood.
    read_problems: tuple[str, ...] = ()
    # Late's ``recycling`` (RecyclingState, §2.4) as Late spells it, when the post repeats on Late's side, and
    # the post a recycled copy was made from (``recycledFromPostId``)
    recycling: dict | None = None
    recycled_from: str = ""
    # the local series this post is occurrence ``occurrence`` of (store/series.py); written only by the series'
    # own steps, so neither a save nor a pull changes it
    series_id: str = ""
    occurrence: int = 0

    def __post_init__(self) -> None:
        if self.scheduled_for is not None:
            self.scheduled_for = utc(self.scheduled_for)

    def moved_to(self, when: datetime | None, **changes) -> Post:
        """A copy at ``when`` (with ``changes``). A platform Late gave its own time (a TikTok hold, a queue)
        moves by the same amount: Late keeps a per-platform time sent beside a new post time (§2.8), so
        sending the old one would leave that platform publishing at the old time."""
        def moved(t: Target) -> Target:
            if t.scheduled_for is None or (when is not None and self.scheduled_for is None):
                return t
            if when is None:  # back to no time: a platform's own time alone would still publish it
                return replace(t, scheduled_for=None)
            return replace(t, scheduled_for=t.scheduled_for + (when - self.scheduled_for))

        targets = [moved(t) for t in self.targets]
        return replace(self, scheduled_for=when, targets=targets, **changes)

    @property
    def account_ids(self) -> list[str]:
        return [t.account_id for t in self.targets]

    @property
    def platforms(self) -> list[str]:
        return [t.platform for t in self.targets]

    def target_for(self, account_id: str) -> Target | None:
        return next((t for t in self.targets if t.account_id == account_id), None)


@dataclass(slots=True)
class Profile:
    id: str
    name: str
    color: str = "#888888"
    timezone: str | None = None
    is_default: bool = False


@dataclass(slots=True)
class Account:
    id: str
    platform: str
    profile_id: str
    username: str = ""
    display_name: str = ""
    avatar_url: str = ""
    is_active: bool = True
    needs_reconnection: bool = False
    is_premium: bool = False  # X Premium lifts the 280-character limit
    # Late's health check (GET /v1/accounts/health); without one these follow isActive / needsReconnection
    can_post: bool = True
    token_expires_at: datetime | None = None  # aware, UTC; None: the token does not expire (or is not known to)
    issues: tuple[str, ...] = ()  # Late's words for what is wrong, as it sent them

    @property
    def connected(self) -> bool:
        return self.is_active and not self.needs_reconnection

    @property
    def label(self) -> str:
        return self.display_name or self.username or self.id
