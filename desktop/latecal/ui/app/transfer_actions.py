"""File ▸ Import CSV… and File ▸ Export…: open their dialogs on the window's store, zone and view. The import
itself is one ``CreateCommand`` in the undo history: Ctrl+Z removes the whole import while nothing changed it.
The dialogs load on first use, not with the window."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

SWITCH_INTERVAL_S = 0.0005


class ImportJob(QObject):
    """The import's one transaction, written on a worker thread so thousands of posts never freeze the window
    (the store is made for writers on other threads: its listeners hear the change set there, and the relay's
    signal crosses to the GUI thread). ``finished`` carries the ``OpResult`` once it has committed."""

    finished = Signal(object)

    def __init__(self, store, rows, initiator) -> None:
        super().__init__()
        self.result = None
        self._thread = threading.Thread(target=self._run, args=(store, rows, initiator), name="latecal-import",
                                        daemon=True)

    def start(self) -> ImportJob:
        self._thread.start()
        return self

    def _run(self, store, rows, initiator) -> None:
        from latecal.operations import importing

        # The GUI thread needs the GIL every few milliseconds; Python's default 5 ms turns, on a busy machine,
        # let this thread keep it for longer stretches. Shorter turns while the import runs (restored after).
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, SWITCH_INTERVAL_S))
        try:
            self.result = importing.import_rows(store, rows, initiator=initiator)
        finally:
            sys.setswitchinterval(interval)
        self.finished.emit(self.result)  # queued to the GUI thread, where the job lives


def _late_client(window):
    engine = getattr(getattr(window, "sync", None), "engine", None)
    return getattr(engine, "client", None)


def import_file(window, path: str):
    """The preview of ``path`` (shown, not modal: the calendar stays usable while 5,000 rows are checked)."""
    from latecal.presentation import import_texts
    from latecal.ui.app.commands import CreateCommand
    from latecal.ui.dialogs.import_dialog import ImportDialog

    runner = window.runner

    def record(result, title: str) -> None:
        """The committed import becomes one step of the history: its undo deletes what it made, unchanged."""
        runner.push(CreateCommand(runner, title, lambda: runner.run(lambda _initiator: result)))

    def confirm(rows, name: str) -> ImportJob:
        count = sum(1 for r in rows if r.importable)
        job = ImportJob(window.store, rows, runner)
        job.finished.connect(lambda result: record(result, import_texts.UNDO_TEXT.format(count=count, name=name)))
        return job  # the dialog starts it once it listens too

    dialog = ImportDialog(window.store, path, zone=window.zone.key, on_confirm=confirm,
                          late_client=lambda: _late_client(window), clock=window.clock, parent=window)
    window._import_dialog = dialog
    dialog.show()
    return dialog


def open_import(window) -> None:
    from latecal.presentation import import_texts

    path, _ = QFileDialog.getOpenFileName(window, import_texts.CHOOSE_FILE, "", import_texts.FILE_FILTER)
    if path:
        import_file(window, path)


def open_export(window):
    from datetime import timedelta

    from latecal.core.calendar_geometry import local_date
    from latecal.ui.dialogs.export_dialog import ExportDialog

    start_utc, end_utc = window.views.range_utc()
    mirror = window.mirror

    def shown():
        return [p for p in mirror.posts.values() if mirror.filter.matches(p)]

    dialog = ExportDialog(window.store, zone=window.zone.key, shown=shown, start=local_date(start_utc, window.zone),
                          end=local_date(end_utc - timedelta(microseconds=1), window.zone), parent=window)
    window._export_dialog = dialog
    dialog.show()
    return dialog
