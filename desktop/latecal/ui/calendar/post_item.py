"""One post on a calendar scene: a chip (month) or a block (week/day) painted from a Post snapshot.

The item never changes the post: it paints what the scene gives it and reports presses, drags, double
clicks and context menus back to its scene, which decides what they mean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
)

from latecal.core.account_health import BlockedTarget, blocked_targets
from latecal.core.missed import is_missed
from latecal.core.models import Account, Post
from latecal.core.platforms import glyph
from latecal.core.recurrence import is_future_repeat
from latecal.core.status import PostStatus
from latecal.core.zones import utc_to_wall
from latecal.presentation.posts import (
    local_time_text,
    own_zone_hint,
    post_summary,
    shows_each_target,
    tooltip_lines,
)
from latecal.ui.calendar.chip_fonts import ChipFonts
from latecal.ui.calendar.chip_marks import (
    paint_account_warning,
    paint_missed_mark,
    paint_profile_line,
    paint_sync_mark,
)
from latecal.ui.widgets.avatars import pictures_html
from latecal.ui.widgets.brand_icons import has_brand, paint_platform_mark
from latecal.ui.widgets.palette import (
    is_dark_theme,
    missed_hatch,
    status_accent,
    status_fill,
    status_text_colour,
    target_fill,
)
from latecal.ui.widgets.plain_text import escaped


class ItemHost(Protocol):
    """What an item reports its gestures to (its scene, which decides what they mean), and the accounts and
    clock it judges its post's platforms by."""

    accounts: Mapping[str, Account]
    clock: Callable[[], datetime]

    def item_pressed(self, item: PostItem) -> None: ...
    def item_activated(self, item: PostItem) -> None: ...
    def item_context_menu(self, item: PostItem, screen_pos: QPoint) -> None: ...
    def item_dropped(self, item: PostItem, scene_pos: QPointF) -> None: ...
    def drag_position(self, item: PostItem, start: QPointF, scene_pos: QPointF, delta: QPointF) -> QPointF: ...


CHIP_HEIGHT = 18.0
#: more platform badges than any chip has room for are not worth building (a post may have 1,000 targets)
MAX_BADGES = 12
REPEAT_OPACITY, REPEAT_TEXT_OPACITY = 0.5, 0.8  # repeats to come are lighter, as calendars draw tentative events
MIN_TEXT_STRIP = 30.0  # narrower than this, a cascaded block's visible strip shows no words
_BADGE_GAP = 2.0
TITLE_CHARS = 12  # a one-line chip's words come before its badges up to this many characters


def post_tooltip(post: Post, zone: ZoneInfo, blocked: list[BlockedTarget] | None = None,
                 now: datetime | None = None, *, missed: bool = False) -> str:
    """The rich tooltip: presentation's lines, laid out (Late's text escaped: it is plain text)."""
    styled = {"title": "<b>{}</b>", "bold": "<b>{}</b>", "italic": "<i>{}</i>", "": "{}"}
    out = []
    for line in tooltip_lines(post, zone, blocked=blocked or (), now=now, missed=missed):
        text = styled[line.style].format(escaped(line.text, 500))
        out.append(f"<b>{escaped(line.label)}</b> {text}" if line.label else text)
    return "<br>".join(out)


def badges(post: Post) -> list[tuple[str, str | None]]:
    """(glyph, target status or None) per platform chip: per target for partial/failed, else per platform."""
    if shows_each_target(post):
        return [(glyph(t.platform), t.status) for t in post.targets[:MAX_BADGES]]
    return [(glyph(p), None) for p in list(dict.fromkeys(post.platforms))[:MAX_BADGES]]


def badge_platforms(post: Post) -> list[str]:
    """The platform of each of ``badges(post)``, in the same order (for the network's mark)."""
    if shows_each_target(post):
        return [t.platform for t in post.targets[:MAX_BADGES]]
    return list(dict.fromkeys(post.platforms))[:MAX_BADGES]


