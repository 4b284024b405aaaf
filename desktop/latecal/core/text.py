"""The text that actually goes to one target, and how each platform counts it.

Composition (seed 001): the target's custom text if it has any, else the post's content; then the post's
hashtags appended, because Late stores ``hashtags`` without putting them in the caption (late-api.md §2.4).

Counting:
* ``x_weighted`` approximates twitter-text v3 (X's own library): the text is NFC-normalised; every URL counts
  23 whatever its length; an emoji sequence (flags, keycaps, skin tones and ZWJ families included) counts 2;
  any other code point counts 1 inside U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F and U+2032-U+2037
  (Latin, Greek, Cyrillic, Hebrew, Arabic, Indic..., general punctuation) and 2 elsewhere (CJK, Hangul,
  symbols...). URL detection is a heuristic: ``http(s)://``, ``www.`` and bare domains with a common TLD.
* ``graphemes`` (Bluesky, whose 300 limit is in graphemes) counts user-perceived characters approximately:
  combining marks, variation selectors, skin-tone modifiers, tag characters and ZWJ-joined emoji join the
  previous character; a pair of regional indicators (a flag) is one; CR LF is one.
* ``code_points`` (every other platform): NFC-normalised Unicode code points.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from latecal.core.models import Post, Target
from latecal.core.platforms import CODE_POINTS, GRAPHEMES, X_WEIGHTED, rules_for

X_URL_LENGTH = 23
# Code points X counts as 1 (everything else counts 2), as one character class: counted in C, not per character
_X_HEAVY = re.compile("[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")

_TLDS = "com|org|net|io|dev|co|app|ai|me|ly|gl|gg|tv|fm|info|biz|edu|gov|de|uk|fr|eu|us|ca|nl|es|it|ch|at|jp|be"
_URL = re.compile(
    r"(?:\bhttps?://|\bwww\.|(?<![@\w.-])(?=[a-z0-9][a-z0-9.-]*\.(?:" + _TLDS + r")\b))[^\s<>\"]+",
    re.IGNORECASE,
)
_URL_TRAILING = ".,:;!?'\")]}"

_WIDE_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u2190-\u21ff\u203c\u2049\u2122\u2139"
_EMOJI_MODS = "(?:\ufe0f|[\U0001f3fb-\U0001f3ff]|[\U000e0020-\U000e007f])*"
_EMOJI_UNIT = f"(?:[{_WIDE_EMOJI}]|[\u00a9\u00ae]\ufe0f){_EMOJI_MODS}"
_EMOJI = re.compile(
    "[\U0001f1e6-\U0001f1ff]{2}"  # a flag: two regional indicators
    "|[0-9#*]\ufe0f?\u20e3"  # keycap
    f"|{_EMOJI_UNIT}(?:\u200d{_EMOJI_UNIT})*"
)

_HASHTAG_LINE = re.compile(r"^\s*(?:#[^\s#]+\s*)+$")


# -- hashtags -----------------------------------------------------------------------------------------


def parse_hashtags(raw: str) -> list[str]:
    """Split what a user typed in a hashtag field ("#a, b #c") into normalised tags."""
    return normalize_hashtags(re.split(r"[\s,;]+", raw))


def normalize_hashtags(tags: Iterable[str]) -> list[str]:
    """``#tag`` form, inner whitespace removed, empty ones dropped, case-insensitive duplicates dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        tag = "".join(str(raw).split()).lstrip("#")
        if not tag or tag.casefold() in seen:
            continue
        seen.add(tag.casefold())
        out.append("#" + tag)
    return out


def has_hashtag(text: str, tag: str) -> bool:
    """Whether ``#tag`` already stands in ``text`` as a whole hashtag (``#cat`` is not in ``#cats``)."""
    body = re.escape(tag.lstrip("#"))
    return re.search(rf"(?<![\w#&])#{body}(?![\w])", text, re.IGNORECASE) is not None


