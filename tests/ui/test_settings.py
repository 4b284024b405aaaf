"""The typed settings registry, its isolation in tests, and the Settings dialog (values, key buttons, and what
the running app does with a change)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from keyflow_helpers import ACCOUNTS, seed, start_sessions, until, visible, visible_dialog
from latecal.cli import Options
from latecal.core.models import Post, Target
from latecal.sandbox.runner import SandboxServer
from latecal.secrets import SERVICE, USERNAME, Backend, KeyringStatus, KeyStore
from latecal.ui.app.connection import Connection
from latecal.ui.app.main_window import MainWindow
from latecal.ui.dialogs.settings_dialog import SettingsDialog
from latecal.ui.dialogs.welcome_dialog import Mode, WelcomeDialog
from latecal.ui.widgets import settings as S
from picture_checks import assert_picture, grab
from ui_support import flush_events

KEY = "sk_settings_" + "6f" * 30


# -- the registry --------------------------------------------------------------------------------------


def test_defaults_come_from_the_registry():
    settings = S.Settings()
    for setting in S.ALL:
        assert settings.get(setting) == setting.default
    assert (S.SYNC_INTERVAL_S.default, S.WEEK_START.default, S.CLOCK_24H.default) == (60, 0, True)


def test_tests_never_touch_the_users_settings(isolated_settings):
    path = Path(S.Settings().path)
    assert path.is_relative_to(isolated_settings)
    assert not path.is_relative_to(Path.home() / ".config")


def test_values_round_trip_through_the_ini_file(isolated_settings):
    settings = S.Settings()
    seen = []
    settings.changed.connect(seen.append)
    settings.set(S.TIME_ZONE, "America/New_York")
    settings.set(S.WEEK_START, 6)
    settings.set(S.CLOCK_24H, False)
    settings.set(S.SYNC_INTERVAL_S, 300)
    settings.set(S.NOTIFICATIONS, False)
    settings.set(S.BASE_URL, "https://late.example/api/")
    settings.set(S.WEEK_START, 6)  # unchanged: no signal
    fresh = S.Settings()  # a new QSettings reads the INI file back (strings)
    assert fresh.get(S.TIME_ZONE) == "America/New_York"
    assert fresh.get(S.WEEK_START) == 6
    assert fresh.get(S.CLOCK_24H) is False
    assert fresh.get(S.SYNC_INTERVAL_S) == 300
    assert fresh.get(S.NOTIFICATIONS) is False
    assert fresh.get(S.BASE_URL) == "https://late.example/api"
    assert len(seen) == 6
    settings.reset(S.WEEK_START)
    assert not S.open_qsettings().contains(S.WEEK_START.key)  # a default is stored as "unset"


def test_bad_values_are_refused_and_bad_stored_values_read_as_defaults():
    settings = S.Settings()
    for setting, value in [(S.TIME_ZONE, "Mars/Olympus"), (S.WEEK_START, 3), (S.SYNC_INTERVAL_S, 5),
                           (S.BASE_URL, "http://late.example/api"), (S.BASE_URL, "https://user:pw@late.example")]:
        with pytest.raises(ValueError):
            settings.set(setting, value)
    raw = S.open_qsettings()
    raw.setValue(S.TIME_ZONE.key, "Nowhere/Land")
    raw.setValue(S.SYNC_INTERVAL_S.key, "often")
    raw.sync()
    assert S.Settings().get(S.TIME_ZONE) == ""
    assert S.Settings().get(S.SYNC_INTERVAL_S) == 60


def test_an_injected_qsettings_is_used(tmp_path):
    q = QSettings(str(tmp_path / "x.ini"), QSettings.Format.IniFormat)
    S.Settings(q).set(S.WEEK_START, 5)
    assert (tmp_path / "x.ini").read_text().count("week_start=5") == 1


# -- the dialog ---------------------------------------------------------------------------------------


def make_dialog(qtbot, status=None, **kw) -> SettingsDialog:
    dialog = SettingsDialog(S.Settings(), key_status=status, system_zone="Europe/Berlin", **kw)
    qtbot.addWidget(dialog)
    return dialog


def test_ok_stores_every_value(qtbot):
    dialog = make_dialog(qtbot)
    applied = []
    dialog.applied.connect(applied.append)
    dialog.base_url_edit.setText("https://late.example/api")
    dialog.zone_combo.setCurrentText("Asia/Tokyo")
    dialog.week_combo.setCurrentIndex(dialog.week_combo.findData(6))
    dialog.clock_combo.setCurrentIndex(dialog.clock_combo.findData(False))
    dialog.interval_spin.setValue(5)
    dialog.notify_check.setChecked(False)
    dialog.stuck_spin.setValue(30)
    dialog.apply_and_accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    settings = S.Settings()
    assert settings.get(S.BASE_URL) == "https://late.example/api"
    assert settings.get(S.TIME_ZONE) == "Asia/Tokyo"
    assert settings.get(S.WEEK_START) == 6
    assert settings.get(S.CLOCK_24H) is False
    assert settings.get(S.SYNC_INTERVAL_S) == 300
    assert settings.get(S.NOTIFICATIONS) is False
    assert settings.get(S.STUCK_AFTER_MIN) == 30
    assert applied == [{s.key for s in S.ALL}]


def test_an_invalid_value_keeps_the_dialog_open_with_the_reason(qtbot):
    dialog = make_dialog(qtbot)
    dialog.show()
    dialog.base_url_edit.setText("http://late.example/api")
    dialog.apply_and_accept()
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "plain http" in dialog.error_label.text()
    assert S.Settings().get(S.BASE_URL) == ""
    dialog.zone_combo.setCurrentText("Not/AZone")
    dialog.base_url_edit.clear()
    dialog.apply_and_accept()
    assert "time zone" in dialog.error_label.text().lower() and dialog.isVisible()


@pytest.mark.parametrize(("status", "text", "removable"), [
    (KeyringStatus(Backend.SYSTEM, "SecretService Keyring", True), "Set, stored in your system keyring", True),
    (KeyringStatus(Backend.SYSTEM, "SecretService Keyring", False), "Not set", False),
    (KeyringStatus(Backend.MEMORY, "fail Keyring", True), "this session only", True),
    (KeyringStatus(Backend.LOCKED, "SecretService Keyring", False), "locked", False),
])
def test_the_key_row_says_where_the_key_is(qtbot, status, text, removable):
    dialog = make_dialog(qtbot, status)
    assert text in dialog.key_label.text()
    assert dialog.remove_button.isEnabled() is removable


def settings_for_screenshot() -> SettingsDialog:
    """The README's settings.png (also used by tests/readme_screenshots.py)."""
    return SettingsDialog(S.Settings(), key_status=KeyringStatus(Backend.SYSTEM, "SecretService Keyring", True),
                          system_zone="Europe/Berlin")


