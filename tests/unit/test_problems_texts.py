"""The Problems panel's words and the stuck line of a post's tooltip (presentation only: no Qt)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from latecal.core.models import Account, Post, Target
from latecal.core.problems import AccountIssue, AccountProblem, ProblemKind
from latecal.presentation import problems_texts as words
from latecal.presentation.posts import stuck_text, tooltip_lines

BERLIN = ZoneInfo("Europe/Berlin")
DUE = datetime(2027, 3, 10, 17, 8, tzinfo=UTC)  # 18:08 in Berlin


def publishing() -> Post:
    return Post(content="Doors open", status="publishing", scheduled_for=DUE,
                targets=[Target("linkedin", "a1", status="processing"), Target("twitter", "a2", status="published")])


def test_a_stuck_post_says_since_when_and_each_platforms_state():
    post = publishing()
    now = DUE + timedelta(minutes=16, seconds=40)
    assert stuck_text(post, now, BERLIN) == "Publishing since 18:08 (16 min)"
    assert stuck_text(post, DUE + timedelta(hours=2, minutes=5), BERLIN) == "Publishing since 18:08 (2 h 5 min)"
    first, details = words.post_row(ProblemKind.STUCK, post, now, BERLIN)
    assert first == "Stuck publishing: “Doors open”"
    assert details == ["Publishing since 18:08 (16 min)", "LinkedIn: Processing", "X: Published"]


def test_the_tooltip_flags_a_stuck_post_only_past_the_setting():
    post = publishing()
    texts = [line.text for line in tooltip_lines(post, BERLIN, now=DUE + timedelta(minutes=16))]
    assert "Publishing since 18:08 (16 min): Late has not finished it yet." in texts
    later = tooltip_lines(post, BERLIN, now=DUE + timedelta(minutes=16), stuck_after=timedelta(minutes=20))
    assert not any(line.text.startswith("Publishing since") for line in later)
    assert not any(line.text.startswith("Publishing since")
                   for line in tooltip_lines(post, BERLIN, now=DUE + timedelta(minutes=3)))


def test_badge_heading_and_account_words():
    assert (words.badge(0), words.badge(3)) == ("", "⚠ 3")
    assert (words.heading(0), words.heading(2)) == ("Problems", "Problems (2)")
    expiring = AccountProblem(Account("a1", "bluesky", "p", username="acme"), AccountIssue.EXPIRING,
                              datetime(2027, 3, 13, 9, 0, tzinfo=UTC))
    assert words.account_row(expiring, BERLIN) == ("Bluesky · acme: connection expires Sat 13 Mar 10:00",
                                                   ["Reconnect it in Late before then so its posts still go out."])
