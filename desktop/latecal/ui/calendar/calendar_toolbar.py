"""The bar above the calendar: navigation, view switcher, filters, search and the sync state.

It only emits what the user asked for; the window decides what that means. Filters come out as one
PostFilter value so the window can re-filter the posts it already holds without touching the store.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from latecal.core.models import Account, Profile
from latecal.core.platforms import display_name
from latecal.presentation import brand_texts
from latecal.presentation import calendar_texts as words
from latecal.presentation import problems_texts as problem_words
from latecal.presentation.navigation_texts import GO_TO_DATE_TIP
from latecal.presentation.statuses import STATUS_LABELS
from latecal.ui.calendar.filter_menu import MultiFilter
from latecal.ui.calendar.post_filter import PostFilter
from latecal.ui.widgets.avatars import account_avatar_icon
from latecal.ui.widgets.brand_icons import colour_dot, platform_icon

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

VIEW_NAMES = ("month", "week", "day", "list")
_VIEW_LABELS = {"month": "Month", "week": "Week", "day": "Day", "list": "List"}
_STATUS_CHOICES = tuple(STATUS_LABELS)


#: a filter button says what it holds, up to this width
FILTER_MAX_WIDTH = 200


class _RangeTitle(QLabel):
    """The range title. It gives way to the buttons in a narrow window: the long form when it fits, else the
    short one, elided as a last resort (never clipped mid-letter)."""

    short_text = ""
    #: a click on the title opens Go to date (the small month)
    clicked = Signal()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)

    def set_texts(self, text: str, short: str) -> None:
        self.short_text = short
        self.setText(text)  # the accessible text, and what tests read

    def minimumSizeHint(self):
        hint = super().minimumSizeHint()
        hint.setWidth(self.fontMetrics().horizontalAdvance("Nov 20…"))
        return hint

    def paintEvent(self, event) -> None:
        metrics = self.fontMetrics()
        text = self.text()
        if metrics.horizontalAdvance(text) > self.width():
            text = metrics.elidedText(self.short_text or text, Qt.TextElideMode.ElideRight, self.width())
        painter = QPainter(self)
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)


class CalendarToolbar(QWidget):
    today_clicked = Signal()
    new_post_clicked = Signal()
    previous_clicked = Signal()
    next_clicked = Signal()
    view_chosen = Signal(str)
    filter_changed = Signal(object)  # PostFilter
    sync_clicked = Signal()
    #: Escape in the search box: the text is cleared; the window gives the keyboard back to the calendar
    search_left = Signal()
    #: the problems badge was clicked: the window shows the Problems panel
    problems_clicked = Signal()
    #: the range title was clicked: the window opens Go to date
    title_clicked = Signal()

    def __init__(self, parent=None, *, zone: ZoneInfo | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarToolbar")
        self.zone = zone  # the calendar's zone for the times shown here; None: the system's
        self._account_names: dict[str, str] = {}
        # typing pauses briefly before filtering so every keystroke does not re-lay out the calendar
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(6)
        bottom = QHBoxLayout()
        bottom.setSpacing(6)
        outer.addLayout(top)
        outer.addLayout(bottom)

        self.today_button = QToolButton(self)  # a tool button: a push button's style minimum is 80 px
        self.today_button.setText("Today")
        self.today_button.setToolTip("Go to today (T)")
        self.prev_button = QToolButton(self)
        self.prev_button.setText("◀")
        self.prev_button.setToolTip("Previous (←)")
        self.prev_button.setAccessibleName("Previous")
        self.next_button = QToolButton(self)
        self.next_button.setText("▶")
        self.next_button.setToolTip("Next (→)")
        self.next_button.setAccessibleName("Next")
        self.title = _RangeTitle(self)
        self.title.setObjectName("rangeTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.title.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title.setToolTip(GO_TO_DATE_TIP)
        self.title.clicked.connect(self.title_clicked)
        self.today_button.clicked.connect(self.today_clicked)
        self.prev_button.clicked.connect(self.previous_clicked)
        self.next_button.clicked.connect(self.next_clicked)
        self.new_post_button = QToolButton(self)  # the first thing a new user looks for; a tool button is narrow
        self.new_post_button.setText(brand_texts.NEW_POST)
        self.new_post_button.setToolTip(brand_texts.NEW_POST_TIP)
        self.new_post_button.clicked.connect(self.new_post_clicked)
        bottom.addWidget(self.new_post_button)  # first on the filters' row: the title row has no room at 900 px
        for w in (self.today_button, self.prev_button, self.next_button):
            top.addWidget(w)
        top.addWidget(self.title, 1)

        self.view_buttons: dict[str, QToolButton] = {}
        self._view_group = QButtonGroup(self)
        self._view_group.setExclusive(True)
        for n, name in enumerate(VIEW_NAMES, start=1):
            b = QToolButton(self)
            b.setText(_VIEW_LABELS[name])
            b.setCheckable(True)
            b.setToolTip(f"{_VIEW_LABELS[name]} view ({n})")
            b.setMinimumWidth(48)
            b.clicked.connect(lambda _checked=False, v=name: self.view_chosen.emit(v))
            self._view_group.addButton(b)
            self.view_buttons[name] = b
            top.addWidget(b)
        top.addSpacing(8)

        self.problems_button = QToolButton(self)  # "⚠ 3": shown while something needs the user
        self.problems_button.setObjectName("problemsBadge")
        self.problems_button.setToolTip(problem_words.BADGE_TIP)
        self.problems_button.setAccessibleName(problem_words.PANEL_TITLE)
        self.problems_button.clicked.connect(self.problems_clicked)
        self.problems_button.hide()
        top.addWidget(self.problems_button)

        self.offline_label = QLabel("● Offline", self)
        self.offline_label.setObjectName("offlineBadge")
        self.offline_label.setStyleSheet(
            "#offlineBadge { color: white; background: #8a4b00; border-radius: 8px; padding: 1px 8px; }"
        )
        self.offline_label.setToolTip(words.OFFLINE_TIP)
        self.offline_label.hide()
        self.last_synced_label = QLabel(words.NOT_SYNCED, self)
        self.last_synced_label.setObjectName("lastSynced")
        self.progress = QProgressBar(self)
        self.progress.setFixedWidth(80)  # takes the "Synced …" label's place while a sync runs: nothing moves
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.sync_button = QPushButton("Sync", self)
        self.sync_button.setToolTip("Sync with Late now (F5)")
        self.sync_button.clicked.connect(self.sync_clicked)
        self._online, self._running = True, False
        for w in (self.offline_label, self.last_synced_label, self.progress, self.sync_button):
            top.addWidget(w)

        self.profile_filter = MultiFilter(brand_texts.PROFILES, self)
        self.account_filter = MultiFilter(brand_texts.ACCOUNTS, self)
        self.platform_filter = MultiFilter(brand_texts.PLATFORMS, self)
        self.status_filter = MultiFilter(brand_texts.STATUSES, self)
        self.tag_filter = MultiFilter(brand_texts.TAGS, self)
        self.attention_filter = MultiFilter(brand_texts.ATTENTION, self)
        for box in self.filters():
            box.setMaximumWidth(FILTER_MAX_WIDTH)
            bottom.addWidget(box)
        self.status_filter.set_choices((STATUS_LABELS[s], s, None) for s in _STATUS_CHOICES)
        self.attention_filter.set_choices((label, flag, None) for flag, label in brand_texts.ATTENTION_LABELS.items())
        self.clear_button = QToolButton(self)
        self.clear_button.setText(brand_texts.CLEAR_FILTERS)
        self.clear_button.setToolTip(brand_texts.CLEAR_FILTERS_TIP)
        self.clear_button.clicked.connect(self.clear_filters)
        self.clear_button.hide()
        bottom.addWidget(self.clear_button)
        self.filtered_label = QLabel(self)  # what is filtered, in words (elided: the buttons say it too)
        self.filtered_label.setObjectName("filteredSummary")
        self.filtered_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bottom.addWidget(self.filtered_label, 1)
        self._accounts: dict[str, Account] = {}
        self.clock = None  # set by the window: "missed" and "stuck" are judged on its clock
        self.set_accounts([])
        self.set_platforms([])
        self.set_tags([])
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search posts (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search posts")
        self.search.setMinimumWidth(150)
        self.search.setMaximumWidth(300)
        self.search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._search_timer.timeout.connect(self._emit_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        leave = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, context=Qt.ShortcutContext.WidgetShortcut)
        leave.activated.connect(self._leave_search)
        bottom.addWidget(self.search)
        for box in self.filters():
            box.changed.connect(self._emit_filter)  # connected once filled: no filter during set-up
        # Clicks leave the keyboard in the calendar (its arrows keep moving dates); Tab still reaches these.
        for w in (*self.filters(), self.sync_button):
            w.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        self._last_synced: datetime | None = None
        self._last_run_failed = False  # the latest run did not sync: the label must not say "Synced"
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self._refresh_last_synced)
        self._clock.start()

    # -- navigation and view ---------------------------------------------------------------------------

    def set_title(self, text: str, short: str = "") -> None:
        self.title.set_texts(text, short)

    def set_view(self, name: str) -> None:
        self.view_buttons[name].setChecked(True)

    # -- filters -------------------------------------------------------------------------------------

    def filters(self) -> list[MultiFilter]:
        return [self.profile_filter, self.account_filter, self.platform_filter, self.status_filter,
                self.tag_filter, self.attention_filter]

    def set_accounts(self, accounts: list[Account]) -> None:
        self._accounts = {a.id: a for a in accounts}
        entries = sorted(((f"{a.label} ({display_name(a.platform)})", a.id, partial(account_avatar_icon, a))
                          for a in accounts), key=lambda e: (e[0], e[1]))
        self._account_names = {a.id: f"{a.display_name} {a.username} @{a.username}" for a in accounts}
        self.account_filter.set_choices(entries)

    def set_profiles(self, profiles: list[Profile]) -> None:
        """The brands and clients: each in its colour (the colour its posts' chips carry)."""
        ordered = sorted(profiles, key=lambda p: (not p.is_default, p.name.casefold()))
        self.profile_filter.set_choices((p.name, p.id, partial(colour_dot, p.color)) for p in ordered)

    def set_platforms(self, platforms: list[str]) -> None:
        self.platform_filter.set_choices(
            (display_name(p), p, partial(platform_icon, p)) for p in sorted(set(platforms), key=display_name))

    def set_tags(self, tags: list[str]) -> None:
        folded = {t.casefold(): t for t in sorted(set(tags), key=str.casefold)}
        self.tag_filter.set_choices((t, key, None) for key, t in folded.items())

    def clear_filters(self) -> None:
        """Every filter back to all and the search emptied, as one change."""
        for box in self.filters():
            box.set_values(())
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._emit_filter()

    def current_filter(self) -> PostFilter:
        kwargs = {} if self.clock is None else {"clock": self.clock}
        return PostFilter(
            accounts=self.account_filter.values(),
            platforms=self.platform_filter.values(),
            statuses=self.status_filter.values(),
            tags=self.tag_filter.values(),
            profiles=self.profile_filter.values(),
            attention=self.attention_filter.values(),
            text=self.search.text(),
            account_names=self._account_names,
            accounts_by_id=self._accounts,
            **kwargs,
        )

    def _say_filtered(self, post_filter: PostFilter) -> None:
        parts = [(box.noun, box.chosen_labels()) for box in self.filters()]
        summary = brand_texts.filtered_summary(parts, self.search.text())
        self.filtered_label.setText(summary)
        self.filtered_label.setToolTip(summary)
        self.clear_button.setVisible(post_filter.active)

    def _emit_filter(self, *_args) -> None:
        self._search_timer.stop()
        post_filter = self.current_filter()
        self._say_filtered(post_filter)
        self.filter_changed.emit(post_filter)

    def _leave_search(self) -> None:
        self.search.clear()
        self.flush_search()
        self.search_left.emit()

    def flush_search(self) -> None:
        """Apply a pending search at once (Enter in the box, and tests)."""
        if self._search_timer.isActive():
            self._emit_filter()

    # -- sync state ----------------------------------------------------------------------------------

    def set_syncing(self, running: bool) -> None:
        # The button keeps its text ("Syncing…" would widen it, and a narrow window with it): disabled, with
        # the progress bar beside it, it reads as busy; its tooltip and accessible description say so.
        self.sync_button.setEnabled(not running)
        busy = "Syncing with Late…" if running else ""
        self.sync_button.setToolTip(busy or "Sync with Late now (F5)")
        self.sync_button.setAccessibleDescription(busy)
        self._running = running
        self._show_state()
        if running:
            self.progress.setRange(0, 0)  # busy until the first progress report

    def set_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def set_problem_count(self, count: int) -> None:
        self.problems_button.setText(problem_words.badge(count))
        self.problems_button.setVisible(count > 0)

    def set_online(self, online: bool) -> None:
        self._online = online
        self._show_state()

    def _show_state(self) -> None:
        """One slot beside the Sync button shows the progress while a sync runs, else the offline badge or
        "Synced …" (the badge's tooltip keeps the time): the toolbar, and a narrow window, never widen."""
        shown = self.progress if self._running else self.last_synced_label if self._online else self.offline_label
        # hide before show: Qt grows a window at once when its children need more room, even for a moment
        for widget in (self.progress, self.last_synced_label, self.offline_label):
            if widget is not shown:
                widget.hide()
        shown.show()

    def set_last_synced(self, when: datetime | None, *, last_run_failed: bool = False) -> None:
        """When Late was last read in full; ``last_run_failed``: a run since then did not finish."""
        self._last_synced = when
        self._last_run_failed = last_run_failed
        self._refresh_last_synced()

    def _refresh_last_synced(self) -> None:
        when = self._last_synced
        local = when.astimezone(self.zone) if when is not None else None
        now = datetime.now(self.zone)
        if self._last_run_failed:
            self.last_synced_label.setText(words.not_synced_since(local, now))
            stamp = words.synced_stamp(local) if local is not None else ""
            self.last_synced_label.setToolTip(words.NOT_SYNCED_TIP + (f" {words.last_synced_tip(stamp)}." if stamp
                                                                       else ""))
            return
        if local is None:
            self.last_synced_label.setText(words.NOT_SYNCED)
            self.last_synced_label.setToolTip("")
            return
        self.last_synced_label.setText(words.synced_ago(local, now))
        stamp = words.synced_stamp(local)
        self.last_synced_label.setToolTip(words.last_synced_tip(stamp))
        self.offline_label.setToolTip(words.offline_tip(stamp))
