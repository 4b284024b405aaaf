"""A non-modal message bar above the calendar: errors from Late or the app appear here, never as a dialog.

Errors stay until dismissed; info messages hide themselves after ``info_timeout_ms`` (the countdown pauses while
the pointer is over the bar, so a message being read does not vanish). Messages queue up instead of replacing one
another: the newest is shown and "+N more" steps through the others; repeating a message that is still queued
moves it to the front rather than adding a copy (a sync error that recurs every minute stays one message).

Every message shown is also recorded for the session (``notices``, ``notice_recorded``): the Problems panel lists
them after the bar has let them go, one entry per distinct text with how often and when it was last said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QElapsedTimer, QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QToolButton

from latecal.presentation.calendar_texts import next_message_tip
from latecal.ui.widgets.palette import is_dark_theme
from latecal.ui.widgets.plain_text import clipped, set_plain, tooltip

INFO, ERROR = "info", "error"
#: a runaway loop of distinct errors must not grow the queue without bound; the oldest go first
MAX_MESSAGES = 20
#: longer messages (a whole error page from a proxy) are cut in the bar, and shown whole in its tooltip
MESSAGE_LIMIT = 600

# (background, border, text) per (kind, dark theme): the amber warning look the app always had for errors, a
# calmer blue for info; both pairs keep text contrast above WCAG AA
_LOOKS = {
    (ERROR, False): ("#fff4d6", "#e0b84f", "#3d3000"),
    (ERROR, True): ("#4a3a10", "#b8902a", "#fff1c7"),
    (INFO, False): ("#e8f1fd", "#9bbcf0", "#10294f"),
    (INFO, True): ("#1e3150", "#3f6aa8", "#e3eeff"),
}


#: the session's notices kept at most; the oldest go first
MAX_NOTICES = 200


@dataclass(slots=True)
class SessionNotice:
    """A message the window said this session: once per distinct text, however often it was said."""

    text: str
    kind: str
    last_at: datetime
    count: int = 1
    #: the posts it is about (a tray notice names them): the first one opens from the notices list
    local_ids: tuple[str, ...] = ()


class _Message:
    __slots__ = ("action", "deadline", "key", "kind", "text")

    def __init__(self, text: str, kind: str, deadline: int | None, key: str | None,
                 action: tuple[str, Callable[[], None]] | None) -> None:
        self.text, self.kind, self.deadline = text, kind, deadline  # deadline: ms on the bar's clock
        self.key, self.action = key, action


class MessageBar(QFrame):
    #: the bar hid while it had the keyboard (its buttons or text): the window gives it back to the calendar,
    #: instead of Qt passing it to whatever comes next in the Tab chain
    focus_released = Signal()
    #: a message was said (a SessionNotice, new or counted again)
    notice_recorded = Signal(object)

    #: how long an info message stays (tests shorten it)
    info_timeout_ms = 6000

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self._messages: list[_Message] = []  # oldest first
        self._current: _Message | None = None
        self._look = _LOOKS[(ERROR, False)]
        self._look_key: tuple[str, bool] | None = None
        self._hovered_since: int | None = None
        self._clock = QElapsedTimer()
        self._clock.start()
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._expire)
        self.notices: dict[str, SessionNotice] = {}  # by text, least recently said first
        self.notice_clock: Callable[[], datetime] = lambda: datetime.now(UTC)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        self.icon = QLabel(self)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QToolButton(self)  # the current message's one action, e.g. "Undo"
        self.action_button.clicked.connect(self._run_action)
        self.more_button = QToolButton(self)
        self.more_button.setAccessibleName("Show the next message")
        self.more_button.clicked.connect(self.show_next)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Dismiss (Esc)")
        self.close_button.setAccessibleName("Dismiss message")
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.more_button)
        layout.addWidget(self.close_button)
        self.hide()

    # -- showing -----------------------------------------------------------------------------------------

    def show_message(self, text: str, *, kind: str = ERROR, key: str | None = None,
                     action: tuple[str, Callable[[], None]] | None = None, local_ids: tuple[str, ...] = ()) -> None:
        """Show ``text`` now; an ``INFO`` message hides itself after ``info_timeout_ms``, an ``ERROR`` stays.
        ``key``: a message about one matter (e.g. the open conflicts) replaces the earlier one with that key,
        and ``withdraw(key)`` takes it back once the matter is settled. ``action``: (label, callable) for a
        button beside the text; pressing it runs the callable and dismisses the message. ``local_ids``: the posts
        it is about, kept with the session's notice."""
        if kind not in (INFO, ERROR):
            raise ValueError(f"unknown message kind {kind!r}")
        self.record(text, kind=kind, local_ids=local_ids)
        self._messages = [m for m in self._messages if m.text != text and (key is None or m.key != key)]
        # while hovered the countdown has not started: leaveEvent adds the time since the pointer came in
        start = self._clock.elapsed() if self._hovered_since is None else self._hovered_since
        self._current = _Message(text, kind, start + self.info_timeout_ms if kind == INFO else None, key, action)
        self._messages.append(self._current)
        del self._messages[:-MAX_MESSAGES]
        self._refresh()

    def show_info(self, text: str, action: tuple[str, Callable[[], None]] | None = None) -> None:
        self.show_message(text, kind=INFO, action=action)

    def record(self, text: str, *, kind: str = ERROR, local_ids: tuple[str, ...] = ()) -> SessionNotice:
        """Keep ``text`` among the session's notices (said elsewhere too, e.g. as a desktop notification)."""
        notice = self.notices.pop(text, None)
        if notice is None:
            notice = SessionNotice(text, kind, self.notice_clock(), local_ids=local_ids)
        else:
            notice.count += 1
            notice.last_at = self.notice_clock()
            notice.local_ids = local_ids or notice.local_ids
        self.notices[text] = notice
        while len(self.notices) > MAX_NOTICES:
            del self.notices[next(iter(self.notices))]
        self.notice_recorded.emit(notice)
        return notice

    def dismiss(self) -> None:
        """Drop the message on screen; the newest remaining one (if any) takes its place."""
        if self._current is not None:
            self._messages.remove(self._current)
        self._current = None
        self._refresh()

    def withdraw(self, key: str) -> None:
        """Take back the message about ``key``: what it reported was settled."""
        self._messages = [m for m in self._messages if m.key != key]
        self._refresh()

    def holds(self, key: str) -> bool:
        return any(m.key == key for m in self._messages)

    def _run_action(self) -> None:
        current = self._current
        if current is not None and current.action is not None:
            self.dismiss()
            current.action[1]()

    def show_next(self) -> None:
        """Step to the next older message (after the oldest, back to the newest)."""
        if len(self._messages) > 1 and self._current is not None:
            self._current = self._messages[self._messages.index(self._current) - 1]
            self._refresh()

    # -- what the user sees --------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    @property
    def kind(self) -> str | None:
        return self._current.kind if self._current is not None else None

    @property
    def messages(self) -> list[str]:
        """Every queued message's text, newest first."""
        return [m.text for m in reversed(self._messages)]

    def _refresh(self) -> None:
        if self._current not in self._messages:
            self._current = self._messages[-1] if self._messages else None
        current = self._current
        if current is None:
            self._timer.stop()
            focus = QApplication.focusWidget()
            had_focus = focus is not None and (focus is self or self.isAncestorOf(focus))
            self.hide()
            if had_focus:
                self.focus_released.emit()
            return
        set_plain(self.label, clipped(current.text, MESSAGE_LIMIT))
        self.label.setToolTip(tooltip(current.text) if len(current.text) > MESSAGE_LIMIT else "")
        self._apply_look(current.kind)
        self.action_button.setVisible(current.action is not None)
        if current.action is not None:
            self.action_button.setText(current.action[0])
        others = len(self._messages) - 1
        self.more_button.setVisible(others > 0)
        if others:
            position = len(self._messages) - self._messages.index(current)
            self.more_button.setText(f"+{others} more")
            self.more_button.setToolTip(next_message_tip(position, len(self._messages)))
        self.show()
        self._arm()

    def _apply_look(self, kind: str) -> None:
        # colours by hand, not a style sheet: a widget with one gets no PaletteChange when the theme switches
        key = (kind, is_dark_theme())
        if key == self._look_key:
            return
        self._look_key = key
        self._look = _LOOKS[key]
        palette = self.label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(self._look[2]))
        self.label.setPalette(palette)
        self.update()
        # QStyle's enums are first touched here, on the first message: the bar starts hidden, so the first
        # paint does not pay for building them
        from PySide6.QtWidgets import QStyle

        icons = QStyle.StandardPixmap
        icon = icons.SP_MessageBoxWarning if kind == ERROR else icons.SP_MessageBoxInformation
        self.icon.setPixmap(self.style().standardIcon(icon).pixmap(16, 16))
        self.icon.setAccessibleName("Problem" if kind == ERROR else "Information")

    # -- info messages expire -------------------------------------------------------------------------------

    def _arm(self) -> None:
        self._timer.stop()
        deadlines = [m.deadline for m in self._messages if m.deadline is not None]
        if deadlines and self._hovered_since is None:
            self._timer.start(max(min(deadlines) - self._clock.elapsed(), 0))

    def _expire(self) -> None:
        now = self._clock.elapsed()
        self._messages = [m for m in self._messages if m.deadline is None or m.deadline > now]
        self._refresh()

    def enterEvent(self, event) -> None:
        self._hovered_since = self._clock.elapsed()
        self._timer.stop()
        super().enterEvent(event)

    def leaveEvent(self, event) -> None:
        if self._hovered_since is not None:
            paused = self._clock.elapsed() - self._hovered_since
            self._hovered_since = None
            for m in self._messages:
                if m.deadline is not None:
                    m.deadline += paused
            self._arm()
        super().leaveEvent(event)

    # -- keyboard and theme ---------------------------------------------------------------------------------

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self._current is not None:
            self.dismiss()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event) -> None:
        background, border, _text = self._look
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(border), 1))
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.fillRect(QRectF(0, 0, 4, self.height()).adjusted(0.5, 0.5, 0, -0.5), QColor(border))
        painter.end()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange and self._current is not None:
            self._apply_look(self._current.kind)  # a light/dark switch
        super().changeEvent(event)
