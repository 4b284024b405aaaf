"""File ▸ Settings…: the API key (replace, remove), base URL, display time zone, week start, 12/24-hour
clock, sync interval, notifications and when publishing counts as stuck.

Non-secret values go to the typed registry (``ui.settings``) on OK; the key buttons only emit signals,
and the app's connection handles them (checking a new key with Late, the keyring off the UI thread).
Open it with ``open()``: it answers through ``applied`` / ``finished``, never through a nested loop.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from latecal.late.urls import PRODUCTION_BASE_URL
from latecal.presentation import connection_texts as words
from latecal.secrets import KeyringStatus
from latecal.ui.widgets import settings as S
from latecal.ui.widgets.plain_text import plain_label

WEEK_STARTS = ((0, "Monday"), (6, "Sunday"), (5, "Saturday"))
_SYSTEM_ZONE = "System time zone"


def _align_labels(*forms: QFormLayout) -> None:
    """One label column width for all groups, so the fields line up from group to group."""
    labels = [form.itemAt(row, QFormLayout.ItemRole.LabelRole) for form in forms for row in range(form.rowCount())]
    widgets = [item.widget() for item in labels if item is not None and item.widget() is not None]
    width = max((w.sizeHint().width() for w in widgets), default=0)
    for widget in widgets:
        widget.setMinimumWidth(width)


class SettingsDialog(QDialog):
    #: the registry keys whose value changed when OK was pressed
    applied = Signal(object)
    replace_key_requested = Signal()
    remove_key_requested = Signal()

    def __init__(self, settings: S.Settings, *, key_status: KeyringStatus | None, demo: bool = False,
                 system_zone: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.settings = settings
        self.setMinimumWidth(560)

        # -- Late account
        account = QGroupBox("Late account", self)
        account_form = QFormLayout(account)
        self.key_label = plain_label(QLabel(account))  # names the account as Late does
        self.key_label.setWordWrap(True)
        self.replace_button = QPushButton("&Replace…", account)
        self.replace_button.setAutoDefault(False)
        self.replace_button.clicked.connect(self.replace_key_requested)
        self.remove_button = QPushButton("Re&move", account)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_key_requested)
        key_buttons = QHBoxLayout()
        key_buttons.addWidget(self.replace_button)
        key_buttons.addWidget(self.remove_button)
        key_buttons.addStretch(1)
        key_box = QVBoxLayout()
        key_box.addWidget(self.key_label)
        key_box.addLayout(key_buttons)
        account_form.addRow("API key:", key_box)
        self.base_url_edit = QLineEdit(settings.get(S.BASE_URL), account)
        self.base_url_edit.setPlaceholderText(f"{PRODUCTION_BASE_URL} (default)")
        self.base_url_edit.setClearButtonEnabled(True)
        self.base_url_edit.textChanged.connect(lambda _t: self.error_label.hide())
        account_form.addRow("&Base URL:", self.base_url_edit)
        if demo:
            note = QLabel("Demo mode: the built-in practice server is used; these apply to your own account.",
                          account)
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(placeholder-text);")
            account_form.addRow(note)

        # -- Calendar display
        display = QGroupBox("Calendar", self)
        display_form = QFormLayout(display)
        self.zone_combo = QComboBox(display)
        self.zone_combo.setEditable(True)
        self.zone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        system_label = f"{_SYSTEM_ZONE} ({system_zone})" if system_zone else _SYSTEM_ZONE
        self.zone_combo.addItem(system_label, "")
        for name in sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))):
            self.zone_combo.addItem(name, name)
        self.zone_combo.addItem("UTC", "UTC")
        completer = QCompleter([self.zone_combo.itemText(i) for i in range(self.zone_combo.count())], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone_combo.setCompleter(completer)
        self._select_data(self.zone_combo, settings.get(S.TIME_ZONE))
        display_form.addRow("&Time zone:", self.zone_combo)
        self.week_combo = QComboBox(display)
        for value, name in WEEK_STARTS:
            self.week_combo.addItem(name, value)
        self._select_data(self.week_combo, settings.get(S.WEEK_START))
        display_form.addRow("&Week starts on:", self.week_combo)
        self.clock_combo = QComboBox(display)
        self.clock_combo.addItem("24-hour (14:30)", True)
        self.clock_combo.addItem("12-hour (2:30 PM)", False)
        self._select_data(self.clock_combo, settings.get(S.CLOCK_24H))
        display_form.addRow("&Clock:", self.clock_combo)

        # -- Sync and notifications
        behaviour = QGroupBox("Sync and notifications", self)
        behaviour_form = QFormLayout(behaviour)
        self.interval_spin = QSpinBox(behaviour)
        self.interval_spin.setRange(1, 60)
        self.interval_spin.setSuffix(" min")
        self.interval_spin.setValue(max(1, round(settings.get(S.SYNC_INTERVAL_S) / 60)))
        # a stored interval that is no whole number of minutes (the INI file allows 15–3600 s) is kept unless
        # the user changes the minutes shown
        self._shown_interval = (self.interval_spin.value(), settings.get(S.SYNC_INTERVAL_S))
        self.interval_spin.setToolTip("How often to sync when nothing is about to publish. While a post is due "
                                      "within 5 minutes or publishing, the calendar syncs every 10 seconds.")
        behaviour_form.addRow("S&ync every:", self.interval_spin)
        self.notify_check = QCheckBox("Notify me when a post publishes or fails", behaviour)
        self.notify_check.setChecked(settings.get(S.NOTIFICATIONS))
        behaviour_form.addRow("", self.notify_check)
        self.stuck_spin = QSpinBox(behaviour)
        self.stuck_spin.setRange(5, 240)
        self.stuck_spin.setSuffix(" min")
        self.stuck_spin.setValue(settings.get(S.STUCK_AFTER_MIN))
        self.stuck_spin.setToolTip("A post Late is still publishing this long after its time is listed as stuck "
                                   "in the Problems panel.")
        behaviour_form.addRow("Flag stuck publishing &after:", self.stuck_spin)

        self.error_label = plain_label(QLabel(self))
        self.error_label.setObjectName("settingsError")
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.apply_and_accept)
        self.buttons.rejected.connect(self.reject)

        self.interval_spin.setMaximumWidth(self.interval_spin.sizeHint().width() + 40)
        self.stuck_spin.setMaximumWidth(self.stuck_spin.sizeHint().width() + 40)
        _align_labels(account_form, display_form, behaviour_form)

        layout = QVBoxLayout(self)
        layout.addWidget(account)
        layout.addWidget(display)
        layout.addWidget(behaviour)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.set_key_status(key_status)

    @staticmethod
    def _select_data(combo: QComboBox, value) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def set_key_status(self, status: KeyringStatus | None) -> None:
        """Show where the key is (never the key); called again after a replace or remove."""
        if status is None:
            text = words.CHECKING_KEYRING
        else:
            text = words.key_status(status.backend, status.name, has_key=status.has_key)
        self.key_label.setText(text)
        if self.isVisible():  # the keyring answered after the dialog was laid out: make room for the new lines
            self.layout().activate()
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        self.replace_button.setText("&Replace…" if status is not None and status.has_key else "&Set…")
        self.remove_button.setEnabled(status is not None and status.has_key)

    def _zone_value(self) -> str:
        text = self.zone_combo.currentText().strip()
        index = self.zone_combo.findText(text)
        if index >= 0:
            return self.zone_combo.itemData(index)
        return text  # typed by hand: validated by the registry

    def _interval_s(self) -> int:
        minutes, stored = self._shown_interval
        return stored if self.interval_spin.value() == minutes else self.interval_spin.value() * 60

    def apply_and_accept(self) -> None:
        """Validate everything first, then store; a bad value keeps the dialog open with the reason."""
        s = S  # short name for the table below
        wanted = [
            (s.BASE_URL, self.base_url_edit.text().strip()),
            (s.TIME_ZONE, self._zone_value()),
            (s.WEEK_START, self.week_combo.currentData()),
            (s.CLOCK_24H, self.clock_combo.currentData()),
            (s.SYNC_INTERVAL_S, self._interval_s()),
            (s.NOTIFICATIONS, self.notify_check.isChecked()),
            (s.STUCK_AFTER_MIN, self.stuck_spin.value()),
        ]
        for setting, value in wanted:
            try:
                setting.parse(value)
            except (ValueError, TypeError) as exc:
                reason = str(exc) if setting is s.BASE_URL else ""
                self.error_label.setText(words.setting_not_valid(setting.label.split(" (")[0], reason))
                self.error_label.show()
                return
        changed = set()
        for setting, value in wanted:
            if setting.parse(value) != self.settings.get(setting):
                self.settings.set(setting, value)
                changed.add(setting.key)
        self.applied.emit(changed)
        self.accept()
