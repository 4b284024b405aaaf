"""The real app against a hostile Late (issue 15, "Done when"): a server of the test's own on loopback answers with
year-1 and year-9999 dates, unreadable times, missing statuses, HTML everywhere, ``.``/``..``/``%2F`` ids,
``file:``/``javascript:`` links, 1,000 platforms, 100 KB texts, deeply nested JSON and a truncated listing.

The window, its sync bridge and engine, the client and a real store file are the app's own. What must hold: the
good posts sync, the odd ones are kept and marked (read-only), nothing local is opened, no request leaves
``/v1/posts/<one segment>`` (and ``.``/``..`` send none), the status line says what happened, and a local edit
still reaches the server when the listing cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from PySide6.QtCore import Qt

from hostile.hostile_late import HostileLate, Reply, Request
from latecal.core.calendar_geometry import local_date
from latecal.core.models import Post, Target
from latecal.late.client import LateClient
from latecal.store import Store
from latecal.sync import SyncEngine
from latecal.ui.app.main_window import MainWindow
from latecal.ui.app.sync_bridge import SyncBridge
from ui_support import BERLIN, flush_events, settle

pytestmark = pytest.mark.asyncio

NOW = datetime(2027, 3, 10, 11, 0, tzinfo=UTC)
KEY = "sk_test_hostile_key_0123456789"
HTML = "<img src='file:///etc/hostname' width=2400 height=2400><a href='file:///etc/passwd'>open</a>"
ACCOUNT_X, ACCOUNT_LI = "a" * 24, "b" * 24
PROFILE = "c" * 24

#: what the app may ask for: the account lists, the queues, and posts by one opaque segment (or its retry)
ALLOWED = re.compile(r"^/api/v1/(accounts(/health)?|profiles|queue/slots|posts(/[^/]+(/retry)?)?)$")


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _post(late_id: str, content: str, *, when: str | None = None, status: str | None = "scheduled",
          platforms: list | None = None, **extra) -> dict:
    post = {"_id": late_id, "content": content, "title": "", "updatedAt": _iso(NOW - timedelta(hours=1)),
            "platforms": platforms if platforms is not None else [
                {"platform": "twitter", "accountId": ACCOUNT_X, "status": "pending"}]}
    if when is not None:
        post["scheduledFor"] = when
    if status is not None:
        post["status"] = status
    post.update(extra)
    return post


def good_posts() -> list[dict]:
    soon = NOW + timedelta(hours=3)
    return [
        _post("1" * 24, "Good: spring launch", when=_iso(soon)),
        _post("2" * 24, "Good: published recap", when=_iso(NOW - timedelta(hours=2)), status="published",
              platforms=[{"platform": "linkedin", "accountId": ACCOUNT_LI, "status": "published",
                          "platformPostUrl": "https://www.linkedin.com/feed/update/1"}]),
        _post("3" * 24, "Good: a draft without a time", status="draft"),
    ]


def odd_posts() -> dict[str, dict]:
    soon = _iso(NOW + timedelta(hours=5))
    big = [{"platform": "twitter" if i % 2 else "linkedin", "accountId": ACCOUNT_X if i % 2 else ACCOUNT_LI,
            "status": "failed", "errorMessage": f"Refused {i}: {HTML}"} for i in range(1000)]
    return {
        "year1": _post("4" * 24, "Year one", when="0001-01-01T00:00:00Z"),
        "year9999": _post("5" * 24, "Year 9999", when="9999-12-31T23:59:59Z"),
        "banana": _post("6" * 24, "Unreadable time", when="banana"),
        "nostatus": _post("7" * 24, "No status", when=soon, status=None),
        "weird": _post("8" * 24, "Unknown status", when=soon, status="exploded"),
        "noplatform": _post("9" * 24, "Target without platform", when=soon,
                            platforms=[{"accountId": ACCOUNT_LI, "status": "pending"}]),
        "html": _post("a1" * 12, f"HTML {HTML}", when=_iso(NOW - timedelta(hours=1)), status="partial",
                      title=HTML, platforms=[
                          {"platform": "twitter", "accountId": ACCOUNT_X, "status": "published",
                           "platformPostUrl": "file:///etc/passwd"},
                          {"platform": "linkedin", "accountId": ACCOUNT_LI, "status": "failed",
                           "errorMessage": HTML, "platformPostUrl": "javascript:alert(1)"}]),
        "dot": _post(".", "Id is a dot", when=soon, status="draft"),
        "dotdot": _post("..", "Id is two dots", when=soon, status="draft"),
        "slash": _post("%2F", "Id is an encoded slash", when=soon, status="draft"),
        "thousand": _post("b2" * 12, "A thousand platforms", when=_iso(NOW - timedelta(hours=3)),
                          status="failed", platforms=big),
        "huge_text": _post("c3" * 12, "x" * 100_000, when=soon),
    }


def accounts_reply() -> Reply:
    return Reply(200, {"accounts": [
        {"_id": ACCOUNT_X, "platform": "twitter", "profileId": PROFILE, "username": f"acme{HTML}",
         "displayName": HTML, "isActive": True},
        {"_id": ACCOUNT_LI, "platform": "linkedin", "profileId": PROFILE, "username": "acme-li", "isActive": True},
    ]})


def profiles_reply() -> Reply:
    return Reply(200, {"profiles": [{"_id": PROFILE, "name": f"Acme {HTML}", "color": "#d62828",
                                     "timezone": "Europe/Berlin", "isDefault": True}]})


def listing(posts: list[dict], *, claimed_total: int | None = None):
    """GET /v1/posts: every post on one page; ``claimed_total`` more than there are makes the listing
    truncated (a second page that comes back empty)."""
    def reply(request: Request) -> Reply:
        page = int(request.query.get("page", ["1"])[0])
        total = claimed_total or len(posts)
        shown = posts if page == 1 else []
        return Reply(200, {"posts": shown, "pagination": {"page": page, "limit": 500, "total": total,
                                                         "pages": max(1, -(-total // 500)) if claimed_total is None
                                                         else 2}})
    return reply


@pytest.fixture
def hostile():
    with HostileLate() as server:
        server.routes[("GET", "/api/v1/accounts")] = accounts_reply()
        server.routes[("GET", "/api/v1/profiles")] = profiles_reply()
        yield server


@pytest.fixture
def app_store(tmp_path):
    store = Store.open(tmp_path / "hostile.sqlite3")
    yield store
    store.close()


@pytest.fixture
def window(qtbot, app_store):
    w = MainWindow(app_store, zone=BERLIN, clock=lambda: NOW, anchor=local_date(NOW, BERLIN))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    opened: list[str] = []
    w.commands.url_opener = lambda url: opened.append(url.toString()) or True
    w.opened_links = opened
    return w


async def _no_sleep(_seconds: float) -> None:
    return None


@pytest_asyncio.fixture
async def engine(window, app_store, hostile) -> AsyncIterator[SyncEngine]:
    async with LateClient(KEY, hostile.base_url, sleep=_no_sleep) as client:
        eng = SyncEngine(app_store, client, clock=lambda: NOW)
        eng.set_window(NOW - timedelta(days=14), NOW + timedelta(days=28))
        bridge = SyncBridge(eng, window)
        window.attach_sync(bridge)
        yield eng
        await bridge.aclose()


def _said(window, words: str) -> bool:
    """Whether any message the window holds (shown or queued behind the newest) contains ``words``."""
    return any(words in text for text in window.message_bar.messages)


async def test_good_posts_sync_odd_ones_are_kept_and_marked_and_nothing_hostile_gets_through(
        window, app_store, hostile, engine):
    odd = odd_posts()
    hostile.routes[("GET", "/api/v1/posts")] = listing(good_posts() + list(odd.values()))
    size = window.size()

    report = await engine.run_once()
    await settle()
    flush_events()

    # the good posts are in the store and on the calendar
    for late_id in ("1" * 24, "2" * 24, "3" * 24):
        post = app_store.get_by_late_id(late_id)
        assert post is not None and not post.read_problems, late_id
    # every odd post with an identity is kept; the unreadable ones are marked and read-only
    kept = {name: app_store.get_by_late_id(raw["_id"]) for name, raw in odd.items()}
    assert all(post is not None for post in kept.values()), [n for n, p in kept.items() if p is None]
    assert "scheduledFor" in kept["year1"].read_problems and kept["year1"].scheduled_for is None
    assert "scheduledFor" in kept["year9999"].read_problems
    assert "scheduledFor" in kept["banana"].read_problems
    assert kept["nostatus"].status == "" and kept["weird"].status == "exploded"
    assert kept["noplatform"].targets[0].platform == "linkedin" and not kept["noplatform"].read_problems
    assert len(kept["thousand"].targets) == 1000 and len(kept["huge_text"].content) == 100_000
    assert report.posts_with_read_problems == 3

    # the run read everything: "Synced", and a message says what could not be read
    assert report.synced and not report.errors
    assert window.toolbar.last_synced_label.text().startswith("Synced")
    assert _said(window, "3 posts from Late had fields that could not be read")
    on_calendar = window.mirror.posts
    assert app_store.get_by_late_id("1" * 24).local_id in on_calendar  # the good ones are on screen
    assert kept["html"].local_id in on_calendar and kept["thousand"].local_id in on_calendar

    # a marked post cannot be moved: the runner refuses it and says why; nothing is queued for Late
    assert not window.runner.move(kept["banana"].local_id, NOW + timedelta(days=1))
    assert "could not be read" in window.message_bar.text
    assert app_store.outbox_entries(kept["banana"].local_id) == []

    # the List shows them all without growing the window; tooltips carry no live markup
    window.set_view("list")
    flush_events()
    tree = window.views.list
    tips = [tree.row_at(i).toolTip(0) for i in range(tree.row_count())]
    assert tips and all("<img" not in tip for tip in tips)
    assert window.size() == size

    # links from Late: only the web one reaches the desktop
    for post in (kept["html"], app_store.get_by_late_id("2" * 24)):
        for target in post.targets:
            window.commands.open_published_url(target.platform_post_url)
    assert window.opened_links == ["https://www.linkedin.com/feed/update/1"]

    # deleting the posts with hostile ids: "." and ".." send nothing; "%2F" stays one segment
    for name in ("dot", "dotdot", "slash"):
        hostile.routes[("DELETE", f"/api/v1/posts/{_segment_on_wire(odd[name]['_id'])}")] = Reply(200, {})
        window.commands.delete_post(kept[name].local_id)
    await engine.run_once()
    await settle()
    deletes = hostile.paths("DELETE")
    assert deletes == ["/api/v1/posts/%252F"], deletes
    assert all(ALLOWED.match(path) for path in hostile.paths()), hostile.paths()
    assert not any(path in ("/api/v1", "/api/v1/posts", "/api") for path in deletes)


def _segment_on_wire(late_id: str) -> str:
    from urllib.parse import quote

    return quote(late_id, safe="")


async def test_a_truncated_listing_is_not_synced_and_deletes_nothing(window, app_store, hostile, engine):
    hostile.routes[("GET", "/api/v1/posts")] = listing(good_posts())
    await engine.run_once()
    assert app_store.get_by_late_id("1" * 24) is not None
    # Late now claims 900 posts but sends a first page of one and an empty second page
    hostile.routes[("GET", "/api/v1/posts")] = listing(good_posts()[:1], claimed_total=900)
    report = await engine.run_once()
    await settle()
    assert not report.read_everything and not report.synced
    assert app_store.get_by_late_id("2" * 24) is not None  # missing from a partial list is not deleted
    assert app_store.get_by_late_id("3" * 24) is not None
    assert window.toolbar.last_synced_label.text().startswith("⚠ Not synced")


async def test_a_listing_nested_too_deep_is_refused_and_the_edit_still_goes_out(window, app_store, hostile, engine):
    hostile.routes[("GET", "/api/v1/posts")] = listing(good_posts())
    await engine.run_once()
    await settle()
    assert app_store.get_by_late_id("1" * 24) is not None
    deep = "[" * 200_000 + "]" * 200_000
    hostile.routes[("GET", "/api/v1/posts")] = Reply(200, '{"posts": ' + deep + "}")
    created: list[dict] = []

    def create(request: Request) -> Reply:
        created.append(request.body)
        return Reply(201, {"post": _post("d4" * 12, request.body.get("content", ""), status="draft")})

    hostile.routes[("POST", "/api/v1/posts")] = create
    app_store.save_post(Post(content="Written while Late misbehaves", status="draft",
                             targets=[Target("twitter", ACCOUNT_X)]))
    report = await engine.run_once()
    await settle()
    assert [body["content"] for body in created] == ["Written while Late misbehaves"]  # the push went on
    assert not report.read_everything and report.errors
    assert _said(window, "Could not read Late's posts") and _said(window, "nested too deeply")
    assert window.toolbar.last_synced_label.text().startswith("⚠ Not synced")


async def test_an_html_error_body_is_shown_as_text_and_does_not_grow_the_window(window, app_store, hostile, engine):
    hostile.routes[("GET", "/api/v1/posts")] = listing([])
    page = f"<html><body><h1>Bad request</h1>{HTML}</body></html>"
    hostile.routes[("POST", "/api/v1/posts")] = Reply(400, page, {"content-type": "text/html"})
    app_store.save_post(Post(content="Refused by a proxy", status="scheduled", scheduled_for=NOW + timedelta(days=1),
                             targets=[Target("twitter", ACCOUNT_X)]))
    size = window.size()
    report = await engine.run_once()
    await settle()
    flush_events()
    assert report.rejected  # Late's 400: the post is marked, the edit kept
    assert _said(window, "Late refused the change to “Refused by a proxy”: Late answered HTTP 400")
    assert not any("<img" in text for text in window.message_bar.messages)  # the page's markup is not quoted
    assert window.message_bar.label.textFormat() == Qt.TextFormat.PlainText
    assert window.size() == size and window.opened_links == []
