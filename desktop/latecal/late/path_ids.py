"""Ids in URL paths are opaque: every request that puts an id into its path takes it through ``path_segment``.

Late's ids are 24-hex ObjectIds and pass as they are; anything else (a hostile or broken answer can hand us
any string) is percent-encoded into exactly one segment, and an id that would name another path (empty, ``.``
or ``..``, also once a server decodes it) is refused before any request goes out, since ``DELETE
/v1/posts/..`` would reach ``DELETE /v1`` with the user's key.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from latecal.late.errors import InvalidPathId

_OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")
_NOT_A_SEGMENT = ("", ".", "..")


def path_segment(value: str, what: str = "id") -> str:
    """``value`` as one URL path segment; ``InvalidPathId`` when it cannot be one."""
    if not isinstance(value, str):
        raise InvalidPathId(f"a Late {what} must be a string, not {type(value).__name__}")
    if _OBJECT_ID.fullmatch(value):
        return value
    decoded = value
    while True:  # every decoding a server or proxy might apply: "%252e%252e" is ".." twice removed
        if decoded in _NOT_A_SEGMENT:
            raise InvalidPathId(f"a Late {what} cannot be empty, '.' or '..' (got {value!r})")
        once = unquote(decoded)
        if once == decoded:
            return quote(value, safe="")
        decoded = once
