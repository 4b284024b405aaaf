"""Reading Late's JSON within bounds: a body too large or nested too deeply is refused before it is parsed,
so a hostile or broken answer costs a clear error instead of the memory of a huge object tree or a
``RecursionError`` from the parser (which nests a C call per level)."""

from __future__ import annotations

import json
from typing import Any

#: a 500-post page is about 1 MB; 32 times that is no answer Late gives
MAX_BYTES = 32 * 1024 * 1024
#: Late's deepest documented shape (a post's platform data) nests about 8 levels
MAX_DEPTH = 64

_BRACKETS_AND_QUOTES = bytes(b for b in range(256) if b not in b'[]{}"')  # what translate deletes
_AS_SQUARE = bytes.maketrans(b"{}", b"[]")


class TooLarge(ValueError):
    """The body is larger than ``MAX_BYTES``."""


class TooDeep(ValueError):
    """The body nests arrays and objects deeper than ``MAX_DEPTH``."""


def loads(content: bytes) -> Any:
    """``content`` parsed as JSON; ``TooLarge``/``TooDeep`` beyond the bounds, ValueError if it is not JSON."""
    if len(content) > MAX_BYTES:
        raise TooLarge(f"{len(content)} bytes, more than {MAX_BYTES}")
    if nests_deeper_than(content, MAX_DEPTH):
        raise TooDeep(f"nested deeper than {MAX_DEPTH} levels")
    try:
        # NaN and Infinity are not JSON and Late (JavaScript) never writes them; read as null rather than carried
        # into the store, which cannot write them back
        return json.loads(content, parse_constant=_no_constant)
    except RecursionError:  # cannot happen below MAX_DEPTH; kept so the parser's limit never escapes as a crash
        raise TooDeep(f"nested deeper than {MAX_DEPTH} levels") from None


def _no_constant(_name: str) -> None:
    return None


def nests_deeper_than(content: bytes, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit``, found without recursion (exact for valid JSON)."""
    if content.count(b"[") + content.count(b"{") <= limit:
        return False  # the common small answer: too few brackets to nest that deep
    # Escaped backslashes, then escaped quotes, go first (left to right, as JSON reads escapes): every quote
    # left delimits a string, so every other quote-separated piece is outside the strings.
    unescaped = content.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = b"".join(unescaped.translate(_AS_SQUARE, _BRACKETS_AND_QUOTES).split(b'"')[0::2])
    # Each round removes the innermost pairs, so a body of depth d is empty after d rounds: a handful of
    # C-speed replaces for a 500-post page (the whole check costs less than parsing it).
    rest = brackets
    for _ in range(limit):
        shorter = rest.replace(b"[]", b"")
        if not shorter:
            return False
        if shorter == rest:
            break  # unbalanced (e.g. a body cut off): count exactly below
        rest = shorter
    depth = 0
    for byte in brackets:
        depth += 1 if byte == 0x5B else -1
        if depth > limit:
            return True
    return False
