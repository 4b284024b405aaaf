"""Small side tables of the store: the accounts and profiles cache, meta values and editor autosaves.

A mixin of :class:`latecal.store.Store`: it uses the store's transaction helpers.
"""

from __future__ import annotations

import json

from latecal.core.models import Account, Profile
from latecal.store.codec import from_us, to_us


class Caches:

    def replace_accounts(self, accounts: list[Account]) -> None:
        with self._write(durable=False):
            self._db.execute("DELETE FROM accounts")
            self._db.executemany(
                "INSERT INTO accounts (id, position, platform, profile_id, username, display_name, avatar_url, "
                "is_active, needs_reconnection, is_premium, can_post, token_expires_us, issues) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (a.id, i, a.platform, a.profile_id, a.username, a.display_name, a.avatar_url,
                     int(a.is_active), int(a.needs_reconnection), int(a.is_premium), int(a.can_post),
                     to_us(a.token_expires_at), json.dumps(list(a.issues)))
                    for i, a in enumerate(accounts)
                ],
            )

    def accounts(self) -> list[Account]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, platform, profile_id, username, display_name, avatar_url, is_active, "
                "needs_reconnection, is_premium, can_post, token_expires_us, issues FROM accounts ORDER BY position"
            ).fetchall()
        return [
            Account(id=r["id"], platform=r["platform"], profile_id=r["profile_id"], username=r["username"],
                    display_name=r["display_name"], avatar_url=r["avatar_url"], is_active=bool(r["is_active"]),
                    needs_reconnection=bool(r["needs_reconnection"]), is_premium=bool(r["is_premium"]),
                    can_post=bool(r["can_post"]), token_expires_at=from_us(r["token_expires_us"]),
                    issues=tuple(json.loads(r["issues"])))
            for r in rows
        ]

    def replace_profiles(self, profiles: list[Profile]) -> None:
        with self._write(durable=False):
            self._db.execute("DELETE FROM profiles")
            self._db.executemany(
                "INSERT INTO profiles (id, position, name, color, timezone, is_default) VALUES (?, ?, ?, ?, ?, ?)",
                [(p.id, i, p.name, p.color, p.timezone, int(p.is_default)) for i, p in enumerate(profiles)],
            )

    def profiles(self) -> list[Profile]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, name, color, timezone, is_default FROM profiles ORDER BY position"
            ).fetchall()
        return [Profile(id=r["id"], name=r["name"], color=r["color"], timezone=r["timezone"],
                        is_default=bool(r["is_default"])) for r in rows]

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else row["value"]

    def set_meta(self, key: str, value: str | None) -> None:
        """Store a value; ``None`` removes the key."""
        with self._write(durable=False):
            if value is None:
                self._db.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self._db.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    # ------------------------------------------------------------------ editor autosave

    def save_autosave(self, key: str, data: str) -> None:
        """Keep the open editor's state (JSON text) under a post's local id or ``new:<uuid>``."""
        with self._write(durable=False):
            self._db.execute(
                "INSERT INTO editor_autosave (key, data, saved_us) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET data = excluded.data, saved_us = excluded.saved_us",
                (key, data, self._now_us()),
            )

    def load_autosaves(self) -> dict[str, str]:
        """Every autosave, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT key, data FROM editor_autosave ORDER BY saved_us, key").fetchall()
        return {r["key"]: r["data"] for r in rows}

    def clear_autosave(self, key: str) -> None:
        with self._write(durable=False):
            self._db.execute("DELETE FROM editor_autosave WHERE key = ?", (key,))
