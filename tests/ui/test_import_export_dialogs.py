"""File ▸ Import CSV… and File ▸ Export… in a real window: the preview shows each row as it will be with its
problems, a fix or a skip changes what is imported, nothing is written before Import, the import is one undo
step, the mapping of another tool's columns is remembered, and the export writes what the window shows."""

from __future__ import annotations

from datetime import date

import icalendar
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from editor_support import IG, X
from latecal.ui.app import transfer_actions
from latecal.ui.dialogs import import_dialog as D
from ui_support import at, make_post

CTRL = Qt.KeyboardModifier.ControlModifier
WED = date(2027, 3, 10)

LATE_CSV = (
    "post_content,platforms,profiles,schedule_time,tz,media_urls\n"
    "Spring menu is here,twitter,Acme,2027-03-12 10:00,Europe/Berlin,\n"
    "Too late for this,twitter,Acme,2027-03-01 10:00,Europe/Berlin,\n"
    "Nobody's account,twitter,Umbrella,2027-03-12 11:00,Europe/Berlin,\n"
    "Photo day,instagram,Acme,2027-03-13 09:30,Europe/Berlin,https://cdn.example.com/a.jpg\n"
)


def _open(qtbot, window, path):
    dialog = transfer_actions.import_file(window, str(path))
    qtbot.waitUntil(lambda: not dialog.checking and dialog.preview.rowCount() > 0, timeout=10000)
    return dialog


def _problems(dialog, row: int) -> str:
    return dialog.preview.item(row - 1, D.COL_PROBLEMS).text()


def test_the_preview_shows_rows_with_their_problems_and_a_fix_or_skip_changes_what_is_imported(
        qtbot, open_window, accounts, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(LATE_CSV, encoding="utf-8")
    window = open_window(view="week", anchor=WED)
    assert "import" in window.actions_by_name and "export" in window.actions_by_name
    dialog = _open(qtbot, window, path)

    assert dialog.preview.rowCount() == 4
    assert _problems(dialog, 1) == "ready"
    assert dialog.preview.item(0, D.COL_ACCOUNTS).text() == "X acme"  # resolved by profile + platform
    assert dialog.preview.item(3, D.COL_ZONE).text() == "Europe/Berlin"
    assert dialog.preview.item(0, D.COL_TIME).text() == "2027-03-12 10:00"
    assert "schedule_time: The scheduled time 2027-03-01 10:00 (Europe/Berlin) is in the past" in _problems(dialog, 2)
    assert "profiles: There is no profile 'Umbrella'" in _problems(dialog, 3)
    assert dialog.preview.item(3, D.COL_MEDIA).text() == "a.jpg"
    assert store_count(window) == 0  # nothing is written before Import
    assert dialog.import_button.text() == "Import 2 posts"

    # fix row 2's time by typing into its cell, as a user does
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    item = dialog.preview.item(1, D.COL_TIME)
    dialog.preview.setCurrentItem(item)
    dialog.preview.editItem(item)
    editor = dialog.preview.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "2027-03-14 10:00")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _problems(dialog, 2) == "ready")  # Qt commits an edit on the next turn of the loop
    assert _problems(dialog, 2) == "ready"
    # skip row 3 by unticking it
    dialog.preview.item(2, D.COL_IMPORT).setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: _problems(dialog, 3) == "skipped")
    assert dialog.import_button.text() == "Import 3 posts"

    with qtbot.waitSignal(dialog.imported, timeout=10000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    posts = sorted(window.store.all_posts(), key=lambda p: p.scheduled_for)
    assert [p.content for p in posts] == ["Spring menu is here", "Photo day", "Too late for this"]
    assert posts[2].scheduled_for == at(date(2027, 3, 14), 10)
    assert all(p.idempotency_key.startswith("latecal-import-") for p in posts)
    assert [e.op for e in window.store.outbox_entries()] == ["create"] * 3  # the editor's create path
    assert posts[0].local_id in window.views.week.scene.items_by_id
    assert window.message_bar.text == "Imported: 3 new, 0 already imported."
    assert window.runner.undo_stack.count() == 1
    assert window.actions_by_name["undo"].text().startswith("&Undo Import of 3 posts from plan.csv")

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)  # one undo removes the whole import
    assert window.store.all_posts() == []
    assert window.store.outbox_entries() == []
    assert posts[0].local_id not in window.views.week.scene.items_by_id


