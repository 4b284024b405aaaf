"""A duplicate on Late: the same text for the same account within 24 hours of the original is refused (late-api.md
§2.7 rule 3). The copy's editor says so up front, and Late's refusal names the original."""

from __future__ import annotations

from datetime import timedelta

import pytest

from editor_support import standalone_editor
from latecal.core.lifecycle import duplicate_of
from latecal.core.models import Post, Target
from latecal.presentation.editor_texts import COPY_NOTE
from sandbox_support import ACCOUNTS
from ui_support import BERLIN

pytestmark = pytest.mark.asyncio


async def test_a_copy_scheduled_unchanged_is_explained_before_and_after_late_refuses_it(qtbot, store, server, engine):
    now = server.sandbox.state.now()
    when = (now + timedelta(hours=3)).replace(second=0, microsecond=0)
    original = store.save_post(Post(content="Tip of the week: batch your posts on Mondays.", status="scheduled",
                                    title="Weekly tip", scheduled_for=when,
                                    targets=[Target("twitter", ACCOUNTS["twitter"])]))
    assert (await engine.run_once()).pushed == 1

    copy = store.save_post(duplicate_of(store.get_post(original.local_id), now))
    editor = standalone_editor(store, copy, is_new=False, is_copy=True, zone=BERLIN, clock=lambda: now)
    editor.ask_unsaved = lambda _e: "discard"
    qtbot.addWidget(editor)
    editor.show()
    assert editor.banner.text() == COPY_NOTE and editor.banner.isVisible()  # said before scheduling
    tomorrow = (when + timedelta(days=1)).astimezone(BERLIN)
    editor.when.set_wall_time(tomorrow.date(), tomorrow.time())
    assert editor.schedule() is not None
    report = await engine.run_once()
    assert report.rejected[copy.local_id] == ("Late already has the same text for this account from the last 24 "
                                              "hours (“Weekly tip”). Change the text a little to post it again.")
    editor.content_edit.setPlainText("Tip of the week: batch your posts on Mondays, and rest on Fridays.")
    assert editor.schedule() is not None
    await engine.run_once()
    assert store.get_post(copy.local_id).late_id and store.get_post(copy.local_id).sync_state == "synced"
    editor.close()
