"""Media presign/PUT/GET, accounts, profiles, queue and bulk CSV upload."""

from __future__ import annotations

import httpx
import pytest

from latecal.sandbox import DEMO_API_KEY
from latecal.sandbox.runner import SandboxServer
from sandbox_support import ACCOUNTS, PROFILE2_ID, PROFILE_ID, target


def test_presign_put_get_roundtrip_and_use_in_post(client, sandbox):
    r = client.post("/v1/media/presign", json={"filename": "photo 1.png", "contentType": "image/png", "size": 4})
    assert r.status_code == 200
    info = r.json()
    assert info["expiresIn"] == 3600
    assert info["uploadUrl"].startswith(sandbox.origin)
    with httpx.Client() as raw:  # no bearer token for the storage URL
        put = raw.put(info["uploadUrl"], content=b"\x89PNG", headers={"Content-Type": "image/png"})
        assert put.status_code == 200
        got = raw.get(info["publicUrl"])
        assert (got.status_code, got.content, got.headers["content-type"]) == (200, b"\x89PNG", "image/png")
        assert raw.put(info["uploadUrl"], content=b"x", headers={"Content-Type": "image/jpeg"}).status_code == 400
        assert raw.put(info["uploadUrl"], content=b"12345", headers={"Content-Type": "image/png"}).status_code == 400
        assert raw.put(sandbox.origin + "/media/upload/temp/nope.png", content=b"x",
                       headers={"Content-Type": "image/png"}).status_code == 403
        assert raw.get(sandbox.origin + "/media/temp/missing.png").status_code == 404
    post = client.post("/v1/posts", json={"mediaItems": [{"url": info["publicUrl"]}], "platforms": [
        target("instagram")], "publishNow": True}).json()["post"]
    assert post["mediaItems"][0]["url"] == info["publicUrl"]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"filename": "a.bin", "contentType": "application/octet-stream"}, "contentType"),
        ({"contentType": "image/png"}, "filename"),
        ({"filename": "a.mp4", "contentType": "video/mp4", "size": 5 * 1024**3 + 1}, "size"),
        ({"filename": "a.mp4", "contentType": "video/mp4", "size": -1}, "size"),
    ],
)
def test_presign_rejects_bad_requests(client, body, param):
    r = client.post("/v1/media/presign", json=body)
    assert r.status_code == 400
    assert r.json()["param"] == param


def test_upload_expires_after_an_hour(client, sandbox):
    info = client.post("/v1/media/presign", json={"filename": "a.png", "contentType": "image/png"}).json()
    sandbox.advance(3601)
    r = httpx.put(info["uploadUrl"], content=b"x", headers={"Content-Type": "image/png"})
    assert r.status_code == 403


def test_accounts_and_profiles(client):
    accounts = client.get("/v1/accounts").json()
    assert len(accounts["accounts"]) == 8
    assert accounts["hasAnalyticsAccess"] is False
    threads = next(a for a in accounts["accounts"] if a["platform"] == "threads")
    assert threads["isActive"] is False
    assert threads["needsReconnection"] is True
    assert threads["profileId"]["_id"] == PROFILE_ID
    assert len(client.get("/v1/accounts", params={"status": "disconnected"}).json()["accounts"]) == 1
    assert len(client.get("/v1/accounts", params={"profileId": PROFILE2_ID}).json()["accounts"]) == 1
    paged = client.get("/v1/accounts", params={"limit": 3, "page": 2}).json()
    assert len(paged["accounts"]) == 3
    assert paged["pagination"]["total"] == 8
    assert client.get("/v1/accounts", params={"limit": 0}).status_code == 400
    profiles = client.get("/v1/profiles").json()["profiles"]
    assert [p["_id"] for p in profiles] == [PROFILE_ID, PROFILE2_ID]
    assert profiles[0]["isDefault"]
    assert profiles[0]["timezone"] == "Europe/Berlin"
    assert profiles[0]["color"]
    assert profiles[0]["accountCount"] == 7


