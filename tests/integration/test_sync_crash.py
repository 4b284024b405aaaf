"""A process killed while its create is in flight, then restarted, leaves exactly one Late post."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from latecal.sandbox.runner import SandboxServer
from latecal.store import Store
from sandbox_support import ACCOUNTS, KEY, sandbox_posts, seed_basic

CHILD = Path(__file__).with_name("sync_crash_child.py")


def _spawn(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ))


def _post_requests(server: SandboxServer) -> int:
    return sum(v for k, v in server.stats()["requests"].items() if k.startswith("POST /v1/posts"))


@pytest.mark.slow
def test_killed_during_create_replay_leaves_one_post(tmp_path):
    rng = random.Random(20261122)
    with SandboxServer(seed=3) as server:  # the only test here: one server for all its rounds
        seed_basic(server)
        for round_no in range(6):
            store_path = tmp_path / f"round{round_no}.sqlite3"
            local_id = uuid.uuid4().hex
            when = (datetime.now(UTC) + timedelta(days=2, minutes=round_no)).replace(second=0, microsecond=0)
            args = [str(store_path), server.base_url, KEY, ACCOUNTS["twitter"], local_id, when.isoformat()]
            # The create is held on the server; the child is killed while it waits (even rounds) or a little
            # after Late answered (odd rounds), maybe before the answer was stored.
            hold = server.hold("POST /v1/posts")
            before = _post_requests(server)
            child = _spawn(args)
            server.wait_held(hold, timeout=20)
            assert _post_requests(server) > before, "the child never sent its create"
            if round_no % 2:
                server.release(hold)
                # Deliberately real time: a random point in the child's handling of the answer.
                time.sleep(rng.uniform(0.0, 0.3))
            child.send_signal(signal.SIGKILL)
            child.wait(10)
            server.release(hold)

            again = _spawn(args)
            out, err = again.communicate(timeout=60)
            assert again.returncode == 0, err
            assert "pushed" in out

            store = Store.open(store_path)
            local = store.get_post(local_id)
            key = local.idempotency_key
            store.close()
            mine = [p for p in sandbox_posts(server) if p["content"] == f"Crash-proof post {local_id[:6]}"]
            assert [p["_id"] for p in mine] == [local.late_id]
            assert server.stats()["creates_by_idempotency_key"][key] == 1
            assert local.sync_state == "synced"
