"""Which URLs the client will talk to: HTTPS anywhere, plain HTTP only on this machine (the sandbox)."""

from __future__ import annotations

import ipaddress

import httpx

PRODUCTION_BASE_URL = "https://zernio.com/api"
LEGACY_BASE_URL = "https://getlate.dev/api"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback  # 127.0.0.0/8 and ::1
    except ValueError:
        return False


def check_secure_url(url: str) -> httpx.URL:
    """Parse ``url``; ValueError unless it is https, or http to a loopback host. Never echoes userinfo."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError("invalid URL") from exc
    if parsed.userinfo:
        raise ValueError("credentials in the URL are not allowed; the API key goes in the keyring")
    if not parsed.host:
        raise ValueError("URL without a host")
    if parsed.scheme == "https":
        return parsed
    if parsed.scheme == "http" and is_loopback(parsed.host):
        return parsed
    if parsed.scheme == "http":
        raise ValueError(f"refusing plain http:// to {parsed.host}: the API key would travel unencrypted")
    raise ValueError(f"unsupported URL scheme {parsed.scheme!r}")


def normalise_base_url(url: str) -> str:
    """A checked base URL without the trailing slash; paths like ``/v1/posts`` are appended to it."""
    parsed = check_secure_url(url)
    return str(parsed.copy_with(query=None, fragment=None)).rstrip("/")


def redact_url(url: str) -> str:
    """Scheme, host and path only: presigned upload URLs carry their signature in the query."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return "<invalid url>"
    return str(parsed.copy_with(query=None, fragment=None, userinfo=b""))
