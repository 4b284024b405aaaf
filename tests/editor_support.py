"""Shared by the post editor tests: the fixed day, the test accounts and their profiles. A plain module (not a
conftest, not a test module) so any test file can import it."""

from __future__ import annotations

from datetime import date

from latecal.core.models import Account, Profile

WED = date(2027, 3, 10)
X, IG, LI, TH, FB = "acc-twitter", "acc-instagram", "acc-linkedin", "acc-threads", "acc-facebook"


def seed_accounts(store):
    """Two profiles (Berlin, New York) and five accounts, one of them disconnected (shared by test_editor_*)."""
    store.replace_profiles([
        Profile("p-acme", "Acme", "#d62828", "Europe/Berlin", is_default=True),
        Profile("p-nw", "Northwind", "#2a9d8f", "America/New_York"),
    ])
    store.replace_accounts([
        Account(X, "twitter", "p-acme", username="acme"),
        Account(IG, "instagram", "p-acme", username="acme.ig"),
        Account(LI, "linkedin", "p-acme", username="acme-li"),
        Account(TH, "threads", "p-acme", username="acme.th", needs_reconnection=True),
        Account(FB, "facebook", "p-nw", username="northwind"),
    ])
    return store


def tick(editor, *accounts: str) -> None:
    for account_id in accounts:
        editor.picker.checks[account_id].setChecked(True)


def close_quietly(editor) -> None:
    """Close without the unsaved-changes question (answered "Discard")."""
    from latecal.ui.editor.close_question import DISCARD

    editor.ask_unsaved = lambda _e: DISCARD
    editor.close()


def png_bytes() -> bytes:
    from latecal.sandbox.media import _png

    return _png(32, 24, (200, 80, 40))


def standalone_editor(store, post, **kw):
    """A post editor on its own, without a calendar window: with the operation runner and the change relay a
    window would give it (both owned by the editor)."""
    from latecal.ui.app.operation_runner import OperationRunner
    from latecal.ui.editor.window import PostEditor
    from latecal.ui.widgets.change_relay import ChangeRelay

    runner = OperationRunner(store, zone=kw["zone"], clock=kw.get("clock"))
    relay = ChangeRelay(store)
    editor = PostEditor(store, post, runner=runner, relay=relay, **kw)
    runner.setParent(editor)
    relay.setParent(editor)
    return editor
