"""The start-up path (issue 5): in normal mode the main window paints the calendar from the local store before the
asyncio stack, the network code, the keyring, the sandbox and the post editor are imported.

No timing here (ui_bench measures it): a subprocess runs ``latecal`` unchanged, an event filter on the MainWindow
(the benchmark's hook) looks at ``sys.modules`` and at the month scene at the window's first paint, then ends it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from latecal.core.models import Post, Target
from latecal.store import Store

#: modules that must not be loaded when the first frame is painted
LATER = (
    "asyncio",
    "qasync",
    "ssl",
    "httpx",
    "keyring",
    "platformdirs",
    "latecal.secrets",
    "latecal.late.client",
    "latecal.sandbox",
    "latecal.services",
    "latecal.sync",
    "latecal.ui.app.connection",
    "latecal.ui.editor",  # the whole room: the post editor and its media, accounts and conflict parts
    "latecal.ui.dialogs",
    "latecal.ui.app.tray",
    "latecal.core.validation",
    "qtawesome",  # the brand icon font: chips show letters until just after the first paint
    # the operations load with the first user action (the undo history only holds their arguments until then)
    "latecal.operations.placing",
    "latecal.operations.removal",
    "latecal.operations.edits",
    # stdlib modules only some later action needs (new ids, tooltips, rotating logs, zipped resources)
    "uuid",
    "html",
    "logging.handlers",
    "importlib.resources",
)

CHILD = r"""
import json, os, sys
from PySide6.QtCore import QEvent, QObject

import latecal.ui.app.main_window as mw

LATER = json.loads(sys.argv.pop(1))


class FirstPaint(QObject):
    def eventFilter(self, window, event):
        if event.type() == QEvent.Type.Paint:
            scene = window.views.month.scene
            report = {
                "loaded": [m for m in LATER if m in sys.modules],
                "view": window.mode,
                "posts": len(scene.posts),
                "chips": sorted(i for i, item in scene.items_by_id.items() if item.isVisible()),
            }
            print("FIRST_PAINT " + json.dumps(report), flush=True)
            os._exit(0)
        return False


_init = mw.MainWindow.__init__
_hook = FirstPaint()


def _hooked(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.installEventFilter(_hook)


mw.MainWindow.__init__ = _hooked
from latecal.__main__ import main

sys.exit(main(sys.argv[1:]))
"""


def test_the_first_paint_shows_the_store_before_network_code_is_imported(tmp_path):
    data = tmp_path / "data"
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with Store.open(data / "posts.sqlite3") as store:
        ids = [
            store.save_post(Post(content=f"Post {n}", scheduled_for=now + timedelta(minutes=n),
                                 targets=[Target("twitter", "acc1")])).local_id
            for n in (-2, -1, 1)  # today in every time zone, so in the month on screen
        ]
    (tmp_path / "child.py").write_text(CHILD)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "share"), XDG_STATE_HOME=str(tmp_path / "state"))
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "child.py"), json.dumps(LATER),
         "--data-dir", str(data), "--base-url", "http://127.0.0.1:9/api"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("FIRST_PAINT ")]
    assert lines, f"no first paint: rc={proc.returncode}\n{proc.stderr[-3000:]}"
    report = json.loads(lines[0].split(" ", 1)[1])
    assert report["loaded"] == [], f"imported before the first paint: {report['loaded']}"
    # a real frame of the calendar, not an empty shell filled in later
    assert report["view"] == "month"
    assert report["posts"] == 3
    assert report["chips"] == sorted(ids)
