"""A different time per platform in one post (Late's ``platforms[].scheduledFor``), end to end on the sandbox:
set in the editor with the mouse and keys, sent to Late, pulled back as two linked chips; one chip dragged moves
only its platform, Shift+drag moves the whole post; and the sandbox publishes each platform at its own time."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QDateTimeEdit

from latecal.core.target_times import owner_id
from latecal.ui.calendar.time_grid_scene import PX_PER_HOUR
from sandbox_support import ACCOUNTS, KEY, sandbox_posts
from ui_support import settle

pytestmark = pytest.mark.asyncio

SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def _at(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None


def _soon(server, minutes: int):
    """A quarter hour ``minutes`` or a little more ahead (a drag snaps to quarters)."""
    t = (server.sandbox.state.now() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    return t + timedelta(minutes=-t.minute % 15)


def _remote_times(server) -> tuple[datetime, dict[str, datetime | None]]:
    (post,) = sandbox_posts(server)
    own = {}
    for t in post["platforms"]:
        acc = t["accountId"]["_id"] if isinstance(t["accountId"], dict) else t["accountId"]
        own[acc] = _at(t.get("scheduledFor"))
    return _at(post["scheduledFor"]), own


def _create_split_post(server, when: datetime, later: datetime) -> str:
    body = {"content": "Launch, LinkedIn later", "scheduledFor": when.isoformat(),
            "platforms": [{"platform": "twitter", "accountId": ACCOUNTS["twitter"]},
                          {"platform": "linkedin", "accountId": ACCOUNTS["linkedin"],
                           "scheduledFor": later.isoformat()}]}
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {KEY}"}) as http:
        r = http.post("/v1/posts", json=body)
        assert r.status_code == 201, r.text
        return r.json()["post"]["_id"]


async def _split_post_in_week(engine, window, store, server) -> tuple[str, str]:
    """A post going out on X in three hours and on LinkedIn two hours later, pulled into the week view: its local
    id (its first chip's key) and the key of its later chip."""
    late_id = _create_split_post(server, _soon(server, 180), _soon(server, 300))
    window.set_view("week")
    await engine.run_once()
    await settle()
    local_id = store.get_by_late_id(late_id).local_id
    other = next(k for k in window.views.week.scene.items_by_id if owner_id(k) == local_id and k != local_id)
    return local_id, other


def _drag(qtbot, view, start: QPointF, end: QPointF, modifiers=NONE) -> None:
    viewport = view.viewport()
    a, b = view.mapFromScene(start), view.mapFromScene(end)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifiers, a)
    for i in range(1, 7):
        p = a + (b - a) * i / 6
        qtbot.mouseMove(viewport, QPoint(round(p.x()), round(p.y())))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifiers, b)


