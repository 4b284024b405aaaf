"""Render every calendar view of a realistic store to PNGs, for looking at them (checked by picture_checks
before they are written; tests/ui/test_render_views.py renders the same into tmp_path).

QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/render_views.py OUT_DIR [--dark]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __name__ == "__main__":  # standalone: the tests' helper modules
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from latecal.core.models import Account, Post, Target
from latecal.store import Store
from latecal.ui.app.main_window import MainWindow
from picture_checks import assert_picture, grab
from ui_support import flush_events

TEXTS = [
    "Launch day! Our new spring collection is live — tap the link in bio",
    "Behind the scenes at the studio: how we shoot product photos",
    "5 tips for better morning routines (thread)",
    "Customer story: how Acme cut their onboarding time in half",
    "We're hiring a senior designer in Berlin. Apply now!",
    "Weekend sale: 20% off everything until Sunday midnight",
    "Meet the team: Priya, our head of support",
    "New blog post: what we learned from 1,000 support tickets",
    "Poll: which colour should the next mug be?",
    "Webinar reminder — tomorrow 3pm CET, link below",
    "Throwback to our first office in 2015",
    "Product update: dark mode is here",
]
ACCOUNTS = [
    ("acc-x", "twitter"),
    ("acc-ig", "instagram"),
    ("acc-li", "linkedin"),
    ("acc-fb", "facebook"),
    ("acc-th", "threads"),
    ("acc-tk", "tiktok"),
    ("acc-bs", "bluesky"),
]
ZONE = ZoneInfo("Europe/Berlin")


def fill(store: Store, today: date, n: int = 80, seed: int = 5) -> None:
    rnd = random.Random(seed)
    store.replace_accounts([Account(i, p, "prof1", username=f"acme_{p}") for i, p in ACCOUNTS])
    now = datetime.now(UTC)
    for k in range(n):
        day = today + timedelta(days=rnd.randint(-20, 24))
        at = time(rnd.choice([8, 9, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19]), rnd.choice([0, 0, 15, 30, 45]))
        when = datetime.combine(day, at, tzinfo=ZONE).astimezone(UTC)
        targets = [Target(p, i) for i, p in rnd.sample(ACCOUNTS, rnd.choice([1, 1, 2, 3]))]
        if when < now:
            status = rnd.choice(["published"] * 6 + ["failed", "partial", "cancelled"])
        else:
            status = rnd.choice(["scheduled"] * 5 + ["draft", "draft"])
        if status == "published":
            for t in targets:
                t.status, t.platform_post_url = "published", f"https://example.com/{t.platform}/{k}"
        if status == "failed":
            for t in targets:
                t.status, t.error_message = "failed", "Access token expired; reconnect the account"
        if status == "partial":
            targets = [
                Target("twitter", "acc-x", status="published"),
                Target("instagram", "acc-ig", status="failed", error_message="Media aspect ratio not supported"),
            ]
        post = Post(
            content=rnd.choice(TEXTS),
            scheduled_for=when,
            status=status,
            targets=targets,
            tags=[rnd.choice(["launch", "hiring", "blog", "promo"])],
        )
        if k % 9 == 0 and status in ("draft", "scheduled"):
            store.save_post(post)  # a local edit not pushed yet
            continue
        post.late_id = f"late-{k}"
        store.upsert_remote(post)
        if k % 17 == 3 and status in ("draft", "scheduled"):  # a push Late refused
            post.content += " (edited)"
            store.save_post(post)
            entry = store.outbox_entries(post.local_id)[0]
            store.fail_push(
                store.begin_push(entry),
                "scheduledFor must be at least 5 minutes in the future",
                retry_at=None,
                rejected=True,
            )
        elif k % 13 == 5 and status in ("draft", "scheduled"):  # edited here and on Late
            post.content += " (edited)"
            store.save_post(post)
            store.mark_conflict(post.local_id, post, "Changed on Late while you edited it")


def dark_palette() -> QPalette:
    pal = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2d31"),
        (QPalette.ColorRole.WindowText, "#e8e8e8"),
        (QPalette.ColorRole.Base, "#1f2124"),
        (QPalette.ColorRole.AlternateBase, "#26282c"),  # as a dark desktop theme sets it (lists' striped rows)
        (QPalette.ColorRole.Text, "#e8e8e8"),
        (QPalette.ColorRole.Button, "#33363b"),
        (QPalette.ColorRole.ButtonText, "#e8e8e8"),
    ):
        pal.setColor(role, QColor(colour))
    # as a dark desktop theme also sets them: greyed text for hints and for what is disabled
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a8d93"))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#74777c"))
    return pal


def render(store: Store, view: str, today: date) -> tuple[MainWindow, QImage]:
    """One view at 1280×800, laid out, grabbed and checked (picture_checks); the caller closes the window."""
    window = MainWindow(store, view=view, zone=ZONE, anchor=today)
    window.resize(1280, 800)
    window.show()
    flush_events()
    image = grab(window)
    assert_picture(window, image, texts=[window.toolbar.title.text()])
    return window, image


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/shots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    if "--dark" in sys.argv:
        app.setPalette(dark_palette())
    today = datetime.now(ZONE).date()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "x.sqlite3")
        fill(store, today)
        for view in ("month", "week", "day", "list"):
            window, image = render(store, view, today)
            suffix = "-dark" if "--dark" in sys.argv else ""
            image.save(str(out / f"{view}{suffix}.png"))
            window.close()
        store.close()
    print(out)


if __name__ == "__main__":
    main()
