"""The List searches the whole store: a post months away from the List's weeks is found by typing in the search
box, the results follow edits while the search stays, and clearing it brings the weeks back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt

from latecal.core.models import Account, Target
from ui_support import at, flush_events, make_post

WED = date(2027, 3, 10)


def _search(qtbot, window, text: str) -> None:
    window.actions_by_name["search"].trigger()  # Ctrl+F
    window.toolbar.search.selectAll()
    qtbot.keyClicks(window.toolbar.search, text)
    qtbot.keyClick(window.toolbar.search, Qt.Key.Key_Return)  # Enter applies it at once
    flush_events()


def test_month_to_list_with_the_keyboard_then_a_search_finds_a_post_far_outside_its_weeks(qtbot, open_window, store):
    near = store.save_post(make_post("Spring giveaway announcement", at(WED, 9)))
    other = store.save_post(make_post("Team lunch", at(WED, 12)))
    far = store.save_post(make_post("Winter giveaway winners", at(WED + timedelta(days=300), 10)))
    idea = store.save_post(make_post("Giveaway idea", None, status="draft"))
    window = open_window(view="month", anchor=WED)
    window.views.month.view.setFocus()
    qtbot.keyClick(window.views.month.view, Qt.Key.Key_4)  # the List
    agenda = window.views.list
    assert window.views.currentWidget() is agenda
    assert agenda.post_ids() == [near.local_id, other.local_id, idea.local_id]  # its weeks, and the undated
    assert far.local_id not in agenda.post_ids()
    _search(qtbot, window, "giveaway")
    assert agenda.post_ids() == [near.local_id, far.local_id, idea.local_id]
    assert agenda.row_of(far.local_id).text(3) == "Winter giveaway winners"
    qtbot.keyClick(window.toolbar.search, Qt.Key.Key_Escape)  # clears the search: the List's weeks again
    flush_events()
    assert agenda.post_ids() == [near.local_id, other.local_id, idea.local_id]


def test_the_results_follow_edits_deletes_and_syncs_while_the_search_stays(qtbot, open_window, store):
    far = store.save_post(make_post("Giveaway in the autumn", at(WED + timedelta(days=200), 10)))
    window = open_window(view="list", anchor=WED)
    agenda = window.views.list
    _search(qtbot, window, "giveaway")
    assert agenda.post_ids() == [far.local_id]
    # a teammate's post arrives with a sync, a year back: it matches, so it is listed
    store.upsert_remote(make_post("Last year's giveaway", at(WED - timedelta(days=365), 8), late_id="late-1",
                                  remote_updated_at=at(WED, 8)))
    pulled_id = store.get_by_late_id("late-1").local_id
    flush_events()
    assert agenda.post_ids() == [pulled_id, far.local_id]
    # an edit that removes the word takes the row away; one that adds it brings a row
    store.save_post(replace(store.get_post(far.local_id), content="Autumn raffle"))
    flush_events()
    assert agenda.post_ids() == [pulled_id]
    other = store.save_post(make_post("Plain post", at(WED, 9)))
    store.save_post(replace(store.get_post(other.local_id), content="Plain giveaway post"))
    flush_events()
    assert agenda.post_ids() == [pulled_id, other.local_id]
    store.delete_post(pulled_id)
    flush_events()
    assert agenda.post_ids() == [other.local_id]


def test_a_search_finds_posts_by_account_name_and_keeps_the_other_filters(qtbot, open_window, store):
    store.replace_accounts([Account("acc-jobs", "linkedin", "p", username="acme_jobs", display_name="Acme Careers"),
                            Account("acc-x", "twitter", "p", username="acme")])
    jobs = store.save_post(make_post("We are hiring", at(WED + timedelta(days=120), 9),
                                     targets=[Target("linkedin", "acc-jobs")]))
    draft = store.save_post(make_post("Hiring draft", at(WED + timedelta(days=121), 9), status="draft",
                                      targets=[Target("linkedin", "acc-jobs")]))
    store.save_post(make_post("We are hiring too", at(WED, 9), targets=[Target("twitter", "acc-x")]))
    window = open_window(view="list", anchor=WED)
    agenda = window.views.list
    _search(qtbot, window, "careers")
    assert agenda.post_ids() == [jobs.local_id, draft.local_id]
    window.toolbar.status_filter.actions_by_value["draft"].trigger()
    assert agenda.post_ids() == [draft.local_id]


def test_odd_search_text_never_breaks_the_list(qtbot, open_window, store):
    post = store.save_post(make_post('He said "NEAR" the (launch) *today*', at(WED, 9)))
    window = open_window(view="list", anchor=WED)
    agenda = window.views.list
    for text in ('"', '"near"', "NEAR(", "*", "launch) AND (", "today*"):
        _search(qtbot, window, text)
        assert agenda.post_ids() in ([], [post.local_id]), text
    _search(qtbot, window, '"near" (launch')
    assert agenda.post_ids() == [post.local_id]


def test_the_lists_tag_filter_offers_the_tags_of_its_weeks(qtbot, open_window, store):
    store.save_post(make_post("Tagged", at(WED, 9), tags=["Spring campaign"]))
    store.save_post(make_post("Idea", None, status="draft", tags=["Someday"]))
    store.save_post(make_post("Far away", at(WED + timedelta(days=200), 9), tags=["Autumn"]))
    window = open_window(view="list", anchor=WED)
    tags = [action.text() for action in window.toolbar.tag_filter.actions_by_value.values()]
    assert "Spring campaign" in tags and "Someday" in tags and "Autumn" not in tags
    window.toolbar.tag_filter.actions_by_value["spring campaign"].trigger()
    assert [window.views.list.row_at(i).text(3) for i in range(window.views.list.row_count())] == ["Tagged"]


def test_the_list_takes_the_profile_and_needs_attention_filters(qtbot, open_window, store):
    from latecal.core.models import Account, Profile
    from latecal.core.post_flags import Attention

    store.replace_profiles([Profile("p-acme", "Acme", color="#d81b60", is_default=True),
                            Profile("p-north", "Northwind", color="#1e88e5")])
    store.replace_accounts([Account("acc-twitter", "twitter", "p-acme"),
                            Account("acc-linkedin", "linkedin", "p-north")])
    sent = make_post("Acme, on Late", at(WED + timedelta(days=1), 9), platforms=("twitter",), late_id="late-a")
    store.upsert_remote(sent)
    unsent = store.save_post(make_post("Acme, not sent yet", at(WED + timedelta(days=1), 10), platforms=("twitter",)))
    north = store.save_post(make_post("Northwind", at(WED + timedelta(days=1), 11), platforms=("linkedin",)))
    window = open_window(view="list", anchor=WED)
    agenda, toolbar = window.views.list, window.toolbar
    toolbar.profile_filter.actions_by_value["p-north"].trigger()
    assert agenda.post_ids() == [north.local_id]
    toolbar.clear_filters()
    toolbar.profile_filter.actions_by_value["p-acme"].trigger()
    assert len(agenda.post_ids()) == 2
    toolbar.attention_filter.actions_by_value[Attention.NOT_SENT.value].trigger()
    assert agenda.post_ids() == [unsent.local_id]
