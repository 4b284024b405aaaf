"""The List flags a post to an account that cannot post as the calendar's chips do (issue 19, item 4)."""

from __future__ import annotations

from datetime import timedelta

from latecal.core.models import Account, Profile, Target
from ui_support import NOW, make_post


def test_a_row_to_an_account_that_cannot_post_is_flagged_and_says_why(open_window, store):
    store.replace_profiles([Profile("p-acme", "Acme", timezone="Europe/Berlin")])
    store.replace_accounts([Account("acc-bluesky", "bluesky", "p-acme", username="acme.bsky", can_post=False,
                                    needs_reconnection=True),
                            Account("acc-twitter", "twitter", "p-acme", username="acme")])
    blocked = store.save_post(make_post("To Bluesky", NOW + timedelta(hours=3), platforms=("bluesky",)))
    fine = store.save_post(make_post("To X", NOW + timedelta(hours=3), targets=[Target("twitter", "acc-twitter")]))
    window = open_window(view="list")
    rows = window.views.page("list")
    flagged = rows.row_of(blocked.local_id)
    assert flagged.text(2).startswith("⚠ ") and "reconnect it in Late before" in flagged.toolTip(0)
    assert not rows.row_of(fine.local_id).text(2).startswith("⚠")
    store.replace_accounts([Account("acc-bluesky", "bluesky", "p-acme", username="acme.bsky"),
                            Account("acc-twitter", "twitter", "p-acme", username="acme")])
    window.mirror.accounts_may_have_changed()  # (what a sync's end does)
    assert not rows.row_of(blocked.local_id).text(2).startswith("⚠")  # reconnected: the flag goes
