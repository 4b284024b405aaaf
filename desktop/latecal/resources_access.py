"""Files shipped in the wheel under `latecal.resources` (never repo paths).

The same calls work from a wheel, an editable install and the PyInstaller bundle (which ships the folder
as data next to the frozen `latecal` package): there the package is a folder on disk and files are plain
``Path``s. Only a package that is not a folder (e.g. imported from a zip) goes through
``importlib.resources``, which costs ~4 ms of imports that start-up does not otherwise need.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import latecal.resources

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

#: The reverse-DNS application id: the .desktop and metainfo file names, the icon name, the AppStream id.
APP_ID = "dev.latecal.LateCalendar"
#: The hicolor PNG sizes rendered from icons/latecal.svg by packaging/render_icons.py.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _root() -> Path | Traversable:
    folder = Path(latecal.resources.__file__).parent
    if folder.is_dir():
        return folder
    from importlib.resources import files

    return files("latecal.resources")


def resource(*parts: str) -> Path | Traversable:
    return _root().joinpath(*parts)


def resource_bytes(*parts: str) -> bytes:
    return resource(*parts).read_bytes()


def icon_png(size: int) -> Path | Traversable:
    return resource("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")


def desktop_entry() -> Path | Traversable:
    return resource(f"{APP_ID}.desktop")


def metainfo() -> Path | Traversable:
    return resource(f"{APP_ID}.metainfo.xml")


__all__ = ["APP_ID", "ICON_SIZES", "desktop_entry", "icon_png", "metainfo", "resource", "resource_bytes"]
