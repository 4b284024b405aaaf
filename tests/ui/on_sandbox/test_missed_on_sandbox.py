"""A post Missed while the sandbox was down, in the real window on a real sync (issue 19): nothing reaches the
sandbox with its past time, the message bar says so, and Reschedule offers Late's next free queue slot, which
"Use it" takes as an undoable move."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from latecal.core.missed import is_missed
from latecal.core.models import Post, Target
from latecal.presentation.missed_texts import MISSED, QUEUE_SLOT
from sandbox_support import ACCOUNTS, sandbox_posts
from ui_support import settle

pytestmark = pytest.mark.asyncio


async def _missed_while_down(store, bridge, server) -> Post:
    await bridge.engine.run_once()  # accounts and profiles
    now = server.sandbox.state.now()
    post = store.save_post(Post(content="Doors open in 10 minutes!", status="scheduled",
                                scheduled_for=(now + timedelta(minutes=1)).replace(microsecond=0),
                                targets=[Target("linkedin", ACCOUNTS["linkedin"])]))
    server.add_fault("drop", route="POST /v1/posts", processed=False)  # the sandbox is out of reach
    assert (await bridge.engine.run_once()).offline
    server.clear_faults()
    server.advance(3 * 60)  # back three minutes later
    server.reset_stats()
    report = await bridge.engine.run_once()
    await settle()
    assert report.missed == [post.local_id]
    assert not any(r.startswith(("POST /v1/posts", "PUT")) for r in server.stats()["requests"])
    assert sandbox_posts(server) == []
    return post


async def test_a_post_missed_while_offline_is_said_and_rescheduled_to_the_queue(window, bridge, store, server):
    post = await _missed_while_down(store, bridge, server)
    bar = window.message_bar
    assert bar.holds(MISSED) and bar.text.startswith("1 post missed its time before reaching Late")

    opened: list[str] = []
    window.commands.open_post = opened.append  # (the editor itself is the editor tests' to open)
    window.commands.reschedule_missed(post.local_id)
    assert opened == [post.local_id]
    await asyncio.wait_for(window.commands.slot_lookup, 10)
    assert bar.holds(QUEUE_SLOT) and "free slot" in bar.text
    bar.action_button.click()  # "Use it"
    moved = store.get_post(post.local_id)
    assert moved.scheduled_for > server.sandbox.state.now() and not is_missed(moved, server.sandbox.state.now())
    assert window.runner.undo_stack.canUndo()
    await bridge.engine.run_once()
    await settle()
    (late,) = sandbox_posts(server)
    assert late["status"] == "scheduled" and not bar.holds(MISSED)
