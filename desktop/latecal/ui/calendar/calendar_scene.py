"""What the month and time-grid scenes share: PostItems kept in step with the posts they are given.

``posts`` holds every post the scene shows; ``items_by_id`` their items: one per post, or with ``lazy_items``
(the month grid) only for the posts that have been on screen (a chip, not a "+N more"), which a layout
creates as it needs them.

A scene mirrors the model. It never writes the store: a drop is handed to ``move_handler`` (the operation
runner), which answers whether the move was accepted; a refused drop puts the item back where the model
says it belongs. While a chip is dragged, one ``DropHint`` item marks where it would land (hatched when the
drop would be refused); Escape cancels the drag, and so does the chip being removed or hidden under it.

Several posts can be selected (the window's one ``PostSelection``, see ``selection_gestures``): Ctrl+click
toggles, Shift+click selects every post between the last one clicked and this one by time, a rubber band on
empty space selects what it covers; dragging one selected post moves them all (``group_move_handler``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsScene

from latecal.core.models import Account, Post
from latecal.core.scheduling import drop_refused_at, move_refusal
from latecal.core.zones import own_zone
from latecal.presentation.bulk_texts import group_hint
from latecal.ui.calendar.drop_hint import DropHint
from latecal.ui.calendar.post_item import PostItem
from latecal.ui.calendar.selection_gestures import SelectionGestures
from latecal.ui.widgets.post_mime import decode_post_ids

MoveHandler = Callable[[str, datetime], bool]
#: (post ids, day, exact slot time or None for "day only") -> whether any was scheduled
DraftDropHandler = Callable[[list[str], date, datetime | None], bool]


class CalendarScene(SelectionGestures, QGraphicsScene):
    post_pressed = Signal(str)
    post_activated = Signal(str)  # double click
    context_menu_requested = Signal(str, QPoint)
    #: a double click on an empty slot: the datetime (UTC) it stands for
    slot_activated = Signal(object)

    block_items = False
    #: items only for posts the layout puts on screen (``ensure_item``), not for every post in ``posts``
    lazy_items = False
    #: set by the window: posts dragged in from the drafts tray are handed to it
    draft_drop_handler: DraftDropHandler | None = None

    def __init__(self, zone: ZoneInfo, parent=None) -> None:
        super().__init__(parent)
        self.zone = zone
        self.posts: dict[str, Post] = {}
        self.items_by_id: dict[str, PostItem] = {}
        self.move_handler: MoveHandler | None = None
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # the window's clock (tests fix it)
        self.accounts: Mapping[str, Account] = {}  # by id: the items flag posts to accounts that cannot post
        #: account id → its profile's zone (``zones.profile_zones``): the zone of a post that names none
        self.profile_zones: Mapping[str, str] = {}
        self.drop_hint = DropHint()
        self.addItem(self.drop_hint)
        self._dragged: PostItem | None = None  # the item the drop hint follows
        self._deferred: list[tuple[Post | None, Post | None]] | None = None  # inside ``batched``
        self.init_selection()

    # -- mirroring the posts -------------------------------------------------------------------------

    def set_posts(self, posts: Iterable[Post]) -> None:
        """Show exactly these posts, reusing the items of posts already shown (filters and range changes)."""
        wanted = {p.local_id: p for p in posts if self.accepts(p)}
        for local_id in [i for i in self.items_by_id if i not in wanted]:
            self._remove_item(self.items_by_id.pop(local_id))
        self.posts = wanted
        for post in wanted.values():
            item = self.items_by_id.get(post.local_id)
            if item is None:
                if not self.lazy_items:
                    self._add_item(post)
            elif item.post != post:
                item.set_post(post)
        self.layout_all()

    def set_accounts(self, accounts: Mapping[str, Account]) -> None:
        """New accounts (or their health): every item judges its post's platforms again."""
        self.accounts = accounts
        for item in self.items_by_id.values():
            item.set_post(item.post)
            item.update()  # the same post, judged again: its account warning may come or go

    def upsert_post(self, post: Post) -> None:
        """One post changed: recolour it in place, and re-lay out only where its place changed."""
        if not self.accepts(post):
            self.remove_post(post.local_id)
            return
        old = self.posts.get(post.local_id)
        self.posts[post.local_id] = post
        item = self.items_by_id.get(post.local_id)
        if item is not None:
            item.set_post(post)
        elif not self.lazy_items:
            self._add_item(post)
        if old is None or old.scheduled_for != post.scheduled_for:
            self._relayout(old, post)

    def remove_post(self, local_id: str) -> None:
        post = self.posts.pop(local_id, None)
        item = self.items_by_id.pop(local_id, None)
        if item is not None:
            self._remove_item(item)
        if post is not None:
            self._relayout(post, None)

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Many posts change at once (a slice of a sync, hundreds of posts for one busy day): each day they touch
        is laid out once at the end, not once per post (which sorted and placed a day of 650 posts 650 times)."""
        self._deferred = []
        try:
            yield
        finally:
            deferred, self._deferred = self._deferred, None
            if deferred:
                self.relayout_many(deferred)

    def _relayout(self, old: Post | None, new: Post | None) -> None:
        if self._deferred is not None:
            self._deferred.append((old, new))
        else:
            self.relayout_for(old, new)

    def _remove_item(self, item: PostItem) -> None:
        self.forget_drag_of(item)
        self.removeItem(item)

    def own_zone(self, post: Post) -> ZoneInfo:
        """The zone whose time of day a move keeps for ``post`` (``zones.own_zone``)."""
        return own_zone(post, self.zone, self.profile_zones)

    def ensure_item(self, local_id: str) -> PostItem:
        """The item of a post in ``posts``, created when it is first needed (``lazy_items``)."""
        item = self.items_by_id.get(local_id)
        return item if item is not None else self._add_item(self.posts[local_id])

    def _add_item(self, post: Post) -> PostItem:
        item = PostItem(post, self.zone, block=self.block_items, host=self)
        item.set_selected(post.local_id in self.selected_ids)
        item.set_current(post.local_id == self.selected_id)
        self.items_by_id[post.local_id] = item
        self.addItem(item)
        return item

    # -- for subclasses ------------------------------------------------------------------------------

    def accepts(self, post: Post) -> bool:
        """Whether the post belongs on this scene (has a time inside the shown days)."""
        raise NotImplementedError

    def layout_all(self) -> None:
        raise NotImplementedError

    def relayout_for(self, old: Post | None, new: Post | None) -> None:
        """Re-place the items of the cells/columns the post left and entered."""
        raise NotImplementedError

    def relayout_many(self, changes: list[tuple[Post | None, Post | None]]) -> None:
        """``relayout_for`` of each (old, new), each cell/column they touch laid out once."""
        raise NotImplementedError

    def drag_position(self, item: PostItem, start: QPointF, scene_pos: QPointF, delta: QPointF) -> QPointF:
        raise NotImplementedError

    def drop_datetime(self, item: PostItem, scene_pos: QPointF) -> datetime | None:
        raise NotImplementedError

    def day_at(self, scene_pos: QPointF) -> date | None:
        raise NotImplementedError

    # -- called by PostItem --------------------------------------------------------------------------

    def item_pressed(self, item: PostItem) -> None:
        if self.press_selects(item.local_id):
            self.post_pressed.emit(item.local_id)

    def item_activated(self, item: PostItem) -> None:
        self.post_activated.emit(item.local_id)

    def item_context_menu(self, item: PostItem, screen_pos: QPoint) -> None:
        if item.local_id not in self.selected_ids:  # a menu on a selected post keeps the others selected
            self.post_pressed.emit(item.local_id)
        self.context_menu_requested.emit(item.local_id, screen_pos)

    def item_dropped(self, item: PostItem, scene_pos: QPointF) -> None:
        self._stop_hinting()
        if not self.dropped_outside(item, scene_pos):
            new_time = self.drop_datetime(item, scene_pos)
            if new_time is not None and new_time != item.post.scheduled_for and not self.group_dropped(item, new_time) \
                    and self.move_handler is not None:
                self.move_handler(item.local_id, new_time)
        if self.items_by_id.get(item.local_id) is item:
            # refused: the chip returns to where the model says; accepted: the saved post is already in place
            self.relayout_for(item.post, item.post)

    # -- the drop hint ---------------------------------------------------------------------------------------

    def show_drop_hint(self, item: PostItem, rect: QRectF | None, when: datetime | None, label: str = "") -> None:
        """Called from ``drag_position``: mark ``rect``, where a drop would put the post at ``when`` (None: off the
        grid, no mark). A drop the reschedule rules would refuse is marked as such, and the cursor says so."""
        self._dragged = item
        if rect is None or when is None:
            self.drop_hint.setVisible(False)
            return
        # dropping where it already is changes nothing, so nothing is refused there
        refused = when != item.post.scheduled_for and move_refusal(item.post, when, self.clock()) is not None
        if refused != self.drop_hint.refused or not self.drop_hint.isVisible():
            item.setCursor(Qt.CursorShape.ForbiddenCursor if refused else Qt.CursorShape.ClosedHandCursor)
        self.drop_hint.show_at(rect, when, refused, group_hint(label, self.group_size(item)))

    def _stop_hinting(self) -> None:
        self._dragged = None
        self.drop_hint.setVisible(False)

    def _abandon_drag(self) -> PostItem | None:
        """Stop hinting and end the item's drag without a drop; the item if it was being dragged."""
        item = self._dragged
        self._stop_hinting()
        if item is None or not item.dragging:
            return None
        # what PostItem.mouseReleaseEvent resets, minus the drop
        item.dragging = False
        item.drop_utc = None
        item.restore_z()
        item.setCursor(Qt.CursorShape.PointingHandCursor)
        item.update()
        return item

    def forget_drag_of(self, item: PostItem) -> None:
        """Call before hiding or removing an item: Qt then ungrabs it silently, so a drag of it ends here
        (whoever hides or removes it also decides where it is)."""
        if item is self._dragged:
            self._abandon_drag()

    def cancel_drag(self) -> None:
        """Escape during a drag: no move; the item goes back where the model has it."""
        item = self._abandon_drag()
        self.dropped_outside_cancelled()
        if item is None:
            return
        if self.mouseGrabberItem() is item:
            item.ungrabMouse()  # the rest of this press (moves, release) goes nowhere
        if self.items_by_id.get(item.local_id) is item:
            self.relayout_for(item.post, item.post)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self._dragged is not None:
            self.cancel_drag()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and self.escape_selection():
            event.accept()
            return
        super().keyPressEvent(event)

    # -- drops from the drafts tray ----------------------------------------------------------------------

    def drop_slot(self, scene_pos: QPointF) -> tuple[date, datetime | None] | None:
        """Where a dropped draft lands: the day, and the exact time when the scene has a time axis."""
        day = self.day_at(scene_pos)
        return None if day is None else (day, None)

    def slot_hint(self, day: date, exact: datetime | None) -> tuple[QRectF, str]:
        """The rectangle to mark for a draft dragged over ``day`` (at ``exact``), and the tag naming it."""
        raise NotImplementedError

    def _hint_draft_drop(self, scene_pos: QPointF) -> None:
        """A draft from the tray over the calendar: mark where it would land; a day or time already past is
        marked as refused (the drop's own checks, e.g. its accounts, still run on the drop)."""
        slot = self.drop_slot(scene_pos)
        if slot is None:
            self.drop_hint.setVisible(False)
            return
        day, exact = slot
        refused = drop_refused_at(day, exact, self.clock(), self.zone)
        rect, label = self.slot_hint(day, exact)
        self.drop_hint.show_at(rect, exact, refused, label)

    def _wants_drop(self, event) -> bool:
        return (
            self.draft_drop_handler is not None
            and bool(decode_post_ids(event.mimeData()))
            and self.drop_slot(event.scenePos()) is not None
        )

    def dragEnterEvent(self, event) -> None:
        if self._wants_drop(event):
            event.acceptProposedAction()
            self._hint_draft_drop(event.scenePos())
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if self._wants_drop(event):
            event.acceptProposedAction()
            self._hint_draft_drop(event.scenePos())
        else:
            self.drop_hint.setVisible(False)
            super().dragMoveEvent(event)

    def dragLeaveEvent(self, event) -> None:
        self.drop_hint.setVisible(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event) -> None:
        self.drop_hint.setVisible(False)
        if not self._wants_drop(event):
            super().dropEvent(event)
            return
        slot = self.drop_slot(event.scenePos())
        assert slot is not None and self.draft_drop_handler is not None
        event.acceptProposedAction()
        self.draft_drop_handler(decode_post_ids(event.mimeData()), *slot)
