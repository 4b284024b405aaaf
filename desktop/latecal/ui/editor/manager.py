"""One editor per post: opening raises an existing one; new posts, duplicates and crash restores land here.
A new editor opens centred on the calendar window, sized to fit its screen.

``restore_autosaves(window)`` is called once at start-up: every editor that had unsaved text when the app
last stopped (or crashed) reopens with that text and a note saying so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from latecal.core.models import Post
from latecal.core.snapshot import NEW_KEY_PREFIX, EditorSnapshot
from latecal.presentation import editor_texts as texts
from latecal.presentation import messages as say
from latecal.presentation.time_format import relative_when

if TYPE_CHECKING:
    from latecal.ui.editor.window import PostEditor

log = logging.getLogger(__name__)


class Commands(Protocol):
    """The window's post commands an editor hands its requests to."""

    def request_delete(self, local_id: str, asker: QWidget | None = None) -> None: ...
    def retry_post(self, local_id: str) -> bool: ...
    def resolve_conflict(self, local_id: str, keep: str) -> bool: ...
    def open_published_url(self, url: str) -> None: ...


class EditorHost(Protocol):
    """What the editors need of the calendar window (a QWidget: editors open centred on it)."""

    store: object
    zone: ZoneInfo
    clock: Callable[[], datetime]
    runner: object
    relay: QObject
    commands: Commands
    sync: QObject | None

    def say(self, message: say.Message) -> None: ...


class EditorManager(QObject):
    def __init__(self, window: EditorHost) -> None:
        super().__init__(window)  # type: ignore[arg-type]
        self.window = window
        self.store = window.store
        self.editors: dict[str, PostEditor] = {}
        self.uploader = None
        if window.sync is not None:
            self.attach_sync(window.sync)

    # -- the window's services -----------------------------------------------------------------------------

    def attach_sync(self, sync) -> None:
        sync.finished.connect(self._on_sync_finished)

    def attach_uploader(self, uploader) -> None:
        self.uploader = uploader
        for editor in self.editors.values():
            editor.set_uploader(uploader)

    # -- opening ---------------------------------------------------------------------------------------

    def _make(self, post: Post, *, is_new: bool, is_copy: bool = False) -> PostEditor:
        # imported on the first editor: the editor, media and validation modules (and asyncio) stay off the
        # window's first paint
        from latecal.ui.editor.window import PostEditor

        w, commands = self.window, self.window.commands
        editor = PostEditor(
            self.store, post, is_new=is_new, zone=w.zone, runner=w.runner, relay=w.relay, clock=w.clock,
            sync_provider=lambda: w.sync, uploader=self.uploader, url_opener=commands.open_published_url,
            delete_handler=commands.request_delete, retry_handler=commands.retry_post,
            conflict_handler=commands.resolve_conflict, is_copy=is_copy,
        )
        editor.place_over(w)  # type: ignore[arg-type]
        self.editors[post.local_id] = editor
        editor.editor_closed.connect(self._forget)
        return editor

    def _show(self, editor: PostEditor) -> PostEditor:
        editor.show()
        if QGuiApplication.platformName() != "offscreen":  # offscreen warns "does not support raise()"
            editor.raise_()
        editor.activateWindow()
        return editor

    def open_post(self, local_id: str, *, is_copy: bool = False) -> PostEditor | None:
        """The post's editor, raised if it is open; ``is_copy``: the post was just duplicated from another."""
        existing = self.editors.get(local_id)
        if existing is not None:
            return self._show(existing)
        post = self.store.get_post(local_id)
        if post is None:
            self.window.say(say.problem(say.GONE))
            return None
        return self._show(self._make(post, is_new=False, is_copy=is_copy))

    def new_post(self, when: datetime | None = None) -> PostEditor:
        return self._show(self._make(Post(scheduled_for=when), is_new=True))

    def follow_copy(self, was_id: str, copy: Post) -> None:
        """An undo brought a deleted post back as a draft copy: its open editor, with the user's unsaved
        text, now edits the copy (instead of offering to save a second one)."""
        editor = self.editors.pop(was_id, None)
        if editor is not None:
            editor.follow_copy(copy)
            self.editors[copy.local_id] = editor

    def _forget(self, local_id: str) -> None:
        editor = self.editors.pop(local_id, None)
        if editor is not None:
            editor.deleteLater()

    def close_all(self) -> None:
        """The app is closing: unsaved text stays in the autosave table and comes back on the next start."""
        for editor in list(self.editors.values()):
            editor.autosave_now()
            editor.close_without_asking()

    # -- Late's verdict ------------------------------------------------------------------------------------

    def _on_sync_finished(self, report) -> None:
        for local_id, message in report.rejected.items():
            editor = self.editors.get(local_id)
            if editor is not None:
                editor.show_late_rejection(message)
        for editor in self.editors.values():
            editor.refresh_status()  # "sending…" becomes "when the connection is back" after an offline run
            if not report.offline:
                editor.late_answered()

    # -- crash recovery ------------------------------------------------------------------------------------

    def restore(self) -> list[PostEditor]:
        restored = []
        for key, data in self.store.load_autosaves().items():
            try:
                snap = EditorSnapshot.from_json(data)
            except (ValueError, KeyError, TypeError):
                log.warning("dropping an unreadable editor autosave %s", key)
                self.store.clear_autosave(key)
                continue
            editor = self._restore_one(key, snap)
            if editor is not None:
                restored.append(editor)
        return restored

    def _saved_when(self, snap: EditorSnapshot) -> str:
        """" (last typed today at 21:17)" in the calendar's zone and clock format; "" when unknown."""
        try:
            saved = datetime.fromisoformat(snap.saved_at)
        except ValueError:
            return ""
        if saved.tzinfo is None:
            saved = saved.replace(tzinfo=UTC)  # autosaves are written with the app's UTC clock
        return texts.last_typed(relative_when(saved, self.window.zone, self.window.clock()))

    def _restore_one(self, key: str, snap: EditorSnapshot) -> PostEditor | None:
        when = self._saved_when(snap)
        stored = None if key.startswith(NEW_KEY_PREFIX) else self.store.get_post(key)
        if stored is None and snap.is_blank():
            self.store.clear_autosave(key)  # an empty new post (a stray tab, say) is nothing to bring back
            return None
        if stored is None:
            # a new post, or one deleted since: its text comes back as a new, unsaved post
            base = Post(local_id=snap.local_id)
            if self.store.get_post(snap.local_id, include_deleted=True) is not None:
                base = Post()
            snap.is_new = True
            snap.local_id = base.local_id
            editor = self._make(base, is_new=True)
            deleted = not key.startswith(NEW_KEY_PREFIX)
            note = texts.restored_note(when, is_new=True, deleted=deleted)
            if deleted:
                self.store.clear_autosave(key)
        elif snap.local_id in self.editors:
            return self._show(self.editors[snap.local_id])
        else:
            editor = self._make(stored, is_new=False)
            # Late published it (or started to) since: the changes can only be a new post
            note = texts.restored_note(when, taken_over_since=editor.read_only)
        editor.load(editor.post, snap)
        if not editor.is_dirty():  # only whitespace differs from the stored post: nothing to bring back
            editor.discard()
            return None
        editor.show_note(note)
        editor.autosave_now()
        return self._show(editor)


def restore_autosaves(window) -> list[PostEditor]:
    """Reopen every editor that had unsaved text when the app stopped; call once after the window is shown."""
    return window.editors.restore()