class PostItem(QGraphicsObject):
    """A post on a scene. ``created`` counts constructions so tests can prove an update reused the item."""

    created = 0
    shown_words = ""  # the words the last paint of a one-line chip showed (tests read them)

    def __init__(self, post: Post, zone: ZoneInfo, *, block: bool, host: ItemHost) -> None:
        super().__init__()
        PostItem.created += 1
        self.post = post
        self.zone = zone
        self.block = block  # week/day: taller box with wrapped text; month: one-line chip
        self._host = host
        self._w = 100.0
        self._h = CHIP_HEIGHT
        self.selected = False  # outlined by the scene (one of the selected posts)
        self.current = False  # the selected post the keyboard acts on: lifted out of a cascade, its words shown
        self._press_scene: QPointF | None = None
        self._press_pos = QPointF()
        self.dragging = False
        self.drop_utc: datetime | None = None  # where the current drag would land (time grid)
        #: a cascaded block under a later one shows only this strip: too narrow for words, it shows none
        self.strip_width: float | None = None
        self._layer = 0.0
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # repaints blit a cached pixmap instead of running paint() in Python; update() re-renders it
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._tooltip_stale = True  # built on hover: a recolour of many posts does not format HTML for each
        self._tooltip_missed = False

    @property
    def local_id(self) -> str:
        return self.post.local_id

    def label(self) -> str:
        """What the item shows, as plain text: local time, platform glyphs, first words."""
        glyphs = " ".join(text for text, _status in badges(self.post))
        return f"{local_time_text(self.post, self.zone)} {glyphs} {post_summary(self.post)}"

    def set_post(self, post: Post) -> None:
        old, self.post = self.post, post
        self._tooltip_stale = True
        if not self._looks_the_same(old):
            self.update()

    def _looks_the_same(self, old: Post) -> bool:
        """Whether the chip of ``old`` paints exactly as this post's does: only the time moved, to the same time of
        day (a bulk move by whole days): its cached pixmap is kept, and a move of 500 posts re-renders none."""
        post = self.post
        if old == post:
            return True
        if replace(old, scheduled_for=post.scheduled_for) != post:
            return False
        if old.scheduled_for is None or post.scheduled_for is None:
            return False
        clock = getattr(self._host, "clock", None)
        if clock is not None and is_missed(old, clock()) != is_missed(post, clock()):
            return False
        # the same time of day here (the time painted), and where it keeps its own zone there too (its hint)
        was, now = utc_to_wall(old.scheduled_for, self.zone), utc_to_wall(post.scheduled_for, self.zone)
        same_here = (was.time(), was.fold) == (now.time(), now.fold)  # (fold: the repeated hour is marked)
        return same_here and (not post.timezone or own_zone_hint(old, self.zone) == own_zone_hint(post, self.zone))

    def toolTip(self) -> str:
        missed = self.missed()
        # rebuilt when stale, when a post became Missed as time passed, and while publishing (its duration)
        if self._tooltip_stale or missed != self._tooltip_missed or self.post.status == PostStatus.PUBLISHING:
            self._tooltip_stale, self._tooltip_missed = False, missed
            tip = post_tooltip(self.post, self.zone, self.blocked(), now=self._host.clock(), missed=missed)
            accounts = getattr(self._host, "accounts", None)  # and the accounts' pictures, once on disk
            self.setToolTip(tip + (pictures_html(self.post.account_ids, accounts) if accounts else ""))
        return super().toolTip()

    def _profile_colour(self) -> str | None:
        """The colour of the brand (Late profile) the post belongs to: its first platform's account's."""
        colours = getattr(self._host, "profile_colours", None)
        if not isinstance(colours, Mapping) or not colours or not self.post.targets:
            return None
        return colours.get(self.post.targets[0].account_id)

    def blocked(self) -> list[BlockedTarget]:
        """The platforms of this post whose account cannot post by its time (a host without accounts: none)."""
        accounts = getattr(self._host, "accounts", None)
        return blocked_targets(self.post, accounts, self._host.clock()) if isinstance(accounts, Mapping) else []

    def missed(self) -> bool:
        """Whether the post is Missed now, on the scene's clock (a host without a clock: never)."""
        clock = getattr(self._host, "clock", None)
        return clock is not None and is_missed(self.post, clock())

    def hoverEnterEvent(self, event) -> None:
        self.toolTip()  # refresh before the scene asks C++ for the tooltip text
        super().hoverEnterEvent(event)

    def set_geometry(self, x: float, y: float, w: float, h: float) -> None:
        if (w, h) != (self._w, self._h):
            self.prepareGeometryChange()
            self._w, self._h = max(w, 4.0), max(h, 4.0)
        self.setPos(x, y)

    def set_strip(self, width: float | None) -> None:
        if width != self.strip_width:
            self.strip_width = width
            self.update()

    def set_selected(self, selected: bool) -> None:
        # the outline is the scene's (drawn over the items): selecting 500 posts re-renders no item
        self.selected = selected

    def set_current(self, current: bool) -> None:
        if current != self.current:
            self.current = current
            self.restore_z()  # the current block comes out of a cascade
            if self.strip_width is not None:
                self.update()  # and a strip of a cascade shows its words

    def set_layer(self, z: float) -> None:
        """Where the layout stacks this item (a cascade stacks later posts higher)."""
        self._layer = z
        self.restore_z()

    def restore_z(self) -> None:
        """The item's stacking when it is not being dragged (a drag lifts it to 10)."""
        self.setZValue(self._layer + (0.5 if self.current else 0.0))

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._w, self._h)

    # -- painting ------------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        dark = is_dark_theme()
        post = self.post
        rect = QRectF(0.5, 0.5, self._w - 1, self._h - 1)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        opacity = painter.opacity()
        repeat = is_future_repeat(post)
        if repeat:  # a repeat still to come: lighter than the posts the user placed
            painter.setOpacity(opacity * REPEAT_OPACITY)
        fill = status_fill(post.status, dark=dark)
        if self.dragging:
            fill.setAlpha(225)
        accent = status_accent(post.status)
        painter.setPen(QPen(accent.darker(110), 0.8))
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(rect, 3, 3)
        missed = self.missed()
        if missed:  # hatched across: this post did not go out and waits for the user's choice
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(missed_hatch(dark=dark), Qt.BrushStyle.BDiagPattern))
            painter.drawRoundedRect(rect, 3, 3)
        # left accent bar: the status reads by position as well as by hue
        bar = QPainterPath()
        bar.addRoundedRect(QRectF(0.5, 0.5, 4, self._h - 1), 2, 2)
        painter.fillPath(bar, accent)
        paint_profile_line(painter, self._profile_colour(), self._w, self._h)
        if repeat:
            painter.setOpacity(opacity * REPEAT_TEXT_OPACITY)  # its words stay readable
        if self.strip_width is not None and self.strip_width < MIN_TEXT_STRIP and not self.current:
            return  # a stub of a time ("1", "2 A") reads as a glitch; the tooltip and a click tell the post

        text_colour = status_text_colour(dark=dark)
        fonts = ChipFonts.current()
        x = 6.5
        line_h = min(CHIP_HEIGHT, self._h)
        mark_w = (paint_missed_mark(painter, self._w, line_h) if missed
                  else paint_sync_mark(painter, post, self._w, line_h))
        mark_w += paint_account_warning(painter, bool(self.blocked()), line_h, self._w - 3 - mark_w)
        right = self._w - 2.5 - mark_w

        painter.setPen(text_colour)
        time_text = local_time_text(post, self.zone)
        bold, fm_bold = fonts.bold, fonts.bold_metrics
        time_w = fm_bold.horizontalAdvance(time_text)
        if time_w > right - x:
            bold, fm_bold = fonts.narrow_bold, fonts.narrow_bold_metrics
            time_w = fm_bold.horizontalAdvance(time_text)
            x, right = 5.5, right + 2
        painter.setFont(bold)
        painter.drawText(QRectF(x, 0, right - x, line_h), Qt.AlignmentFlag.AlignVCenter, time_text)
        x += time_w + 3

        fm = fonts.base_metrics
        words = post_summary(post)
        # a one-line chip keeps room for the first words of its title before any badge: a row of platform
        # marks with "W…" beside them tells nothing (the tooltip and the editor name the platforms)
        reserve = 0.0 if self.block else min(fm.horizontalAdvance(words[:TITLE_CHARS] + "…"),
                                             fm.horizontalAdvance(words))
        x = self._paint_badges(painter, fonts, x, line_h, right - reserve, dark)
        x = self._paint_zone_hint(painter, fonts, x, line_h, right - reserve)

        painter.setFont(fonts.struck if post.status == PostStatus.CANCELLED else fonts.base)
        painter.setPen(text_colour)
        if self.block and self._h >= line_h + fm.height() - 2:
            # block: first line is time + platforms, the text wraps underneath
            area = QRectF(7, line_h - 3, self._w - 10, self._h - line_h + 2)
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            lines = max(int(area.height() // fm.lineSpacing()), 1)
            shown = fm.elidedText(words, Qt.TextElideMode.ElideRight, area.width() * lines * 0.92)
            painter.drawText(area, int(flags), shown)
        elif right - x > 12:
            shown = fm.elidedText(words, Qt.TextElideMode.ElideRight, right - x)
            self.shown_words = shown
            painter.drawText(QRectF(x, 0, right - x, line_h), Qt.AlignmentFlag.AlignVCenter, shown)

    def _paint_zone_hint(self, painter: QPainter, fonts: ChipFonts, x: float, line_h: float, right: float) -> float:
        """"09:00 Berlin" after the badges, when the post keeps a zone other than the one shown and there is
        room beside its words; where the next words start."""
        hint = own_zone_hint(self.post, self.zone)
        width = fonts.badge_metrics.horizontalAdvance(hint) if hint else 0.0
        if not hint or right - x < width + 40:
            return x
        painter.setFont(fonts.badge)
        painter.setPen(status_text_colour(dark=is_dark_theme()))
        painter.drawText(QRectF(x, 0, width + 1, line_h), Qt.AlignmentFlag.AlignVCenter, hint)
        return x + width + 5

    def _paint_badges(self, painter: QPainter, fonts: ChipFonts, x: float, line_h: float, right: float,
                      dark: bool) -> float:
        painter.setFont(fonts.badge)
        fm = fonts.badge_metrics
        bh = min(line_h - 5, 12.0)
        y = (line_h - bh) / 2
        neutral = QColor(255, 255, 255, 60) if dark else QColor(0, 0, 0, 28)
        start = x
        for (text, target_status), platform in zip(badges(self.post), badge_platforms(self.post), strict=True):
            bw = bh + 2 if has_brand(platform) else max(fm.horizontalAdvance(text) + 5, bh)
            if x + bw > right - 10:
                break
            box = QRectF(x, y, bw, bh)
            if target_status is None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(neutral)
                painter.drawRoundedRect(box, 2, 2)
                painter.setPen(status_text_colour(dark=dark))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(target_fill(target_status, dark=dark))
                painter.drawRoundedRect(box, 2, 2)
                painter.setPen(QColor("#ffffff"))
            if not paint_platform_mark(painter, platform, box.adjusted(1.5, 1.5, -1.5, -1.5), painter.pen().color()):
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            x += bw + _BADGE_GAP
        return x + 2 if x > start else x

    # -- interaction: the scene decides --------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self._press_scene = event.scenePos()
        self._press_pos = self.pos()
        self.dragging = False
        self._host.item_pressed(self)
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._press_scene is None:
            return
        delta = event.scenePos() - self._press_scene
        if not self.dragging:
            if delta.manhattanLength() < QApplication.startDragDistance():
                return
            self.dragging = True
            self.setZValue(10)
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            self.update()
        self.setPos(self._host.drag_position(self, self._press_pos, event.scenePos(), delta))

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        was_dragging = self.dragging
        self._press_scene = None
        self.dragging = False
        self.restore_z()
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        if was_dragging:
            self._host.item_dropped(self, event.scenePos())
        self.drop_utc = None
        self.update()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._host.item_activated(self)

    def contextMenuEvent(self, event) -> None:
        self._host.item_context_menu(self, event.screenPos())
