"""First run without a key: paste a key (checked against a sandbox; 401, offline and a locked keyring have
their own messages) or try the demo; and the 401-during-sync flow. The app's sessions run on the test loop."""

from __future__ import annotations

import socket

import keyring
import pytest
from PySide6.QtCore import Qt

from keyflow_helpers import create_remote_post, remote_posts, seed, start_sessions, until, visible, visible_dialog
from keyring_doubles import LockedKeyring
from latecal.cli import Options
from latecal.core.models import Post, Target
from latecal.secrets import SERVICE, USERNAME, Backend, KeyringStatus, KeyStore
from latecal.ui.app.connection import Connection
from latecal.ui.app.main_window import MainWindow
from latecal.ui.dialogs.welcome_dialog import Choice, Mode, WelcomeDialog
from latecal.ui.widgets.icons import app_icon
from picture_checks import assert_picture, grab
from sandbox_support import fresh, module_sandbox
from ui_support import flush_events

KEY = "sk_welcome_" + "1a" * 30
NEW_KEY = "sk_rotated_" + "2b" * 30


shared_sandbox = module_sandbox(api_keys=(KEY,), seed=11)


@pytest.fixture
def sandbox(shared_sandbox):
    yield from fresh(shared_sandbox, seed)


def unused_base_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/api"


async def _finish(task) -> int:
    await until(task.done, what="the session to end")
    return task.result()


def connection_of(window) -> Connection:
    return window.findChild(Connection)


# -- the dialog on its own ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_rejected_key_says_401_and_is_not_stored(qtbot, sandbox, mem_keyring):
    dialog = WelcomeDialog(KeyStore(), sandbox.base_url)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.key_edit.setText("sk_wrong_" + "0" * 40)
    assert await dialog.submit() is False
    assert "did not accept this key (HTTP 401)" in dialog.status_label.text()
    assert dialog.isVisible() and mem_keyring.store == {}
    assert "sk_wrong_" not in dialog.status_label.text()


@pytest.mark.asyncio
async def test_offline_says_so_and_stores_nothing(qtbot, mem_keyring):
    dialog = WelcomeDialog(KeyStore(), unused_base_url())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.key_edit.setText(KEY)
    assert await dialog.submit() is False
    assert "Could not reach Late" in dialog.status_label.text()
    assert mem_keyring.store == {}
    assert dialog.connect_button.isEnabled()  # ready to try again


@pytest.mark.asyncio
async def test_a_locked_keyring_is_explained_and_the_key_can_be_used_for_this_session(qtbot, sandbox):
    keyring.set_keyring(LockedKeyring())
    store = KeyStore()
    dialog = WelcomeDialog(store, sandbox.base_url, status=store.status())
    qtbot.addWidget(dialog)
    dialog.show()
    assert "locked" in dialog.keyring_label.text() and dialog.reread_button.isVisible()
    dialog.key_edit.setText(KEY)
    assert await dialog.submit() is False
    assert "keyring is locked" in dialog.status_label.text()
    assert dialog.session_button.isVisible()
    dialog.session_button.click()
    assert dialog.result() == WelcomeDialog.DialogCode.Accepted
    assert (dialog.choice, dialog.stored_in) == (Choice.KEY, Backend.LOCKED)
    assert dialog.take_key() == KEY and dialog.take_key() is None
    assert dialog.key_edit.text() == ""


@pytest.mark.asyncio
async def test_no_keyring_says_memory_only(qtbot, sandbox):
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    store = KeyStore()
    dialog = WelcomeDialog(store, sandbox.base_url, status=store.status())
    qtbot.addWidget(dialog)
    assert "kept in memory for this session only" in dialog.keyring_label.text()
    dialog.key_edit.setText(KEY)
    assert await dialog.submit() is True
    assert dialog.stored_in is Backend.MEMORY and store.get() == KEY


# -- both first-run paths through the app's session ---------------------------------------------------


@pytest.mark.asyncio
async def test_first_run_paste_a_key_stores_it_and_syncs(app, tmp_path, sandbox, mem_keyring, monkeypatch):
    from latecal.ui.widgets.message_bar import MessageBar

    monkeypatch.setattr(MessageBar, "info_timeout_ms", 120_000)  # a slow machine must not see the note fade first
    remote = create_remote_post(sandbox, KEY, "Hello from Late")
    task, store = start_sessions(app, Options(data_dir=tmp_path / "data", base_url=sandbox.base_url))
    try:
        dialog = await until(lambda: visible_dialog(WelcomeDialog), what="the welcome dialog")
        assert dialog.mode is Mode.WELCOME and dialog.demo_button.isVisible()
        assert dialog.windowModality() == Qt.WindowModality.WindowModal  # open(), not a nested exec()
        window = visible(MainWindow)[0]
        dialog.key_edit.setText(KEY)
        dialog.connect_button.click()
        pending = dialog.pending
        assert await pending is True  # the check completed (closing the dialog did not cancel it)
        await until(lambda: connection_of(window).services is not None, what="services to start")
        assert mem_keyring.store[(SERVICE, USERNAME)] == KEY
        engine = connection_of(window).services.engine
        await until(lambda: engine.last_report is not None and engine.last_report.ok, what="the first sync")
        assert store.get_by_late_id(remote["_id"]) is not None
        assert "Connected to Late" in window.message_bar.text
        assert window.message_bar.kind == "info"  # good news: it goes by itself
        assert await _finish_closing(task, window) == 0
    finally:
        store.close()


