"""Per-platform rules as one table of data (late-api.md §8 limits, §3.1 MIME allow-list, §3.3 sizes).

Validation, text composition and the UI read this table; no other module hard-codes a platform rule.
``None`` always means "no limit we know of": an unknown platform gets a row of ``None``s and is never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
GB = 1024 * MB

# Counting modes for the text limit (see latecal.core.text).
X_WEIGHTED = "x_weighted"
GRAPHEMES = "graphemes"
CODE_POINTS = "code_points"

# Late's presign allow-list (§3.1, enum MediaContentType); anything else is a 400 on upload.
IMAGE_MIME_TYPES = frozenset({"image/jpeg", "image/jpg", "image/png", "image/webp", "image/gif"})
VIDEO_MIME_TYPES = frozenset(
    {"video/mp4", "video/mpeg", "video/quicktime", "video/avi", "video/x-msvideo", "video/webm", "video/x-m4v"}
)
DOCUMENT_MIME_TYPES = frozenset({"application/pdf"})
AUDIO_MIME_TYPES = frozenset(
    {"audio/mpeg", "audio/mp4", "audio/aac", "audio/ogg", "audio/wav", "audio/webm", "audio/x-m4a"}
)
SUBTITLE_MIME_TYPES = frozenset({"application/x-subrip", "text/vtt"})
ALLOWED_MIME_TYPES = IMAGE_MIME_TYPES | VIDEO_MIME_TYPES | DOCUMENT_MIME_TYPES | AUDIO_MIME_TYPES | SUBTITLE_MIME_TYPES

# §3.1: presign accepts up to 5 GB whatever the platform.
MAX_UPLOAD_BYTES = 5 * GB


@dataclass(frozen=True, slots=True)
class PlatformRules:
    key: str
    display_name: str
    glyph: str  # 1-2 letters for compact chips
    text_limit: int | None = None
    premium_text_limit: int | None = None  # X Premium accounts
    media_text_limit: int | None = None  # a lower limit when media is attached (Telegram captions)
    counting: str = CODE_POINTS
    media_required: bool = False
    video_required: bool = False
    allows_video: bool = True
    allows_documents: bool = False
    max_images: int | None = None
    max_videos: int | None = None
    max_documents: int | None = None
    max_media: int | None = None  # all attachments together
    allows_mixing: bool = True  # images and videos in one post
    video_in_carousel: bool = True  # False: a video must be the only attachment
    max_image_bytes: int | None = None
    max_video_bytes: int | None = None
    max_document_bytes: int | None = None
    max_alt_text: int | None = None  # characters of a media item's alt text
    max_video_seconds: int | None = None  # a longer video fails when it publishes (§3.3)
    max_title: int | None = None  # the post's title is the title there too (sync.outgoing.composed)
    # Late stores `hashtags` without adding them to the caption on every platform (§2.4, §8), so no
    # platform has a field of its own and we append them to the text (seed 001). Flip this per row if
    # Late ever grows a real field.
    hashtag_field: bool = False
    known: bool = True

    @property
    def appends_hashtags(self) -> bool:
        return not self.hashtag_field

    def text_limit_for(self, *, premium: bool = False, has_media: bool = False) -> int | None:
        if premium and self.premium_text_limit is not None:
            return self.premium_text_limit
        if has_media and self.media_text_limit is not None:
            return self.media_text_limit
        return self.text_limit

    def max_bytes(self, kind: str) -> int | None:
        return {"image": self.max_image_bytes, "video": self.max_video_bytes, "document": self.max_document_bytes}.get(
            kind
        )


_RULES: tuple[PlatformRules, ...] = (
    PlatformRules(
        "twitter", "X", "X", text_limit=280, premium_text_limit=25_000, counting=X_WEIGHTED,
        max_images=4, max_videos=1, allows_mixing=False, max_image_bytes=5 * MB, max_video_bytes=512 * MB,
        max_alt_text=1_000, max_video_seconds=140,
    ),
    PlatformRules(
        "threads", "Threads", "Th", text_limit=500, max_images=10, max_videos=1,
        allows_mixing=False, video_in_carousel=False, max_image_bytes=8 * MB, max_video_bytes=1 * GB,
        max_video_seconds=300,
    ),
    PlatformRules(
        # Carousel ≤ 20 per the current SDK model (older docs said 10); reels up to 300 MB. Images over 8 MB
        # are compressed by Zernio (§8), so there is no image size limit here.
        "instagram", "Instagram", "IG", text_limit=2_200, media_required=True, max_media=20,
        max_video_bytes=300 * MB,
    ),
    PlatformRules(
        # Zernio states no text limit for Facebook; Facebook's own is 63,206 (more fails when it publishes).
        "facebook", "Facebook", "f", text_limit=63_206, max_images=10, max_videos=1, allows_mixing=False,
        max_image_bytes=10 * MB, max_video_bytes=4 * GB,
    ),
    PlatformRules(
        "linkedin", "LinkedIn", "in", text_limit=3_000, max_images=20, max_videos=1, allows_documents=True,
        max_documents=1, max_image_bytes=8 * MB, max_video_bytes=5 * GB, max_document_bytes=100 * MB,
    ),
    PlatformRules(
        # Video caption 2,200; photo titles are truncated (not rejected), so 2,200 is the one hard limit.
        "tiktok", "TikTok", "Tk", text_limit=2_200, media_required=True, max_images=35, max_videos=1,
        allows_mixing=False, max_image_bytes=20 * MB, max_video_bytes=4 * GB, max_video_seconds=600,
    ),
    PlatformRules(
        # The description is the text truncated to 5,000 (§8): a longer one is cut, not refused.
        "youtube", "YouTube", "YT", video_required=True, max_videos=1, max_title=100,
    ),
    PlatformRules(
        "pinterest", "Pinterest", "P", text_limit=800, max_media=1, max_image_bytes=32 * MB, max_video_bytes=2 * GB,
        max_alt_text=500, max_title=100,
    ),
    PlatformRules(
        # Bluesky counts graphemes; images over 1 MB are compressed by Zernio (§8): no image size limit here.
        "bluesky", "Bluesky", "B", text_limit=300, counting=GRAPHEMES, max_images=4, max_videos=1,
        allows_mixing=False, max_video_bytes=50 * MB, max_video_seconds=180,
    ),
    PlatformRules(
        # Zernio states no text limit; Google's own for a post is 1,500 (more fails when it publishes).
        "googlebusiness", "Google Business", "G", text_limit=1_500, max_images=1, allows_video=False,
        max_image_bytes=5 * MB,
    ),
    PlatformRules(
        "telegram", "Telegram", "Tg", text_limit=4_096, media_text_limit=1_024, max_media=10,
        max_image_bytes=10 * MB, max_video_bytes=50 * MB,
    ),
    PlatformRules(
        # Only the title (≤ 300, first line by default) is limited in Zernio's sources.
        "reddit", "Reddit", "R", max_image_bytes=20 * MB, max_title=300,
    ),
    PlatformRules(
        # A snap is one media item; 160 is the Spotlight caption limit.
        "snapchat", "Snapchat", "S", text_limit=160, media_required=True, max_media=1,
        max_image_bytes=20 * MB, max_video_bytes=500 * MB,
    ),
    PlatformRules(
        "discord", "Discord", "D", text_limit=2_000, max_media=10, allows_documents=True,
        max_image_bytes=25 * MB, max_video_bytes=25 * MB, max_document_bytes=25 * MB,
    ),
    PlatformRules(
        "slack", "Slack", "Sl", text_limit=40_000, max_media=10, allows_documents=True,
    ),
)  # fmt: skip

PLATFORMS: dict[str, PlatformRules] = {r.key: r for r in _RULES}
PLATFORM_KEYS: tuple[str, ...] = tuple(PLATFORMS)


def rules_for(platform: str) -> PlatformRules:
    """The rules for ``platform``; an unknown key gets permissive defaults (no limits), never an error."""
    key = (platform or "").strip().lower()
    found = PLATFORMS.get(key)
    if found is not None:
        return found
    name = key.replace("_", " ").title() or "Unknown"
    return PlatformRules(key, name, name[:1].upper() or "?", allows_documents=True, known=False)


def display_name(platform: str) -> str:
    return rules_for(platform).display_name


def glyph(platform: str) -> str:
    return rules_for(platform).glyph


def media_kind(mime_type: str = "", type_: str = "") -> str:
    """image | video | document | other, from Late's media ``type`` or else the MIME type.

    A GIF counts as an image: Late sends it in an image slot on every platform we limit.
    """
    t = (type_ or "").lower()
    if t in ("image", "gif"):
        return "image"
    if t in ("video", "document"):
        return t
    m = (mime_type or "").lower()
    if m.startswith("image/"):
        return "image"
    if m.startswith("video/"):
        return "video"
    if m in DOCUMENT_MIME_TYPES:
        return "document"
    return "other"


def format_bytes(n: int) -> str:
    """Human size with binary units, as the limits above are written ("5 MB", "1.5 GB")."""
    for unit, size in (("GB", GB), ("MB", MB), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"