def compose_text(content: str, hashtags: Iterable[str], *, append: bool = True) -> str:
    """``content`` with the hashtags it does not already contain appended.

    They go on the same line when the text already ends in a line of hashtags, else after a blank line;
    a text without words becomes just the hashtags.
    """
    missing = [t for t in normalize_hashtags(hashtags) if not has_hashtag(content, t)] if append else []
    if not missing:
        return content
    tags = " ".join(missing)
    text = content.rstrip()
    if not text:
        return tags
    last_line = text.rsplit("\n", 1)[-1]
    return f"{text} {tags}" if _HASHTAG_LINE.match(last_line) else f"{text}\n\n{tags}"


def base_text(post: Post, target: Target) -> str:
    """The target's own text when it has any (blank counts as none), else the post's content."""
    custom = target.custom_content
    return custom if custom is not None and custom.strip() else post.content


def uses_custom_text(target: Target) -> bool:
    return target.custom_content is not None and bool(target.custom_content.strip())


def text_for_target(post: Post, target: Target) -> str:
    """Exactly the text sent to Late for this target."""
    return compose_text(base_text(post, target), post.hashtags, append=rules_for(target.platform).appends_hashtags)


# -- counting -----------------------------------------------------------------------------------------


def find_urls(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of what X would treat as links; trailing punctuation is not part of a link."""
    spans = []
    for m in _URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in _URL_TRAILING:
            end -= 1
        if end > m.start():
            spans.append((m.start(), end))
    return spans


def _x_run_weight(run: str) -> int:
    """1 per code point, plus 1 more for each heavy one."""
    return 2 * len(run) - len(_X_HEAVY.sub("", run))


def _x_plain_length(segment: str) -> int:
    total, pos = 0, 0
    for m in _EMOJI.finditer(segment):
        total += _x_run_weight(segment[pos : m.start()]) + 2
        pos = m.end()
    return total + _x_run_weight(segment[pos:])


def x_weighted_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total, pos = 0, 0
    for start, end in find_urls(text):
        total += _x_plain_length(text[pos:start]) + X_URL_LENGTH
        pos = end
    return total + _x_plain_length(text[pos:])


def _is_extend(ch: str) -> bool:
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or 0xFE00 <= cp <= 0xFE0F
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
    )


def grapheme_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    if text.isascii():  # no marks, joiners or flags: every code point is a grapheme, but CR LF is one
        return len(text) - text.count("\r\n")
    count = 0
    prev = ""
    joined = False  # the previous code point was a ZWJ: the next one joins its cluster
    open_flag = False  # an odd regional indicator waits for its pair
    for ch in text:
        cp = ord(ch)
        regional = 0x1F1E6 <= cp <= 0x1F1FF
        if ch == "\u200d":
            joined = True
        elif (ch == "\n" and prev == "\r") or _is_extend(ch) or joined:
            joined = False
        elif regional and open_flag:
            open_flag = False
        else:
            open_flag = regional
            count += 1
        prev = ch
    return count


def code_point_length(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def count_text(text: str, platform: str) -> int:
    """The length of ``text`` as ``platform`` counts it against its text limit."""
    return _count(text, rules_for(platform).counting)


@lru_cache(maxsize=64)
def _count(text: str, mode: str) -> int:
    """Remembered: an editor counts the same text for every account of a kind (1,000 targets of a 100 KB
    post took seconds), and a string's hash is computed once."""
    if mode == X_WEIGHTED:
        return x_weighted_length(text)
    if mode == GRAPHEMES:
        return grapheme_length(text)
    assert mode == CODE_POINTS, mode
    return code_point_length(text)


def sentence(text: str) -> str:
    """``text`` ending as a sentence, for a message that puts another sentence after it (Late's error
    messages come with and without a full stop)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def own_sentence(text: str) -> str:
    """``text`` (e.g. an exception's message) as a sentence of its own: a capital first letter, the rest as
    written (URL, API), and a full stop."""
    text = text.strip()
    return sentence(text[:1].upper() + text[1:])
