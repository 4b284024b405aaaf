"""Write the README's screenshots into docs/screenshots: run on purpose (scripts/screenshots.sh), never by a test.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/readme_screenshots.py [OUT_DIR]

The editor, welcome, settings and Problems panel pictures are built by the same scenes their tests render
(tests/ui/test_editor_screenshots.py, test_welcome.py, test_settings.py, test_problems_panel.py,
test_recurrence_screenshot.py, test_planning_screenshot.py) and must pass
the same picture checks (picture_checks.py) before they are written; the calendar views come from the app's own
``latecal --demo --screenshot``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Nothing of the developer's: no keyring, no settings (the dialogs read both).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
TESTS = Path(__file__).resolve().parent
DOCS = TESTS.parent / "docs" / "screenshots"
VIEWS = ("month", "week", "day", "list")
sys.path[:0] = [str(TESTS), str(TESTS / "ui")]

from PySide6.QtCore import QSettings  # noqa: E402 - after the environment above
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from latecal.store import Store  # noqa: E402
from picture_checks import assert_picture, distinct_colours, grab  # noqa: E402
from ui_support import FakeSync, flush_events  # noqa: E402


def _write(widget: QWidget, out: Path, name: str, texts: list[str] = ()) -> None:
    widget.show()
    flush_events()
    image = grab(widget)
    assert_picture(widget, image, texts=texts)
    assert image.save(str(out / name)), name
    print(out / name)


def _views(out: Path, tmp: Path) -> None:
    """Each view as a user gets it from ``latecal --demo --screenshot`` (the four run at once)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    procs = {view: subprocess.Popen([sys.executable, "-m", "latecal", "--demo", "--data-dir", str(tmp / view),
                                     "--screenshot", str(out / f"{view}.png"), "--view", view], env=env)
             for view in VIEWS}
    for view, proc in procs.items():
        assert proc.wait(120) == 0, f"{view}: exit {proc.returncode}"
        image = QImage(str(out / f"{view}.png"))
        assert (image.width(), image.height()) == (1280, 800) and distinct_colours(image, 16) > 20, view
        print(out / f"{view}.png")


def _planning(app: QApplication, out: Path, tmp: Path) -> None:
    """Issue 17's week (light and dark, two sizes; the large one with the account menu open) and issue 18's
    import preview, from the scenes test_planning_screenshot.py renders and checks."""
    import planning_scene as scene
    from render_views import dark_palette

    light = app.palette()
    for dark in (False, True):
        app.setPalette(dark_palette() if dark else light)
        for size in scene.PLANNING_SIZES:
            folder = tmp / f"planning-{size}-{dark}"
            folder.mkdir()
            store = Store.open(folder / "planning.sqlite3")
            window = scene.planning_window(store, size)
            window.show()
            flush_events()
            scene.hover_split_post(window)
            image = grab(window)
            assert_picture(window, image, texts=scene.PLANNING_TEXTS)
            if size == "1600":
                menu = scene.open_account_menu(window)
                image = scene.with_menu(window, image, menu)
                menu.close()
            name = f"planning-{size}{'-dark' if dark else ''}.png"
            assert image.save(str(out / name)), name
            print(out / name)
            window.close()
            store.close()
    app.setPalette(light)
    store = Store.open(tmp / "import.sqlite3")
    dialog = scene.import_preview(store, tmp)
    dialog.show()
    for _ in range(200):  # the preview checks its rows on the event loop
        if scene.import_checked(dialog):
            break
        flush_events()
    _write(dialog, out, "import-preview.png", scene.IMPORT_TEXTS)
    dialog.close()
    store.close()


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DOCS
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="latecal-shots-") as tmp_dir:
        tmp = Path(tmp_dir)
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp / "settings"))
        import test_editor_screenshots as editor_shots
        import test_settings
        import test_welcome

        for name, scene in editor_shots.SCENES.items():
            store = editor_shots.seed_accounts(Store.open(tmp / f"{name}.sqlite3"))
            editor = scene(store, tmp)
            editor.ask_unsaved = lambda _e: "discard"
            editor.resize(*editor_shots.SIZE)
            editor.show()
            editor.revalidate()
            _write(editor, out, name)
            editor.close()
            store.close()
        welcome = test_welcome.welcome_for_screenshot()
        welcome.show()
        welcome.adjustSize()
        _write(welcome, out, "welcome.png", test_welcome.WELCOME_TEXTS)
        welcome.close()
        settings = test_settings.settings_for_screenshot()
        settings.show()
        settings.adjustSize()
        _write(settings, out, "settings.png", ["Set, stored in your system keyring"])
        settings.close()
        import test_problems_panel

        problems_store = Store.open(tmp / "problems.sqlite3")
        problems = test_problems_panel.problems_window_for_screenshot(problems_store)
        _write(problems, out, "problems.png", ["⚠ 4", "Problems (4)", "Notices this session"])
        problems.close()
        problems_store.close()
        import test_missed_posts

        missed_store = Store.open(tmp / "missed.sqlite3")
        missed = test_missed_posts.missed_window_for_screenshot(missed_store, sync=FakeSync())
        _write(missed, out, "missed.png", test_missed_posts.MISSED_SHOT_TEXTS)
        missed.close()
        missed_store.close()
        import test_recurrence_screenshot as repeat_shots

        for name, scene in (("editor-repeat.png", repeat_shots.repeat_editor_for_screenshot),
                            ("month-repeat.png", repeat_shots.repeat_month_for_screenshot)):
            repeat_store = Store.open(tmp / f"{name}.sqlite3")
            widget = scene(repeat_store)
            widget.show()
            repeat_shots.scroll_to_repeat(widget)
            _write(widget, out, name, repeat_shots.REPEAT_TEXTS if name.startswith("editor") else [])
            widget.close()
            repeat_store.close()
        _planning(app, out, tmp)
        _views(out, tmp)
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
