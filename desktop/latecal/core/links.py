"""Which links may leave the app for the desktop's opener: web pages on public hosts, nothing else.

A post's link comes from Late (or from whoever answers in its place), so it is checked like any input: a
``file:`` URL would open a local file, ``javascript:``/``data:`` run or render content, and a link to a private
or cloud-metadata address (169.254.169.254) would make the user's machine reach inside their own network.
Host names are not resolved: the check is on what the link says.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from urllib.parse import urlsplit

WEB_SCHEMES = frozenset({"https", "http"})
#: names that always mean this machine or its local network
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan")
MAX_LINK_LENGTH = 4096


class LinkRefusal(StrEnum):
    NOT_WEB = "not_web"  # file:, javascript:, data:, mailto:… or no scheme at all
    NO_HOST = "no_host"
    PRIVATE_HOST = "private_host"  # loopback, private, link-local or reserved addresses; localhost names
    MALFORMED = "malformed"  # spaces or control characters, credentials, or absurd length


def link_refusal(url: str) -> LinkRefusal | None:
    """Why ``url`` must not be opened, or None for a web link to a public host."""
    if not isinstance(url, str) or not url or len(url) > MAX_LINK_LENGTH:
        return LinkRefusal.MALFORMED
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return LinkRefusal.MALFORMED
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return LinkRefusal.MALFORMED
    if parts.scheme.lower() not in WEB_SCHEMES:
        return LinkRefusal.NOT_WEB
    if parts.username is not None or parts.password is not None:
        return LinkRefusal.MALFORMED  # "https://x.com@10.0.0.1/" reads as x.com but goes to 10.0.0.1
    if not host:
        return LinkRefusal.NO_HOST
    return LinkRefusal.PRIVATE_HOST if _is_local_host(host) else None


def _is_local_host(host: str) -> bool:
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(_LOCAL_SUFFIXES) or ("." not in name and ":" not in name):
        return True  # a single-label name resolves inside the local network, if anywhere
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return _is_numeric_host(name)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global


def _is_numeric_host(name: str) -> bool:
    """Hosts browsers read as IPv4 though ``ipaddress`` does not ("2130706433", "0x7f.1", "127.1"): refused,
    as no public web page is addressed that way."""
    labels = name.split(".")
    return all(label.isdigit() or label.startswith("0x") for label in labels if label)
