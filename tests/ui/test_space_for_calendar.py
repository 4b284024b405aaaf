"""Space for the calendar in a small window: the drafts panel folds to a slim bar while empty (and on demand), a
month chip keeps a dozen characters of its title before its badges, the legend keeps its colours' words, and
Go to date (Ctrl+G or a click on the title) moves the calendar without stepping through pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtWidgets import QApplication, QTableView

from latecal.core.models import Account, Profile, Target
from latecal.ui.app.drafts_dock import SLIM_WIDTH
from latecal.ui.calendar.post_item import TITLE_CHARS, PostItem
from latecal.ui.widgets.post_mime import encode_post_ids
from ui_support import at, flush_events, make_post

WED = date(2027, 3, 10)
X = "acc-twitter"
TITLES = ("Weekend sale starts Friday at noon", "Behind the scenes with our roasters",
          "Customer story: how Mia plans her week", "Webinar reminder: register by Thursday")


@pytest.fixture
def accounts(store):
    store.replace_profiles([Profile("p-acme", "Acme", "#d62828", "Europe/Berlin", is_default=True)])
    store.replace_accounts([Account(X, "twitter", "p-acme", username="acme")])
    return store


def _small_window(open_window, **kw):
    window = open_window(anchor=WED, **kw)
    window.resize(1024, 700)
    flush_events()
    return window


def _folded(window) -> bool:
    dock = window.drafts_dock
    return dock.stack.currentWidget() is dock.slim and dock.width() <= SLIM_WIDTH + 2


def test_the_empty_drafts_panel_folds_and_opens_when_a_draft_arrives(open_window, accounts, store):
    draft = store.save_post(make_post("A draft", None, status="draft", targets=[Target("twitter", X)]))
    window = _small_window(open_window, view="month")
    dock = window.drafts_dock
    assert not _folded(window) and dock.width() > 150  # a draft waits: the panel is open

    assert window.runner.schedule_drafts([draft.local_id], WED + timedelta(days=2), None)
    flush_events()
    assert _folded(window)
    assert dock.slim.text() == "Drafts (0)" and "No drafts" in dock.slim.toolTip()
    assert not dock.title_bar.isVisible()  # folded: no title row beside the bar

    window.runner.undo_stack.undo()  # the draft is back in the tray: the panel opens for it
    flush_events()
    assert not _folded(window) and dock.width() > 150
    assert dock.title_bar.isVisible()


def test_folding_on_demand_is_kept_and_the_bar_opens_by_click_and_keyboard(qtbot, open_window, accounts, store):
    store.save_post(make_post("A draft", None, status="draft", targets=[Target("twitter", X)]))
    window = _small_window(open_window, view="month")
    dock = window.drafts_dock
    qtbot.mouseClick(dock.title_bar.fold_button, Qt.MouseButton.LeftButton)
    flush_events()
    assert _folded(window) and dock.slim.text() == "Drafts (1)"
    calendar_width = window.views.width()

    second = _small_window(open_window, view="month")  # the choice outlives the window
    assert _folded(second)
    second.close()

    qtbot.mouseClick(dock.slim, Qt.MouseButton.LeftButton)
    flush_events()
    assert not _folded(window) and window.views.width() < calendar_width - 150

    qtbot.mouseClick(dock.title_bar.fold_button, Qt.MouseButton.LeftButton)
    dock.slim.setFocus()
    qtbot.keyClick(dock.slim, Qt.Key.Key_Return)
    flush_events()
    assert not _folded(window)


def test_a_post_dragged_over_the_folded_bar_opens_the_panel(open_window, accounts, store):
    post = store.save_post(make_post("Scheduled", at(WED, 10), targets=[Target("twitter", X)]))
    window = _small_window(open_window, view="month")
    dock = window.drafts_dock
    assert _folded(window)
    mime = encode_post_ids([post.local_id])  # held here: the event keeps only a pointer to it
    enter = QDragEnterEvent(QPoint(5, 40), Qt.DropAction.MoveAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(dock.slim, enter)
    flush_events()
    assert not _folded(window)
    assert dock.choice == "auto"  # a drag opens it for the drop; the user's choice is not changed by it


def _month_chips(window) -> list[PostItem]:
    scene = window.views.scene("month")
    return [item for item in scene.items() if isinstance(item, PostItem) and item.isVisible()]


def test_a_month_chip_in_a_small_window_shows_a_dozen_characters_of_its_title(open_window, accounts, store):
    for n, title in enumerate(TITLES):  # as Late has them (no sync mark): three platforms' badges each
        store.upsert_remote(make_post(title, at(WED + timedelta(days=n + 1), 9 + n),
                                      platforms=("twitter", "instagram", "linkedin"), late_id=f"late-{n}"))
    window = _small_window(open_window, view="month")
    window.grab()  # paint every chip once
    chips = [chip for chip in _month_chips(window) if chip.post.content in TITLES]
    assert len(chips) == len(TITLES)
    for chip in chips:
        shown = chip.shown_words.removesuffix("…")
        assert len(shown) >= TITLE_CHARS, (chip.post.content, chip.shown_words, chip.boundingRect().width())
        assert chip.post.content.startswith(shown)


def test_the_legend_keeps_its_colours_words_before_the_marks_words(open_window):
    window = _small_window(open_window, view="month")
    legend = window.legend
    legend.repaint()
    assert legend.status_words  # at 1024 the colours are named beside their swatches
    assert legend._width(legend.status_words, legend.mark_words) <= legend.width()  # never a clipped word
    if not legend.mark_words:
        assert "Marks:" in legend.toolTip()


def test_ctrl_g_goes_to_a_typed_date(qtbot, open_window):
    window = _small_window(open_window, view="week")
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    flush_events()
    mini = window._mini_month
    assert mini.isVisible() and QApplication.focusWidget() is mini.date_box
    mini.date_box.setDate(mini.date_box.date().addDays(60))  # as typed: the box holds a date of its own
    qtbot.keyClick(mini.date_box, Qt.Key.Key_Return)
    flush_events()
    assert not mini.isVisible()
    assert window.mode == "week" and window.anchor == date(2027, 5, 9)
    assert "May 2027" in window.toolbar.title.text()


def _cell_of_day(calendar, day: int):
    """Where the small month's inner table draws ``day`` of the month shown (rows 0-1 hold the header and,
    for days above 20, the previous month's tail)."""
    cells = calendar.findChild(QTableView)
    model = cells.model()
    for row in range(1, model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if index.data() == day and not (day < 15 and row > 4) and not (day > 20 and row < 3):
                return cells, cells.visualRect(index).center()
    raise AssertionError(f"day {day} not drawn")


def test_a_click_on_the_title_opens_the_small_month_and_a_day_click_goes_there(qtbot, open_window):
    window = _small_window(open_window, view="month")
    qtbot.mouseClick(window.toolbar.title, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    flush_events()
    mini = window._mini_month
    assert mini.isVisible() and QApplication.focusWidget() is not mini.date_box
    assert mini.calendar.selectedDate().toPython() == WED
    mini.calendar.showNextMonth()
    flush_events()
    cells, centre = _cell_of_day(mini.calendar, 15)
    qtbot.mouseClick(cells.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    flush_events()
    assert not mini.isVisible()
    assert window.anchor == date(2027, 4, 15) and window.mode == "month"
    assert "April 2027" in window.toolbar.title.text()


def test_escape_closes_the_small_month_and_the_calendar_stays(qtbot, open_window):
    window = _small_window(open_window, view="week")
    before = window.toolbar.title.text()
    window.go_to_date()
    flush_events()
    qtbot.keyClick(window._mini_month.date_box, Qt.Key.Key_Escape)
    flush_events()
    assert not window._mini_month.isVisible() and window.toolbar.title.text() == before


def test_a_post_dragged_off_the_calendar_opens_the_folded_panel_which_folds_again_when_it_leaves(open_window):
    window = _small_window(open_window, view="month")
    dock = window.drafts_dock
    assert _folded(window)
    dock.set_drop_highlight(True)  # what the calendar says while a dragged post is over the panel
    flush_events()
    assert not _folded(window) and dock.drop_highlight
    dock.set_drop_highlight(False)  # it left without a drop: nothing arrived, the panel folds again
    flush_events()
    assert _folded(window) and not dock.drop_highlight
