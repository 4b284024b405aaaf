"""A new user's first ten minutes: the first-run welcome, the key check, the Settings dialog and the toolbar's
sync status, with real widgets, a real SQLite store and, where the network is involved, the sandbox over
loopback."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from PySide6.QtWidgets import QApplication

from keyflow_helpers import seed, start_sessions, until, visible, visible_dialog
from latecal.cli import Options
from latecal.sandbox.runner import SandboxServer
from latecal.secrets import Backend, KeyringStatus, KeyStore
from latecal.services import CHECK_TIMEOUT_S, check_key
from latecal.ui.app.connection import Connection
from latecal.ui.app.main_window import MainWindow
from latecal.ui.dialogs.settings_dialog import SettingsDialog
from latecal.ui.dialogs.welcome_dialog import WelcomeDialog
from latecal.ui.widgets import settings as S
from latecal.ui.widgets.display_zone import system_zone
from sandbox_support import fresh, module_sandbox
from ui_support import flush_events, settle

KEY = "sk_qa_first_" + "3c" * 30


shared_sandbox = module_sandbox(api_keys=(KEY,), seed=5)


@pytest.fixture
def sandbox(shared_sandbox):
    yield from fresh(shared_sandbox, seed)


def _fault(server: SandboxServer, rule: dict) -> None:
    httpx.post(f"{server.control_url}/faults", json=rule, timeout=10).raise_for_status()


async def _end(task) -> None:
    """Whatever happened: close every window of the session (a failed assertion must not leave it open)."""
    for window in visible(MainWindow):
        window.close()
    await until(task.done, what="the session to end")


# -- 1. the toolbar says "Synced just now" after a sync that failed --------------------------------------


@pytest.mark.asyncio
async def test_a_sync_that_failed_with_5xx_is_not_reported_as_synced(app, tmp_path, sandbox, mem_keyring):
    """Late answers 500 to everything: nothing was synced, yet the toolbar says "Synced just now"."""
    _fault(sandbox, {"kind": "status", "status": 500})
    KeyStore().set(KEY)
    task, store = start_sessions(app, Options(data_dir=tmp_path / "data", base_url=sandbox.base_url))
    try:
        window = (await until(lambda: visible(MainWindow), what="the window"))[0]
        connection = await until(lambda: window.findChild(Connection).services and window.findChild(Connection),
                                 what="services")
        engine = connection.services.engine
        await until(lambda: engine.last_report is not None, timeout=30, what="the first sync run")
        assert not engine.last_report.ok and not engine.last_report.complete  # the run failed
        await settle()  # the report's listeners have run
        label = window.toolbar.last_synced_label.text()
        assert not label.startswith("Synced"), f"the toolbar claims {label!r} after a failed sync"
    finally:
        await _end(task)
        store.close()


# -- 2. Settings: "System time zone (…)" names the display zone, not the system's --------------------------


@pytest.mark.asyncio
async def test_the_system_time_zone_entry_names_the_system_zone(app, tmp_path, mem_keyring):
    chosen = "Asia/Tokyo" if system_zone().key != "Asia/Tokyo" else "America/Denver"
    S.Settings().set(S.TIME_ZONE, chosen)
    task, store = start_sessions(app, Options(data_dir=tmp_path / "data"))
    try:
        window = (await until(lambda: visible(MainWindow), what="the window"))[0]
        welcome = await until(lambda: visible_dialog(WelcomeDialog), what="the welcome dialog")
        welcome.later_button.click()
        window.actions_by_name["settings"].trigger()
        dialog = await until(lambda: visible_dialog(SettingsDialog), what="the settings dialog")
        entry = dialog.zone_combo.itemText(0)
        dialog.reject()
        assert dialog.zone_combo.itemData(0) == ""  # choosing it means "follow the system"
        assert chosen not in entry, f"{entry!r}: the system zone is {system_zone().key}, not {chosen}"
    finally:
        await _end(task)
        store.close()


# -- 3. the key check waits out a long Retry-After ---------------------------------------------------------


@pytest.mark.asyncio
async def test_the_key_check_does_not_wait_out_a_long_retry_after(qtbot, sandbox, mem_keyring):
    """services.check_key promises "one quick retry at most"; a 429 with Retry-After: 60 keeps the dialog on
    "Checking the key with Late…" (Connect and Try the demo disabled) for a whole minute."""
    _fault(sandbox, {"kind": "rate_limit", "retryAfter": 60, "count": 1})
    dialog = WelcomeDialog(KeyStore(), sandbox.base_url)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.key_edit.setText(KEY)
    started = time.monotonic()
    try:
        await asyncio.wait_for(dialog.submit(), timeout=CHECK_TIMEOUT_S + 5)
    except TimeoutError:
        pytest.fail(f"the key check was still running after {time.monotonic() - started:.0f} s "
                    f"(status: {dialog.status_label.text()!r})")
    finally:
        dialog.reject()
    assert dialog.status_label.text() == "Late is busy (too many requests right now). Try again in a minute."


# -- 4. keyboard: after a failed check the key field has lost the keyboard ----------------------------------


@pytest.mark.asyncio
async def test_after_a_rejected_key_the_keyboard_is_back_in_the_key_field(qtbot, sandbox, mem_keyring):
    dialog = WelcomeDialog(KeyStore(), sandbox.base_url)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.key_edit.setFocus()
    await until(lambda: QApplication.focusWidget() is dialog.key_edit, what="the key field's focus")
    dialog.key_edit.setText("sk_wrong_" + "0" * 40)
    assert await dialog.submit() is False
    assert "HTTP 401" in dialog.status_label.text()
    focus = QApplication.focusWidget()
    assert focus is dialog.key_edit, (
        f"the keyboard is on {type(focus).__name__} {getattr(focus, 'text', lambda: '')()!r}: "
        "a keyboard user's next keystrokes (Ctrl+A, paste the right key) go nowhere")


# -- 5. Settings: the key status text is cut off -------------------------------------------------------------


def test_the_key_status_text_in_settings_is_not_cut_off(qtbot):
    dialog = SettingsDialog(S.Settings(), key_status=None, system_zone="Etc/UTC")  # as File ▸ Settings… opens it
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_key_status(KeyringStatus(Backend.MEMORY, "memory", False))  # the keyring answers a moment later
    flush_events()
    label = dialog.key_label
    needed = label.heightForWidth(label.width())
    assert label.height() >= needed, (
        f"{label.text()!r} needs {needed} px at this width but gets {label.height()} px: its lines are clipped")


# -- 6. wording: .capitalize() turns "URL" into "Url" and "API" into "api" -----------------------------------


@pytest.mark.asyncio
async def test_key_check_messages_keep_url_and_api_in_capitals(qtbot, mem_keyring):
    result = await check_key(KEY, "example.com/api")  # e.g. `latecal --base-url example.com/api`
    assert "Url" not in result.message and "URL" in result.message, result.message
    result = await check_key(KEY, "http://example.com/api")
    assert "api key" not in result.message, result.message
    dialog = WelcomeDialog(KeyStore(), "https://127.0.0.1:9/api")
    qtbot.addWidget(dialog)
    dialog.key_edit.setText("sk_pasted with a space")
    assert await dialog.submit() is False
    assert "api key" not in dialog.status_label.text(), dialog.status_label.text()


# -- 7. wording: "Set…" (no key yet) opens a dialog about replacing the old key --------------------------------


@pytest.mark.asyncio
async def test_set_without_a_key_does_not_talk_about_replacing_one(app, tmp_path, mem_keyring):
    task, store = start_sessions(app, Options(data_dir=tmp_path / "data"))
    try:
        window = (await until(lambda: visible(MainWindow), what="the window"))[0]
        (await until(lambda: visible_dialog(WelcomeDialog), what="the welcome dialog")).later_button.click()
        window.actions_by_name["settings"].trigger()
        dialog = await until(lambda: visible_dialog(SettingsDialog), what="the settings dialog")
        await until(lambda: dialog.replace_button.text() == "&Set…", what="the key status (no key)")
        dialog.replace_button.click()
        key_dialog = await until(lambda: visible_dialog(WelcomeDialog), what="the key dialog")
        words = f"{key_dialog.windowTitle()} | {key_dialog.title_label.text()} | {key_dialog.intro_label.text()}"
        key_dialog.later_button.click()
        dialog.reject()
        assert "Replace" not in words and "old one" not in words, words
    finally:
        await _end(task)
        store.close()


# -- 8. wording: a broken answer from Late is shown as a developer's log line -------------------------------


@pytest.mark.asyncio
async def test_a_garbled_answer_is_explained_in_plain_words(qtbot, sandbox, mem_keyring):
    _fault(sandbox, {"kind": "malformed"})
    dialog = WelcomeDialog(KeyStore(), sandbox.base_url)
    qtbot.addWidget(dialog)
    dialog.key_edit.setText(KEY)
    assert await dialog.submit() is False
    text = dialog.status_label.text()
    assert "/v1/" not in text and "->" not in text, f"shown to the user: {text!r}"
    assert text == "Late answered with an error: Late's answer could not be read (it came garbled or cut off)."


# -- 9. Settings: OK without touching anything rewrites a stored sync interval --------------------------------


@pytest.mark.parametrize("seconds", [30, 90])
def test_ok_without_changes_keeps_the_sync_interval(qtbot, seconds):
    """The registry accepts 15–3600 s (the INI file may say 30 or 90), the dialog only whole minutes: it shows
    "1 min" and OK silently stores 60 s."""
    settings = S.Settings()
    settings.set(S.SYNC_INTERVAL_S, seconds)
    dialog = SettingsDialog(settings, key_status=None)
    qtbot.addWidget(dialog)
    applied: list[set] = []
    dialog.applied.connect(applied.append)
    dialog.apply_and_accept()
    assert settings.get(S.SYNC_INTERVAL_S) == seconds and applied == [set()], (
        f"untouched, {seconds} s became {settings.get(S.SYNC_INTERVAL_S)} s (changed: {applied})")


# -- 10. after "Cancel" on the new-key prompt, Sync (F5) does nothing and says nothing ------------------------


@pytest.mark.asyncio
async def test_sync_while_paused_for_a_rejected_key_says_why_nothing_happens(app, tmp_path, sandbox, mem_keyring):
    KeyStore().set("sk_revoked_" + "9d" * 30)  # a key Late no longer accepts
    task, store = start_sessions(app, Options(data_dir=tmp_path / "data", base_url=sandbox.base_url))
    try:
        window = (await until(lambda: visible(MainWindow), what="the window"))[0]
        prompt = await until(lambda: visible_dialog(WelcomeDialog), what="the new-key prompt")
        prompt.later_button.click()  # "Cancel": I'll deal with it later
        await until(lambda: "Syncing is paused" in window.message_bar.text, what="the paused note")
        while window.message_bar.text:  # the user reads and closes the notes
            window.message_bar.dismiss()
        engine = window.findChild(Connection).services.engine
        runs = engine.last_report
        assert window.toolbar.sync_button.isEnabled()
        window.actions_by_name["sync"].trigger()  # F5 / the Sync button
        await asyncio.sleep(1.0)  # real time on purpose: that no run starts cannot be awaited as an event
        assert engine.last_report is runs  # nothing ran: the engine is paused
        assert "syncing is paused" in window.message_bar.text  # why nothing ran…
        prompt = await until(lambda: visible_dialog(WelcomeDialog), what="the new-key prompt again")  # …and the fix
        prompt.later_button.click()
    finally:
        await _end(task)
        store.close()


@pytest.mark.asyncio
async def test_saving_a_draft_while_paused_for_a_rejected_key_does_not_reopen_the_key_prompt(
        app, tmp_path, sandbox, mem_keyring):
    """After Cancel on the new-key prompt the user keeps working locally: an edit (which asks for a sync) does
    not bring the prompt back; only the Sync button does (the test above)."""
    KeyStore().set("sk_revoked_" + "9d" * 30)
    task, store = start_sessions(app, Options(data_dir=tmp_path / "data", base_url=sandbox.base_url))
    try:
        window = (await until(lambda: visible(MainWindow), what="the window"))[0]
        prompt = await until(lambda: visible_dialog(WelcomeDialog), what="the new-key prompt")
        prompt.later_button.click()  # "Cancel": I'll deal with it later, keep working locally
        await until(lambda: "Syncing is paused" in window.message_bar.text, what="the paused note")
        await until(lambda: visible_dialog(WelcomeDialog) is None, what="the prompt to close")
        connection = window.findChild(Connection)
        assert connection.services.engine.paused_for_auth

        editor = window.editors.new_post(None)
        editor.ask_unsaved = lambda _e: "discard"
        editor.content_edit.setPlainText("Working offline on a draft")
        assert editor.save_draft() is not None  # a local edit: it stays in the store
        await asyncio.sleep(0.5)  # real time on purpose: that no prompt comes back cannot be awaited
        again = visible_dialog(WelcomeDialog)
        if again is not None:
            again.later_button.click()
        editor.close()
        assert again is None, "saving a draft reopened the modal key prompt (SyncBridge.sync_now → auth_failed)"
    finally:
        await _end(task)
        store.close()


@pytest.mark.asyncio
async def test_set_key_from_settings_in_the_demo_does_not_offer_the_demo_or_say_posts_are_local(
        app, tmp_path, mem_keyring):
    """In the demo no key is stored, so Settings says "Set…": its dialog neither offers the demo the user is in
    nor, on Cancel, says the posts are only on this computer."""
    task, store = start_sessions(app, Options(data_dir=tmp_path / "data", demo=True))
    try:
        window = (await until(lambda: [w for w in visible(MainWindow) if w.demo], what="the demo window"))[0]
        connection = window.findChild(Connection)
        await until(lambda: connection.services is not None, what="demo services")
        window.actions_by_name["settings"].trigger()
        settings = await until(lambda: visible_dialog(SettingsDialog), what="the settings dialog")
        await until(lambda: settings.replace_button.text() == "&Set…", what="the key status")
        settings.replace_button.click()
        prompt = await until(lambda: visible_dialog(WelcomeDialog), what="the key prompt")
        offers_demo = prompt.demo_button.isVisible()
        prompt.later_button.click()
        await asyncio.sleep(0.3)  # real time on purpose: a wrong note would come late; none is an event
        said = window.message_bar.text
        settings.reject()
        assert not offers_demo and "shown from this computer only" not in said, said
    finally:
        await _end(task)
        store.close()
