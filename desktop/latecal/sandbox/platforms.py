"""Per-platform rules (reference §8) and the realistic ids, URLs and error messages the simulation produces."""

from __future__ import annotations

import random
import re
import string
import unicodedata
from typing import Any

PLATFORMS = (
    "twitter", "threads", "instagram", "youtube", "facebook", "linkedin", "pinterest", "reddit", "tiktok",
    "bluesky", "googlebusiness", "telegram", "snapchat", "discord", "slack",
)

# Caption limits; YouTube truncates the description instead of rejecting (§8), so it has none here.
TEXT_LIMITS = {
    "twitter": 280, "threads": 500, "instagram": 2200, "facebook": 63206, "linkedin": 3000, "tiktok": 2200,
    "pinterest": 800, "bluesky": 300, "googlebusiness": 1500, "telegram": 4096, "reddit": 40000,
    "snapchat": 160, "discord": 2000, "slack": 40000,
}
TWITTER_PREMIUM_LIMIT = 25000
TELEGRAM_CAPTION_LIMIT = 1024
MEDIA_REQUIRED = {"instagram", "tiktok", "youtube", "snapchat"}
VIDEO_REQUIRED = {"youtube"}

IMAGE_EXT = {"jpg", "jpeg", "png", "webp", "heic", "bmp"}
VIDEO_EXT = {"mp4", "mov", "webm", "m4v", "avi", "mpeg", "mpg", "mkv"}
MEDIA_TYPES = ("image", "video", "gif", "document")

_X_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))  # twitter-text: weight 1
# a link as X finds one: with a scheme, from "www.", or a bare domain with a known top-level domain
_LINK_RE = re.compile(r"(?:https?://|\bwww\.|(?<![@\w.-])[a-z0-9][a-z0-9.-]*\.(?:com|org|net|io|dev|co|app|ai|me|ly|"
                      r"gl|gg|tv|fm|info|biz|edu|gov|de|uk|fr|eu|us|ca|nl|es|it|ch|at|jp|be)\b)[^\s<>\"]*",
                      re.IGNORECASE)


def text_length(platform: str, text: str) -> int:
    """X: a URL counts 23 and an emoji 2 (§8.1 validate/post-length), other characters 1, or 2 outside X's light
    ranges (CJK); Bluesky: characters as people see them (grapheme clusters); elsewhere code points."""
    text = unicodedata.normalize("NFC", text)
    if platform == "bluesky":
        return len(_clusters(text))
    if platform != "twitter":
        return len(text)
    links, rest = _without_links(text)
    total = 23 * links
    for cluster in _clusters(rest):
        if (len(cluster) > 1 and not all(_light(c) for c in cluster)) or ord(cluster[0]) >= 0x1F000:
            total += 2  # one emoji, however many code points it joins
        else:
            total += sum(1 if _light(c) else 2 for c in cluster)
    return total


def _without_links(text: str) -> tuple[int, str]:
    """How many links ``text`` holds, and the text without them (punctuation after a link is no part of it)."""
    parts, pos, links = [], 0, 0
    for m in _LINK_RE.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,:;!?'\")]}":
            end -= 1
        parts.append(text[pos:m.start()])
        pos, links = end, links + 1
    return links, "".join(parts) + text[pos:]


def _light(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _X_LIGHT)


def _clusters(text: str) -> list[str]:
    """Grapheme clusters, as far as posts need them: combining marks, variation selectors, skin tones, tags and
    keycaps extend a cluster, a zero-width joiner joins the next character, regional indicators pair up."""
    clusters: list[str] = []
    joining = False
    for ch in text:
        cp = ord(ch)
        extends = (unicodedata.category(ch) in ("Mn", "Me", "Mc") or 0xFE00 <= cp <= 0xFE0F
                   or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or ch in "\u200d\u20e3")
        pairs = (0x1F1E6 <= cp <= 0x1F1FF and clusters and len(clusters[-1]) == 1
                 and 0x1F1E6 <= ord(clusters[-1]) <= 0x1F1FF)
        if clusters and (extends or joining or pairs):
            clusters[-1] += ch
        else:
            clusters.append(ch)
        joining = ch == "\u200d"
    return clusters


def type_from_url(url: str) -> str | None:
    path = url.split("?", 1)[0].split("#", 1)[0]
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if ext in IMAGE_EXT:
        return "image"
    if ext in VIDEO_EXT:
        return "video"
    if ext == "gif":
        return "gif"
    if ext == "pdf":
        return "document"
    return None


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(n - 1))


