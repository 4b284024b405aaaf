"""The words of the toolbar's "New post" button and of the networks' marks and account pictures."""

from __future__ import annotations

NEW_POST = "New post"
NEW_POST_TIP = "Write a new post on the day shown (N)"