def test_settings_screenshot(qtbot, tmp_path):
    dialog = settings_for_screenshot()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.adjustSize()
    flush_events()
    image = grab(dialog)
    assert_picture(dialog, image, texts=["Set, stored in your system keyring", "Europe/Berlin"])
    assert dialog.key_label.height() >= dialog.key_label.heightForWidth(dialog.key_label.width())
    assert image.save(str(tmp_path / "settings.png"))  # never into docs/ during a test run


# -- the running app ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_settings_from_the_menu_apply_to_the_running_app(app, tmp_path, mem_keyring):
    with SandboxServer(api_keys=(KEY,), seed=3) as sandbox:  # the one test here on a sandbox
        seed(sandbox)
        KeyStore().set(KEY)
        S.Settings().set(S.BASE_URL, sandbox.base_url)
        task, store = start_sessions(app, Options(data_dir=tmp_path / "data"))
        try:
            window = (await until(lambda: visible(MainWindow), what="the window"))[0]
            # the session makes the window's Connection just after showing it
            connection = await until(lambda: window.findChild(Connection), what="the connection")
            await until(lambda: connection.services is not None, what="services")
            assert connection.services.client.base_url == sandbox.base_url  # read from the settings

            window.actions_by_name["settings"].trigger()
            dialog = await until(lambda: visible_dialog(SettingsDialog), what="the settings dialog")
            await until(lambda: "Set, stored" in dialog.key_label.text(), what="the key status")
            dialog.interval_spin.setValue(7)
            dialog.apply_and_accept()
            assert connection.services.engine.idle_interval_s == 420  # live, no restart
            assert visible(MainWindow) == [window]

            # a new week start rebuilds the window (the views take it at construction); the undo history stays
            soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
            moved = store.save_post(Post(content="Undo me after the rebuild", scheduled_for=soon,
                                         targets=[Target("twitter", ACCOUNTS["twitter"])]))
            assert window.runner.move(moved.local_id, soon + timedelta(hours=3))
            window.actions_by_name["settings"].trigger()
            dialog = await until(lambda: visible_dialog(SettingsDialog), what="the settings dialog")
            dialog.week_combo.setCurrentIndex(dialog.week_combo.findData(6))
            dialog.apply_and_accept()
            rebuilt = (await until(lambda: [w for w in visible(MainWindow) if w is not window],
                                   what="the rebuilt window"))[0]
            assert rebuilt.views.week_start == 6
            rebuilt.actions_by_name["undo"].trigger()
            assert store.get_post(moved.local_id).scheduled_for == soon
            connection = await until(lambda: rebuilt.findChild(Connection), what="the new connection")
            await until(lambda: connection.services is not None, what="services again")

            # Replace… opens the key dialog over the settings; Remove forgets the key
            rebuilt.actions_by_name["settings"].trigger()
            dialog = await until(lambda: visible_dialog(SettingsDialog), what="the settings dialog")
            await until(lambda: dialog.remove_button.isEnabled(), what="the key status")
            dialog.replace_button.click()
            key_dialog = await until(lambda: visible_dialog(WelcomeDialog), what="the replace dialog")
            assert key_dialog.mode is Mode.REPLACE
            key_dialog.later_button.click()
            dialog.remove_button.click()
            final = (await until(lambda: [w for w in visible(MainWindow) if w is not rebuilt],
                                 what="the window without a key"))[0]
            assert (SERVICE, USERNAME) not in mem_keyring.store
            connection = await until(lambda: final.findChild(Connection), what="the last connection")
            assert connection.services is None
            assert visible_dialog(WelcomeDialog) is None  # removed on purpose: no welcome again
            final.close()
            await until(task.done, what="the session to end")
            assert task.result() == 0
        finally:
            store.close()
