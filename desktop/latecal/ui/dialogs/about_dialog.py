"""Help ▸ About: the app version and the versions and paths a bug report needs.

Plain QDialog: show it with `open()` (never `exec()` on the qasync loop, toolchain.md P2). The text is
selectable so users can paste it into a bug report.
"""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from latecal import __version__
from latecal.ui.widgets.plain_text import escaped

APP_NAME = "Late Calendar"


def version_lines() -> list[tuple[str, str]]:
    return [
        ("Version", __version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
    ]


class AboutDialog(QDialog):
    def __init__(self, *, data_dir: Path, log_dir: Path, icon: QIcon | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self._rows = [*version_lines(), ("Data", str(data_dir)), ("Logs", str(log_dir))]
        table = "".join(
            f"<tr><td><b>{escaped(k)}</b>&nbsp;&nbsp;</td><td>{escaped(v)}</td></tr>" for k, v in self._rows
        )

        title = QLabel(f"<h2>{APP_NAME}</h2>", self)
        title.setObjectName("aboutTitle")
        self.details = QLabel(f"<table>{table}</table>", self)
        self.details.setObjectName("aboutDetails")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        header = QHBoxLayout()
        if icon is not None and not icon.isNull():
            logo = QLabel(self)
            logo.setPixmap(icon.pixmap(64, 64))
            header.addWidget(logo)
        header.addWidget(title, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.buttons = buttons

    def plain_text(self) -> str:
        """The details as plain text ("Key: value" lines), e.g. for a "copy" action or a test."""
        return "\n".join(f"{k}: {v}" for k, v in self._rows)
