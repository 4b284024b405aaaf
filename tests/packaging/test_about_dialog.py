"""Help ▸ About shows the one version number plus the Qt, PySide6 and Python versions and the app's paths."""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialogButtonBox

from latecal import __version__
from latecal.ui.dialogs.about_dialog import AboutDialog
from latecal.ui.widgets.icons import app_icon


def _dialog(qtbot, tmp_path: Path) -> AboutDialog:
    dialog = AboutDialog(data_dir=tmp_path / "data", log_dir=tmp_path / "logs", icon=app_icon())
    qtbot.addWidget(dialog)
    return dialog


def test_shows_versions_and_paths(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    text = dialog.plain_text()
    assert f"Version: {__version__}" in text
    assert f"Qt: {qVersion()}" in text
    assert f"PySide6: {PySide6.__version__}" in text
    assert f"Python: {platform.python_version()}" in text
    assert f"Data: {tmp_path / 'data'}" in text and f"Logs: {tmp_path / 'logs'}" in text
    shown = dialog.details.text()  # what the label renders (HTML-escaped)
    assert __version__ in shown and qVersion() in shown and str(tmp_path / "logs") in shown
    assert dialog.windowTitle() == "About Late Calendar"


def test_paths_are_escaped(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path / "<b>&")
    assert "&lt;b&gt;&amp;" in dialog.details.text()


def test_open_is_non_blocking_and_close_dismisses(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    dialog.open()  # returns at once: no nested event loop (toolchain.md P2)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.isModal()
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
