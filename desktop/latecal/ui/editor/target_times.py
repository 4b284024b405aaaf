"""Per-platform times in the editor (Late's ``platforms[].scheduledFor``): one row per ticked account, "Own time"
and the time that platform goes out at.

A row keeps its time as an offset from the post's time, so a new post time (typed, or Publish now) takes the
platform's own time along, as a drag does; the field shows post time + offset in the editor's zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QGridLayout, QLabel, QWidget

from latecal.core.models import Post
from latecal.core.platforms import display_name
from latecal.core.snapshot import EditorSnapshot, own_times_of, whole_minute
from latecal.presentation import platform_times_texts as texts
from latecal.ui.widgets.plain_text import tooltip


class _Row:
    def __init__(self, parent: QWidget, label: str) -> None:
        self.check = QCheckBox(f"{label}: {texts.OWN_TIME}", parent)
        self.check.setToolTip(tooltip(texts.OWN_TIME_TIP))
        self.edit = QDateTimeEdit(parent)
        self.edit.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.edit.setCalendarPopup(True)
        self.edit.setEnabled(False)
        self.offset = timedelta(0)


class TargetTimes(QWidget):
    """Rows for the ticked accounts; ``own_times()`` is what the snapshot carries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, _Row] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(14, 4, 0, 2)
        heading = QLabel(f"<b>{texts.OWN_TIMES_HEADING}</b>", self)
        self._grid.addWidget(heading, 0, 0, 1, 2)
        self._post_time: Callable[[], datetime | None] = lambda: None
        self._zone: Callable[[], str] = lambda: "UTC"
        self._offsets: dict[str, timedelta] = {}  # kept while an account is unticked and ticked again
        self._read_only = False
        self.on_change: Callable[[], None] = lambda: None

    def bind(self, post_time: Callable[[], datetime | None], zone: Callable[[], str]) -> None:
        self._post_time, self._zone = post_time, zone

    def load(self, snap: EditorSnapshot, post: Post) -> None:
        """The offsets of the platforms' own times from the post's (whole minutes: what the form can show), from
        the snapshot (an autosave) when it has them, else from the post."""
        own = own_times_of(post) if snap.target_times is None else snap.target_times
        base = whole_minute(snap.scheduled_for)
        self._offsets = {} if base is None else {a: whole_minute(t) - base for a, t in own.items()}

    def show_accounts(self, accounts: list[tuple[str, str, str]]) -> None:
        """(account id, platform, label) of the ticked accounts; rows of others go, their offsets stay."""
        for account_id in [a for a in self.rows if a not in {acc for acc, _p, _l in accounts}]:
            row = self.rows.pop(account_id)
            row.check.deleteLater()
            row.edit.deleteLater()
        for account_id, platform, label in accounts:
            if account_id not in self.rows:
                self._add_row(account_id, f"{display_name(platform)} · {label}")
        for n, (account_id, _p, _l) in enumerate(accounts, start=1):  # under the heading
            row = self.rows[account_id]
            self._grid.addWidget(row.check, n, 0)
            self._grid.addWidget(row.edit, n, 1)
        self.refresh()
        self.setVisible(len(accounts) > 1)  # one platform has no other time to differ from

    def _add_row(self, account_id: str, label: str) -> None:
        row = self.rows[account_id] = _Row(self, label)
        row.check.setChecked(account_id in self._offsets)
        row.check.toggled.connect(lambda on, a=account_id: self._toggled(a, on))
        row.edit.dateTimeChanged.connect(lambda value, a=account_id: self._edited(a, value))

    def _toggled(self, account_id: str, on: bool) -> None:
        if on:
            self._offsets.setdefault(account_id, timedelta(hours=1))
        else:
            self._offsets.pop(account_id, None)
        self.refresh()
        self.on_change()

    def _edited(self, account_id: str, value: QDateTime) -> None:
        base = whole_minute(self._post_time())
        if base is None or account_id not in self._offsets or not self.rows[account_id].edit.isEnabled():
            return
        shown = datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)
        self._offsets[account_id] = whole_minute(shown) - base
        self.on_change()

    def refresh(self) -> None:
        """Show each row at post time + offset in the editor's zone (after a new post time or zone)."""
        base = whole_minute(self._post_time())
        zone = QTimeZone(self._zone().encode())
        for account_id, row in self.rows.items():
            own = account_id in self._offsets and base is not None
            row.check.blockSignals(True)
            row.check.setChecked(account_id in self._offsets)
            row.check.setEnabled(base is not None and not self._read_only)
            row.check.blockSignals(False)
            row.edit.blockSignals(True)
            row.edit.setTimeZone(zone)
            when = base + self._offsets.get(account_id, timedelta(0)) if base is not None else None
            if when is not None:
                row.edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(when.timestamp()), zone))
            row.edit.setEnabled(own and not self._read_only)
            row.edit.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.refresh()

    def own_times(self) -> dict[str, datetime]:
        """account id → its own time (UTC), for the ticked accounts that have one."""
        base = whole_minute(self._post_time())
        if base is None:
            return {}
        return {a: base + off for a, off in self._offsets.items() if a in self.rows and off != timedelta(0)}

    def focus_chain(self) -> list[QWidget]:
        return [w for row in self.rows.values() for w in (row.check, row.edit)]