def test_queue_next_slot(client):
    r = client.get("/v1/queue/next-slot", params={"profileId": PROFILE2_ID})
    assert r.status_code == 200
    slot = r.json()
    assert slot["timezone"] == "America/New_York"
    assert slot["nextSlot"].endswith("Z")
    assert len(slot["queueId"]) == 24
    assert client.get("/v1/queue/next-slot").status_code == 400
    assert client.get("/v1/queue/next-slot", params={"profileId": "0" * 24}).status_code == 404
    assert client.get("/v1/queue/slots", params={"profileId": PROFILE_ID}).json()["exists"] is True


CSV = (
    "post_content,platforms,profiles,schedule_time,tz,hashtags,colour\n"
    "Hello from CSV,twitter,Acme,2030-09-01 10:00,America/New_York,#a,red\n"
    "Pic,instagram,Acme,2030-09-01 11:00,,,\n"
    "Nobody,twitter,Ghost,2030-09-01 10:00,,,\n"
    "Missing time,linkedin,Acme,,,,\n"
)


def upload(client, text, dry):
    return client.post("/v1/posts/bulk-upload", params={"dryRun": str(dry).lower()},
                       files={"file": ("posts.csv", text.encode(), "text/csv")})


def test_bulk_csv_dry_run_and_real(client, sandbox):
    r = upload(client, CSV, True)
    assert r.status_code == 207
    res = r.json()
    assert (res["total"], res["valid"], res["invalid"]) == (4, 1, 3)
    rows = {row["rowIndex"]: row for row in res["results"]}
    assert rows[1]["ok"]
    assert "createdPostId" not in rows[1]
    assert rows[2]["errors"] == ["media_required:mediaItems"]
    assert rows[3]["errors"] == ["unknown_profile:Ghost"]
    assert rows[4]["errors"] == ["schedule_time_missing"]
    assert "unknown_columns:colour" in res["warnings"]
    assert "not_added_to_caption:hashtags" in res["warnings"]
    assert sandbox.stats()["postsTotal"] == 0
    r = upload(client, CSV, False)
    created = r.json()["results"][0]["createdPostId"]
    post = client.get(f"/v1/posts/{created}").json()["post"]
    assert post["scheduledFor"] == "2030-09-01T14:00:00.000Z"
    assert post["status"] == "scheduled"
    ok = upload(client, "content,platforms,profiles,is_draft\nIdea,twitter,Acme,true\n", False)
    assert ok.status_code == 200
    assert ok.json()["valid"] == 1
    assert upload(client, "post_content,platforms\nx,twitter\n", True).status_code == 400
    assert client.post("/v1/posts/bulk-upload", content=b"x").status_code == 400
    assert upload(client, "a\n" + "x\n" * 5001, True).status_code == 400


def test_demo_mode_key_and_served_media():
    # A demo server as the app starts it (the module's shared one is not a demo sandbox).
    with SandboxServer(demo=True) as srv, httpx.Client(
        base_url=srv.base_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"}
    ) as c:
        assert DEMO_API_KEY.startswith("sk_")
        accounts = c.get("/v1/accounts").json()["accounts"]
        assert len(accounts) == 8
        assert {a["platform"] for a in accounts} == {"twitter", "instagram", "linkedin", "tiktok", "bluesky",
                                                     "facebook", "threads", "youtube"}
        assert sum(1 for a in accounts if not a["isActive"]) == 1
        profiles = c.get("/v1/profiles").json()["profiles"]
        assert {p["timezone"] for p in profiles} == {"Europe/Berlin", "America/New_York"}
        posts = c.get("/v1/posts", params={"limit": 500}).json()["posts"]
        media_posts = [p for p in posts if any(t["platform"] in ("instagram", "tiktok", "youtube")
                                               for t in p["platforms"])]
        assert media_posts
        assert all(p["mediaItems"] for p in media_posts)
        url = media_posts[0]["mediaItems"][0]["url"]
        assert url.startswith(srv.origin)
        got = c.get(url)
        assert got.status_code == 200
        assert got.headers["content-type"] in ("image/png", "video/mp4")
        assert ACCOUNTS  # the basic fixture's ids are unrelated to demo data
