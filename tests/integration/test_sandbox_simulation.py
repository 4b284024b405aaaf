"""The publishing simulation on the sandbox clock, forced outcomes and the failure rate."""

from __future__ import annotations

from latecal.sandbox.runner import SandboxServer
from sandbox_support import ACCOUNTS, KEY, future, image, seed_basic, target


def schedule(client, sandbox, platforms, hours=1.0, content="sim"):
    body = {"content": content, "mediaItems": image(), "platforms": [target(p) for p in platforms],
            "scheduledFor": future(sandbox, hours)}
    r = client.post("/v1/posts", json=body)
    assert r.status_code == 201, r.text
    return r.json()["post"]


def test_advance_clock_publishes_due_posts(client, sandbox):
    post = schedule(client, sandbox, ["twitter", "instagram"])
    later = schedule(client, sandbox, ["twitter"], hours=5, content="later")
    sandbox.advance(30 * 60)
    assert client.get(f"/v1/posts/{post['_id']}").json()["post"]["status"] == "scheduled"
    sandbox.advance(31 * 60)
    got = client.get(f"/v1/posts/{post['_id']}").json()["post"]
    assert got["status"] == "published"
    assert got["publishedAt"] >= post["scheduledFor"]
    assert got["updatedAt"] > post["updatedAt"]
    ig = got["platforms"][1]
    assert ig["platformPostUrl"].startswith("https://www.instagram.com/p/")
    assert ig["publishedAt"]
    assert client.get(f"/v1/posts/{later['_id']}").json()["post"]["status"] == "scheduled"
    assert sandbox.stats()["posts_by_status"] == {"published": 1, "scheduled": 1}


def test_publishing_state_is_visible_between_ticks(client, sandbox):
    sandbox.configure(publishDurationSeconds=600)
    post = schedule(client, sandbox, ["twitter"])
    sandbox.advance(3600 + 60)
    got = client.get(f"/v1/posts/{post['_id']}").json()["post"]
    assert got["status"] == "publishing"
    assert got["platforms"][0]["status"] == "processing"
    assert client.delete(f"/v1/posts/{post['_id']}").status_code == 200  # deleting stops a publishing post
    other = schedule(client, sandbox, ["bluesky"], content="other")
    sandbox.advance(3600 + 60)
    assert client.get(f"/v1/posts/{other['_id']}").json()["post"]["status"] == "publishing"
    sandbox.advance(600)
    assert client.get(f"/v1/posts/{other['_id']}").json()["post"]["status"] == "published"


def test_control_api_over_http_advances_and_forces_outcomes(client, sandbox):
    import httpx

    post = schedule(client, sandbox, ["twitter", "linkedin"])
    with httpx.Client(base_url=sandbox.control_url) as ctl:
        r = ctl.post("/outcomes", json={"accountId": ACCOUNTS["linkedin"], "outcome": "fail",
                                         "errorCategory": "platform_rejected", "errorMessage": "Duplicate share"})
        assert r.status_code == 200
        assert ctl.post("/outcomes", json={"accountId": "nope"}).status_code == 404
        r = ctl.post("/clock/advance", json={"seconds": 7200})
        assert r.status_code == 200
        assert r.json()["transitions"] >= 2
        assert ctl.post("/clock/advance", json={"seconds": "soon"}).status_code == 400
        got = client.get(f"/v1/posts/{post['_id']}").json()["post"]
        assert got["status"] == "partial"
        li = got["platforms"][1]
        assert (li["errorMessage"], li["errorCategory"]) == ("Duplicate share", "platform_rejected")
        stats = ctl.get("/stats").json()
        assert stats["posts_by_status"] == {"partial": 1}
        assert stats["requests"]["POST /v1/posts"] == 1
        assert stats["requests"]["GET /v1/posts/{post_id}"] == 1


def test_all_targets_failing_marks_failed_with_realistic_errors(client, sandbox):
    sandbox.force_outcome(ACCOUNTS["instagram"], "fail")
    post = schedule(client, sandbox, ["instagram"])
    sandbox.advance(7200)
    got = client.get(f"/v1/posts/{post['_id']}").json()["post"]
    t = got["platforms"][0]
    assert got["status"] == "failed"
    assert "publishedAt" not in got
    assert t["errorCategory"] in {"auth_expired", "user_content", "platform_error", "platform_rate_limit"}
    assert t["errorSource"] in {"user", "platform"}
    assert t["errorMessage"]
    assert t["platformError"]["message"] == t["errorMessage"]


def test_disconnected_account_fails_at_publish_time(client, sandbox):
    post = schedule(client, sandbox, ["twitter"])
    sandbox.state.accounts[ACCOUNTS["twitter"]]["isActive"] = False
    sandbox.advance(7200)
    got = client.get(f"/v1/posts/{post['_id']}").json()["post"]
    assert got["status"] == "failed"
    assert got["platforms"][0]["errorCategory"] == "auth_expired"


def _outcomes_with_fail_rate(seed):
    # Two new servers, not one reset: the seed alone must decide the outcomes.
    with SandboxServer(seed=seed, fail_rate=0.5, api_keys=(KEY,)) as srv:
        seed_basic(srv)
        import httpx

        with httpx.Client(base_url=srv.base_url, headers={"Authorization": f"Bearer {KEY}"}) as c:
            for i in range(30):
                c.post("/v1/posts", json={"content": f"n{i}", "platforms": [target("twitter")],
                                          "scheduledFor": future(srv, 1)})
            srv.advance(7200)
            return [p["status"] for p in c.get("/v1/posts", params={"limit": 100, "sortBy": "created-asc"})
                    .json()["posts"]]


def test_failure_rate_is_seeded_and_deterministic():
    first = _outcomes_with_fail_rate(7)
    assert first == _outcomes_with_fail_rate(7)
    assert 5 < first.count("failed") < 25
    assert first.count("failed") + first.count("published") == 30


def test_demo_posts_publish_and_fail_within_minutes():
    # A demo server as the app starts it (the module's shared one is not a demo sandbox).
    with SandboxServer(demo=True) as srv:
        counts = srv.stats()["posts_by_status"]
        assert set(counts) >= {"draft", "scheduled", "publishing", "published", "partial", "failed", "cancelled"}
        assert 70 <= sum(counts.values()) <= 90
        before = srv.stats()["posts_by_status"]
        srv.advance(200)
        after = srv.stats()["posts_by_status"]
        assert after.get("publishing", 0) == 0
        assert after["published"] > before["published"]
        assert after.get("failed", 0) + after.get("partial", 0) > before.get("failed", 0) + before.get("partial", 0)
