"""The drafts panel's dock: open, it holds the tray; folded, a slim bar at the window's edge that says how many
drafts wait and opens the panel on a click, on Enter or when a post is dragged over it.

It folds by itself while there is no draft without a time, so an empty panel does not take a fifth of a small
window from the calendar; the fold button folds it on demand. The user's last choice is kept between runs.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from latecal.presentation import navigation_texts as words
from latecal.ui.widgets.post_mime import POST_IDS_MIME

SLIM_WIDTH = 26
OPEN_WIDTH = 230
_QT_MAX = 16777215
_CHOICE_KEY = "window/draftsPanel"  # "auto" (folded while empty), "open" or "folded"


class SlimDraftsBar(QAbstractButton):
    """The folded panel: a narrow button with its label written upwards, as a folded side panel reads."""

    #: a post is being dragged over the bar: the dock opens so the drop can land in the tray
    drag_arrived = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.setText(words.slim_drafts_label(count))
        self.setToolTip(words.slim_drafts_tip(count))
        self.setAccessibleName(words.slim_drafts_label(count))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(SLIM_WIDTH, QFontMetrics(self.font()).horizontalAdvance(self.text()) + 24)

    def minimumSizeHint(self) -> QSize:
        return QSize(SLIM_WIDTH, 40)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(POST_IDS_MIME):
            self.drag_arrived.emit()
        event.ignore()  # the drop belongs to the tray, which the opened panel now shows

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        palette = self.palette()
        hovered = self.underMouse() or self.hasFocus()
        role = QPalette.ColorRole.Button if hovered else QPalette.ColorRole.Window
        painter.fillRect(self.rect(), palette.color(role))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(0, 0, 0, self.height())
        if self.hasFocus():
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.translate(self.width(), 0)
        painter.rotate(90)  # read top to bottom, as a folded panel on the right edge reads
        painter.drawText(12, 0, self.height() - 24, self.width(),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self.text())
        painter.end()


class _TitleBar(QWidget):
    """The open panel's title: its name, the fold button and the close button."""

    def __init__(self, dock: DraftsDock) -> None:
        super().__init__(dock)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(QLabel(words.DRAFTS_TITLE, self), 1)
        self.fold_button = QToolButton(self)
        self.fold_button.setText("»")
        self.fold_button.setAutoRaise(True)
        self.fold_button.setToolTip(words.COLLAPSE_DRAFTS_TIP)
        self.fold_button.setAccessibleName(words.COLLAPSE_DRAFTS_TIP)
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName("Close the drafts panel")
        self.close_button.clicked.connect(dock.close)
        layout.addWidget(self.fold_button)
        layout.addWidget(self.close_button)


class DraftsDock(QDockWidget):
    def __init__(self, tray: QWidget, window: QMainWindow) -> None:
        super().__init__(words.DRAFTS_TITLE, window)
        self.setObjectName("draftsDock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.tray = tray
        self.slim = SlimDraftsBar(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(tray)
        self.stack.addWidget(self.slim)
        self.setWidget(self.stack)
        self.title_bar = _TitleBar(self)
        self.title_bar.hide()
        self._no_title = QWidget(self)  # folded: no title row, the bar alone
        self._no_title.hide()
        self.title_bar.fold_button.clicked.connect(self.fold)
        self.slim.clicked.connect(self.unfold)
        self.slim.drag_arrived.connect(lambda: self._show(folded=False))
        choice = QSettings().value(_CHOICE_KEY, "auto")
        self.choice = choice if choice in ("auto", "open", "folded") else "auto"
        self.folded: bool | None = None
        self._open_width = OPEN_WIDTH

    @property
    def drop_highlight(self) -> bool:
        return self.tray.drop_highlight

    def set_drop_highlight(self, on: bool) -> None:
        """A post dragged off the calendar is over the panel (folded or open): it opens to take the drop and
        says what a drop does; when the post leaves without a drop, the panel folds again if it was folded."""
        if on:
            self._show(folded=False)
        was_on = self.tray.drop_highlight
        self.tray.set_drop_highlight(on)
        if was_on and not on:  # after the drop (if any) has landed: the drag's end says "not over" first
            QTimer.singleShot(0, self.refresh)

    def count(self) -> int:
        return len(self.tray.post_ids())

    def refresh(self, *_args) -> None:
        """Fold or open as the choice and the drafts say; the slim bar's count follows the tray."""
        count = self.count()
        self.slim.set_count(count)
        self._show(folded=self.choice == "folded" or (self.choice == "auto" and count == 0))

    def fold(self) -> None:
        self._choose("auto" if self.count() == 0 else "folded")

    def unfold(self) -> None:
        self._choose("open" if self.count() == 0 else "auto")
        self.tray.setFocus()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        QSettings().setValue(_CHOICE_KEY, choice)
        self.refresh()

    def _show(self, *, folded: bool) -> None:
        if folded == self.folded:
            return
        window = self.parentWidget()
        if folded:
            if self.folded is False:
                self._open_width = max(self.width(), 160)
            self.stack.setCurrentWidget(self.slim)
            self.title_bar.hide()  # a title bar taken out stays a visible child of the dock
            self.setTitleBarWidget(self._no_title)
            self._no_title.show()
            self.setFixedWidth(SLIM_WIDTH)
        else:
            self.stack.setCurrentWidget(self.tray)
            self._no_title.hide()
            self.setTitleBarWidget(self.title_bar)
            self.title_bar.show()
            self.setMinimumWidth(0)
            self.setMaximumWidth(_QT_MAX)
            if isinstance(window, QMainWindow) and not self.isFloating():
                window.resizeDocks([self], [self._open_width], Qt.Orientation.Horizontal)
        self.folded = folded


def install_drafts_dock(window) -> DraftsDock:
    """The drafts tray docks on the right of ``window`` (the main window), folded while it is empty; a draft
    dragged from it onto the calendar is scheduled, and it follows the window's change sets."""
    from latecal.ui.drafts.drafts_tray import DraftsTray

    tray = DraftsTray(window.store, window)
    window.relay.changed.connect(tray.apply_changes)
    tray.open_requested.connect(window.commands.open_post)
    dock = DraftsDock(tray, window)
    window.relay.changed.connect(dock.refresh)  # after the tray: it counts the tray's rows
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resizeDocks([dock], [OPEN_WIDTH], Qt.Orientation.Horizontal)
    dock.refresh()
    return dock