def test_a_fix_in_one_row_updates_the_rows_it_affects(qtbot, open_window, accounts, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("post_content,platforms,schedule_time\n"
                    "Same words,twitter,2027-03-12 10:00\nSame words,twitter,2027-03-12 10:00\n", encoding="utf-8")
    window = open_window(view="week", anchor=WED)
    dialog = _open(qtbot, window, path)
    assert _problems(dialog, 2) == "Row 2 repeats row 1; skip one of them."
    dialog.preview.item(0, D.COL_TEXT).setText("Other words")  # as a committed cell edit sets it
    qtbot.waitUntil(lambda: _problems(dialog, 2) == "ready")
    assert _problems(dialog, 1) == "ready" and dialog.import_button.text() == "Import 2 posts"


def store_count(window) -> int:
    return window.store.count(include_deleted=True)


def test_importing_the_same_file_again_creates_nothing_twice(qtbot, open_window, accounts, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(LATE_CSV, encoding="utf-8")
    window = open_window(view="week", anchor=WED)
    first = _open(qtbot, window, path)
    with qtbot.waitSignal(first.imported, timeout=10000):
        first.confirm()
    assert window.store.count() == 2
    again = _open(qtbot, window, path)
    assert _problems(again, 1) == "already imported"
    assert again.preview.item(0, D.COL_IMPORT).checkState() == Qt.CheckState.Unchecked
    assert not again.import_button.isEnabled()
    assert "0 ready to import, 2 already imported" in again.status.text()


def test_another_tools_columns_are_mapped_once_and_remembered(qtbot, open_window, accounts, tmp_path):
    path = tmp_path / "buffer.csv"
    path.write_text("Text,Posting Time,Service,Channel,Image URL\n"
                    "From Buffer,2027-03-12 08:00,Twitter,@acme,\n", encoding="utf-8")
    window = open_window(view="week", anchor=WED)
    dialog = transfer_actions.import_file(window, str(path))
    qtbot.waitUntil(dialog.mapping_box.isVisible)  # the file is read on the dialog's first turn
    assert dialog.preview.rowCount() == 0
    suggested = dialog.chosen_mapping()
    assert suggested == {"Text": "post_content", "Posting Time": "schedule_time", "Service": "platforms",
                         "Channel": "accounts", "Image URL": "media_urls"}
    combo = dialog.mapping_combos["Image URL"]
    combo.setCurrentIndex(combo.findData(""))  # the user leaves a column out
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.checking and dialog.preview.rowCount() == 1, timeout=10000)
    assert _problems(dialog, 1) == "ready"
    assert X in {t.account_id for t in dialog.checker.rows[0].post.targets}
    dialog.reject()

    again = transfer_actions.import_file(window, str(path))
    qtbot.waitUntil(again.mapping_box.isVisible)
    assert again.chosen_mapping()["Image URL"] == ""  # remembered for this header set
    assert window.store.count() == 0


def test_checking_many_rows_can_be_stopped_and_writes_nothing(qtbot, open_window, accounts, tmp_path):
    rows = "".join(f"Post number {i},twitter,Acme,2027-04-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d},\n"
                   for i in range(3000))
    path = tmp_path / "many.csv"
    path.write_text("post_content,platforms,profiles,schedule_time,tz\n" + rows, encoding="utf-8")
    window = open_window(view="week", anchor=WED)
    dialog = transfer_actions.import_file(window, str(path))
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=10000)
    assert dialog.checking and dialog.progress.isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.checking and not dialog.import_button.isEnabled()
    assert "stopped" in dialog.status.text()
    assert window.store.count(include_deleted=True) == 0


def test_an_unreadable_file_is_named_with_its_reason(qtbot, open_window, accounts, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    window = open_window(view="week", anchor=WED)
    dialog = transfer_actions.import_file(window, str(path))
    qtbot.waitUntil(lambda: dialog.status.text() != "")
    assert dialog.status.text().startswith("Cannot import photo.csv. File: This is not a CSV text file")
    assert not dialog.import_button.isEnabled()


def test_export_writes_what_the_window_shows(qtbot, open_window, accounts, tmp_path):
    shown = make_post("In this week", at(WED, 15), targets=[_t("twitter", X)])
    later = make_post("Next month", at(date(2027, 4, 20), 9), targets=[_t("instagram", IG)])
    for p in (shown, later):
        p.timezone = "Europe/Berlin"
    window = open_window(view="week", anchor=WED)
    window.runner.store.save_post(shown)
    window.runner.store.save_post(later)
    dialog = transfer_actions.open_export(window)
    assert dialog.only_shown.isChecked()
    out = tmp_path / "week.ics"
    dialog.format.setCurrentIndex(dialog.format.findData("ics"))
    assert dialog.export_to(out)
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["In this week"]
    assert events[0].decoded("dtstart").tzinfo.key == "Europe/Berlin"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]

    dialog.only_shown.setChecked(False)  # a chosen range instead: the next month too
    dialog.end.setDate(dialog.end.date().addDays(60))
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert dialog.export_to(tmp_path / "all.csv")
    assert "Exported 2 posts" in dialog.status.text()
    assert "Next month" in (tmp_path / "all.csv").read_text(encoding="utf-8")


def _t(platform, account_id):
    from latecal.core.models import Target

    return Target(platform, account_id)
