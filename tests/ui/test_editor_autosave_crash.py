"""Never lose text: a process with open editors is SIGKILLed after typing; the next start reopens the text."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from latecal.core.models import Target
from latecal.store import Store
from latecal.ui.app.main_window import MainWindow
from latecal.ui.editor.manager import restore_autosaves
from ui_support import BERLIN, NOW, at, make_post

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

CHILD = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    from PySide6.QtTest import QTest
    app = QApplication([])
    from latecal.store import Store
    from latecal.ui.app.main_window import MainWindow
    store = Store.open(sys.argv[1])
    window = MainWindow(store, zone="Europe/Berlin")
    window.show()
    fresh = window.editors.new_post(None)
    QTest.keyClicks(fresh.content_edit, "Brand new idea, typed just before the crash")
    existing = window.editors.open_post(sys.argv[2])
    existing.content_edit.moveCursor(existing.content_edit.textCursor().MoveOperation.End)
    QTest.keyClicks(existing.content_edit, " plus an unsaved ending")
    deadline = time.monotonic() + 10
    while len(store.load_autosaves()) < 2 and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    print("AUTOSAVED" if len(store.load_autosaves()) == 2 else "TIMEOUT", flush=True)
    while True:  # an app still running, until SIGKILL
        app.processEvents()
        time.sleep(0.02)
    """
)


def test_autosave_survives_a_killed_process_and_restore_reopens_the_text(qtbot, tmp_path):
    path = tmp_path / "crash.sqlite3"
    with Store.open(path) as store:
        post = store.save_post(make_post("Saved text", at(NOW.date(), 20), status="draft",
                                         targets=[Target("twitter", "acc-twitter")]))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), post.local_id], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        line = child.stdout.readline().strip()
        assert line == "AUTOSAVED", child.stderr.read() if line == "" else line
        os.kill(child.pid, signal.SIGKILL)  # no closeEvent, no clean shutdown
        assert child.wait(10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        child.stdout.close()
        child.stderr.close()

    store = Store.open(path)
    try:
        window = MainWindow(store, zone=BERLIN, clock=lambda: NOW)
        qtbot.addWidget(window)
        window.show()
        editors = restore_autosaves(window)
        texts = {e.content_edit.toPlainText(): e for e in editors}
        assert set(texts) == {"Brand new idea, typed just before the crash", "Saved text plus an unsaved ending"}
        new, old = texts["Brand new idea, typed just before the crash"], texts["Saved text plus an unsaved ending"]
        assert new.is_new and new.is_dirty() and "Restored text you had not saved" in new.banner.text()
        assert old.local_id == post.local_id and old.is_dirty() and "Restored changes" in old.banner.text()
        assert store.get_post(post.local_id).content == "Saved text"  # nothing was saved behind the user's back
        old.ask_unsaved = lambda _e: "save"
        old.close()
        assert store.get_post(post.local_id).content == "Saved text plus an unsaved ending"
        new.ask_unsaved = lambda _e: "discard"
        new.close()
        assert store.load_autosaves() == {}
        window.close()
    finally:
        store.close()
