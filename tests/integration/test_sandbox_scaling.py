"""The sandbox at scale (issue 16): listings by due time read pages of a sorted index, correct at page boundaries
and under inserts, moves and deletes between pages; and ``GET /v1/logs`` records the publisher's outcomes."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from latecal.sandbox.listing import _sort_key
from latecal.sandbox.timeutil import iso
from sandbox_support import ACCOUNTS, target

BASE = datetime(2031, 5, 1, 9, 0, tzinfo=UTC)


def _when(minutes: int) -> str:
    return (BASE + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def _seed(sandbox, n: int, rng: random.Random) -> None:
    """``n`` posts on few distinct times (many ties, so pages end inside a run of equal times), on two accounts."""
    platforms = ("twitter", "linkedin")
    sandbox.seed(posts=[{"content": f"p{i}", "status": "scheduled", "scheduledFor": _when(rng.randrange(40) * 30),
                         "platforms": [target(platforms[i % 2])]} for i in range(n)])


def _brute(sandbox, *, low: str, high: str, account: str | None = None, descending: bool = False) -> list[str]:
    """What a listing must return, worked out the slow way from the sandbox's posts."""
    low, high = (iso(datetime.fromisoformat(t.replace("Z", "+00:00"))) for t in (low, high))  # as stored
    state = sandbox.sandbox.state
    with state.lock:
        posts = [p for p in state.posts.values() if p.get("scheduledFor") and low <= p["scheduledFor"] <= high
                 and (account is None or any(t["accountId"] == account for t in p["platforms"]))]
    posts.sort(key=lambda p: _sort_key(p, "scheduled-asc"), reverse=descending)
    return [p["_id"] for p in posts]


