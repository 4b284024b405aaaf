"""A month out of 10,000 stored posts comes back complete and in range (its speed: tests/bench/store_bench.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from latecal.core.models import MediaItem, Post, Target
from latecal.store import Store

START = datetime(2026, 1, 1, tzinfo=UTC)


def test_month_out_of_ten_thousand_posts(tmp_path):
    with Store.open(tmp_path / "perf.sqlite3") as s:
        with s.batch():
            for i in range(10_000):
                s.upsert_remote(
                    Post(
                        late_id=f"L{i}",
                        content=f"Post number {i} with a realistic amount of text for a social media update. " * 2,
                        hashtags=["#launch", "#product"],
                        media=[MediaItem("image", url=f"https://cdn/{i}.png", size=123_456)],
                        targets=[Target("twitter", "a1"), Target("linkedin", "a2"), Target("bluesky", "a3")],
                        # 10,000 posts over 100 days: ~3,100 in a 31-day month
                        scheduled_for=START + timedelta(minutes=14.4 * i),
                        status="scheduled",
                    )
                )
        assert s.count() == 10_000
        month = (datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))
        posts = s.posts_between(*month)
        assert 2_700 <= len(posts) <= 3_100
        assert all(month[0] <= p.scheduled_for < month[1] for p in posts)
        assert [p.scheduled_for for p in posts] == sorted(p.scheduled_for for p in posts)
