"""The post editor: one non-modal window per post, validated live against core's rules, autosaved as you type.

Its sections (accounts, text per account, media, when, conflict, results) are widgets of their own; what it does
with its post is split by concern: ``saving`` (saves through the operation runner, the status line),
``following`` (the stored post changed elsewhere) and ``conflict`` (the way out of a conflict). Store changes
reach it through the window's change relay; it skips its own echo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit, QWidget

from latecal.core.lifecycle import takes_changes
from latecal.core.models import Post, Target
from latecal.core.snapshot import EditorSnapshot, apply_snapshot, autosave_key, own_times_of, whole_minute
from latecal.core.status import SyncState
from latecal.core.text import parse_hashtags
from latecal.core.validation import Problem
from latecal.core.zones import is_valid_zone
from latecal.presentation import editor_texts as texts
from latecal.presentation.posts import post_summary
from latecal.ui.editor import repeat_section
from latecal.ui.editor.checking import Checking
from latecal.ui.editor.close_question import CANCEL, DISCARD, SAVE, ask_unsaved_changes
from latecal.ui.editor.conflict import ConflictChoice
from latecal.ui.editor.following import Following
from latecal.ui.editor.form import apply_colours, build_form, fix_tab_order
from latecal.ui.editor.queueing import Queueing
from latecal.ui.editor.saving import Saving

VALIDATE_DELAY_MS = 150
AUTOSAVE_DELAY_MS = 500
#: the minute check runs this long after the clock's minute turns, so the clock has surely passed it
MINUTE_MARGIN_MS = 50
DEFAULT_SIZE = QSize(760, 860)  # with its title bar, fits the free area of a 1080p screen; smaller ones shrink it
SCREEN_MARGIN = 24  # kept free around the editor on a screen too small for the default size
TITLE_BAR = 32  # the window manager's title bar: not part of the size we set, still on the screen


def _local_files(mime) -> list[str]:
    if mime is None or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class PostEditor(Checking, Saving, Following, ConflictChoice, Queueing, QWidget):
    #: the post as stored after a save
    saved = Signal(object)
    #: the editor closed for good: its post's local id
    editor_closed = Signal(str)

    def __init__(self, store, post: Post, *, is_new: bool, zone: ZoneInfo, runner, relay,
                 clock: Callable[[], datetime] | None = None, sync_provider: Callable[[], object | None] | None = None,
                 uploader=None, url_opener: Callable[[str], object] | None = None,
                 delete_handler: Callable[[str, QWidget], object] | None = None,
                 retry_handler: Callable[[str], object] | None = None,
                 conflict_handler: Callable[[str, str], object] | None = None,
                 is_copy: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.store = store
        self.runner = runner  # every save is an operation in the one undo history
        self.post = post  # the stored version (or a fresh one): source of the fields the user does not edit
        self.is_new = is_new
        self.is_copy = is_copy  # a duplicate just made from another post: the title says so
        self.display_zone = zone
        self.clock = clock or (lambda: datetime.now(UTC))
        self.sync_provider = sync_provider or (lambda: None)
        self.url_opener = url_opener
        self.delete_handler = delete_handler
        self.retry_handler = retry_handler
        #: resolves a conflict: (local id, "local" | "remote"); the window writes the store, not the editor
        self.conflict_handler = conflict_handler
        self.confirm_box: QMessageBox | None = None
        self._taking_remote = False  # "Take Late's version" chosen; the fields reload once the store has it
        #: injectable close question: returns "save", "discard" or "cancel"
        self.ask_unsaved: Callable[[PostEditor], str] = ask_unsaved_changes
        self.accounts = {a.id: a for a in store.accounts()}
        self.profiles = {p.id: p for p in store.profiles()}
        self.problems: list[Problem] = []
        self.late_message = ""
        self._baseline = ""
        self._loading = False
        self._closing_for_good = False
        self._save_error = ""  # why the last _save failed (shown where the action that needed it was started)

        self.setWindowTitle("New post" if is_new else "Edit post")
        self.resize(DEFAULT_SIZE)
        self.setAcceptDrops(True)
        build_form(self)
        self.repeat = repeat_section.attach(self)
        self.media.set_uploader(uploader)
        self._connect()
        apply_colours(self)
        fix_tab_order(self)
        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.revalidate)
        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self.autosave_now)
        # the chosen minute may pass while the editor is open: Schedule follows the clock, not only clicks
        self._minute_timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)  # coarse: ±5 %
        self._minute_timer.timeout.connect(self._minute_turned)
        relay.changed.connect(self._on_store_changed)
        self.load(post)
        self._arm_minute_timer()
        if is_copy:
            self.show_note(texts.COPY_NOTE)

    def _connect(self) -> None:
        self.conflict_banner.keep_requested.connect(self.keep_my_version)
        self.conflict_banner.take_requested.connect(self.take_late_version)
        for button, action in ((self.save_draft_button, self.save_draft), (self.schedule_button, self.schedule),
                               (self.publish_button, self.publish_now), (self.delete_button, self.delete),
                               (self.retry_button, self.retry), (self.to_draft_button, self.move_to_draft)):
            button.clicked.connect(action)
        self.results.link_activated.connect(lambda url: self.url_opener(url) if self.url_opener else None)
        for edit in (self.title_edit, self.hashtags_edit):
            edit.textEdited.connect(self._edited)
        self.content_edit.textChanged.connect(self._edited)
        self.picker.changed.connect(self._targets_changed)
        self.custom.edited.connect(self._edited)
        self.custom.account_shown.connect(lambda _account: self.revalidate())  # its counter
        self.when.edited.connect(self._edited)
        self.setup_queueing()
        self.media.edited.connect(self._media_edited)
        self.media.progressed.connect(lambda: self._validate_timer.isActive() or self._validate_timer.start())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the system switched between light and dark
            apply_colours(self)
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._minute_turned()  # back after a sleep: timers wait out the time the machine slept

    def _arm_minute_timer(self) -> None:
        """Wake at the next turn of the minute on the editor's clock (a past time is refused per minute)."""
        now = self.clock()
        self._minute_timer.start(60_000 - now.second * 1000 - now.microsecond // 1000 + MINUTE_MARGIN_MS)

    def _minute_turned(self) -> None:
        if self._closing_for_good:
            return
        self.revalidate()  # e.g. the chosen time has now passed: Schedule turns off and the problem says why
        self._arm_minute_timer()

    # -- loading and reading the form ------------------------------------------------------------------

    def load(self, post: Post, snapshot: EditorSnapshot | None = None) -> None:
        """Fill the form from ``post`` (and the user's unsaved ``snapshot`` on top, after a restore)."""
        self._loading = True
        self.post = post
        snap = snapshot or self._snapshot_of(post)
        # only what differs is set: setting a field resets its cursor and its undo history, and a save coming
        # back from Late (the same text) must not move the caret of someone still typing
        for edit, text in ((self.title_edit, snap.title), (self.hashtags_edit, snap.hashtags)):
            if edit.text() != text:
                edit.setText(text)
        if self.content_edit.toPlainText() != snap.content:
            self.content_edit.setPlainText(snap.content)
        targets = snap.targets or []
        self.picker.load(snap, post)
        self.custom.load({t.account_id: t.custom_content or "" for t in targets})
        self.when.set_explicit_zone(snap.timezone)
        self.media.load(snap.media or [])
        self.when.set_when(snap.scheduled_for)
        self._rebuild_custom_tabs()
        self._loading = False
        self._baseline = (self.snapshot() if snapshot is None else self._snapshot_of(post)).comparable()
        self.late_message = post.sync_error if post.sync_state == SyncState.REJECTED else ""
        self._apply_state()
        self.revalidate()

    def _snapshot_of(self, post: Post) -> EditorSnapshot:
        return EditorSnapshot(
            local_id=post.local_id,
            is_new=self.is_new,
            title=post.title,
            content=post.content,
            hashtags=" ".join(post.hashtags),
            targets=[Target(t.platform, t.account_id, custom_content=t.custom_content or None) for t in post.targets],
            media=[replace(m) for m in post.media],
            scheduled_for=whole_minute(post.scheduled_for),
            timezone=post.timezone,
            target_times=own_times_of(post),
        )

    def snapshot(self) -> EditorSnapshot:
        """The form as the user left it."""
        targets = []
        for platform, account_id in self.picker.selected():
            custom = self.custom.text(account_id)
            targets.append(Target(platform, account_id, custom_content=custom if custom.strip() else None))
        return EditorSnapshot(
            local_id=self.post.local_id,
            is_new=self.is_new,
            title=self.title_edit.text(),
            content=self.content_edit.toPlainText(),
            hashtags=self.hashtags_edit.text(),
            targets=targets,
            media=self.media.items(),
            scheduled_for=self.when.scheduled_utc(),
            timezone=self.when.explicit_zone,
            target_times=self.picker.times.own_times(),
        )

    def current_post(self) -> Post:
        snap = self.snapshot()
        return apply_snapshot(self.post, snap, parse_hashtags(snap.hashtags))

    def summary(self) -> str:
        return post_summary(self.current_post())

    def selected_targets(self) -> list[Target]:
        return [Target(p, a) for p, a in self.picker.selected()]

    @property
    def key(self) -> str:
        return autosave_key(self.post.local_id, is_new=self.is_new)

    @property
    def local_id(self) -> str:
        return self.post.local_id

    def is_dirty(self) -> bool:
        return self.snapshot().comparable() != self._baseline

    @property
    def read_only(self) -> bool:
        return not takes_changes(self.post)

    def default_zone_and_profile(self) -> tuple[str, str | None]:
        """The profile's zone of the first selected account (and the profile's name), else the calendar's."""
        for _platform, account_id in self.picker.selected():
            account = self.accounts.get(account_id)
            profile = self.profiles.get(account.profile_id) if account else None
            if profile and profile.timezone and is_valid_zone(profile.timezone):
                return profile.timezone, profile.name or ""
            break
        return self.display_zone.key, None

    def effective_zone(self) -> str:
        return self.when.effective_zone()

    # -- edits ------------------------------------------------------------------------------------------

    def _edited(self, *_args) -> None:
        if self._loading:
            return
        self.when.update_widgets()
        self._validate_timer.start()
        self._autosave_timer.start()
        if self._save_error:  # why the last save kept nothing no longer holds for what is typed now
            self._save_error = ""
            self.refresh_status()

    def _targets_changed(self) -> None:
        if self._loading:
            return
        self.when.follow_default_zone()
        self._rebuild_custom_tabs()
        self._edited()

    def _media_edited(self) -> None:
        fix_tab_order(self)  # new rows sit where they are shown in the Tab order, not after the buttons
        self._edited()
        self.revalidate()

    def _rebuild_custom_tabs(self) -> None:
        self.custom.rebuild(self.picker.selected(), self.accounts, read_only=self.read_only)
        fix_tab_order(self)

    # -- state (read-only, results, banner) ---------------------------------------------------------------

    def _apply_state(self) -> None:
        read_only = self.read_only
        for edit in (self.title_edit, self.content_edit, self.hashtags_edit):
            edit.setReadOnly(read_only)
        self.picker.set_read_only(read_only)
        self.media.set_read_only(read_only)
        self.setAcceptDrops(not read_only)
        self.custom.set_read_only(read_only)
        self.when.set_read_only(read_only)
        self.results.set_post(self.post, self.accounts)
        self._update_conflict()
        self.refresh_status()
        self.setWindowTitle(texts.window_title(self.post, is_new=self.is_new, read_only=read_only,
                                               is_copy=self.is_copy))

    def place_over(self, anchor: QWidget) -> None:
        """Fit the default size into the free area of ``anchor``'s screen and centre the editor on ``anchor``,
        never past the screen's edges."""
        m = SCREEN_MARGIN
        room = anchor.screen().availableGeometry().adjusted(m, m, -m, -m)
        size = DEFAULT_SIZE.boundedTo(QSize(room.width(), room.height() - TITLE_BAR))
        self.resize(size)
        frame = QRect(QPoint(0, 0), QSize(size.width(), size.height() + TITLE_BAR))
        frame.moveCenter(anchor.frameGeometry().center())
        x = min(max(frame.left(), room.left()), room.right() + 1 - frame.width())
        y = min(max(frame.top(), room.top()), room.bottom() + 1 - frame.height())
        self.move(x, y)  # a window's position is its frame's

    def show_note(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def show_late_rejection(self, message: str) -> None:
        """Late's own 400 message for this post (from the sync report), shown like every other problem."""
        self.late_message = message
        self.revalidate()

    def set_uploader(self, uploader) -> None:
        self.media.set_uploader(uploader)

    def late_answered(self) -> None:
        """A sync reached Late: uploads that failed for want of a connection start again by themselves."""
        if not self._closing_for_good:
            self.media.late_answered()

    def dragEnterEvent(self, event) -> None:
        if not self.read_only and _local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event) -> None:
        files = _local_files(event.mimeData())
        if self.read_only or not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.media.add_files(files)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop) and _local_files(
            event.mimeData()
        ):
            if kind == QEvent.Type.Drop:
                self.dropEvent(event)
            else:
                self.dragEnterEvent(event)
            return True
        return super().eventFilter(watched, event)

    # -- autosave and closing ---------------------------------------------------------------------------

    def autosave_now(self) -> None:
        self._autosave_timer.stop()
        if self._closing_for_good or (self.read_only and not self.is_dirty()):
            return  # (a read-only editor is dirty only when Late took the post over while the user typed)
        if self.is_dirty():
            snap = self.snapshot()
            snap.saved_at = self.clock().isoformat()
            self.store.save_autosave(self.key, snap.to_json())
        else:
            self.store.clear_autosave(self.key)

    def close_without_asking(self) -> None:
        self._closing_for_good = True
        self.close()

    def discard(self) -> None:
        self.store.clear_autosave(self.key)
        self.close_without_asking()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:  # a field that wants Escape (a popup) has already taken it
            self.close()  # asks first when something is unsent
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        if not self._closing_for_good and self.is_dirty():
            answer = self.ask_unsaved(self)
            if answer == CANCEL:
                event.ignore()
                return
            if answer == SAVE and self.save_in_place() is None:
                event.ignore()
                return
            if answer == DISCARD:
                self.store.clear_autosave(self.key)
        self._closing_for_good = True
        self._autosave_timer.stop()
        self._validate_timer.stop()
        self._minute_timer.stop()
        self.media.cancel_all()
        super().closeEvent(event)
        self.editor_closed.emit(self.post.local_id)

    def custom_edit(self, account_id: str) -> QPlainTextEdit:
        return self.custom.show_account(account_id)
