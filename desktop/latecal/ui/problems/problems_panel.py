"""The Problems panel: everything that needs the user, in one list, kept up to date as the store changes.

Posts (missed, failed, partly published, stuck, refused, in conflict) come from one store query at start, then
follow the change relay row by row; the accounts (a small table) are read again when a sync run ends, since the
run may have refreshed them; a run's errors stay listed until a run that reached Late says otherwise. A minute
timer looks again at the few posts only time can make problems (``core.problems.may_become_problem``). Below,
the session's notices: each message the window said, once per text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from latecal.core.models import Account, Post
from latecal.core.problems import (
    AccountProblem,
    ProblemKind,
    account_problem,
    may_become_problem,
    problem_of,
    retry_can_work,
)
from latecal.core.status import SyncState
from latecal.presentation import problems_texts as words
from latecal.ui.problems.notices_list import NoticesList
from latecal.ui.widgets import settings as S
from latecal.ui.widgets.plain_text import clipped, tooltip

_KEY_ROLE = Qt.ItemDataRole.UserRole
#: the order of sections: the posts first, most pressing kind first; accounts; sync errors
_KIND_ORDER = {kind: n for n, kind in enumerate(ProblemKind)}
_ACCOUNTS, _SYNC = len(_KIND_ORDER), len(_KIND_ORDER) + 1


@dataclass(slots=True)
class Row:
    """One problem: ``key`` is "post:<id>", "account:<id>" or "sync:<n>"."""

    key: str
    rank: int
    first: str
    details: list[str]
    post: Post | None = None
    kind: ProblemKind | None = None
    retry: bool = False

    @property
    def local_id(self) -> str | None:
        return self.post.local_id if self.post is not None else None

    @property
    def text(self) -> str:
        return "\n".join([self.first, *self.details])


class ProblemsPanel(QWidget):
    #: open this post (its local id): a post row was activated, or a notice about a post
    open_requested = Signal(str)
    #: retry this post's failed platforms (its local id)
    retry_requested = Signal(str)
    #: how many problems are listed now
    count_changed = Signal(int)

    def __init__(self, store, *, zone: ZoneInfo, clock: Callable[[], datetime], parent: QWidget | None = None,
                 settings: S.Settings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.store = store
        self.zone = zone
        self.clock = clock
        self.settings = settings if settings is not None else S.Settings(parent=self)
        self.heading = QLabel(self)
        self.list = QListWidget(self)
        self.list.setAccessibleName(words.PANEL_TITLE)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemActivated.connect(self._activate)
        self.list.currentItemChanged.connect(lambda *_: self._follow_current())
        self.empty_label = QLabel(words.EMPTY, self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: gray;")
        self.open_button = QPushButton(words.OPEN, self)
        self.open_button.clicked.connect(lambda: self._activate(self.list.currentItem()))
        self.retry_button = QPushButton(words.RETRY, self)
        self.retry_button.clicked.connect(self._retry_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        self.notices = NoticesList(store, zone=zone, parent=self)
        self.notices.open_requested.connect(self.open_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.notices, 1)

        self.rows: dict[str, Row] = {}
        self._items: dict[str, QListWidgetItem] = {}
        self._listed: Counter[int] = Counter()  # rows in the list per rank: where a row goes, without walking it
        self._watched: dict[str, Post] = {}  # posts the clock alone can make problems (or stop: a stuck time)
        self._accounts: dict[str, Account] = {}
        self._timer = QTimer(self, interval=60_000)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.reload()

    # -- what is wrong -----------------------------------------------------------------------------------------

    @property
    def stuck_after(self) -> timedelta:
        return timedelta(minutes=self.settings.get(S.STUCK_AFTER_MIN))

    def reload(self) -> None:
        """Every post and account row from the store (at start); rows still there are updated in place."""
        self._accounts = {a.id: a for a in self.store.accounts()}
        self._watched.clear()
        now, stuck_after = self.clock(), self.stuck_after
        kept = {key for key in self.rows if key.startswith("sync:")}
        for post in self.store.posts_needing_attention():
            self._follow_post(post, now, stuck_after)
            kept.add(f"post:{post.local_id}")
        kept |= self._follow_accounts(now)
        for key in [k for k in self.rows if k not in kept]:
            self._drop(key)
        self._changed()

    def _follow_accounts(self, now: datetime) -> set[str]:
        """The account rows for ``self._accounts``; returns their keys."""
        keys = set()
        for account in self._accounts.values():
            problem = account_problem(account, now)
            if problem is not None:
                row = self._account_row(problem)
                self._put(row)
                keys.add(row.key)
        return keys

    def _refresh_accounts(self) -> None:
        """A run may have read the accounts again: when they changed, their rows follow, and so does whether a
        listed post's retry can work (the posts held, not the store, are looked at again)."""
        accounts = {a.id: a for a in self.store.accounts()}
        if accounts == self._accounts:
            return
        self._accounts = accounts
        now, stuck_after = self.clock(), self.stuck_after
        kept = self._follow_accounts(now)
        for key in [k for k in self.rows if k.startswith("account:") and k not in kept]:
            self._drop(key)
        for row in [r for r in self.rows.values() if r.post is not None]:
            self._follow_post(row.post, now, stuck_after)

    def apply_changes(self, changes, _initiator) -> None:
        """Only the posts of the change set: a row appears, changes or goes."""
        now, stuck_after = self.clock(), self.stuck_after
        for local_id, post in changes.updates():
            if post is None:
                self._forget(local_id)
            else:
                self._follow_post(post, now, stuck_after)
        if changes:
            self._changed()

    def tick(self) -> None:
        """The minute moved on: a watched post may now be missed or stuck (and a stuck one's minutes grow)."""
        now, stuck_after = self.clock(), self.stuck_after
        for post in list(self._watched.values()):
            self._follow_post(post, now, stuck_after)
        self._changed()

    def on_sync_finished(self, report) -> None:
        """A run ended: its accounts step may have changed the accounts; its errors are listed until a run that
        was not offline reports none (offline has its own badge and proves nothing)."""
        if not report.offline:
            for key in [k for k in self.rows if k.startswith("sync:")]:
                self._drop(key)
            for n, line in enumerate(report.errors):
                first, details = words.sync_error_row(line)
                self._put(Row(f"sync:{n}", _SYNC, first, details))
        self._refresh_accounts()
        self._changed()

    def _follow_post(self, post: Post, now: datetime, stuck_after: timedelta) -> None:
        key = f"post:{post.local_id}"
        if may_become_problem(post):
            self._watched[post.local_id] = post
        else:
            self._watched.pop(post.local_id, None)
        kind = problem_of(post, now, stuck_after)
        if kind is None:
            self._drop(key)
            return
        first, details = words.post_row(kind, post, now, self.zone)
        # a retry already on its way is not offered twice
        retry = post.sync_state != SyncState.PENDING and retry_can_work(post, self._accounts, now)
        self._put(Row(key, _KIND_ORDER[kind], first, details, post, kind, retry))

    def _forget(self, local_id: str) -> None:
        self._watched.pop(local_id, None)
        self._drop(f"post:{local_id}")

    def _account_row(self, problem: AccountProblem) -> Row:
        first, details = words.account_row(problem, self.zone)
        return Row(f"account:{problem.account.id}", _ACCOUNTS, first, details)

    # -- rows --------------------------------------------------------------------------------------------------

    def _put(self, row: Row) -> None:
        item = self._items.get(row.key)
        old = self.rows.get(row.key)
        self.rows[row.key] = row
        if item is None:
            item = QListWidgetItem()
            item.setData(_KEY_ROLE, row.key)
            self._items[row.key] = item
            self.list.insertItem(self._position(row), item)
            self._listed[row.rank] += 1
        elif old is not None and old.rank != row.rank:
            self.list.takeItem(self.list.row(item))
            self._listed[old.rank] -= 1
            self.list.insertItem(self._position(row), item)
            self._listed[row.rank] += 1
        item.setText(clipped(row.text, 1200))  # an item's text is plain text; a huge reason is cut
        item.setToolTip(tooltip(row.text))

    def _position(self, row: Row) -> int:
        """Before the first row of a later section (a row keeps its place within its own): counted, not searched
        (walking the list for each row made a sync bringing 450 failed posts stall the window for 50 ms and more)."""
        return sum(n for rank, n in self._listed.items() if rank <= row.rank)

    def _drop(self, key: str) -> None:
        row = self.rows.pop(key, None)
        item = self._items.pop(key, None)
        if item is not None:
            self.list.takeItem(self.list.row(item))
            if row is not None:
                self._listed[row.rank] -= 1

    def _changed(self) -> None:
        count = len(self.rows)
        self.heading.setText(f"<b>{words.heading(count)}</b>")  # our own words: no markup in them
        self.empty_label.setVisible(count == 0)
        self.list.setVisible(count > 0)
        self._follow_current()
        self.count_changed.emit(count)

    @property
    def count(self) -> int:
        return len(self.rows)

    def row_texts(self) -> list[str]:
        """Each row's text, in the list's order."""
        return [self.list.item(n).text() for n in range(self.list.count())]

    def row_for(self, key: str) -> Row | None:
        return self.rows.get(key)

    def select(self, key: str) -> None:
        item = self._items.get(key)
        if item is not None:
            self.list.setCurrentItem(item)

    # -- acting on a row ---------------------------------------------------------------------------------------

    def _current_row(self) -> Row | None:
        item = self.list.currentItem()
        return self.rows.get(item.data(_KEY_ROLE)) if item is not None else None

    def _follow_current(self) -> None:
        row = self._current_row()
        self.open_button.setEnabled(row is not None and row.local_id is not None)
        self.open_button.setText(words.RESOLVE if row is not None and row.kind == ProblemKind.CONFLICT else words.OPEN)
        self.retry_button.setVisible(row is not None and row.retry)

    def _activate(self, item: QListWidgetItem | None) -> None:
        row = self.rows.get(item.data(_KEY_ROLE)) if item is not None else None
        if row is not None and row.local_id is not None:  # an account's or a sync row says what to do itself
            self.open_requested.emit(row.local_id)

    def _retry_current(self) -> None:
        row = self._current_row()
        if row is not None and row.retry and row.local_id is not None:
            self.retry_requested.emit(row.local_id)

    # -- the session's notices ---------------------------------------------------------------------------------

    def add_notice(self, notice) -> None:
        self.notices.add(notice)

    def notice_texts(self) -> list[str]:
        return self.notices.texts()
