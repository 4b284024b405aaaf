"""A full session with a real key, then a search of every directory the app writes for that key: zero hits.

The key is set through `latecal auth set` (stdin), the app's sessions run against a sandbox that accepts
it: a sync, a move, an edit and a 400 (an Instagram post without media), with logging at DEBUG. The data,
config, cache, state and log directories all point into one temporary tree (XDG_* and QSettings), which is
then searched byte by byte.
"""

from __future__ import annotations

import base64
import io
import logging
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from keyflow_helpers import ACCOUNTS, create_remote_post, remote_posts, seed, start_sessions, until, visible
from latecal import auth_cli, logs
from latecal.cli import Options
from latecal.core.models import Post, Target
from latecal.paths import resolve
from latecal.sandbox.runner import SandboxServer
from latecal.ui.app.connection import Connection
from latecal.ui.app.main_window import MainWindow
from latecal.ui.widgets import settings as S

KEY = "sk_hygiene_" + "c0ffee" * 10


def needles(key: str) -> list[bytes]:
    raw = key.encode()
    return [raw, key.encode("utf-16-le"), base64.b64encode(raw), base64.b64encode(f"Bearer {key}".encode())]


def files_containing(root: Path, key: str) -> list[Path]:
    hits = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles(key)):
                hits.append(path)
    return hits


def test_the_search_finds_a_planted_key(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.log").write_text(f"oops {KEY}\n")
    (tmp_path / "y.db").write_bytes(b"\0\1" + KEY.encode("utf-16-le"))
    assert files_containing(tmp_path, KEY) == [tmp_path / "a" / "b" / "x.log", tmp_path / "y.db"]


@pytest.fixture
def homes(tmp_path, monkeypatch):
    root = tmp_path / "home"
    dirs = {name: root / name for name in ("data", "config", "cache", "state")}
    for name, path in dirs.items():
        path.mkdir(parents=True)
        monkeypatch.setenv(f"XDG_{name.upper()}_HOME", str(path))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(dirs["config"]))
    loggers = [logging.getLogger(n) for n in ("", "httpx", "httpcore")]
    levels = [lg.level for lg in loggers]
    yield root, dirs
    logs.close_log_file()
    for lg, level in zip(loggers, levels, strict=True):  # later tests expect the default levels
        lg.setLevel(level)


@pytest.mark.asyncio
async def test_a_full_session_leaves_the_key_nowhere(app, homes, monkeypatch, mem_keyring):
    root, dirs = homes
    monkeypatch.setattr(sys, "stdin", io.StringIO(KEY + "\n"))
    assert auth_cli.main(["set"]) == 0

    with SandboxServer(api_keys=(KEY,), seed=5) as sandbox:  # the one test here on a sandbox
        seed(sandbox)
        remote = create_remote_post(sandbox, KEY, "Launch teaser", hours=6)
        create_remote_post(sandbox, KEY, "Second post", hours=8)
        S.Settings().set(S.BASE_URL, sandbox.base_url)

        options = Options()  # no --data-dir: the platform directories, i.e. the XDG_* ones above
        paths = resolve(None, demo=False)
        assert paths.data_dir.is_relative_to(root) and paths.log_dir.is_relative_to(root)
        logs.configure_logging(paths.log_file, level=logging.DEBUG)  # as app.run does, but everything
        logging.getLogger("httpx").setLevel(logging.DEBUG)
        logging.getLogger("httpcore").setLevel(logging.DEBUG)
        task, store = start_sessions(app, options)
        try:
            window = (await until(lambda: visible(MainWindow), what="the window"))[0]
            connection = window.findChild(Connection)
            await until(lambda: connection.services is not None, what="services")
            engine = connection.services.engine
            await until(lambda: engine.last_report is not None and engine.last_report.ok, what="the first sync")
            pulled = store.get_by_late_id(remote["_id"])
            assert pulled is not None

            # a move (what a drag does: save the rescheduled post), pushed
            moved = store.save_post(replace(pulled, scheduled_for=pulled.scheduled_for + timedelta(days=1)))
            engine.sync_now()
            await until(lambda: not store.outbox_entries(moved.local_id), what="the move to be pushed")
            # an edit, pushed
            edited = store.save_post(replace(store.get_post(moved.local_id), content="Launch teaser, edited"))
            engine.sync_now()
            await until(lambda: not store.outbox_entries(edited.local_id), what="the edit to be pushed")
            on_late = {p["_id"]: p for p in remote_posts(sandbox, KEY)}[remote["_id"]]
            assert on_late["content"] == "Launch teaser, edited"
            # an error: Instagram needs media, Late answers 400 and the edit is kept with its message
            bad = store.save_post(Post(content="A photo post without a photo", status="scheduled",
                                       scheduled_for=pulled.scheduled_for + timedelta(days=2),
                                       targets=[Target("instagram", ACCOUNTS["instagram"])]))
            engine.sync_now()
            rejected = await until(lambda: store.get_post(bad.local_id).sync_error, what="the 400")
            assert "media" in rejected.lower()
            assert store.get_post(bad.local_id).sync_state == "rejected"
        finally:
            for w in visible(MainWindow):
                w.close()
            await until(task.done, timeout=20, what="a clean shutdown")
            store.close()
        assert task.result() == 0

    logs.close_log_file()
    written = [p for p in root.rglob("*") if p.is_file()]
    assert paths.store_file in written and paths.log_file in written
    assert any(p.is_relative_to(dirs["config"]) and p.suffix == ".ini" for p in written)
    log_text = paths.log_file.read_text(encoding="utf-8")
    assert "HTTP Request" in log_text  # the requests were logged, at DEBUG, and still no key
    assert files_containing(root, KEY) == []
