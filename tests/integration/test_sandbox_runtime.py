"""Persistence across restarts, the control API's reset/seed, and the latecal-sandbox command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import httpx

from latecal.sandbox import DEMO_API_KEY
from latecal.sandbox.runner import SandboxServer
from sandbox_support import KEY, target


# Servers of their own here: a state file across a restart, start/stop itself, and the command line.
def test_state_survives_restart(tmp_path):
    path = tmp_path / "state" / "sandbox.json"
    auth = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    with SandboxServer(demo=True, state_file=path) as first, httpx.Client(base_url=first.base_url, headers=auth) as c:
        acc = c.get("/v1/accounts").json()["accounts"]
        live = next(a for a in acc if a["isActive"] and a["platform"] == "twitter")
        created = c.post("/v1/posts", json={"content": "keep me", "platforms": [
            {"platform": "twitter", "accountId": live["_id"]}], "isDraft": True},
            headers={"Idempotency-Key": "persist-1"}).json()["post"]
        info = c.post("/v1/media/presign", json={"filename": "a.png", "contentType": "image/png"}).json()
        httpx.put(info["uploadUrl"], content=b"png!", headers={"Content-Type": "image/png"})
        before = c.get("/v1/posts", params={"limit": 500}).json()["pagination"]["total"]
    assert path.exists()
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    json.loads(path.read_text())  # complete, valid JSON
    with SandboxServer(demo=True, state_file=path) as second, httpx.Client(base_url=second.base_url,
                                                                     headers=auth) as c:
        assert c.get("/v1/posts", params={"limit": 500}).json()["pagination"]["total"] == before
        again = c.get(f"/v1/posts/{created['_id']}").json()["post"]
        assert again["content"] == "keep me"
        replay = c.post("/v1/posts", json={"content": "other"}, headers={"Idempotency-Key": "persist-1"})
        assert replay.status_code == 200
        assert replay.json()["post"]["_id"] == created["_id"]
        public = info["publicUrl"].replace(info["publicUrl"].split("/media/")[0], second.origin)
        assert httpx.get(public).content == b"png!"
        demo_media = c.get("/v1/posts", params={"limit": 500}).json()["posts"]
        urls = [m["url"] for p in demo_media for m in p["mediaItems"]]
        assert urls
        assert all(u.startswith(second.origin) for u in urls)


def test_start_stop_leaves_no_threads():
    before = {t.name for t in threading.enumerate()}
    for _ in range(3):
        srv = SandboxServer()
        url = srv.start()
        assert httpx.get(url.replace("/api", "/_sandbox/clock")).status_code == 200
        srv.stop()
    assert {t.name for t in threading.enumerate()} <= before


def test_control_reset_and_seed_over_http(sandbox, client):
    with httpx.Client(base_url=sandbox.control_url) as ctl:
        assert ctl.get("").status_code == 200
        r = ctl.post("/reset", json={})
        assert r.json()["accounts"] == 0
        assert client.get("/v1/accounts").json()["accounts"] == []
        seeded = ctl.post("/seed", json={
            "profiles": [{"name": "P", "timezone": "Asia/Tokyo"}],
            "accounts": [{"platform": "twitter", "username": "t"}],
        }).json()
        acc = seeded["accounts"][0]
        assert len(acc["_id"]) == 24
        assert acc["profileId"]["_id"] == seeded["profiles"][0]["_id"]
        post = ctl.post("/seed", json={"posts": [{
            "content": "seeded", "status": "failed", "scheduledFor": "2026-01-01T10:00:00Z",
            "platforms": [{"platform": "twitter", "accountId": acc["_id"], "status": "failed",
                           "errorMessage": "x"}]}]}).json()["posts"][0]
        assert post["platforms"][0]["accountId"]["_id"] == acc["_id"]
        assert client.post(f"/v1/posts/{post['_id']}/retry").json()["post"]["status"] == "published"
        assert ctl.post("/seed", json={"posts": [{"status": "weird"}]}).status_code == 400
        assert ctl.patch("/config", json={"failRate": 2}).status_code == 400
        assert ctl.patch("/config", json={"latencyMs": 5}).json()["latencyMs"] == 5
        assert ctl.post("/faults", json={"kind": "explode"}).status_code == 400
        assert ctl.delete("/stats").json()["requestsTotal"] == 0
        r = ctl.post("/reset", json={"demo": True})
        assert r.json()["posts"] >= 70
        assert client.post("/v1/posts", json={"content": "x", "platforms": [target("twitter")],
                                               "publishNow": True}).status_code == 404  # old ids are gone


def _spawn(*args):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "latecal.sandbox", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def test_cli_demo_serves_within_two_seconds(tmp_path):
    t0 = time.monotonic()
    proc = _spawn("--demo", "--port", "0", "--state", str(tmp_path / "s.json"))
    try:
        first = proc.stdout.readline().strip()
        assert first.startswith("http://127.0.0.1:")
        assert first.endswith("/api")
        r = httpx.get(first + "/v1/posts", headers={"Authorization": f"Bearer {DEMO_API_KEY}"})
        assert r.status_code == 200
        assert r.json()["posts"]
        assert time.monotonic() - t0 < 2.0
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
        proc.stderr.close()
    assert (tmp_path / "s.json").exists()


def test_cli_flags(tmp_path):
    proc = _spawn("--api-key", "sk_cli", "--latency-ms", "100", "--fail-rate", "1")
    try:
        base = proc.stdout.readline().strip()
        t = time.monotonic()
        assert httpx.get(base + "/v1/posts", headers={"Authorization": f"Bearer {KEY}"}).status_code == 401
        assert time.monotonic() - t >= 0.1
        cfg = httpx.get(base.removesuffix("/api") + "/_sandbox/config").json()
        assert cfg["failRate"] == 1
        assert cfg["latencyMs"] == 100
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        proc.stdout.close()
        proc.stderr.close()
