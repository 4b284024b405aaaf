"""Account pictures (Late's ``profilePicture``), fetched through the async Late client, cached on disk under the
data directory, with a letter mark when there is none.

A picture is fetched only from an https link to a public host (``core.links``; the client checks again) and only
once per run: a link that fails keeps the letter mark until the next start. Files are named by a hash of the link,
so a new picture (a new link) is fetched anew and the old file is never shown for it. The filters and chips are on
the first paint: asyncio and html load only when a picture is fetched or a tooltip shows one.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPainterPath, QPixmap

from latecal.core.links import link_refusal
from latecal.core.models import Account
from latecal.ui.widgets.brand_icons import platform_pixmap
from latecal.ui.widgets.plain_text import escaped

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)
Fetch = Callable[[str], Awaitable[bytes]]
ICON_SIZE = 20


def may_fetch(url: str) -> bool:
    return url.lower().startswith("https://") and link_refusal(url) is None


class AvatarStore(QObject):
    #: a picture arrived (icons drawn before it may now show it)
    changed = Signal()

    def __init__(self, directory: Path | None = None, fetch: Fetch | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.directory = directory
        self.fetch = fetch
        self._images: dict[str, QImage] = {}
        self._tried: set[str] = set()
        self._tasks: set[asyncio.Task] = set()  # kept: a task nobody holds may be collected mid-flight

    def file_for(self, url: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / hashlib.sha256(url.encode()).hexdigest()

    def image(self, account: Account | None) -> QImage | None:
        """The account's picture if it is at hand (memory, then disk); else starts fetching it, and None."""
        url = (account.avatar_url if account is not None else "") or ""
        if not url or not may_fetch(url):
            return None
        if url in self._images:
            return self._images[url]
        path = self.file_for(url)
        if path is not None and path.is_file():
            image = QImage(str(path))
            if not image.isNull():
                self._images[url] = image
                return image
        self._start_fetch(url)
        return None

    def _start_fetch(self, url: str) -> None:
        if self.fetch is None or url in self._tried:
            return
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (the first paint): asked again once one runs
        self._tried.add(url)
        task = loop.create_task(self._fetch(url))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _fetch(self, url: str) -> None:
        try:
            data = await self.fetch(url)
        except Exception as exc:  # unreachable, refused, not an image: the letter mark stays
            log.info("account picture not fetched: %s", type(exc).__name__)
            return
        image = QImage.fromData(data)
        if image.isNull():
            return
        image = image.scaled(64, 64, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                             Qt.TransformationMode.SmoothTransformation)
        self._images[url] = image
        path = self.file_for(url)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                temp = path.with_suffix(".part")
                image.save(str(temp), "PNG")
                os.replace(temp, path)  # whole or not at all: a crash leaves no half picture
            except OSError as exc:
                log.info("account picture not cached: %s", type(exc).__name__)
        self.changed.emit()

    def icon(self, account: Account, size: int = ICON_SIZE) -> QIcon:
        return QIcon(self.pixmap(account, size))

    def pixmap(self, account: Account, size: int = ICON_SIZE) -> QPixmap:
        """The picture in a circle with the network's mark at its corner; else the letter mark."""
        image = self.image(account)
        return _round_picture(image, account.platform, size) if image is not None else letter_avatar(account, size)


def _round_picture(image: QImage, platform: str, size: int) -> QPixmap:
    ratio = 2.0
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    clip = QPainterPath()
    clip.addEllipse(QRectF(0, 0, size, size))
    painter.setClipPath(clip)
    painter.drawImage(QRectF(0, 0, size, size), image)
    painter.setClipping(False)
    badge = size * 0.45
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#ffffff"))
    painter.drawEllipse(QRectF(size - badge, size - badge, badge, badge))
    mark = platform_pixmap(platform, int(badge * 0.8), "#222222", ratio)
    painter.drawPixmap(QRectF(size - badge * 0.9, size - badge * 0.9, badge * 0.8, badge * 0.8), mark,
                       QRectF(0, 0, mark.width(), mark.height()))
    painter.end()
    return pixmap


def letter_avatar(account: Account | None, size: int = ICON_SIZE) -> QPixmap:
    """The fallback: the account's first letter on a colour of its own (stable per account)."""
    name = (account.label if account is not None else "") or "?"
    hue = int(hashlib.sha256(name.encode()).hexdigest()[:4], 16) % 360
    ratio = 2.0
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor.fromHsl(hue, 110, 110))
    painter.drawEllipse(QRectF(0, 0, size, size))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(int(size * 0.5), 6))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, name.lstrip("@")[:1].upper() or "?")
    painter.end()
    return pixmap


_current = AvatarStore()  # until the window attaches one with a directory and the client


def current() -> AvatarStore:
    """The app's picture store (the window's, once attached)."""
    return _current


def use(store: AvatarStore) -> None:
    global _current
    _current = store


def account_avatar_icon(account: Account, size: int = ICON_SIZE) -> QIcon:
    return _current.icon(account, size)


def pictures_html(account_ids: list[str], accounts: Mapping[str, Account], limit: int = 8) -> str:
    """The pictures (already on disk) of a post's accounts with their names, for its tooltip; "" when none."""
    import html

    cells = []
    for account_id in list(dict.fromkeys(account_ids))[:limit]:
        account = accounts.get(account_id)
        url = account.avatar_url if account is not None else ""
        path = _current.file_for(url) if url and may_fetch(url) else None
        if account is None or path is None or not path.is_file():
            continue
        cells.append(f'<img src="{html.escape(path.as_uri())}" width="16" height="16"> {escaped(account.label, 60)}')
    return "<br>" + " &nbsp; ".join(cells) if cells else ""
