"""File ▸ Import CSV… and File ▸ Export…: open their dialogs on the window's store, zone and view. The import
itself is one ``CreateCommand`` in the undo history: Ctrl+Z removes the whole import while nothing changed it.
The dialogs load on first use, not with the window."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from latecal.presentation import import_texts


def _late_client(window):
    engine = getattr(getattr(window, "sync", None), "engine", None)
    return getattr(engine, "client", None)


def import_file(window, path: str):
    """The preview of ``path`` (shown, not modal: the calendar stays usable while 5,000 rows are checked)."""
    from latecal.operations import importing
    from latecal.ui.app.commands import CreateCommand
    from latecal.ui.dialogs.import_dialog import ImportDialog

    runner = window.runner

    def confirm(rows, name: str):
        made: list = []
        count = sum(1 for r in rows if r.importable)
        runner.push(CreateCommand(runner, import_texts.UNDO_TEXT.format(count=count, name=name), lambda: runner.run(
            lambda initiator: importing.import_rows(window.store, rows, initiator=initiator)), first=made))
        return made[0] if made else None

    dialog = ImportDialog(window.store, path, zone=window.zone.key, on_confirm=confirm,
                          late_client=lambda: _late_client(window), clock=window.clock, parent=window)
    window._import_dialog = dialog
    dialog.show()
    return dialog


def open_import(window) -> None:
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