async def _finish_closing(task, window) -> int:
    window.close()
    return await _finish(task)


@pytest.mark.asyncio
async def test_first_run_try_the_demo_restarts_in_demo_mode(app, tmp_path, mem_keyring):
    data = tmp_path / "data"
    task, store = start_sessions(app, Options(data_dir=data))
    try:
        dialog = await until(lambda: visible_dialog(WelcomeDialog), what="the welcome dialog")
        first = visible(MainWindow)[0]
        assert not first.demo
        dialog.demo_button.click()
        window = await until(lambda: [w for w in visible(MainWindow) if w.demo], what="the demo window")
        window = window[0]
        assert window.store.path == data / "demo" / "posts.sqlite3"  # never mixed with real data
        engine = await until(lambda: connection_of(window).services and connection_of(window).services.engine,
                             what="demo services")
        await until(lambda: engine.last_report is not None and engine.last_report.ok, timeout=30,
                    what="the first demo sync")
        assert window.store.count() > 0 and store.count() == 0
        assert mem_keyring.store == {}  # the demo key is never stored
        assert await _finish_closing(task, window) == 0
    finally:
        store.close()


@pytest.mark.asyncio
async def test_not_now_leaves_a_hint_and_keeps_working_offline(app, tmp_path, mem_keyring):
    task, store = start_sessions(app, Options(data_dir=tmp_path / "data"))
    try:
        dialog = await until(lambda: visible_dialog(WelcomeDialog), what="the welcome dialog")
        dialog.later_button.click()
        window = visible(MainWindow)[0]
        await until(lambda: "No Late API key is set" in window.message_bar.text, what="the hint")
        assert connection_of(window).services is None
        assert await _finish_closing(task, window) == 0
    finally:
        store.close()


# -- 401 in the middle of a session -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_401_during_sync_pauses_asks_for_a_key_and_resumes(app, tmp_path, sandbox, mem_keyring):
    KeyStore().set(KEY)
    task, store = start_sessions(app, Options(data_dir=tmp_path / "data", base_url=sandbox.base_url))
    try:
        window = await until(lambda: visible(MainWindow), what="the window")
        window = window[0]
        connection = await until(lambda: connection_of(window) if connection_of(window).services else None,
                                 what="services")
        engine = connection.services.engine
        await until(lambda: engine.last_report is not None and engine.last_report.ok, what="the first sync")

        # Late revokes the key; meanwhile the user keeps editing
        sandbox.sandbox.api_keys.clear()
        sandbox.sandbox.api_keys.add(NEW_KEY)
        when = sandbox.sandbox.state.now()
        from datetime import timedelta

        local = store.save_post(Post(content="Written while the key was revoked", status="scheduled",
                                     scheduled_for=when + timedelta(hours=5),
                                     targets=[Target("twitter", "65f1c0a9e2b5af0012ac0101")]))
        engine.sync_now()
        dialog = await until(lambda: visible_dialog(WelcomeDialog), what="the new-key dialog")
        assert dialog.mode is Mode.REJECTED and not dialog.demo_button.isVisible()
        assert engine.paused_for_auth
        assert store.get_post(local.local_id).content == "Written while the key was revoked"
        assert store.get_post(local.local_id).late_id is None

        old_client = connection.services.client
        dialog.key_edit.setText(NEW_KEY)
        dialog.connect_button.click()
        await until(lambda: not engine.paused_for_auth, what="the engine to resume")
        assert engine.client is not old_client and old_client.closed
        assert mem_keyring.store[(SERVICE, USERNAME)] == NEW_KEY
        pushed = await until(lambda: store.get_post(local.local_id).late_id, what="the local edit to be pushed")
        assert any(p["_id"] == pushed and p["content"] == "Written while the key was revoked"
                   for p in remote_posts(sandbox, NEW_KEY))
        assert await _finish_closing(task, window) == 0
    finally:
        store.close()


def welcome_for_screenshot() -> WelcomeDialog:
    """The README's welcome.png, as a GNOME user sees it (the keyring name keyring reports there); also used by
    tests/readme_screenshots.py."""
    status = KeyringStatus(Backend.SYSTEM, "SecretService Keyring", has_key=False)
    return WelcomeDialog(KeyStore(), None, status=status, icon=app_icon())


WELCOME_TEXTS = ["API key:", "Connect", "Try the demo", "Not now"]


def test_welcome_screenshot(qtbot, tmp_path):
    dialog = welcome_for_screenshot()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.adjustSize()
    flush_events()
    image = grab(dialog)
    assert_picture(dialog, image, texts=[dialog.title_label.text(), *WELCOME_TEXTS])
    assert dialog.width() >= dialog.minimumSizeHint().width() and dialog.height() >= dialog.minimumSizeHint().height()
    assert dialog.demo_button.isVisible() and dialog.connect_button.isVisible()
    assert image.save(str(tmp_path / "welcome.png"))  # never into docs/ during a test run
