"""The Problems panel's dock: on the right, tabbed with the drafts, hidden until asked for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from latecal.presentation.problems_texts import PANEL_TITLE
from latecal.ui.problems.problems_panel import ProblemsPanel


def problems_dock(window: QMainWindow, store, *, zone: ZoneInfo, clock: Callable[[], datetime],
                  load: bool = True) -> QDockWidget:
    dock = QDockWidget(PANEL_TITLE, window)
    dock.setObjectName("problemsDock")  # the window's saved layout knows it by this name
    dock.setWidget(ProblemsPanel(store, zone=zone, clock=clock, parent=dock, load=load))
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.hide()
    return dock
