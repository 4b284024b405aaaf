"""What a sync run writes down for the user: why Late refused a post (kept with the post, shown in its editor
and tooltip) and the errors a run met (shown in the message bar)."""

from __future__ import annotations

from latecal.core.models import Post

CONFLICT_WHILE_SENDING = ("Late's copy of this post was changed there while it was being sent from here. "
                          "Keep yours or take Late's.")
DELETED_WHILE_CHANGED = "Late deleted this post while your changes to it were not sent."


def short_title(post: Post) -> str:
    """A post named in a sync message: its title or text, 40 characters at most."""
    text = post.title or " ".join(post.content.split())
    return text[:40] + ("…" if len(text) > 40 else "") or "Untitled post"


def could_not_merge(late_id: str | None, error: object) -> str:
    return f"Post {late_id} could not be merged: {error}"


def could_not_check(post: Post, error: object) -> str:
    return f"Late's copy of “{short_title(post)}” could not be checked: {error}"


def changed_while_edited(late_status: str) -> str:
    return (f"Late changed this post (now {late_status}) while you had edits that were not sent yet. "
            "Keep yours or take Late's.")


def could_not_send(kind: str) -> str:
    return f"The app could not send this post ({kind})."


def never_uploaded(filename: str) -> str:
    return (f"{filename or 'An attachment'} was never uploaded to Late, so the post was not sent. Open it to "
            "upload the file again, or remove it.")


def same_text_within_a_day(twin: Post | None) -> str:
    named = f" (“{short_title(twin)}”)" if twin is not None else ""
    return (f"Late already has the same text for this account from the last 24 hours{named}. "
            "Change the text a little to post it again.")


def sent_again_after_deletion(post: Post) -> str:
    return f"“{short_title(post)}” had been deleted on Late; your edited version was sent again."


# -- a step of a run that failed: the run says so (never "Synced") and goes on where it can -----------------------
# ``cause`` is a store problem in words (``store_texts.cause``: "the disk is full"); ``detail`` is the error's text.


def could_not_save_changes(cause: str) -> str:
    return f"Could not save Late's changes: {cause}"


def could_not_save_accounts(cause: str) -> str:
    return f"Could not save Late's accounts: {cause}"


def could_not_read_posts(detail: str) -> str:
    return f"Could not read Late's posts: {detail}"


def could_not_read_accounts(detail: str) -> str:
    return f"Could not read Late's accounts: {detail}"


def could_not_send_changes(detail: str) -> str:
    return f"Could not send your changes: {detail}"


def sync_stopped(cause: str) -> str:
    return f"Syncing stopped: {cause}"


def sync_crashed(detail: str) -> str:
    return f"Syncing stopped on an unexpected error ({detail}); it is tried again on the next sync."
