"""An empty list says why and offers the way out, instead of a blank white page."""

from __future__ import annotations

from datetime import date

from ui_support import at, make_post

WED = date(2027, 3, 10)


def test_a_search_with_no_results_explains_and_clears(qtbot, open_window, store):
    store.save_post(make_post("Spring launch thread", at(WED, 9)))
    window = open_window(view="list", anchor=WED)
    agenda = window.views.list
    assert agenda.row_count() == 1 and not agenda.empty_label.isVisible()
    window.toolbar.search.setText("zzzqqq")
    window.toolbar.flush_search()
    assert agenda.row_count() == 0
    assert agenda.empty_label.isVisible()
    text = agenda.empty_label.text()
    assert "No post matches the search" in text  # the search covered the whole store, not only these weeks
    agenda.empty_label.linkActivated.emit("clear")
    assert window.toolbar.search.text() == ""
    assert agenda.row_count() == 1 and not agenda.empty_label.isVisible()


def test_filters_without_a_search_name_the_lists_window(qtbot, open_window, store):
    store.save_post(make_post("Spring launch thread", at(WED, 9)))
    window = open_window(view="list", anchor=WED)
    window.toolbar.status_filter.actions_by_value["failed"].trigger()
    agenda = window.views.list
    assert agenda.row_count() == 0 and agenda.empty_label.isVisible()
    text = agenda.empty_label.text()
    assert "match the filters" in text and "8 Feb and 18 Apr 2027" in text  # the list's whole window


def test_an_empty_range_invites_a_new_post(open_window):
    window = open_window(view="list", anchor=WED)
    assert window.views.list.empty_label.isVisible()
    assert "Press N to write one" in window.views.list.empty_label.text()
    assert window.views.list.empty_label.geometry().intersects(window.views.list.viewport().rect())


def test_the_empty_message_names_both_years_across_new_year(open_window):
    window = open_window(view="list", anchor=date(2027, 1, 6))
    text = window.views.list.empty_label.text()
    assert "7 Dec 2026 and 14 Feb 2027" in text