def _token(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits + "-_") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def published_ids(platform: str, account: dict[str, Any], rng: random.Random) -> tuple[str, str]:
    """(platformPostId, platformPostUrl) shaped like the real platform's."""
    user = str(account.get("username") or "account").lstrip("@")
    if platform == "twitter":
        pid = _digits(rng, 19)
        return pid, f"https://x.com/{user}/status/{pid}"
    if platform == "instagram":
        return _digits(rng, 17), f"https://www.instagram.com/p/{_token(rng, 11)}/"
    if platform == "threads":
        return _digits(rng, 17), f"https://www.threads.net/@{user}/post/{_token(rng, 11)}"
    if platform == "linkedin":
        urn = f"urn:li:share:{_digits(rng, 19)}"
        return urn, f"https://www.linkedin.com/feed/update/{urn}/"
    if platform == "tiktok":
        pid = _digits(rng, 19)
        return pid, f"https://www.tiktok.com/@{user}/video/{pid}"
    if platform == "bluesky":
        rkey = _token(rng, 13, string.ascii_lowercase + "234567")
        did = "did:plc:" + _token(rng, 24, string.ascii_lowercase + "234567")
        return f"at://{did}/app.bsky.feed.post/{rkey}", f"https://bsky.app/profile/{user}/post/{rkey}"
    if platform == "facebook":
        page, post = _digits(rng, 15), _digits(rng, 16)
        return f"{page}_{post}", f"https://www.facebook.com/{page}/posts/{post}"
    if platform == "youtube":
        vid = _token(rng, 11)
        return vid, f"https://www.youtube.com/watch?v={vid}"
    if platform == "pinterest":
        pid = _digits(rng, 18)
        return pid, f"https://www.pinterest.com/pin/{pid}/"
    if platform == "reddit":
        pid = _token(rng, 7, string.ascii_lowercase + string.digits)
        return f"t3_{pid}", f"https://www.reddit.com/r/{user}/comments/{pid}/"
    pid = _digits(rng, 16)
    return pid, f"https://{platform}.example.com/{user}/{pid}"


# (errorMessage, errorCategory, errorSource, platformError code or None); Meta platforms carry platformError.
FAILURES: dict[str, list[tuple[str, str, str, int | None]]] = {
    "twitter": [
        ("You are not allowed to create a Tweet with duplicate content.", "platform_rejected", "platform", None),
        ("Too Many Requests: the account hit X's posting rate limit, try again later.",
         "platform_rate_limit", "platform", None),
        ("Token expired or revoked. Please reconnect your X account.", "auth_expired", "user", None),
    ],
    "instagram": [
        ("The aspect ratio is not supported. Use a ratio between 4:5 and 1.91:1.", "user_content", "user", 36003),
        ("Media ID is not available: Instagram is still processing the upload.", "platform_error", "platform", 9007),
        ("Application request limit reached.", "platform_rate_limit", "platform", 4),
        ("Error validating access token: the session has expired.", "auth_expired", "user", 190),
    ],
    "facebook": [
        ("(#368) The action attempted has been deemed abusive or is otherwise disallowed.",
         "user_abuse", "platform", 368),
        ("Error validating access token: the user changed their password.", "auth_expired", "user", 190),
        ("An unexpected error has occurred. Please retry your request later.", "platform_error", "platform", 2),
    ],
    "threads": [
        ("The media could not be fetched from the provided URL.", "user_content", "user", None),
        ("Threads API is temporarily unavailable.", "platform_error", "platform", None),
    ],
    "linkedin": [
        ("Content is a duplicate of an existing share.", "platform_rejected", "platform", None),
        ("The token used in the request has expired. Reconnect the LinkedIn account.", "auth_expired", "user", None),
    ],
    "tiktok": [
        ("Video duration is below TikTok's 3 second minimum.", "user_content", "user", None),
        ("spam_risk_too_many_posts: the account posted too often in the last 24 hours.",
         "platform_rate_limit", "platform", None),
        ("access_token_invalid: reconnect the TikTok account.", "auth_expired", "user", None),
    ],
    "youtube": [
        ("The user has exceeded the number of videos they may upload (uploadLimitExceeded).",
         "quota_exhausted", "platform", None),
        ("The video could not be processed by YouTube.", "platform_error", "platform", None),
    ],
    "bluesky": [
        ("Rate Limit Exceeded", "platform_rate_limit", "platform", None),
        ("Upstream Failure: the PDS did not answer in time.", "platform_error", "platform", None),
    ],
}
GENERIC_FAILURES = [
    ("The platform rejected the post.", "platform_rejected", "platform", None),
    ("The platform API returned an internal error.", "platform_error", "platform", None),
]
DISCONNECTED_FAILURE = ("The account is disconnected. Reconnect it and retry.", "auth_expired", "user", None)


def pick_failure(platform: str, rng: random.Random) -> tuple[str, str, str, int | None]:
    return rng.choice(FAILURES.get(platform, GENERIC_FAILURES))
