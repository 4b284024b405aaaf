"""The keyboard goes where the user put it: a focused filter box keeps its arrows, clicks on the toolbar leave
the keyboard in the calendar, and the window stays usable when it is narrow."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from latecal.core.models import Account
from ui_support import at, flush_events, make_post

WED = date(2027, 3, 10)


def _in_calendar(window) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and window.views.isAncestorOf(focus)


def test_a_focused_filter_box_keeps_its_arrow_keys(qtbot, open_window, store):
    store.replace_accounts([Account("acc1", "twitter", "p1", display_name="Brand X"),
                            Account("acc2", "instagram", "p1", display_name="Brand IG")])
    post = store.save_post(make_post("Only post", at(WED, 9)))
    window = open_window(view="month", anchor=WED)
    window.focus_calendar()
    qtbot.keyClick(window.views.currentWidget(), Qt.Key.Key_Down)
    assert window.mirror.selected_id == post.local_id
    box = window.toolbar.account_filter
    box.setFocus(Qt.FocusReason.TabFocusReason)
    assert box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_Right)
    qtbot.keyClick(box, Qt.Key.Key_Left)
    assert (window.mode, window.anchor) == ("month", WED)  # no paging while the box has the keyboard
    with qtbot.assertNotEmitted(window.commands.open_post_requested):
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter in the box is not "open the selected post"


def test_clicking_the_toolbar_leaves_the_keyboard_in_the_calendar(qtbot, open_window):
    window = open_window(view="month", anchor=WED)
    window.focus_calendar()
    qtbot.mouseClick(window.toolbar.view_buttons["week"], Qt.MouseButton.LeftButton)
    assert window.mode == "week"
    assert _in_calendar(window)  # the month page that had it is hidden now: the week page took over
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert window.views.week.scene.days[0] == date(2027, 3, 15)
    qtbot.mouseClick(window.toolbar.today_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.toolbar.sync_button, Qt.MouseButton.LeftButton)
    assert _in_calendar(window)
    assert window.toolbar.status_filter.focusPolicy() == Qt.FocusPolicy.TabFocus  # Tab still reaches the filters


def test_the_window_fits_a_half_screen_and_the_title_gives_way(qtbot, open_window):
    window = open_window(view="week", anchor=WED)
    assert window.drafts_dock.isVisible()
    window.drafts_dock.unfold()  # the open panel, as with drafts in it: the narrowest the calendar gets
    assert window.minimumSizeHint().width() <= 900
    window.resize(900, 620)
    flush_events()
    assert window.width() == 900
    title = window.toolbar.title
    assert title.text() == "8 – 14 Mar 2027"  # what screen readers and tests read stays the whole title
    assert title.short_text == "8 – 14 Mar"
    legend = window.legend
    legend.repaint()
    # the marks give up their words first, then the swatches theirs (the tooltip names them): never a clipped word
    assert not (legend.status_words and legend.mark_words)
    assert legend._width(legend.status_words, legend.mark_words) <= legend.width()
    assert legend.mark_words or "Marks: " in legend.toolTip()
    assert legend.status_words or "Colours, left to right: Draft, Awaiting approval" in legend.toolTip()
    window.resize(window.minimumSizeHint().width(), 620)  # as narrow as it goes: the filters are compact
    flush_events()  # buttons, so the title keeps its room (it would give way to the short form otherwise)
    assert title.width() >= title.fontMetrics().horizontalAdvance(title.short_text)
    window.resize(1280, 800)
    flush_events()
    legend.repaint()
    assert legend.status_words and legend.mark_words


def test_filters_keep_their_width_when_the_accounts_arrive(qtbot, open_window):
    window = open_window(view="month", anchor=WED)
    box = window.toolbar.account_filter
    before = box.width()
    window.toolbar.set_accounts([Account(f"a{i}", "linkedin", "p1", display_name=f"A rather long company page {i}")
                                 for i in range(3)])
    flush_events()
    assert box.width() == before
    assert box.menu_.actions()[0].text() == "A rather long company page 0 (LinkedIn)"  # the menu shows them whole


def test_offline_badge_takes_the_place_of_the_last_synced_time(open_window):
    window = open_window(view="month", anchor=WED)
    toolbar = window.toolbar
    toolbar.set_last_synced(at(WED, 8))
    toolbar.set_online(False)
    assert toolbar.offline_label.isVisible() and not toolbar.last_synced_label.isVisible()
    assert "Last synced" in toolbar.offline_label.toolTip()
    toolbar.set_online(True)
    assert toolbar.last_synced_label.isVisible() and not toolbar.offline_label.isVisible()


def test_tab_from_search_goes_into_the_calendar_for_every_view(qtbot, open_window):
    window = open_window(view="month", anchor=WED)
    for mode in ("list", "week", "month"):
        window.set_view(mode)  # the list and week pages are built now, after the drafts dock
        page = window.views.page(mode)
        window.toolbar.search.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClick(window.toolbar.search, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is getattr(page, "view", page), mode


def test_a_sync_never_widens_a_narrow_window(qtbot, open_window):
    window = open_window(view="month", anchor=WED)
    window.resize(window.minimumSizeHint().width(), 620)
    flush_events()
    width, minimum = window.width(), window.minimumSizeHint().width()
    toolbar = window.toolbar
    toolbar.set_syncing(True)
    toolbar.set_progress(3, 10)
    flush_events()
    assert toolbar.progress.isVisible() and not toolbar.last_synced_label.isVisible()
    assert window.minimumSizeHint().width() <= minimum
    assert window.width() == width
    toolbar.set_online(False)  # offline while a sync still tries: its progress, still no wider
    flush_events()
    assert window.minimumSizeHint().width() <= minimum and window.width() == width
    toolbar.set_syncing(False)
    assert toolbar.offline_label.isVisible() and not toolbar.progress.isVisible()
    toolbar.set_online(True)
    assert toolbar.last_synced_label.isVisible() and not toolbar.progress.isVisible()
    assert not toolbar.offline_label.isVisible()
