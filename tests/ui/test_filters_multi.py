"""Filters with several values each, what is filtered in words, one Clear, the profile (brand/client) filter with
the profiles' colours on the chips, and the "Needs attention" filter built on the core rules; driven with the
real mouse in the filters' menus."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor

from latecal.core.models import Account, Post, Profile
from latecal.core.post_flags import Attention, attention_of
from latecal.core.status import SyncState
from ui_support import NOW, at, flush_events, make_post, render_item

WED = NOW.date()
#: the filters' menus are popups: the offscreen platform cannot raise them or grab the keyboard for them
popups = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _tick(qtbot, box, *values: str) -> None:
    """Open the filter's menu with the mouse, click each value in it (it stays open), close it with Escape."""
    done = []

    def in_menu() -> None:
        menu = box.menu_
        if not menu.isVisible():
            QTimer.singleShot(20, in_menu)
            return
        for value in values:
            action = box.actions_by_value[value]
            qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
            assert menu.isVisible()  # ticking leaves the menu open for the next value
        qtbot.keyClick(menu, Qt.Key.Key_Escape)
        done.append(True)

    QTimer.singleShot(0, in_menu)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(box.width() // 2, box.height() // 2))
    qtbot.waitUntil(lambda: bool(done))
    flush_events()


def _shown(window) -> set[str]:
    return set(window.views.month.scene.posts)


@popups
def test_several_platforms_and_statuses_say_what_is_filtered_and_clear_at_once(qtbot, open_window, store):
    x = store.save_post(make_post("On X", at(WED, 9), platforms=("twitter",)))
    li = store.save_post(make_post("On LinkedIn", at(WED, 10), platforms=("linkedin",)))
    ig = store.save_post(make_post("On Instagram", at(WED, 11), platforms=("instagram",)))
    li_draft = store.save_post(make_post("LinkedIn draft", at(WED, 12), status="draft", platforms=("linkedin",)))
    window = open_window(view="month", anchor=WED)
    toolbar = window.toolbar
    assert not toolbar.clear_button.isVisible() and toolbar.filtered_label.text() == ""

    _tick(qtbot, toolbar.platform_filter, "twitter", "linkedin")
    assert _shown(window) == {x.local_id, li.local_id, li_draft.local_id}
    assert toolbar.platform_filter.text() == "Platforms: 2"
    assert toolbar.filtered_label.text() == "Showing only Platforms: LinkedIn, X"
    assert toolbar.clear_button.isVisible()

    _tick(qtbot, toolbar.status_filter, "draft")  # filters combine: all must match
    assert _shown(window) == {li_draft.local_id}
    assert toolbar.filtered_label.text() == "Showing only Platforms: LinkedIn, X · Statuses: Draft"

    qtbot.mouseClick(toolbar.clear_button, Qt.MouseButton.LeftButton)
    assert _shown(window) == {x.local_id, li.local_id, ig.local_id, li_draft.local_id}
    assert toolbar.platform_filter.text() == "Platforms" and toolbar.status_filter.text() == "Statuses"
    assert not toolbar.clear_button.isVisible() and toolbar.filtered_label.text() == ""


@popups
def test_the_profile_filter_shows_one_client_and_chips_carry_the_profile_colour(qtbot, open_window, store):
    store.replace_profiles([Profile("p-acme", "Acme", color="#d81b60", is_default=True),
                            Profile("p-north", "Northwind", color="#1e88e5")])
    store.replace_accounts([Account("acc-twitter", "twitter", "p-acme", display_name="Acme X"),
                            Account("acc-linkedin", "linkedin", "p-north", display_name="Northwind LI")])
    acme = store.save_post(make_post("For Acme", at(WED, 9), platforms=("twitter",)))
    north = store.save_post(make_post("For Northwind", at(WED, 10), platforms=("linkedin",)))
    window = open_window(view="week", anchor=WED)
    toolbar = window.toolbar
    assert [a.text() for a in toolbar.profile_filter.menu_.actions()] == ["Acme", "Northwind"]

    item = window.views.week.scene.items_by_id[north.local_id]
    image = render_item(item)
    foot = image.pixelColor(image.width() // 2, image.height() - 2)
    assert foot == QColor("#1e88e5")  # the brand's line along the chip's foot

    assert toolbar.profile_filter.actions_by_value["p-north"].icon().isNull()  # drawn when the menu opens
    _tick(qtbot, toolbar.profile_filter, "p-north")
    assert not toolbar.profile_filter.actions_by_value["p-north"].icon().isNull()  # its colour swatch
    assert set(window.views.week.scene.posts) == {north.local_id}
    _tick(qtbot, toolbar.profile_filter, "p-acme")  # a second value: both clients
    assert set(window.views.week.scene.posts) == {acme.local_id, north.local_id}
    assert toolbar.profile_filter.text() == "Profiles: 2"


@popups
def test_needs_attention_finds_missed_and_conflicts(qtbot, open_window, store):
    missed = store.save_post(make_post("Missed it", NOW - timedelta(hours=2)))  # never reached Late
    store.save_post(make_post("All fine", at(WED + timedelta(days=1), 9)))
    torn = store.save_post(make_post("Torn", at(WED + timedelta(days=1), 11)))
    store.mark_conflict(torn.local_id, make_post("Torn on Late", torn.scheduled_for), "both changed")
    window = open_window(view="month", anchor=WED)
    toolbar = window.toolbar
    _tick(qtbot, toolbar.attention_filter, "missed")
    assert _shown(window) == {missed.local_id}
    _tick(qtbot, toolbar.attention_filter, "conflict")
    assert _shown(window) == {missed.local_id, torn.local_id}
    assert toolbar.filtered_label.text() == "Showing only Needs attention: In conflict, Missed"


def test_the_attention_flags_follow_the_core_rules():
    accounts = {"a": Account("a", "twitter", "p", needs_reconnection=True), "b": Account("b", "linkedin", "p")}
    later = NOW + timedelta(hours=3)

    def flags(**kw) -> set[Attention]:
        kw.setdefault("targets", [make_post("x", later, platforms=("linkedin",)).targets[0]])
        kw["targets"] = [t if t.account_id != "acc-linkedin" else type(t)("linkedin", "b") for t in kw["targets"]]
        return attention_of(Post(content="x", **kw), NOW, accounts)

    assert flags(scheduled_for=later, status="scheduled", sync_state=SyncState.SYNCED) == set()
    assert flags(scheduled_for=later, status="scheduled", sync_state=SyncState.PENDING) == {Attention.NOT_SENT}
    assert flags(scheduled_for=later, status="scheduled", sync_state=SyncState.REJECTED) == {Attention.REJECTED}
    assert flags(scheduled_for=later, status="scheduled", sync_state=SyncState.CONFLICT) == {Attention.CONFLICT}
    assert Attention.MISSED in flags(scheduled_for=NOW - timedelta(hours=1), status="scheduled",
                                     sync_state=SyncState.PENDING)
    assert flags(scheduled_for=NOW - timedelta(hours=3), status="publishing",
                 sync_state=SyncState.SYNCED) == {Attention.STUCK}
    from latecal.core.models import Target

    assert flags(scheduled_for=later, status="scheduled", sync_state=SyncState.SYNCED,
                 targets=[Target("twitter", "a")]) == {Attention.CANNOT_POST}
