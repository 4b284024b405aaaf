"""Target accounts grouped by profile: a coloured header per profile, one checkbox per account.

A disconnected account is listed with the reason and cannot be ticked; one already on the post stays ticked
(so the problem is visible) until the user unticks it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from latecal.core.models import Account, Post, Profile, Target
from latecal.core.platforms import glyph
from latecal.core.snapshot import EditorSnapshot
from latecal.presentation.posts import account_choice
from latecal.ui.editor.feedback import tones
from latecal.ui.editor.target_times import TargetTimes
from latecal.ui.widgets import avatars, brand_icons
from latecal.ui.widgets.brand_icons import paint_platform_mark
from latecal.ui.widgets.plain_text import escaped, tooltip

COLUMNS = 2


def account_icon(account: Account | None, platform: str, colour: str) -> QIcon:
    """The network's mark (else its letters) on the profile's colour (avatars need the network; this is always
    there)."""
    if account is not None and avatars.current().image(account) is not None:  # its picture, once fetched
        return avatars.current().icon(account)
    brand_icons.load_now()
    size = 20
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(QRectF(0, 0, size, size))
    ink = QColor("white") if QColor(colour).lightness() < 150 else QColor("black")
    if not paint_platform_mark(painter, platform, QRectF(4, 4, size - 8, size - 8), ink):
        font = QFont()
        font.setBold(True)
        font.setPixelSize(9)
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, glyph(platform))
    painter.end()
    return QIcon(pixmap)


class AccountPicker(QWidget):
    changed = Signal()
    #: a platform's own time was set, changed or cleared (``times``)
    times_changed = Signal()

    def __init__(self, accounts: list[Account], profiles: list[Profile], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = {a.id: a for a in accounts}
        self.profiles = {p.id: p for p in profiles}
        self.checks: dict[str, QCheckBox] = {}
        self._platform_of: dict[str, str] = {a.id: a.platform for a in accounts}
        self._read_only = False
        self._headers: list[tuple[QLabel, Profile]] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        order = sorted(profiles, key=lambda p: (not p.is_default, p.name.casefold()))
        known = {p.id for p in profiles}
        for profile in order:
            self._add_group(profile, [a for a in accounts if a.profile_id == profile.id])
        orphans = [a for a in accounts if a.profile_id not in known]
        if orphans:
            self._add_group(Profile(id="", name="Other accounts"), orphans)
        self.times = TargetTimes(self)  # a different time per ticked platform
        self.times.on_change = self.times_changed.emit
        self.times.setVisible(False)
        self._layout.addWidget(self.times)
        if not accounts:
            empty = QLabel("No accounts yet: they appear after the first sync with Late.", self)
            empty.setWordWrap(True)
            self._layout.addWidget(empty)

    def _add_group(self, profile: Profile, accounts: list[Account]) -> None:
        if not accounts:
            return
        header = QLabel(self)
        self._headers.append((header, profile))
        self._header_text(header, profile)
        self._layout.addWidget(header)
        grid = QGridLayout()
        grid.setContentsMargins(14, 0, 0, 4)
        grid.setHorizontalSpacing(12)
        ordered = sorted(accounts, key=lambda a: (not a.connected, a.platform, a.label.casefold()))
        row = col = 0
        for account in ordered:
            check = self._make_check(account, profile.color)
            if account.connected:
                grid.addWidget(check, row, col)
                row, col = (row, col + 1) if col + 1 < COLUMNS else (row + 1, 0)
            else:  # the reason needs the room of a whole row
                row, col = (row + 1, 0) if col else (row, 0)
                grid.addWidget(check, row, 0, 1, COLUMNS)
                row += 1
        self._layout.addLayout(grid)

    @staticmethod
    def _header_text(header: QLabel, profile: Profile) -> None:
        muted = tones().muted
        zone = f" <span style='color:{muted}'>· {escaped(profile.timezone)}</span>" if profile.timezone else ""
        header.setText(
            f"<span style='color:{escaped(profile.color)}'>●</span> <b>{escaped(profile.name)}</b>{zone}"
        )

    def refresh_colours(self) -> None:
        for header, profile in self._headers:
            self._header_text(header, profile)

    def focus_chain(self) -> list[QWidget]:
        """The checkboxes in the order they are shown (profile by profile, row by row)."""
        return list(self.checks.values()) + self.times.focus_chain()

    def load(self, snap: EditorSnapshot, post: Post) -> None:
        """The accounts ticked in ``snap`` (an autosave, or the post as stored) and their own times."""
        self.times.load(snap, post)
        self.set_targets(snap.targets or [])

    def follow_when(self, when, edited) -> None:
        """The per-platform times follow the editor's When row (its time and zone); ``edited`` hears each change."""
        self.times.bind(when.scheduled_utc, when.effective_zone)
        self.times_changed.connect(edited)
        when.edited.connect(self.times.refresh)  # a platform's own time moves with the post's

    def _show_time_rows(self) -> None:
        labels = {a: (acc.label if (acc := self.accounts.get(a)) else a) for a in self.checks}
        self.times.show_accounts([(a, p, labels[a]) for p, a in self.selected()])

    def _make_check(self, account: Account, colour: str) -> QCheckBox:
        text, why_not = account_choice(account.platform, account, account.id)
        check = QCheckBox(text, self)
        check.setIcon(account_icon(account, account.platform, colour))
        if why_not:
            check.setToolTip(tooltip(why_not))
            check.setEnabled(False)
        check.toggled.connect(lambda _on, a=account.id: self._toggled(a))
        self.checks[account.id] = check
        return check

    def _toggled(self, account_id: str) -> None:
        account = self.accounts.get(account_id)
        check = self.checks[account_id]
        if (account is None or not account.connected) and not check.isChecked():
            check.setEnabled(False)  # unticked once: a disconnected account cannot come back
        self._show_time_rows()
        self.changed.emit()

    def _add_unknown(self, target: Target) -> None:
        check = QCheckBox(account_choice(target.platform, None, target.account_id)[0], self)
        check.setIcon(account_icon(None, target.platform, "#888888"))
        check.toggled.connect(lambda _on, a=target.account_id: self._toggled(a))
        self.checks[target.account_id] = check
        self._platform_of[target.account_id] = target.platform
        self._layout.addWidget(check)

    def set_targets(self, targets: list[Target]) -> None:
        chosen = {t.account_id for t in targets}
        for t in targets:
            if t.account_id not in self.checks:
                self._add_unknown(t)
        for account_id, check in self.checks.items():
            check.blockSignals(True)
            on = account_id in chosen
            check.setChecked(on)
            account = self.accounts.get(account_id)
            check.setEnabled(not self._read_only and (on or (account is not None and account.connected)))
            check.blockSignals(False)
        self._show_time_rows()

    def selected(self) -> list[tuple[str, str]]:
        """(platform, account id) of the ticked accounts, in the order shown."""
        return [(self._platform_of[a], a) for a, check in self.checks.items() if check.isChecked()]

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.times.set_read_only(read_only)
        for account_id, check in self.checks.items():
            account = self.accounts.get(account_id)
            check.setEnabled(not read_only and (check.isChecked() or (account is not None and account.connected)))
