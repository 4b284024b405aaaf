"""Only web links to public hosts leave the app (issue 15, item 6)."""

from __future__ import annotations

import pytest

from latecal.core.links import LinkRefusal, link_refusal


@pytest.mark.parametrize("url", [
    "https://x.com/acme/status/1",
    "http://www.linkedin.com/feed/update/urn:li:share:1",
    "HTTPS://BSKY.APP/profile/acme/post/3k",
    "https://8.8.8.8/page",
    "https://www.youtube.com/watch?v=abc&t=1s",
])
def test_web_links_to_public_hosts_may_open(url):
    assert link_refusal(url) is None


@pytest.mark.parametrize(("url", "why"), [
    ("file:///etc/passwd", LinkRefusal.NOT_WEB),
    ("javascript:alert(1)", LinkRefusal.NOT_WEB),
    ("data:text/html,<script>x</script>", LinkRefusal.NOT_WEB),
    ("ftp://x.com/a", LinkRefusal.NOT_WEB),
    ("x.com/acme", LinkRefusal.NOT_WEB),
    ("https:///just/a/path", LinkRefusal.NO_HOST),
    ("http://169.254.169.254/latest/meta-data/", LinkRefusal.PRIVATE_HOST),
    ("https://127.0.0.1:8080/", LinkRefusal.PRIVATE_HOST),
    ("https://[::1]/", LinkRefusal.PRIVATE_HOST),
    ("https://[::ffff:10.0.0.1]/", LinkRefusal.PRIVATE_HOST),
    ("https://192.168.1.1/admin", LinkRefusal.PRIVATE_HOST),
    ("https://localhost/", LinkRefusal.PRIVATE_HOST),
    ("https://printer.local/", LinkRefusal.PRIVATE_HOST),
    ("https://intranet/", LinkRefusal.PRIVATE_HOST),
    ("https://2130706433/", LinkRefusal.PRIVATE_HOST),  # 127.0.0.1 as one number
    ("https://0x7f.1/", LinkRefusal.PRIVATE_HOST),
    ("https://x.com@10.0.0.1/", LinkRefusal.MALFORMED),  # reads as x.com, goes to 10.0.0.1
    ("https://x.com/a b", LinkRefusal.MALFORMED),
    ("https://x.com/\nfile:///etc/passwd", LinkRefusal.MALFORMED),
    ("https://x.com:port/", LinkRefusal.MALFORMED),
    ("https://x.com/" + "a" * 5000, LinkRefusal.MALFORMED),
    ("", LinkRefusal.MALFORMED),
])
def test_everything_else_is_refused_with_its_reason(url, why):
    assert link_refusal(url) == why
