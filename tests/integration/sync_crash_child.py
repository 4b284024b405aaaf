"""Child process for the crash tests: save one post (first life only) and push the outbox once.

Usage: python sync_crash_child.py STORE BASE_URL KEY ACCOUNT_ID LOCAL_ID SCHEDULED_ISO
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path

from latecal.core.models import Post, Target
from latecal.late.client import LateClient
from latecal.store import Store
from latecal.sync import SyncEngine


async def main(store_path: str, base_url: str, key: str, account_id: str, local_id: str, when: str) -> None:
    store = Store.open(Path(store_path))
    if store.get_post(local_id) is None:
        store.save_post(Post(local_id=local_id, content=f"Crash-proof post {local_id[:6]}", status="scheduled",
                             scheduled_for=datetime.fromisoformat(when), targets=[Target("twitter", account_id)]))
        print("saved", flush=True)
    async with LateClient(key, base_url) as client:
        report = await SyncEngine(store, client).run_once(pull=False, refresh_accounts=False)
    print("pushed" if report.pushed else f"not pushed: {report}", flush=True)
    store.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
