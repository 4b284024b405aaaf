"""Menus and keyboard shortcuts of the calendar window, as QActions so menu and key share one entry.

The keys that act on the calendar's selection or dates (arrows, Enter, Delete) work only while the keyboard is
in the calendar: a focused filter box, button or the drafts list keeps its own arrows and Enter.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenuBar, QWidget

from latecal.presentation.messages import NOT_UNDOABLE_RETRY, NOT_UNDOABLE_SETTLE
from latecal.presentation.queue_texts import EDIT_QUEUES, SAVE_CANNOT_UNDO
from latecal.ui.app.bulk_commands import BulkCommands
from latecal.ui.app.operation_runner import OperationRunner
from latecal.ui.app.post_commands import PostCommands


class Window(Protocol):
    """What the menus need of the window (a QMainWindow with these parts)."""

    views: QWidget
    drafts_dock: QDockWidget
    problems_dock: QDockWidget
    runner: OperationRunner
    commands: PostCommands
    bulk: BulkCommands
    about_requested: SignalInstance

    def close(self) -> bool: ...
    def menuBar(self) -> QMenuBar: ...
    def addAction(self, action: QAction) -> None: ...
    def open_settings(self) -> None: ...
    def open_queues(self) -> None: ...
    def focus_search(self) -> None: ...
    def go_today(self) -> None: ...
    def step(self, direction: int) -> None: ...
    def go_to_date(self) -> None: ...
    def set_view(self, mode: str) -> None: ...
    def request_sync(self) -> None: ...
    def show_problems(self) -> None: ...


def _action(window: Window, text: str, slot, *keys: QKeySequence | str, calendar_only: bool = False) -> QAction:
    action = QAction(text, window)  # type: ignore[call-overload]
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(lambda _checked=False: slot())
    if calendar_only:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        window.views.addAction(action)
    else:
        window.addAction(action)  # the shortcut works even when the menu bar is hidden
    return action


def install_menus_and_shortcuts(window: Window) -> dict[str, QAction]:
    """Create the window's actions (returned by name for tests) and its File/Edit/View/Post menus."""
    a: dict[str, QAction] = {}
    bar = window.menuBar()
    posts = window.commands

    file_menu = bar.addMenu("&File")
    a["new"] = _action(window, "&New post", posts.new_post, "N")
    a["close"] = _action(window, "&Close window", window.close, QKeySequence.StandardKey.Close)
    a["quit"] = _action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit)  # one window: the same
    a["settings"] = _action(window, "&Settings…", window.open_settings, "Ctrl+,")
    a["settings"].setMenuRole(QAction.MenuRole.PreferencesRole)
    file_menu.addAction(a["new"])
    file_menu.addSeparator()
    from latecal.ui.app import transfer_actions  # light: its dialogs load on first use

    a["import"] = _action(window, "&Import CSV…", lambda: transfer_actions.open_import(window))
    a["export"] = _action(window, "&Export…", lambda: transfer_actions.open_export(window))
    file_menu.addAction(a["import"])
    file_menu.addAction(a["export"])
    file_menu.addSeparator()
    file_menu.addAction(a["settings"])
    file_menu.addSeparator()
    file_menu.addAction(a["close"])
    file_menu.addAction(a["quit"])

    edit_menu = bar.addMenu("&Edit")
    undo = window.runner.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    redo = window.runner.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    window.addAction(undo)
    window.addAction(redo)
    a["undo"], a["redo"] = undo, redo
    a["duplicate"] = _action(window, "D&uplicate as draft", window.bulk.duplicate_selection, "Ctrl+D")
    a["delete"] = _action(window, "&Delete…", window.bulk.delete_selection, QKeySequence.StandardKey.Delete,
                          calendar_only=True)
    a["search"] = _action(window, "&Find…", window.focus_search, "Ctrl+F")
    for name in ("undo", "redo"):
        edit_menu.addAction(a[name])
    edit_menu.addSeparator()
    for name in ("duplicate", "delete"):
        edit_menu.addAction(a[name])
    edit_menu.addSeparator()
    edit_menu.addAction(a["search"])

    view_menu = bar.addMenu("&View")
    a["today"] = _action(window, "&Today", window.go_today, "T")
    a["previous"] = _action(window, "&Previous", lambda: window.step(-1), "Left", calendar_only=True)
    a["next"] = _action(window, "&Next", lambda: window.step(1), "Right", calendar_only=True)
    a["go_to_date"] = _action(window, "&Go to Date…", window.go_to_date, "Ctrl+G")
    for name in ("today", "previous", "next", "go_to_date"):
        view_menu.addAction(a[name])
    view_menu.addSeparator()
    for n, mode in enumerate(("month", "week", "day", "list"), start=1):
        a[mode] = _action(window, mode.capitalize(), lambda m=mode: window.set_view(m), str(n))
        view_menu.addAction(a[mode])
    a["select_previous"] = _action(window, "Select previous post", lambda: posts.move_selection(-1), "Up",
                                   calendar_only=True)
    a["select_next"] = _action(window, "Select next post", lambda: posts.move_selection(1), "Down",
                               calendar_only=True)
    view_menu.addSeparator()
    view_menu.addAction(a["select_previous"])
    view_menu.addAction(a["select_next"])
    # the drafts panel comes back from here once its × closed it
    a["drafts"] = window.drafts_dock.toggleViewAction()
    a["drafts"].setText("&Drafts panel")
    a["drafts"].setShortcut(QKeySequence("Ctrl+Shift+D"))
    window.addAction(a["drafts"])
    view_menu.addSeparator()
    view_menu.addAction(a["drafts"])
    # the Problems panel, like the drafts; shown from here, it takes the keyboard (Enter opens a row)
    a["problems"] = window.problems_dock.toggleViewAction()
    a["problems"].setText("&Problems panel")
    a["problems"].setShortcut(QKeySequence("Ctrl+Shift+P"))
    a["problems"].triggered.connect(lambda shown: window.show_problems() if shown else None)
    window.addAction(a["problems"])
    view_menu.addAction(a["problems"])

    post_menu = bar.addMenu("&Post")
    a["open"] = _action(window, "&Open", posts.open_selected, "Return", "Enter", calendar_only=True)
    a["retry"] = _action(window, "&Retry failed platforms", window.bulk.retry_selection)
    a["keep_mine"] = _action(window, "&Keep my version", lambda: posts.resolve_selected_conflict("local"))
    a["take_late"] = _action(window, "&Take Late's version", lambda: posts.resolve_selected_conflict("remote"))
    a["sync"] = _action(window, "&Sync now", window.request_sync, "F5", "Ctrl+R")
    # what Late acts on at once has no undo: the status bar says so while the entry is highlighted
    a["retry"].setStatusTip(NOT_UNDOABLE_RETRY)
    for name in ("keep_mine", "take_late"):
        a[name].setStatusTip(NOT_UNDOABLE_SETTLE)
    for name in ("open", "retry"):
        post_menu.addAction(a[name])
    conflict_menu = post_menu.addMenu("Changed on Late &too")
    conflict_menu.addAction(a["keep_mine"])
    conflict_menu.addAction(a["take_late"])
    a["keep_mine"].setEnabled(False)  # only for a selected post in conflict (MainWindow follows the selection)
    a["take_late"].setEnabled(False)
    _install_bulk_actions(window, a, edit_menu, post_menu)
    post_menu.addSeparator()
    a["queues"] = _action(window, EDIT_QUEUES, window.open_queues)
    a["queues"].setStatusTip(SAVE_CANNOT_UNDO)  # a queue's slots go to Late at once
    post_menu.addAction(a["queues"])
    post_menu.addAction(a["sync"])

    help_menu = bar.addMenu("&Help")
    a["about"] = _action(window, "&About Late Calendar", window.about_requested.emit)
    help_menu.addAction(a["about"])
    return a