def _walk(client, params: dict, *, between=None) -> tuple[list[str], list[int]]:
    """Every page of a cursor listing: ids in order, and the totals the pages gave."""
    seen, totals, cursor = [], [], None
    while True:
        page = client.get("/v1/posts", params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        seen += [p["_id"] for p in body["posts"]]
        totals.append(body["pagination"]["total"])
        cursor = body["pagination"]["nextCursor"]
        if cursor is None:
            return seen, totals
        if between is not None:
            between(len(seen))


@pytest.mark.parametrize("sort", ["scheduled-asc", "scheduled-desc"])
@pytest.mark.parametrize("account", [None, "twitter"])
def test_due_time_listing_matches_a_full_scan_at_every_page_boundary(client, sandbox, sort, account):
    _seed(sandbox, 230, random.Random(5))
    low, high = _when(120), _when(900)
    expected = _brute(sandbox, low=low, high=high, account=ACCOUNTS[account] if account else None,
                      descending=sort.endswith("desc"))
    assert 60 < len(expected) < 230
    params = {"fromDate": low, "toDate": high, "sortBy": sort, "limit": 7}
    if account:
        params["accountId"] = ACCOUNTS[account]
    seen, totals = _walk(client, params)
    assert seen == expected and set(totals) == {len(expected)}
    for page_no in (1, 2, len(expected) // 7 + 1):  # page numbers and offsets agree with the cursor's pages
        body = client.get("/v1/posts", params={**params, "page": page_no}).json()
        assert [p["_id"] for p in body["posts"]] == expected[(page_no - 1) * 7:page_no * 7]
        assert body["pagination"]["pages"] == -(-len(expected) // 7)
    body = client.get("/v1/posts", params={**params, "offset": 12}).json()
    assert [p["_id"] for p in body["posts"]] == expected[12:19] and body["pagination"]["page"] == 2


def test_cursor_paging_stays_correct_under_inserts_moves_and_deletes(client, sandbox):
    """Between pages posts are created before and after the cursor, moved across it and deleted: every post
    that stayed where it was is listed exactly once and in order; only a post moved ahead of the cursor is met
    twice (as on Late: the cursor is a position in due-time order, not a snapshot)."""
    rng = random.Random(11)
    _seed(sandbox, 120, rng)
    params = {"fromDate": _when(0), "toDate": _when(1200), "sortBy": "scheduled-asc", "limit": 9}
    before = _brute(sandbox, low=_when(0), high=_when(1200))
    deleted: set[str] = set()
    moved: set[str] = set()

    def meddle(listed: int) -> None:
        for minutes in (rng.randrange(40) * 30, rng.randrange(40) * 30):
            r = client.post("/v1/posts", json={"content": f"new {rng.random()}", "platforms": [target("twitter")],
                                               "scheduledFor": _when(minutes)})
            assert r.status_code in (200, 201), r.text
        victim = rng.choice([i for i in before if i not in deleted and i not in moved])
        assert client.delete(f"/v1/posts/{victim}").status_code == 200
        deleted.add(victim)
        mover = rng.choice([i for i in before if i not in deleted and i not in moved])
        r = client.put(f"/v1/posts/{mover}", json={"scheduledFor": _when(rng.randrange(40) * 30)})
        assert r.status_code == 200, r.text
        moved.add(mover)

    seen, _ = _walk(client, params, between=meddle)
    twice = {i for i in seen if seen.count(i) > 1}
    assert twice <= moved
    stayed = [i for i in before if i not in deleted and i not in moved]
    assert [i for i in seen if i in set(stayed)] == stayed
    with sandbox.sandbox.state.lock:
        assert sandbox.sandbox.state.posts.consistent()
    # and a listing after the dust settles is exactly the full scan
    assert _walk(client, params)[0] == _brute(sandbox, low=_when(0), high=_when(1200))


def test_a_page_by_due_time_touches_the_page_not_the_store(sandbox, monkeypatch):
    """At 20,000 posts a page of 500 by due time never looks at every post: scanning the posts is made to fail,
    and the posts read from the index are the page's (the time it takes is in tests/bench/request_budget.py)."""
    from latecal.sandbox.listing import list_posts
    from latecal.sandbox.post_index import IndexedPosts

    sandbox.seed(posts=[{"content": f"p{i}", "status": "scheduled", "scheduledFor": _when(i),
                         "platforms": [target("twitter")]} for i in range(20_000)])
    touched = []
    walk = IndexedPosts.walk

    def counted_walk(self, start, stop, *, descending=False):
        for post in walk(self, start, stop, descending=descending):
            touched.append(post["_id"])
            yield post

    def no_scan(self):
        raise AssertionError("a listing by due time scanned every post")

    monkeypatch.setattr(IndexedPosts, "walk", counted_walk)
    for name in ("values", "items", "keys", "__iter__"):
        monkeypatch.setattr(IndexedPosts, name, no_scan)
    query = [("fromDate", _when(5000)), ("toDate", _when(9000)), ("sortBy", "scheduled-asc"), ("limit", "500")]
    body = list_posts(sandbox.sandbox.state, query)
    assert body["pagination"]["total"] == 4001 and len(body["posts"]) == 500
    assert touched == [p["_id"] for p in body["posts"]]
    page = list_posts(sandbox.sandbox.state, [*query, ("cursor", body["pagination"]["nextCursor"])])
    assert len(touched) == 1000 and page["pagination"]["page"] == 2


def _logs(client, **params):
    r = client.get("/v1/logs", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_logs_feed_records_each_outcome_in_lates_shape(client, sandbox):
    """Two posts publish (one target fails): one entry per target, newest first, with Late's fields and no post
    id a client could lean on; from/to, limit/skip, pagination and the account filter (and its legacy alias)."""
    sandbox.force_outcome(ACCOUNTS["linkedin"], "fail", count=1)
    start = datetime.fromisoformat(sandbox.now())
    for minutes, platforms in ((1, ["twitter"]), (3, ["twitter", "linkedin"])):
        when = (start + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")
        r = client.post("/v1/posts", json={"content": f"in {minutes}", "scheduledFor": when,
                                           "platforms": [target(p) for p in platforms]})
        assert r.status_code in (200, 201), r.text
    assert _logs(client)["logs"] == []
    sandbox.advance(10 * 60)
    sandbox.tick()
    body = _logs(client, type="publishing")
    logs = body["logs"]
    assert len(logs) == 3
    assert body["pagination"] == {"total": 3, "limit": 50, "skip": 0, "pages": 1, "hasMore": False}
    stamps = [e["created_at"] for e in logs]
    assert stamps == sorted(stamps, reverse=True)
    keys = {"type", "action", "platform", "account_id", "status", "status_code", "error_message", "error_code",
            "endpoint", "request_body", "response_body", "created_at", "metadata", "request_id", "method", "path"}
    for entry in logs:
        assert keys <= set(entry) and entry["type"] == "publishing"
        assert isinstance(entry["metadata"], str) and "postId" not in entry["metadata"] and "_id" not in entry
        datetime.fromisoformat(entry["created_at"].replace("Z", "+00:00"))
    failed = [e for e in logs if e["status"] == "failed"]
    assert [(e["action"], e["platform"], e["account_id"]) for e in failed] == [
        ("post.failed", "linkedin", ACCOUNTS["linkedin"])]
    assert failed[0]["error_message"]
    assert {(e["action"], e["status"]) for e in logs if e["platform"] == "twitter"} == {("post.published", "success")}
    # filters and paging
    assert len(_logs(client, accountId=ACCOUNTS["twitter"])["logs"]) == 2
    assert len(_logs(client, account_id=ACCOUNTS["twitter"])["logs"]) == 2
    assert [e["status"] for e in _logs(client, status="failed")["logs"]] == ["failed"]
    page = _logs(client, limit=2, skip=0)
    assert page["pagination"]["hasMore"] and page["pagination"]["pages"] == 2
    rest = _logs(client, limit=2, skip=2)
    assert [e["created_at"] for e in page["logs"] + rest["logs"]] == stamps and not rest["pagination"]["hasMore"]
    newest = datetime.fromisoformat(stamps[0].replace("Z", "+00:00"))
    later = (newest + timedelta(seconds=1)).isoformat()
    assert _logs(client, **{"from": later})["logs"] == []
    assert _logs(client, to=(newest - timedelta(minutes=1)).isoformat())["pagination"]["total"] == 1
    assert _logs(client, type="connections")["logs"] == []
    for bad in ({"limit": "101"}, {"type": "nonsense"}, {"days": "91"}, {"postId": "x"}, {"from": "soon"}):
        assert client.get("/v1/logs", params=bad).status_code == 400, bad


def test_logs_feed_is_what_lates_client_reads(client, sandbox):
    """The app's lenient reader (late/logs.py) takes the sandbox's entries as they are."""
    from latecal.late.logs import log_page_from_json

    start = datetime.fromisoformat(sandbox.now())
    when = (start + timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    client.post("/v1/posts", json={"content": "x", "scheduledFor": when, "platforms": [target("bluesky")]})
    sandbox.advance(300)
    sandbox.tick()
    page = log_page_from_json(_logs(client, limit=1), 1)
    (entry,) = page.entries
    assert (entry.account_id, entry.platform, entry.action, entry.status) == (
        ACCOUNTS["bluesky"], "bluesky", "post.published", "success")
    assert entry.created_at is not None and start < entry.created_at <= datetime.fromisoformat(sandbox.now())
    assert not page.has_more


def test_logs_feed_takes_every_parameter_the_official_sdk_sends(client, sandbox):
    """late-sdk has no model for a log entry, but its ``logs.list_logs`` says what a client may ask: every such
    query (camelCase, as the SDK builds it) is understood, none is refused as unknown."""
    from late.resources._generated.logs import LogsResource

    params = LogsResource(client=None)._build_params(  # type: ignore[arg-type]
        type="publishing", status="all", platform="twitter", action="post.published", search="x", days=30,
        limit=100, skip=0, account_id=ACCOUNTS["twitter"], event="post.published", request_id="r",
        from_="2031-01-01T00:00:00Z", to="2031-12-31T00:00:00Z", status_code=200, api_key_id="k",
        profile_id="p", include_read_receipts=False)
    assert {"accountId", "from", "requestId", "statusCode", "apiKeyId", "includeReadReceipts"} <= set(params)
    r = client.get("/v1/logs", params={k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()})
    assert r.status_code == 200, r.text
    assert r.json()["pagination"]["limit"] == 100


@pytest.mark.parametrize("sort", ["created-asc", "created-desc", "status", "platform"])
def test_other_orders_keep_the_date_range_too(client, sandbox, sort):
    """Only due-time listings read the index; the others still honour fromDate/toDate (and count the same)."""
    _seed(sandbox, 60, random.Random(3))
    low, high = _when(300), _when(600)
    expected = set(_brute(sandbox, low=low, high=high))
    body = client.get("/v1/posts", params={"fromDate": low, "toDate": high, "sortBy": sort, "limit": 500}).json()
    assert {p["_id"] for p in body["posts"]} == expected and body["pagination"]["total"] == len(expected)


def test_a_date_range_that_ends_before_it_starts_is_empty(client, sandbox):
    _seed(sandbox, 30, random.Random(1))
    body = client.get("/v1/posts", params={"fromDate": _when(600), "toDate": _when(300),
                                           "sortBy": "scheduled-asc"}).json()
    assert body["posts"] == [] and body["pagination"]["total"] == 0 and body["pagination"]["pages"] == 0
