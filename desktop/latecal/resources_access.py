"""Files shipped in the wheel under `latecal.resources`, found through importlib.resources (never repo paths).

The same calls work from a wheel, an editable install and the PyInstaller bundle (which ships the folder
as data next to the frozen `latecal` package).
"""

from __future__ import annotations

from importlib.resources import as_file, files
from importlib.resources.abc import Traversable

#: The reverse-DNS application id: the .desktop and metainfo file names, the icon name, the AppStream id.
APP_ID = "dev.latecal.LateCalendar"
#: The hicolor PNG sizes rendered from icons/latecal.svg by packaging/render_icons.py.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def resource(*parts: str) -> Traversable:
    node = files("latecal.resources")
    for part in parts:
        node = node.joinpath(part)
    return node


def resource_bytes(*parts: str) -> bytes:
    return resource(*parts).read_bytes()


def icon_png(size: int) -> Traversable:
    return resource("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")


def desktop_entry() -> Traversable:
    return resource(f"{APP_ID}.desktop")


def metainfo() -> Traversable:
    return resource(f"{APP_ID}.metainfo.xml")


__all__ = ["APP_ID", "ICON_SIZES", "as_file", "desktop_entry", "icon_png", "metainfo", "resource", "resource_bytes"]
