"""The week and day pages: the day names above the columns (with counts of posts scrolled out of sight) and the
vertically scrolling view of the time grid."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QApplication, QFrame, QGraphicsView, QMenu, QVBoxLayout, QWidget

from latecal.presentation import calendar_texts as words
from latecal.ui.calendar.slot_more import SlotMoreItem, popup_at, slot_list_menu
from latecal.ui.calendar.time_grid_scene import BLOCK_HEIGHT, GUTTER, PX_PER_HOUR, TimeGridScene
from latecal.ui.widgets.palette import GridColours

WORKING_HOURS_START = 8


def hidden_marks(above: int, below: int, width: float, metrics: QFontMetricsF) -> str:
    """The counts under a day's name, in words where the column of ``width`` has room."""
    return words.hidden_marks(above, below, lambda text: metrics.horizontalAdvance(text) <= width - 4)


class DayHeader(QWidget):
    """Day names above the columns, aligned with the scene's columns; today is highlighted. Under a day's
    name, "▲ 2" / "▼ 1" count its posts scrolled out of sight above / below; a click on the day shows them."""

    def __init__(self, scene: TimeGridScene, owner: TimeGridView) -> None:
        super().__init__(owner)
        self.scene = scene
        self._owner = owner
        self.setFixedHeight(40)
        self.setMouseTracking(True)  # the tooltip and cursor say when a click shows hidden posts

    def paintEvent(self, event) -> None:
        c = GridColours()
        painter = QPainter(self)
        painter.fillRect(self.rect(), c.header)
        font = QFont(QApplication.font())
        font.setPointSizeF(9)
        small = QFont(font)
        small.setPointSizeF(7.5)
        hidden = self._owner.hidden_counts()
        for index, day in enumerate(self.scene.days):
            x, w = self.scene.column_x(index), self.scene.col_w
            box = QRectF(x, 0, w, self.height())
            if day == self.scene.today:
                painter.fillRect(box, c.today)
            font.setBold(day == self.scene.today)
            painter.setFont(font)
            painter.setPen(c.today_badge if day == self.scene.today else c.text)
            painter.drawText(QRectF(x, 2, w, 22), Qt.AlignmentFlag.AlignCenter,
                             words.day_heading(day))
            above, below = hidden[index]
            if above or below:
                painter.setFont(small)
                painter.setPen(c.today_badge)
                marks = hidden_marks(above, below, w, QFontMetricsF(small))
                painter.drawText(QRectF(x, 22, w, 15), Qt.AlignmentFlag.AlignCenter, marks)
        painter.setPen(QPen(c.line, 1))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        painter.end()

    def _column_at(self, x: float) -> int | None:
        index = int((x - GUTTER) // self.scene.col_w) if self.scene.col_w else -1
        return index if 0 <= index < len(self.scene.days) else None

    def mouseMoveEvent(self, event) -> None:
        index = self._column_at(event.position().x())
        above, below = self._owner.hidden_counts()[index] if index is not None else (0, 0)
        hint = words.show_hidden_tip(above, below)
        self.setToolTip(hint)
        self.setCursor(Qt.CursorShape.PointingHandCursor if hint else Qt.CursorShape.ArrowCursor)

    def mousePressEvent(self, event) -> None:
        index = self._column_at(event.position().x())
        if index is not None:
            self._owner.reveal_hidden(index)


class TimeGridView(QWidget):
    """The header plus a vertically scrolling QGraphicsView; ``view`` is what tests drive with the mouse."""

    def __init__(self, zone: ZoneInfo, parent=None) -> None:
        super().__init__(parent)
        self.scene = TimeGridScene(zone, self)
        self.header = DayHeader(self.scene, self)
        self.view = _GridGraphicsView(self.scene, self)
        # the header's "▲ earlier / ▼ later" counts follow scrolling and every change of the posts
        self.view.verticalScrollBar().valueChanged.connect(lambda _value: self.header.update())
        self.scene.changed.connect(lambda _regions: self.header.update())
        self.scene.slot_list_requested.connect(self.list_slot)
        self.slot_menu: QMenu | None = None  # the list a "+N" opened last (tests read it)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        self._now_timer = QTimer(self)
        self._now_timer.setInterval(60_000)
        self._now_timer.timeout.connect(lambda: self.scene.update_now_line())
        self._now_timer.start()

    def _visible_band(self) -> tuple[float, float]:
        top = float(self.view.verticalScrollBar().value())
        return top, top + self.view.viewport().height()

    def _hidden(self, index: int) -> tuple[list[float], list[float]]:
        """The tops of column ``index``'s posts above and below the scrolled-to band."""
        top, bottom = self._visible_band()
        day = self.scene.days[index]
        above, below = [], []
        for local_id in self.scene.posts_on(day):
            y = self.scene.post_top(local_id)
            if y + BLOCK_HEIGHT / 2 < top:
                above.append(y)
            elif y + BLOCK_HEIGHT / 2 > bottom:
                below.append(y)
        return above, below

    def hidden_counts(self) -> list[tuple[int, int]]:
        """Per column: how many posts are out of sight (above, below)."""
        return [tuple(map(len, self._hidden(i))) for i in range(len(self.scene.days))]

    def reveal_hidden(self, index: int) -> None:
        """Scroll to the nearest posts of that day out of sight: the earlier ones first."""
        above, below = self._hidden(index)
        if above:
            self.view.verticalScrollBar().setValue(int(min(above) - PX_PER_HOUR / 2))
        elif below:
            bottom_of_last = max(below) + BLOCK_HEIGHT + PX_PER_HOUR / 2
            self.view.verticalScrollBar().setValue(int(bottom_of_last - self.view.viewport().height()))

    def list_slot(self, more: SlotMoreItem) -> None:
        """The posts behind a "+N", as a menu under it; choosing one opens it."""
        posts = [self.scene.posts[i] for i in more.post_ids if i in self.scene.posts]
        menu = slot_list_menu(self.view, posts, more.when, self.scene.zone, self.scene.post_activated.emit)
        corner = more.mapToScene(more.boundingRect().bottomLeft())
        self.slot_menu = menu
        popup_at(menu, self.view.viewport().mapToGlobal(self.view.mapFromScene(corner)))

    def scroll_to_start(self) -> None:
        """Today on screen: to the now-line, a third down (what comes next matters most). Otherwise to the
        first post of the range, else to working hours (08:00)."""
        if self.scene.now_line.isVisible():
            y = self.scene.now_line.line().y1() - self.view.viewport().height() / 3
        else:
            first = self.scene.first_post_y()
            y = first - PX_PER_HOUR / 2 if first is not None else WORKING_HOURS_START * PX_PER_HOUR
        self.view.verticalScrollBar().setValue(max(int(y), 0))


class _GridGraphicsView(QGraphicsView):
    def __init__(self, scene: TimeGridScene, owner: TimeGridView) -> None:
        super().__init__(scene, owner)
        self._owner = owner
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # stable width: header stays aligned
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.scene().set_width(self.viewport().width())
        self._owner.header.update()
