"""Holds (``/_sandbox/holds``): a test makes Late answer later, and knows when a request is waiting."""

from __future__ import annotations

import threading

import httpx
import pytest

from sandbox_support import target


def _in_thread(fn):
    out: dict = {}
    t = threading.Thread(target=lambda: out.setdefault("r", fn()))
    t.start()
    return t, out


def test_a_held_create_is_in_flight_until_released(sandbox, client):
    hold = sandbox.hold("POST /v1/posts")
    body = {"content": "held", "platforms": [target("twitter")], "publishNow": True}
    t, out = _in_thread(lambda: client.post("/v1/posts", json=body, headers={"Idempotency-Key": "h1"}))
    sandbox.wait_held(hold)
    assert sandbox.state.posts  # Late took it: the post exists, its answer has not been sent
    assert (post := next(iter(sandbox.state.posts.values())))["status"] == "publishing"
    assert t.is_alive()
    assert sandbox.release(hold) == 1
    t.join(10)
    assert out["r"].status_code == 201 and out["r"].json()["post"]["status"] == "published"
    other = client.post("/v1/posts", json={**body, "content": "not held"})  # count 1: the hold is used up
    assert other.status_code == 201
    assert post["_id"] in {p["_id"] for p in client.get("/v1/posts").json()["posts"]}


def test_routes_without_a_pause_are_held_before_their_answer(sandbox, client):
    hold = sandbox.hold("GET /v1/accounts", count=None)
    threads = [_in_thread(lambda: client.get("/v1/accounts")) for _ in range(2)]
    sandbox.wait_held(hold, n=2)
    assert client.get("/v1/profiles").status_code == 200  # other routes pass
    assert sandbox.release() == 2
    for t, out in threads:
        t.join(10)
        assert out["r"].status_code == 200


def test_control_api_for_holds(sandbox, client):
    with httpx.Client(base_url=sandbox.control_url, timeout=10) as ctl:
        made = ctl.post("/holds", json={"route": "DELETE /v1/posts", "count": 2}).json()
        assert made == {"id": "hold-1", "route": "DELETE /v1/posts", "count": 2, "held": 0, "waiting": 0}
        assert ctl.post("/holds", json={"route": "nowhere"}).status_code == 400
        assert ctl.post("/holds", json={"route": "/v1", "count": 0}).status_code == 400
        assert ctl.post("/holds/hold-9/release").status_code == 404
        t, out = _in_thread(lambda: client.delete("/v1/posts/" + "a" * 24))
        sandbox.wait_held(made["id"])
        assert ctl.get("/holds").json()["holds"][0] == {**made, "held": 1, "waiting": 1}
        assert ctl.post(f"/holds/{made['id']}/release").json() == {"released": 1}
        t.join(10)
        assert out["r"].status_code == 404  # the request itself ran as usual
        assert ctl.get("/holds").json() == {"holds": []}
        assert ctl.delete("/holds").json() == {"released": 0}


def test_waiting_for_a_hold_times_out_with_what_it_saw(sandbox):
    hold = sandbox.hold("/v1/posts")
    with pytest.raises(TimeoutError, match="0 of 1"):
        sandbox.wait_held(hold, timeout=0.05)


def test_reset_releases_held_requests(sandbox, client):
    hold = sandbox.hold("GET /v1/posts")
    t, out = _in_thread(lambda: client.get("/v1/posts"))
    sandbox.wait_held(hold)
    sandbox.reset()  # as between two tests: nothing stays waiting
    t.join(10)
    assert out["r"].status_code == 200
