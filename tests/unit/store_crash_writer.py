"""Writes random edits to a store until killed; used by test_store_crash.py (not a test module itself).

    python store_crash_writer.py DB LOG SEED

Every post carries a checksum of its user content in its title and in its first tag, so a half-written
row would be detected. Each edit is logged before ("I") and after ("A") the store call returns, with
os.write on an O_APPEND file, so after a SIGKILL the log tells which state each post must be in.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import string
import sys
from datetime import UTC, datetime, timedelta

from latecal.core.models import MediaItem, Post, Target
from latecal.store import Store, StoreError

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def checksum(post: Post) -> str:
    """Over the fields only the user writes (push results may change target outcomes, not these)."""
    body = json.dumps(
        [
            post.content,
            post.hashtags,
            [(m.type, m.url, m.alt_text, m.size) for m in post.media],
            [(t.platform, t.account_id, t.custom_content) for t in post.targets],
            post.scheduled_for.isoformat() if post.scheduled_for else None,
        ]
    )
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def marked(post: Post) -> Post:
    s = checksum(post)
    post.title = f"sum:{s}"
    post.tags = [f"sum:{s}", "crash-test"]
    return post


def random_content(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_letters + " #é🚀\n", k=rng.randint(200, 2000)))


def random_post(rng: random.Random, post: Post | None = None) -> Post:
    post = post or Post()
    post.content = random_content(rng)
    post.hashtags = [f"#h{rng.randint(0, 99)}" for _ in range(rng.randint(0, 5))]
    post.media = [
        MediaItem("image", url=f"https://cdn/{rng.getrandbits(40):x}.png", size=rng.randint(1, 10**7),
                  alt_text=random_content(rng)[:100])
        for _ in range(rng.randint(2, 6))
    ]
    post.targets = [
        Target(rng.choice(["twitter", "bluesky", "linkedin", "threads"]), f"acc-{i}",
               custom_content=random_content(rng)[:280] if rng.random() < 0.5 else None,
               platform_specific_data={"n": i, "x": [random_content(rng)[:50]]})
        for i in range(rng.randint(8, 20))
    ]
    post.scheduled_for = NOW + timedelta(minutes=15 * rng.randint(0, 4000)) if rng.random() < 0.9 else None
    return marked(post)


def main() -> None:
    db, log_path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def say(*parts: str) -> None:
        os.write(log, (" ".join(parts) + "\n").encode())

    store = Store.open(db)
    live = [p.local_id for p in store.all_posts()]
    say("R", str(seed))
    while True:
        r = rng.random()
        if r < 0.3 or len(live) < 5:
            post = random_post(rng)
            say("I", "save", post.local_id, checksum(post))
            store.save_post(post)
            say("A", "save", post.local_id, checksum(post))
            live.append(post.local_id)
        elif r < 0.6:
            local_id = rng.choice(live)
            post = store.get_post(local_id)
            post = random_post(rng, post) if rng.random() < 0.5 else marked(_moved(rng, post))
            say("I", "save", local_id, checksum(post))
            store.save_post(post)
            say("A", "save", local_id, checksum(post))
        elif r < 0.7:
            local_id = live.pop(rng.randrange(len(live)))
            say("I", "del", local_id, "-")
            store.delete_post(local_id)
            say("A", "del", local_id, "-")
        elif r < 0.75:
            local_id = rng.choice(live)
            if store.get_post(local_id).late_id:
                store.request_retry(local_id)
        else:
            entries = store.pending_entries(NOW)
            if not entries:
                continue
            token = store.begin_push(rng.choice(entries[:10]))
            outcome = rng.random()
            try:
                if outcome < 0.7:
                    remote = store.get_post(token.local_id, include_deleted=True)
                    for t in remote.targets:
                        t.status = "published"
                        t.platform_post_url = f"https://social/{rng.getrandbits(32):x}"
                    remote.status = "scheduled"
                    store.finish_push(token, late_id=f"L-{token.local_id}", remote_post=remote,
                                      remote_account_ids=remote.account_ids)
                elif outcome < 0.9 or token.op == "delete":
                    store.fail_push(token, "503", retry_at=NOW + timedelta(seconds=rng.randint(-60, 60)),
                                    rejected=False)
                else:
                    store.fail_push(token, "Content too long", retry_at=None, rejected=True)
            except StoreError:
                pass


def _moved(rng: random.Random, post: Post) -> Post:
    post.scheduled_for = NOW + timedelta(minutes=15 * rng.randint(0, 4000))
    return post


if __name__ == "__main__":
    main()
