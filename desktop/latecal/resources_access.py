"""Files shipped in the wheel under `latecal.resources`, found through importlib.resources (never repo paths)."""

from __future__ import annotations

from importlib.resources import as_file, files
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    node = files("latecal.resources")
    for part in parts:
        node = node.joinpath(part)
    return node


def resource_bytes(*parts: str) -> bytes:
    return resource(*parts).read_bytes()


__all__ = ["as_file", "resource", "resource_bytes"]
