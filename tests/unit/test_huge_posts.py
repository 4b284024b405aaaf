"""A post with 1,000 platforms or 100 KB of text is summarised wherever it is described (issue 15, item 9): its
tooltip, list row, failure line and badges stay short however large the post."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from latecal.core.models import Post, Target
from latecal.core.text import count_text
from latecal.presentation.posts import (
    LISTED_REASONS,
    LISTED_TARGETS,
    REASON_LIMIT,
    failure_reasons,
    first_words,
    platforms_text,
    post_summary,
    tooltip_lines,
)

BERLIN = ZoneInfo("Europe/Berlin")


def _huge(n: int = 1000) -> Post:
    targets = [Target("twitter" if i % 2 else "linkedin", f"a{i}", status="failed" if i % 3 else "published",
                      error_message="E" * 5000) for i in range(n)]
    return Post(late_id="f" * 24, content="word " * 20_000, targets=targets,
                scheduled_for=datetime(2027, 3, 10, 9, tzinfo=UTC), status="partial", sync_state="synced")


def test_a_thousand_platforms_make_a_short_tooltip_that_still_counts_them_all():
    lines = tooltip_lines(_huge(), BERLIN)
    assert len(lines) <= LISTED_TARGETS + 6
    assert sum(len(line.text) for line in lines) < 3000
    summary = next(line.text for line in lines if "platforms in all" in line.text)
    assert "1,000 platforms in all" in summary and "666 failed" in summary and "334 published" in summary


def test_failure_reasons_name_a_few_and_count_the_rest():
    reasons = failure_reasons(_huge())
    assert len(reasons) == LISTED_REASONS + 1
    assert all(len(r) <= REASON_LIMIT + 20 for r in reasons)
    assert reasons[-1] == "663 more platforms failed."


def test_the_list_row_counts_platforms_instead_of_naming_each():
    assert platforms_text(_huge()) == "1,000 platforms: 666 failed, 334 published"
    small = _huge(2)
    assert platforms_text(small) == "LinkedIn published, X failed"


def test_first_words_of_a_long_text_are_those_of_the_whole_text():
    post = _huge(1)
    whole = " ".join(post.content.split())
    assert post_summary(post) == whole[:79].rstrip() + "…"
    spaced = "  \n ".join(["word"] * 30_000)  # whitespace runs do not change the words shown
    assert first_words(spaced, 20) == " ".join(spaced.split())[:19].rstrip() + "…"


def test_counting_a_100_kb_text_for_many_accounts_counts_it_once_per_rule():
    from latecal.core.text import _count

    text = "word, with a link https://example.com/x " * 2500
    before = _count.cache_info()
    counts = {count_text(text, platform) for platform in ("twitter", "bluesky", "threads") for _ in range(300)}
    after = _count.cache_info()
    assert after.misses - before.misses == 3  # X's weighting, Bluesky's graphemes, code points: once each
    assert len(counts) == 2  # Bluesky and Threads both count this ASCII text in characters; X weighs its link