def _install_bulk_actions(window: Window, a: dict[str, QAction], edit_menu, post_menu) -> None:
    """Select all / none, the Alt+arrow nudges of the selection, and back to the drafts."""
    bulk = window.bulk
    a["select_all"] = _action(window, "Select &all", bulk.select_all, QKeySequence.StandardKey.SelectAll,
                              calendar_only=True)
    a["select_none"] = _action(window, "Select &none", bulk.clear_selection, "Ctrl+Shift+A", calendar_only=True)
    edit_menu.addSeparator()
    edit_menu.addAction(a["select_all"])
    edit_menu.addAction(a["select_none"])
    nudges = (("nudge_day_earlier", "A day earlier", "Alt+Left", 1, 0, -1),
              ("nudge_day_later", "A day later", "Alt+Right", 1, 0, 1),
              ("nudge_earlier", "15 minutes earlier", "Alt+Up", 0, 15, -1),
              ("nudge_later", "15 minutes later", "Alt+Down", 0, 15, 1),
              ("nudge_week_earlier", "A week earlier", "Alt+Shift+Left", 7, 0, -1),
              ("nudge_week_later", "A week later", "Alt+Shift+Right", 7, 0, 1),
              ("nudge_week_earlier_up", "A week earlier", "Alt+Shift+Up", 7, 0, -1),
              ("nudge_week_later_down", "A week later", "Alt+Shift+Down", 7, 0, 1))
    move_menu = post_menu.addMenu("&Move selection")
    for name, text, key, days, minutes, sign in nudges:
        a[name] = _action(window, text, lambda d=days * sign, m=minutes * sign: bulk.nudge(d, m), key,
                          calendar_only=True)
        if not name.endswith(("_up", "_down")):
            move_menu.addAction(a[name])
    a["unschedule"] = _action(window, "Back to &drafts", bulk.unschedule_selection, "Ctrl+Shift+U",
                              calendar_only=True)
    post_menu.addAction(a["unschedule"])
