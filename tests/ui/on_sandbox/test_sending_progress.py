"""Many changes sent at once: the status bar counts them ("Sending 12 of 30") and a 429 from Late stops the run
where it is; the next run, once Late's wait is over, sends the rest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bulk_support import sync
from latecal.core.models import Target
from ui_support import make_post

pytestmark = pytest.mark.asyncio


async def test_sending_many_changes_shows_progress_and_honours_the_rate_limit(window, bridge, store, server):
    now = server.sandbox.state.now()
    await sync(bridge)  # accounts first: the posts name the sandbox's accounts
    account = next(a for a in store.accounts() if a.platform == "linkedin")
    for n in range(30):
        store.save_post(make_post(f"Campaign post {n}", now + timedelta(days=1, minutes=15 * n),
                                  targets=[Target(account.platform, account.id)]))
    label = window.bulk.sending_label
    seen: list[str] = []
    limit_at = [12]

    def watch(done: int, total: int) -> None:
        seen.append(label.text() if label.isVisible() else "")
        if done in limit_at:  # Late starts refusing: too many requests
            limit_at.clear()
            server.add_fault("rate_limit", route="POST /v1/posts", retryAfter=120)

    bridge.sending.connect(watch)
    report = await sync(bridge)
    assert seen[0] == "Sending 1 of 30" and seen[-1] == "Sending 12 of 30"
    assert seen == [f"Sending {n} of 30" for n in range(1, 13)]
    assert report.rate_limited_until is not None
    assert label.isHidden()  # the run is over
    assert len([p for p in store.all_posts() if p.late_id]) == 11

    server.clear_faults()
    server.advance(180)  # Late's wait is over
    seen.clear()
    await sync(bridge)
    assert seen[0] == "Sending 1 of 19" and seen[-1] == "Sending 19 of 19"
    assert len([p for p in store.all_posts() if p.late_id]) == 30