async def test_an_own_time_set_in_the_editor_reaches_late_and_comes_back_as_two_chips(qtbot, engine, window, store,
                                                                                   server):
    when = _soon(server, 120)
    window.commands.new_post_requested.emit(when)
    (editor,) = window.editors.editors.values()
    editor.ask_unsaved = lambda _e: "discard"
    for platform in ("twitter", "linkedin"):
        check = editor.picker.checks[ACCOUNTS[platform]]
        if not check.isChecked():  # a new post may start with one ticked
            qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(6, check.height() // 2))
    assert {a for _p, a in editor.picker.selected()} == {ACCOUNTS["twitter"], ACCOUNTS["linkedin"]}
    editor.content_edit.setPlainText("Spring launch, LinkedIn an hour later")
    row = editor.picker.times.rows[ACCOUNTS["linkedin"]]
    assert not editor.picker.times.isHidden() and not row.edit.isEnabled()
    qtbot.mouseClick(row.check, Qt.MouseButton.LeftButton, pos=QPoint(6, row.check.height() // 2))
    assert row.edit.isEnabled()  # an hour after the post by default
    row.edit.setFocus()
    await settle()
    row.edit.setCurrentSection(QDateTimeEdit.Section.HourSection)
    qtbot.keyClick(row.edit, Qt.Key.Key_Up)  # one more hour, with the keyboard
    assert editor.picker.times.own_times() == {ACCOUNTS["linkedin"]: when + timedelta(hours=2)}
    editor.revalidate()
    assert editor.schedule_button.isEnabled(), editor.reasons_text()
    editor.schedule_button.click()
    local_id = editor.local_id
    editor.close()

    report = await engine.run_once()
    assert report.pushed == 1 and not report.rejected, report
    post_time, own = _remote_times(server)
    assert post_time == when
    # every platform's time is stated once one differs (Late keeps a per-platform time it is not sent again)
    assert own == {ACCOUNTS["twitter"]: when, ACCOUNTS["linkedin"]: when + timedelta(hours=2)}

    await engine.run_once()  # pulled back from Late: one chip per time, each with its platform
    await settle()
    window.set_view("week")
    await settle()
    scene = window.views.week.scene
    chips = {k: i for k, i in scene.items_by_id.items() if owner_id(k) == local_id}
    assert len(chips) == 2
    by_time = {i.post.scheduled_for: i.post.platforms for i in chips.values()}
    assert by_time == {when: ["twitter"], when + timedelta(hours=2): ["linkedin"]}


async def test_one_chip_dragged_moves_only_its_platform_and_shift_drag_moves_all(qtbot, engine, window, store,
                                                                                server):
    when, later = _soon(server, 180), _soon(server, 300)
    late_id = _create_split_post(server, when, later)
    window.set_view("week")
    await engine.run_once()
    await settle()
    local_id = store.get_by_late_id(late_id).local_id
    scene = window.views.week.scene
    view = window.views.week.view
    linkedin_key = next(k for k, i in scene.items_by_id.items()
                        if owner_id(k) == local_id and i.post.platforms == ["linkedin"])
    item = scene.items_by_id[linkedin_key]
    view.ensureVisible(item)
    start = item.sceneBoundingRect().center()
    _drag(qtbot, view, start, start + QPointF(0, PX_PER_HOUR))  # one hour later: LinkedIn alone
    assert window.runner.undo_stack.count() == 1
    await engine.run_once()
    post_time, own = _remote_times(server)
    assert post_time == when and own[ACCOUNTS["twitter"]] in (None, when)  # X did not move
    assert own[ACCOUNTS["linkedin"]] == later + timedelta(hours=1)

    twitter_item = scene.items_by_id[local_id]
    view.ensureVisible(twitter_item)
    start = twitter_item.sceneBoundingRect().center()
    _drag(qtbot, view, start, start + QPointF(0, PX_PER_HOUR), SHIFT)  # Shift: the whole post, one hour
    assert window.runner.undo_stack.count() == 2
    await engine.run_once()
    post_time, own = _remote_times(server)
    assert post_time == when + timedelta(hours=1)
    assert own[ACCOUNTS["linkedin"]] == later + timedelta(hours=2)

    window.runner.undo_stack.undo()  # one step each
    window.runner.undo_stack.undo()
    await engine.run_once()
    post_time, own = _remote_times(server)
    assert post_time == when and own[ACCOUNTS["linkedin"]] == later


async def test_hovering_one_chip_outlines_the_other_chips_of_its_post(qtbot, engine, window, store, server):
    local_id, other = await _split_post_in_week(engine, window, store, server)
    scene, view = window.views.week.scene, window.views.week.view
    (links,) = [lk for lk in window.chip_moves.links if lk.view is view]
    first = scene.items_by_id[local_id]
    view.ensureVisible(first)
    qtbot.mouseMove(view.viewport(), view.mapFromScene(first.sceneBoundingRect().center()))
    assert links.linked_keys() == [other]
    outline = links.outlines[0]
    assert outline.isVisible() and outline.rect().contains(scene.items_by_id[other].sceneBoundingRect())
    qtbot.mouseMove(view.viewport(), QPoint(2, 2))  # off the chips: no outline
    assert links.linked_keys() == []


async def test_the_sandbox_publishes_each_platform_at_its_own_time(server):
    when, later = _soon(server, 10), _soon(server, 70)
    _create_split_post(server, when, later)
    server.advance((when - server.sandbox.state.now()).total_seconds() + 300)  # just after the first time
    server.tick()
    (post,) = sandbox_posts(server)
    status = {t["platform"]: t["status"] for t in post["platforms"]}
    assert status == {"twitter": "published", "linkedin": "pending"} and post["status"] == "scheduled"
    server.advance((later - server.sandbox.state.now()).total_seconds() + 300)  # just after the second
    server.tick()
    (post,) = sandbox_posts(server)
    assert {t["platform"]: t["status"] for t in post["platforms"]} == {"twitter": "published", "linkedin": "published"}
    assert post["status"] == "published"


async def test_a_post_with_two_times_selected_shows_both_chips_and_a_nudge_moves_the_post_once(
        qtbot, engine, window, store, server):
    local_id, other = await _split_post_in_week(engine, window, store, server)
    scene, view = window.views.week.scene, window.views.week.view
    view.ensureVisible(scene.items_by_id[other])
    centre = view.mapFromScene(scene.items_by_id[other].sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, centre)
    assert scene.items_by_id[local_id].selected and scene.items_by_id[other].selected  # both times of the post
    before = store.get_post(local_id).scheduled_for
    window.bulk.nudge(days=1)  # what Alt+→ does: the post (not a chip of it) moves, once, by a day
    assert store.get_post(local_id).scheduled_for == before + timedelta(days=1)
    assert window.runner.undo_stack.count() == 1
