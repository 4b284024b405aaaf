"""The post editor: one non-modal window per post, validated live against core's rules, autosaved as you type.

Saving is one ``store.save_post`` (row + outbox entry in one transaction) followed by ``sync_now()``; the
calendar picks the change up from the store like any other. Uploads run as asyncio tasks the editor keeps
references to; a post cannot be scheduled while one is pending, failed or cancelled.

The status line and the conflict banner follow the stored post's sync state. Settling a conflict is the window's
job (``conflict_handler(local_id, "local" | "remote")``); the editor reloads its fields once Late's version is in.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, QRect, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from latecal.core.models import Post, Target
from latecal.core.platforms import display_name, glyph
from latecal.core.status import is_deletable, is_editable, is_retryable
from latecal.core.text import count_text, own_sentence, parse_hashtags, text_for_target
from latecal.core.validation import UPLOAD_FIELD, Problem, custom_content_field, text_limit, validate_post
from latecal.core.zones import common_zones, is_nonexistent, is_valid_zone, utc_to_wall, wall_to_utc, zone_of
from latecal.ui import time_format
from latecal.ui.editor_accounts import AccountPicker
from latecal.ui.editor_conflict import ConflictBanner, conflict_lines
from latecal.ui.editor_feedback import CounterRow, ProblemLabel, ScheduleReasons, tones
from latecal.ui.editor_results import ResultsPanel
from latecal.ui.editor_state import EditorSnapshot, apply_snapshot, autosave_key, canonical_targets, whole_minute
from latecal.ui.media_files import file_problems, media_item_for_file, shape_problem
from latecal.ui.media_list import (
    CANCELLED,
    FAILED,
    UPLOADED,
    UPLOADING,
    WAITING,
    MediaEntry,
    MediaList,
)
from latecal.ui.media_uploader import NOT_CONNECTED, is_connection_failure, upload_error_text
from latecal.ui.palette import status_label
from latecal.ui.post_actions import duplicate_of, keeps_as_copy
from latecal.ui.post_item import failure_reasons, first_words, post_summary, quoted

VALIDATE_DELAY_MS = 150
AUTOSAVE_DELAY_MS = 500
MEDIA_FILTER = "Images and videos (*.png *.jpg *.jpeg *.gif *.webp *.mp4 *.mov *.m4v *.webm *.pdf);;All files (*)"

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
DELETED_NOTE = "This post was deleted. Your text is still here: Ctrl+S saves it as a new draft."
#: Late refuses the same text and media for the same account within 24 hours of the first (§2.7 rule 3)
COPY_NOTE = ("A copy: Late refuses the same text for the same account within 24 hours of the original, "
             "so change the text a little before you schedule it.")
KEEP_LOCAL, KEEP_REMOTE = "local", "remote"  # conflict_handler's choices

DEFAULT_SIZE = QSize(760, 860)  # with its title bar, fits the free area of a 1080p screen; smaller ones shrink it
SCREEN_MARGIN = 24  # kept free around the editor on a screen too small for the default size
TITLE_BAR = 32  # the window manager's title bar: not part of the size we set, still on the screen


def ask_unsaved_changes(editor: PostEditor) -> str:
    """The default close question: a plain modal box, run from closeEvent (a normal slot, never a coroutine)."""
    box = unsaved_changes_box(editor)
    box.exec()
    return box.property("answer") or CANCEL


def unsaved_changes_box(editor: PostEditor) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Unsaved changes",
        f"“{first_words(editor.summary(), 50)}” has changes that are not saved.",
        QMessageBox.StandardButton.NoButton,
        editor,
    )
    if editor.read_only:  # Late started publishing it while the user typed: the changes can only be a new post
        box.setInformativeText(f"The post is {status_label(editor.post.status).lower()} on Late, so your changes "
                               "cannot go to it any more. Save them as a new draft?")
    else:
        box.setInformativeText("Your text is kept on this computer either way until you save or discard it.")
    save = box.addButton("Save as new draft" if editor.read_only else "Save", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    answers = {save: SAVE, discard: DISCARD, cancel: CANCEL}
    box.buttonClicked.connect(lambda b: box.setProperty("answer", answers.get(b, CANCEL)))
    return box


def _local_files(mime) -> list[str]:
    if mime is None or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class PostEditor(QWidget):
    #: the post as stored after a save
    saved = Signal(object)
    #: an upload ended (uploaded, failed or cancelled): its MediaEntry
    upload_finished = Signal(object)
    #: the editor closed for good: its post's local id
    editor_closed = Signal(str)
    _store_changed = Signal(object, object)

    def __init__(
        self,
        store,
        post: Post,
        *,
        is_new: bool,
        zone: ZoneInfo,
        clock: Callable[[], datetime] | None = None,
        sync_provider: Callable[[], object | None] | None = None,
        uploader=None,
        url_opener: Callable[[str], object] | None = None,
        delete_handler: Callable[[str, QWidget], object] | None = None,
        retry_handler: Callable[[str], object] | None = None,
        conflict_handler: Callable[[str, str], object] | None = None,
        is_copy: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.store = store
        self.post = post  # the stored version (or a fresh one): source of the fields the user does not edit
        self.is_new = is_new
        self.is_copy = is_copy  # a duplicate just made from another post: the title says so
        self.display_zone = zone
        self.clock = clock or (lambda: datetime.now(UTC))
        self.sync_provider = sync_provider or (lambda: None)
        self.uploader = uploader
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
        self.entries: list[MediaEntry] = []
        self.problems: list[Problem] = []
        self.late_message = ""
        self._tasks: set[asyncio.Task] = set()
        self._custom_texts: dict[str, str] = {}
        self._custom_widgets: dict[str, tuple[QPlainTextEdit, CounterRow, ProblemLabel]] = {}
        self._explicit_zone: str | None = None
        self._shown_zone = zone.key
        self._second_occurrence: datetime | None = None  # see _set_when
        self._baseline = ""
        self._loading = False
        self._closing_for_good = False
        self._rejected_files: list[str] = []
        self._save_error = ""  # why the last _save failed (shown where the action that needed it was started)

        self.setWindowTitle("New post" if is_new else "Edit post")
        self.resize(DEFAULT_SIZE)
        self.setAcceptDrops(True)
        self._build()
        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.revalidate)
        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self.autosave_now)
        self._store_changed.connect(self._on_store_changed)
        self._unsubscribe = store.subscribe(lambda changes, initiator: self._store_changed.emit(changes, initiator))
        self.load(post)
        if is_copy:
            self.show_note(COPY_NOTE)

    # -- building the form ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = QLabel(self)
        self.banner.setObjectName("editorBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.conflict_banner = ConflictBanner(self)
        self.conflict_banner.keep_requested.connect(self.keep_my_version)
        self.conflict_banner.take_requested.connect(self.take_late_version)
        self.late_problems = ProblemLabel(self)
        self.status_problems = ProblemLabel(self)

        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("Title (for you, and the title on YouTube, Pinterest and Reddit)")
        self.picker_host = QVBoxLayout()
        self.picker = AccountPicker(list(self.accounts.values()), list(self.profiles.values()), self)
        self.picker_host.addWidget(self.picker)
        self.target_problems = ProblemLabel(self)

        self.content_edit = QPlainTextEdit(self)
        self.content_edit.setPlaceholderText("What do you want to say?")
        self.content_edit.setMinimumHeight(120)
        self.content_edit.setTabChangesFocus(True)  # a tab character is never wanted in a post; Tab moves on
        self.counters = CounterRow(self)
        self.content_problems = ProblemLabel(self)
        self.hashtags_edit = QLineEdit(self)
        self.hashtags_edit.setPlaceholderText("#launch #spring — appended to the text on every platform")

        self.custom_tabs = QTabWidget(self)
        self.custom_tabs.setDocumentMode(True)
        self.custom_heading = QLabel(self)

        self.media_list = MediaList(self)
        self.add_media_button = QPushButton("Add images or videos…", self)
        self.add_media_button.clicked.connect(self.pick_files)
        self.media_hint = QLabel("…or drop files here.", self)
        self.media_problems = ProblemLabel(self)

        self.has_time = QCheckBox("Date and time", self)
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.time_edit = QTimeEdit(self)
        self.time_edit.setDisplayFormat(time_format.qt_time_format())
        self.zone_combo = QComboBox(self)
        self.zone_combo.setMinimumContentsLength(22)
        self.when_hint = QLabel(self)
        self.when_hint.setWordWrap(True)
        self.when_problems = ProblemLabel(self)

        self.results = ResultsPanel(self)
        self.results.link_activated.connect(self._open_link)

        self.reasons = ScheduleReasons(self)
        self.status_line = QLabel(self)
        self.status_line.setObjectName("editorStatus")
        self.status_line.setWordWrap(True)

        self.save_draft_button = QPushButton("Save draft", self)
        self.schedule_button = QPushButton("Schedule", self)
        self.schedule_button.setDefault(True)
        self.publish_button = QPushButton("Publish now", self)
        self.delete_button = QPushButton("Delete", self)
        self.retry_button = QPushButton("Retry failed platforms", self)
        self.to_draft_button = QPushButton("Move back to draft", self)
        self.save_draft_button.clicked.connect(self.save_draft)
        self.schedule_button.clicked.connect(self.schedule)
        self.publish_button.clicked.connect(self.publish_now)
        self.delete_button.clicked.connect(self.delete)
        self.retry_button.clicked.connect(self.retry)
        self.to_draft_button.clicked.connect(self.move_to_draft)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Title", self.title_edit)
        accounts = QVBoxLayout()
        accounts.addLayout(self.picker_host)
        accounts.addWidget(self.target_problems)
        form.addRow("Post to", accounts)
        text = QVBoxLayout()
        text.addWidget(self.content_edit)
        text.addWidget(self.counters)
        text.addWidget(self.content_problems)
        form.addRow("Text", text)
        form.addRow("Hashtags", self.hashtags_edit)
        custom = QVBoxLayout()
        custom.addWidget(self.custom_heading)
        custom.addWidget(self.custom_tabs)
        form.addRow(custom)
        media = QVBoxLayout()
        media.addWidget(self.media_list)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_media_button)
        add_row.addWidget(self.media_hint, 1)
        media.addLayout(add_row)
        media.addWidget(self.media_problems)
        form.addRow("Media", media)
        when_row = QHBoxLayout()
        when_row.addWidget(self.has_time)
        when_row.addWidget(self.date_edit)
        when_row.addWidget(self.time_edit)
        when_row.addWidget(self.zone_combo, 1)
        when = QVBoxLayout()
        when.addLayout(when_row)
        when.addWidget(self.when_hint)
        when.addWidget(self.when_problems)
        form.addRow("When", when)
        form.addRow(self.results)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.conflict_banner)
        body_layout.addWidget(self.banner)
        body_layout.addWidget(self.status_problems)
        body_layout.addWidget(self.late_problems)
        body_layout.addLayout(form)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the form wraps to the width
        # not a Tab stop of its own (an empty one between Schedule and Title); it still scrolls to the focused field
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(body)

        buttons = QHBoxLayout()
        for b in (self.delete_button, self.retry_button, self.to_draft_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.save_draft_button, self.publish_button, self.schedule_button):
            buttons.addWidget(b)
        footer = QFrame(self)
        footer.setFrameShape(QFrame.Shape.StyledPanel)
        footer_layout = QVBoxLayout(footer)
        footer_layout.addWidget(self.reasons)
        footer_layout.addWidget(self.status_line)
        footer_layout.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addWidget(footer)
        self.form_scroll = scroll
        self.footer = footer
        self._apply_colours()

        for edit in (self.title_edit, self.hashtags_edit):
            edit.textEdited.connect(self._edited)
        self.content_edit.textChanged.connect(self._edited)
        self.picker.changed.connect(self._targets_changed)
        self.has_time.toggled.connect(self._time_toggled)
        self.date_edit.dateChanged.connect(self._edited)
        self.time_edit.timeChanged.connect(self._edited)
        self.zone_combo.activated.connect(self._zone_picked)
        self.media_list.move_requested.connect(self.move_media)
        self.media_list.remove_requested.connect(self.remove_media)
        self.media_list.cancel_requested.connect(self.cancel_upload)
        self.media_list.retry_requested.connect(self.start_upload)
        self.media_list.alt_text_changed.connect(self._edited)
        # file drops on a text box attach the file instead of pasting its path
        for edit in (self.content_edit, self.title_edit, self.hashtags_edit):
            target = edit.viewport() if isinstance(edit, QPlainTextEdit) else edit
            target.installEventFilter(self)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._schedule_if_enabled)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_in_place)
        self.save_draft_button.setToolTip("Save as a draft (Ctrl+S saves and keeps a scheduled post scheduled)")
        self.schedule_button.setToolTip("Schedule for the time above (Ctrl+Return)")
        self._fix_tab_order()

    def _fix_tab_order(self) -> None:
        """Tab walks the form top to bottom, then the footer's buttons left to right. Qt's default is the
        creation order, which puts the per-account texts and media rows (built later) after the buttons."""
        chain: list[QWidget] = [
            self.conflict_banner.keep_button,
            self.conflict_banner.take_button,
            self.title_edit,
            *self.picker.focus_chain(),
            self.content_edit,
            self.hashtags_edit,
            self.custom_tabs,
            *(edit for edit, _counter, _problems in self._custom_widgets.values()),
            *self.media_list.focus_chain(),
            self.add_media_button,
            self.has_time,
            self.date_edit,
            self.time_edit,
            self.zone_combo,
            self.results.body,
            self.reasons.toggle,
            self.delete_button,
            self.retry_button,
            self.to_draft_button,
            self.save_draft_button,
            self.publish_button,
            self.schedule_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _apply_colours(self) -> None:
        """Every colour the editor sets itself, for the current palette (again when the theme changes)."""
        t = tones()
        self.banner.setStyleSheet(
            f"#editorBanner {{ background: {t.note_bg}; color: {t.note_fg}; padding: 6px; border-radius: 4px; }}"
        )
        self.custom_heading.setText(f"<b>Text per account</b> <span style='color:{t.muted}'>(optional)</span>")
        for label in (self.media_hint, self.when_hint, self.status_line):
            label.setStyleSheet(f"color: {t.muted};")
        for widget in (*self.findChildren(ProblemLabel), *self.findChildren(CounterRow), self.reasons,
                       self.conflict_banner, self.picker):
            widget.refresh_colours()
        self.media_list.set_read_only(self.read_only)  # re-colours the rows
        self.results.set_post(self.post, self.accounts)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the system switched between light and dark
            self._apply_colours()

    # -- loading and reading the form ------------------------------------------------------------------

    def load(self, post: Post, snapshot: EditorSnapshot | None = None) -> None:
        """Fill the form from ``post`` (and the user's unsaved ``snapshot`` on top, after a restore)."""
        self._loading = True
        self.post = post
        snap = snapshot or self._snapshot_of(post)
        self.title_edit.setText(snap.title)
        self.content_edit.setPlainText(snap.content)
        self.hashtags_edit.setText(snap.hashtags)
        targets = snap.targets or []
        self.picker.set_targets(targets)
        self._custom_texts = {t.account_id: t.custom_content or "" for t in targets}
        self._explicit_zone = snap.timezone if snap.timezone and is_valid_zone(snap.timezone) else None
        self._set_entries([MediaEntry(replace(m), state=UPLOADED if m.url else WAITING) for m in snap.media or []])
        self._set_when(snap.scheduled_for)
        self._rebuild_custom_tabs()
        self._loading = False
        if snapshot is None:
            self._baseline = self.snapshot().comparable()
        else:
            self._baseline = self._snapshot_of(post).comparable()
        self.late_message = post.sync_error if post.sync_state == "rejected" else ""
        self._apply_state()
        self.revalidate()
        # files attached before a crash or saved mid-upload are uploaded now; uploaded ones never again
        for entry in self.entries:
            if entry.state == WAITING:
                self.start_upload(entry)

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
        )

    def snapshot(self) -> EditorSnapshot:
        """The form as the user left it."""
        targets = []
        for platform, account_id in self.picker.selected():
            custom = self._custom_texts.get(account_id, "")
            targets.append(Target(platform, account_id, custom_content=custom if custom.strip() else None))
        return EditorSnapshot(
            local_id=self.post.local_id,
            is_new=self.is_new,
            title=self.title_edit.text(),
            content=self.content_edit.toPlainText(),
            hashtags=self.hashtags_edit.text(),
            targets=targets,
            media=[replace(e.item) for e in self.entries],
            scheduled_for=self.scheduled_utc(),
            timezone=self._explicit_zone,
        )

    def current_post(self) -> Post:
        snap = self.snapshot()
        return apply_snapshot(self.post, snap, parse_hashtags(snap.hashtags))

    def summary(self) -> str:
        return post_summary(self.current_post())

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
        return not is_editable(self.post.status)

    # -- time and zone --------------------------------------------------------------------------------

    def default_zone(self) -> str:
        """The profile's zone of the first selected account, else the calendar's display zone."""
        return self._default_zone_and_source()[0]

    def _default_zone_and_source(self) -> tuple[str, str]:
        """The default zone and, for the zone box, where it comes from (so a switch to a profile's zone when
        its account is ticked is explained where it shows)."""
        for _platform, account_id in self.picker.selected():
            account = self.accounts.get(account_id)
            profile = self.profiles.get(account.profile_id) if account else None
            if profile and profile.timezone and is_valid_zone(profile.timezone):
                return profile.timezone, f"{profile.name}'s zone" if profile.name else "the profile's zone"
            break
        return self.display_zone.key, "the calendar's zone"

    def effective_zone(self) -> str:
        return self._explicit_zone or self.default_zone()

    def _fill_zone_combo(self) -> None:
        self.zone_combo.blockSignals(True)
        self.zone_combo.clear()
        default, source = self._default_zone_and_source()
        self.zone_combo.addItem(f"{default} ({source})", None)
        for name in common_zones(self._explicit_zone):
            self.zone_combo.addItem(name, name)
        index = self.zone_combo.findData(self._explicit_zone) if self._explicit_zone else 0
        self.zone_combo.setCurrentIndex(max(index, 0))
        self.zone_combo.blockSignals(False)

    def _set_when(self, when: datetime | None) -> None:
        self._shown_zone = self.effective_zone()
        self._fill_zone_combo()
        for w in (self.has_time, self.date_edit, self.time_edit):
            w.blockSignals(True)
        self.has_time.setChecked(when is not None)
        wall = utc_to_wall(when or self.clock(), self._shown_zone)
        self.date_edit.setDate(QDate(wall.year, wall.month, wall.day))
        self.time_edit.setTime(QTime(wall.hour, wall.minute))
        # the fields cannot show which of a repeated hour's two 02:30s this is (a fall-back night): remember it
        # for as long as they show this wall time, so saving other changes does not move the post an hour
        self._second_occurrence = wall.replace(tzinfo=None, second=0, microsecond=0) if wall.fold else None
        for w in (self.has_time, self.date_edit, self.time_edit):
            w.blockSignals(False)
        self._update_when_widgets()

    def set_wall_time(self, day: date, at: time) -> None:
        """Set the date and time fields (for tests and the drafts tray)."""
        self.has_time.setChecked(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.time_edit.setTime(QTime(at.hour, at.minute))
        self._edited()

    def _wall(self) -> datetime:
        d, t = self.date_edit.date(), self.time_edit.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())

    def scheduled_utc(self) -> datetime | None:
        if not self.has_time.isChecked():
            return None
        wall = self._wall()
        if wall == self._second_occurrence:
            return wall.replace(tzinfo=zone_of(self._shown_zone), fold=1).astimezone(UTC)
        return wall_to_utc(wall, self._shown_zone)

    def _update_when_widgets(self) -> None:
        on = self.has_time.isChecked()
        editable = not self.read_only
        for w in (self.date_edit, self.time_edit, self.zone_combo):
            w.setEnabled(on and editable)
        self.has_time.setEnabled(editable)
        if not on:
            self.when_hint.setText("No time yet: the post waits in the drafts tray.")
        elif is_nonexistent(self._wall(), self._shown_zone):
            shifted = utc_to_wall(wall_to_utc(self._wall(), self._shown_zone), self._shown_zone)
            self.when_hint.setText(
                f"{time_format.clock(self._wall())} does not exist that day in {self._shown_zone} (clocks go forward); "
                f"it will go out at {time_format.clock(shifted)}."
            )
        elif self._shown_zone != self.display_zone.key:
            when = self.scheduled_utc()
            assert when is not None
            self.when_hint.setText(f"That is {time_format.day_and_clock(utc_to_wall(when, self.display_zone))} in "
                                   f"{self.display_zone.key}.")
        else:
            self.when_hint.setText("")
        self.when_hint.setVisible(bool(self.when_hint.text()))

    def _time_toggled(self, _on: bool) -> None:
        self._update_when_widgets()
        self._edited()

    def _zone_picked(self, index: int) -> None:
        # an explicit zone keeps the wall time the user typed: "09:00 in New York"
        self._explicit_zone = self.zone_combo.itemData(index)
        self._shown_zone = self.effective_zone()
        self._fill_zone_combo()
        self._update_when_widgets()
        self._edited()

    def _follow_default_zone(self) -> None:
        """Accounts changed the default zone: keep the instant (it came from the calendar) and re-show it."""
        if self._explicit_zone is not None or self.default_zone() == self._shown_zone:
            self._fill_zone_combo()
            return
        self._set_when(self.scheduled_utc())

    # -- edits ------------------------------------------------------------------------------------------

    def _edited(self, *_args) -> None:
        if self._loading:
            return
        self._update_when_widgets()
        self._validate_timer.start()
        self._autosave_timer.start()

    def _targets_changed(self) -> None:
        if self._loading:
            return
        self._follow_default_zone()
        self._rebuild_custom_tabs()
        self._edited()

    def _rebuild_custom_tabs(self) -> None:
        current = self.custom_tabs.tabText(self.custom_tabs.currentIndex())
        self.custom_tabs.clear()
        self._custom_widgets.clear()
        for platform, account_id in self.picker.selected():
            account = self.accounts.get(account_id)
            page = QWidget(self.custom_tabs)
            edit = QPlainTextEdit(self._custom_texts.get(account_id, ""), page)
            edit.setPlaceholderText(f"Leave empty to send the main text to {display_name(platform)}.")
            edit.setReadOnly(self.read_only)
            edit.setMaximumHeight(110)
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(lambda a=account_id, e=edit: self._custom_edited(a, e))
            edit.viewport().installEventFilter(self)
            counter = CounterRow(page)
            problems = ProblemLabel(page)
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 4, 0, 0)
            layout.addWidget(edit)
            layout.addWidget(counter)
            layout.addWidget(problems)
            label = f"{glyph(platform)} · {account.label if account else account_id}"
            self.custom_tabs.addTab(page, label)
            self._custom_widgets[account_id] = (edit, counter, problems)
        for i in range(self.custom_tabs.count()):
            if self.custom_tabs.tabText(i) == current:
                self.custom_tabs.setCurrentIndex(i)
        shown = self.custom_tabs.count() > 0
        self.custom_tabs.setVisible(shown)
        self.custom_heading.setVisible(shown)
        self._fix_tab_order()

    def custom_edit(self, account_id: str) -> QPlainTextEdit:
        return self._custom_widgets[account_id][0]

    def _custom_edited(self, account_id: str, edit: QPlainTextEdit) -> None:
        self._custom_texts[account_id] = edit.toPlainText()
        self._edited()

    # -- validation -------------------------------------------------------------------------------------

    def upload_problems(self) -> list[Problem]:
        """Where each file stands (uploads), and what only the file on disk tells (its shape)."""
        problems = [Problem("media", msg) for e in self.entries if (msg := e.problem())]
        targets = [Target(p, a) for p, a in self.picker.selected()]  # e.g. Instagram ticked after the file
        return problems + [Problem("media", msg) for e in self.entries if (msg := shape_problem(e.item, targets))]

    def _validate(self, intent: str) -> list[Problem]:
        # times in messages read like the fields: the zone shown beside them, the user's 12/24-hour clock
        problems = validate_post(self.current_post(), self.accounts, now=self.clock(), intent=intent,
                                 zone=self._shown_zone, time_text=time_format.day_and_clock)
        return [p for p in problems if p.field != UPLOAD_FIELD]  # ``upload_problems`` says where each upload is

    def schedule_problems(self) -> list[Problem]:
        return self._validate("schedule") + self.upload_problems()

    def publish_problems(self) -> list[Problem]:
        return self._validate("publish_now") + self.upload_problems()

    def draft_problems(self) -> list[Problem]:
        return self._validate("draft")

    def messages_for(self, field: str) -> list[str]:
        return [p.message for p in self.problems if p.field == field]

    def revalidate(self) -> None:
        """Every problem at once, next to its field; counters; which actions are possible."""
        self._validate_timer.stop()
        post = self.current_post()
        self.problems = self.schedule_problems()
        self.target_problems.set_messages(self.messages_for("targets"))
        self.content_problems.set_messages(self.messages_for("content"))
        self.media_problems.set_messages(self._rejected_files + self.messages_for("media"))
        self.when_problems.set_messages(self.messages_for("scheduled_for") + self.messages_for("timezone"))
        self.status_problems.set_messages(self.messages_for("status"))
        self.late_problems.set_messages([f"Late refused the last save: {self.late_message}"] if self.late_message
                                        else [])
        for account_id, (_edit, counter, problems) in self._custom_widgets.items():
            problems.set_messages(self.messages_for(custom_content_field(account_id)))
            target = post.target_for(account_id)
            if target is not None:
                counter.set_counts([self._count(post, target, target.account_id)])
        self.counters.set_counts(self._main_counts(post))
        self._update_actions(post)

    def _count(self, post: Post, target: Target, key: str) -> tuple[str, str, int, int | None]:
        limit = text_limit(target, self.accounts.get(target.account_id), has_media=bool(post.media))
        return key, display_name(target.platform), count_text(text_for_target(post, target), target.platform), limit

    def _main_counts(self, post: Post) -> list[tuple[str, str, int, int | None]]:
        """One counter per platform that uses the main text, against its strictest account's limit."""
        counts: dict[str, tuple[str, str, int, int | None]] = {}
        for target in post.targets:
            if target.custom_content and target.custom_content.strip():
                continue
            entry = self._count(post, replace(target, custom_content=None), target.platform)
            previous = counts.get(target.platform)
            if previous is None or (entry[3] is not None and (previous[3] is None or entry[3] < previous[3])):
                counts[target.platform] = entry
        return list(counts.values())

    def _update_actions(self, post: Post) -> None:
        status = self.post.status
        editable = is_editable(status)
        schedulable = editable and status != "partial"
        draft_ok = not self.draft_problems()
        publish_ok = not self.publish_problems()
        self.save_draft_button.setEnabled(editable and status in ("draft", "cancelled") and draft_ok)
        self.schedule_button.setEnabled(schedulable and not self.problems)
        self.publish_button.setEnabled(schedulable and publish_ok)
        self.delete_button.setEnabled(not self.is_new and is_deletable(status))
        self.retry_button.setEnabled(not self.is_new and is_retryable(status) and bool(self.post.late_id))
        self.to_draft_button.setEnabled(not self.is_new and editable and status not in ("draft", "partial"))
        self.retry_button.setVisible(is_retryable(status))
        self.to_draft_button.setVisible(not self.is_new and status != "draft")
        self.reasons.set_messages([p.message for p in self.problems] if schedulable else [])

    def reasons_text(self) -> str:
        return self.reasons.plain_text()

    # -- state (read-only, results, banner) ---------------------------------------------------------------

    def _apply_state(self) -> None:
        read_only = self.read_only
        self.title_edit.setReadOnly(read_only)
        self.content_edit.setReadOnly(read_only)
        self.hashtags_edit.setReadOnly(read_only)
        self.picker.set_read_only(read_only)
        self.media_list.set_read_only(read_only)
        self.add_media_button.setEnabled(not read_only)
        self.media_hint.setVisible(not read_only)
        self.setAcceptDrops(not read_only)
        for edit, _counter, _problems in self._custom_widgets.values():
            edit.setReadOnly(read_only)
        self._update_when_widgets()
        self.results.set_post(self.post, self.accounts)
        self._update_conflict()
        self.refresh_status()
        name = first_words(post_summary(self.post), 50)
        if self.is_new:
            self.setWindowTitle("New post")  # Qt appends the app's display name
        else:
            copy = " (copy)" if self.is_copy else ""
            self.setWindowTitle(f"{'View' if read_only else 'Edit'} post: {name}{copy}")

    def place_over(self, anchor: QWidget) -> None:
        """Fit the default size into the free area of ``anchor``'s screen and centre the editor on ``anchor``,
        never past the screen's edges."""
        room = anchor.screen().availableGeometry().adjusted(
            SCREEN_MARGIN, SCREEN_MARGIN, -SCREEN_MARGIN, -SCREEN_MARGIN
        )
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

    # -- where the stored post stands against Late: the status line and the conflict banner ---------------

    def status_text(self) -> str:
        """The footer's line: what the stored post is, and whether Late has it (follows every store change)."""
        post = self.post
        if self.is_new:
            return ""
        state = post.sync_state
        if state == "conflict":
            return "In conflict with Late: choose a version in the banner at the top. Nothing is sent until then."
        if state == "rejected":
            reason = (post.sync_error or self.late_message or "no reason given").rstrip(". ")
            if post.late_id:  # an edit was refused: Late still has the version before it
                return (f"Late refused your last change ({reason}) and still has the earlier version. "
                        "Fix it and save again.")
            return f"Not on Late yet: Late refused the post ({reason}). Fix it and save again."
        if post.status == "draft":
            what = "Saved as a draft"
        elif post.status == "scheduled" and post.scheduled_for is not None:
            zone = self.effective_zone()
            what = f"Scheduled for {time_format.day_and_clock(utc_to_wall(post.scheduled_for, zone))} ({zone})"
        else:
            what = status_label(post.status)
        if state != "pending":
            reasons = failure_reasons(post)  # the results panel at the bottom may be scrolled out of sight
            return f"{what} on Late." + (f" {' '.join(reasons)}" if reasons else "")
        sync = self.sync_provider()
        if sync is None:
            return f"{what}. Not sent yet: kept on this computer until the app is connected to Late."
        if not getattr(sync, "online", True):
            return f"{what}. Not sent yet: it goes to Late when the connection is back."
        deferred = [e for e in self.store.outbox_entries(post.local_id)
                    if e.next_attempt_at is not None and e.next_attempt_at > self.clock() and e.last_error]
        if deferred:  # an attempt failed and waits (e.g. Late asked to slow down): say why and until when
            entry = max(deferred, key=lambda e: e.next_attempt_at)
            when = time_format.clock(utc_to_wall(entry.next_attempt_at, self.effective_zone()))
            return f"{what}. Not sent to Late yet: {own_sentence(entry.last_error)} The app tries again at {when}."
        return f"{what}. Not sent to Late yet: sending…"

    def refresh_status(self) -> None:
        self.status_line.setText(self.status_text())

    def conflict_remote(self) -> Post | None:
        """Late's version while the post is in conflict, else None."""
        if self.is_new or self.post.sync_state != "conflict":
            return None
        record = self.store.get_record(self.post.local_id)
        return record.conflict_remote if record is not None else None

    def _update_conflict(self) -> None:
        remote = self.conflict_remote()
        if remote is None:
            self.conflict_banner.setVisible(False)
            self.conflict_banner.show_note("")
            # settled elsewhere (the calendar's menu, a sync): an open "Take Late's version?" has nothing to answer
            self._close_confirm_box()
            return
        heading, rows = conflict_lines(self.post, remote, self.accounts, zone=self.effective_zone(),
                                       now=self.clock())
        self.conflict_banner.show_conflict(heading, rows, can_choose=self.conflict_handler is not None,
                                           late=remote)

    def _close_confirm_box(self) -> None:
        box, self.confirm_box = self.confirm_box, None
        if box is not None and box.isVisible():
            box.close()

    def keep_my_version(self) -> None:
        """Keep the version shown here over Late's (the window resolves it; when Late has published the post,
        the window saves ours as a new draft). Unsaved edits are saved first, so what is kept is what is on
        screen; when they cannot be saved, the banner says why and nothing is chosen."""
        remote = self.conflict_remote()
        if self.conflict_handler is None or remote is None:
            return
        self.conflict_banner.show_note("")
        if self.is_dirty() and self._save_for_keep(remote) is None:
            return
        if self.conflict_handler(self.post.local_id, KEEP_LOCAL) is False:
            return  # the window refused (and said why)
        self._refresh_after_choice()
        if keeps_as_copy(remote) and self.conflict_remote() is None:
            # the form now shows Late's post: say where the text that was here went
            self.show_note("Your version was saved as a new draft; this is the post as Late has it.")

    def _save_for_keep(self, late: Post) -> Post | None:
        """Save the form as the close question's Save does (a scheduled post stays scheduled when it still may,
        anything else is a draft). When Late has published its version, ours becomes a new draft: only a
        draft's rules apply, and the status is left as it is for the window to settle."""
        published = keeps_as_copy(late)
        as_draft = published or self.post.status in ("draft", "cancelled")
        problems = self.draft_problems() if as_draft else self.schedule_problems()
        if problems:
            self.revalidate()  # each problem shows beside its field as well
            listed = " ".join(p.message for p in problems)
            self.conflict_banner.show_note(f"Nothing was kept: your changes here cannot be saved yet. {listed}")
            return None
        self._save_error = ""
        saved = self._save(self.post.status if published else "draft" if as_draft else "scheduled")
        if saved is None:
            self.conflict_banner.show_note(f"Nothing was kept: {self._save_error}")
        return saved

    def take_late_version(self) -> None:
        """Replace the stored version with Late's, then the form. Unsaved edits here would be lost, so ask
        first: a window-modal box opened with open() and answered through a signal, never a nested exec()."""
        if self.conflict_handler is None or self.conflict_remote() is None:
            return
        if not self.is_dirty():
            self._take_late_version_now()
            return
        self._close_confirm_box()
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Take Late's version",
            "Take Late's version and drop the changes you have not saved here?",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setInformativeText("Your text in this editor is replaced by what Late has.")
        take = box.addButton("Take Late's version", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.buttonClicked.connect(lambda b: self._take_late_version_now() if b is take else None)
        self.confirm_box = box
        box.open()

    def _take_late_version_now(self) -> None:
        if self.conflict_remote() is None:
            return  # resolved meanwhile (another window, a sync)
        self._taking_remote = True
        if self.conflict_handler is not None and self.conflict_handler(self.post.local_id, KEEP_REMOTE) is False:
            self._taking_remote = False  # the window refused (and said why)
            return
        self._refresh_after_choice()

    def _refresh_after_choice(self) -> None:
        """Usually the store's change notification already updated the form; this covers a handler whose
        store write is not announced to us (and is a no-op otherwise)."""
        fresh = self.store.get_post(self.post.local_id)
        if fresh is not None and (self._taking_remote or fresh.sync_state != self.post.sync_state):
            self._follow_store(fresh)

    def _on_store_changed(self, changes, initiator) -> None:
        if initiator is self or self._closing_for_good:
            return
        if self.post.local_id in changes.removed and not self.is_new:
            if self.is_dirty():
                self.show_note(DELETED_NOTE)
            else:
                self.close_without_asking()
            return
        if self.post.local_id not in changes.changed:
            return
        fresh = self.store.get_post(self.post.local_id)
        if fresh is not None:
            if self.banner.text() == DELETED_NOTE:
                self.show_note("")  # back again (the delete was undone)
            self._follow_store(fresh)

    def follow_copy(self, copy: Post) -> None:
        """This deleted post came back as a draft copy (an undo, ``delete_undo``): the form edits the copy.
        The user's unsaved text stays; what they left alone takes the copy's values (e.g. a time now gone)."""
        self.store.clear_autosave(self.key)
        self._take_untouched(copy)
        self.post = copy
        self.is_new = False
        self.late_message = ""
        self.show_note("The post came back as a new draft. Your changes here are for that draft: Ctrl+S saves them.")
        self.autosave_now()
        self._apply_state()
        self.revalidate()

    def _follow_store(self, fresh: Post) -> None:
        """The stored post changed (sync, the window, another editor action): show its state; reload the fields
        unless the user has changes here (or Late's version was just taken: those replace them)."""
        self.is_new = False
        if self._taking_remote and fresh.sync_state != "conflict":
            self._taking_remote = False
            self.store.clear_autosave(self.key)
            self.load(fresh)
        elif self.is_dirty() or any(e.state in (WAITING, UPLOADING) for e in self.entries):
            was_editable = not self.read_only
            self._take_untouched(fresh)
            self.post = replace(fresh, media=self.post.media)  # status and results follow; the user's text stays
            if was_editable and self.read_only and self.is_dirty():
                done = {"publishing": "started publishing", "partial": "partly published",
                        "pending_approval": "sent for approval"}.get(fresh.status, status_label(fresh.status).lower())
                self.show_note(f"Late has {done} this post while you were editing, so your changes cannot go to "
                               "it any more. They stay here: closing offers to save them as a new draft.")
                self.autosave_now()  # kept across a crash too
            self.late_message = fresh.sync_error if fresh.sync_state == "rejected" else ""
            self._apply_state()
            self.revalidate()
        else:
            self.load(fresh)

    def _take_untouched(self, fresh: Post) -> None:
        """A three-way merge while the user has changes here: every part of the form the user left as it was
        loaded (the time, the text, the accounts) takes the stored post's new value, e.g. a drag in the
        calendar, so saving the user's changes does not silently put the old time back."""
        base = EditorSnapshot.from_json(self._baseline)
        mine, theirs = self.snapshot(), self._snapshot_of(fresh)
        self._loading = True
        # (only what differs is set: setting a field resets its cursor and undo history)
        if mine.title == base.title != theirs.title:
            self.title_edit.setText(theirs.title)
        if mine.content == base.content != theirs.content:
            self.content_edit.setPlainText(theirs.content)
        if mine.hashtags == base.hashtags != theirs.hashtags:
            self.hashtags_edit.setText(theirs.hashtags)
        if canonical_targets(mine.targets) == canonical_targets(base.targets) != canonical_targets(theirs.targets):
            self.picker.set_targets(theirs.targets or [])
            self._custom_texts = {t.account_id: t.custom_content or "" for t in theirs.targets or []}
            self._rebuild_custom_tabs()
        if (mine.scheduled_for, mine.timezone) == (base.scheduled_for, base.timezone) != (
                theirs.scheduled_for, theirs.timezone):
            self._explicit_zone = theirs.timezone if theirs.timezone and is_valid_zone(theirs.timezone) else None
            self._set_when(theirs.scheduled_for)
        self._loading = False
        self._baseline = theirs.comparable()

    # -- media ------------------------------------------------------------------------------------------

    def _set_entries(self, entries: list[MediaEntry]) -> None:
        self.entries = entries
        self._show_entries()

    def _show_entries(self) -> None:
        self.media_list.set_entries(self.entries)
        self._fix_tab_order()  # new rows sit where they are shown in the Tab order, not after the buttons

    def pick_files(self) -> None:
        """The file picker (a normal slot: a modal dialog must never run inside a coroutine)."""
        dialog = self.file_dialog()
        if dialog.exec():
            self.add_files(dialog.selectedFiles())

    def file_dialog(self) -> QFileDialog:
        dialog = QFileDialog(self, "Add images or videos")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilter(MEDIA_FILTER)
        return dialog

    def add_files(self, paths: list[str]) -> list[MediaEntry]:
        """Attach files: each is checked against every selected platform first, then uploaded."""
        if self.read_only:
            return []
        added = []
        self._rejected_files = []
        post = self.current_post()
        for path in paths:
            if any(e.item.local_path == path for e in self.entries):
                continue  # attached already: never uploaded twice
            try:
                item = media_item_for_file(path)
            except OSError as exc:
                self._rejected_files.append(f"{path} cannot be read: {exc.strerror or exc}.")
                continue
            problems = file_problems(item, post.targets, self.accounts, now=self.clock())
            if problems:
                self._rejected_files.append(f"{item.filename} was not added: " + " ".join(problems))
                continue
            entry = MediaEntry(item, state=WAITING)
            self.entries.append(entry)
            added.append(entry)
        self._show_entries()
        for entry in added:
            self.start_upload(entry)
        self._edited()
        self.revalidate()
        return added

    def start_upload(self, entry: MediaEntry) -> None:
        entry.sent, entry.total, entry.error, entry.retry_when_online = 0, entry.item.size or 0, "", False
        if self.uploader is None:
            entry.state, entry.error = FAILED, NOT_CONNECTED
        else:
            entry.state = WAITING
            entry.cancel = asyncio.Event()
            task = asyncio.ensure_future(self._upload(entry))
            entry.task = task
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self.media_list.refresh(entry)
        self._validate_timer.start()

    async def _upload(self, entry: MediaEntry) -> None:
        from latecal.late.errors import UploadCancelled  # not at import time: the window paints before httpx loads

        assert self.uploader is not None and entry.cancel is not None
        try:
            result = await self.uploader.upload(
                entry.item.local_path,
                entry.item.mime_type,
                progress=lambda sent, total: self._on_progress(entry, sent, total),
                cancel=entry.cancel,
            )
        except (UploadCancelled, asyncio.CancelledError):
            entry.state = CANCELLED
        except Exception as exc:  # any failure is the file's state, shown on its row; never an app error
            entry.state, entry.error = FAILED, upload_error_text(exc)
            entry.retry_when_online = is_connection_failure(exc)
        else:
            if entry in self.entries:
                entry.item.url = result.public_url
                entry.item.size = result.size or entry.item.size
                entry.state = UPLOADED
            else:
                entry.state = CANCELLED  # removed while it was uploading
        finally:
            entry.task = None
            if not self._closing_for_good:
                self.media_list.refresh(entry)
                self._edited()
                self.revalidate()
            self.upload_finished.emit(entry)

    def _on_progress(self, entry: MediaEntry, sent: int, total: int) -> None:
        entry.state = UPLOADING
        entry.sent = sent
        entry.total = total if total > 0 else entry.total
        self.media_list.refresh(entry)
        if not self._validate_timer.isActive():
            self._validate_timer.start()

    def cancel_upload(self, entry: MediaEntry) -> None:
        if entry.cancel is not None:
            entry.cancel.set()
        if entry.task is not None:
            entry.task.cancel()  # also stops a request that already sent its last byte

    def remove_media(self, entry: MediaEntry) -> None:
        self.cancel_upload(entry)
        if entry in self.entries:
            self.entries.remove(entry)
        self._show_entries()
        self._edited()
        self.revalidate()

    def move_media(self, entry: MediaEntry, step: int) -> None:
        i = self.entries.index(entry)
        j = min(max(i + step, 0), len(self.entries) - 1)
        self.entries.insert(j, self.entries.pop(i))
        self._show_entries()
        self._edited()

    def set_uploader(self, uploader) -> None:
        self.uploader = uploader
        for entry in self.entries:
            if entry.state == FAILED and entry.error == NOT_CONNECTED:
                self.start_upload(entry)

    def late_answered(self) -> None:
        """A sync reached Late: uploads that failed for want of a connection start again by themselves."""
        if self.uploader is None or self._closing_for_good:
            return
        for entry in self.entries:
            if entry.state == FAILED and entry.retry_when_online:
                self.start_upload(entry)

    # -- drops ------------------------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if not self.read_only and _local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        files = _local_files(event.mimeData())
        if self.read_only or not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(files)

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

    # -- actions ----------------------------------------------------------------------------------------

    def save_draft(self) -> Post | None:
        return self._save("draft")

    def schedule(self) -> Post | None:
        if self.schedule_problems():
            self.revalidate()
            return None
        return self._save("scheduled")

    def publish_now(self) -> Post | None:
        if self.publish_problems():
            self.revalidate()
            return None
        return self._save("scheduled", when=self.clock())

    def move_to_draft(self) -> Post | None:
        return self._save("draft")

    def _schedule_if_enabled(self) -> None:
        if self.schedule_button.isEnabled():
            self.schedule()

    def _save(self, status: str, *, when: datetime | None = None) -> Post | None:
        post = replace(self.current_post(), status=status)
        if when is not None:
            post = post.moved_to(when.replace(microsecond=0))
        old_key = self.key
        try:
            saved = self.store.save_post(post, initiator=self)
        except Exception as exc:  # e.g. the disk is full: say so, keep everything in the form
            self._save_error = f"Could not save: {exc}"
            self.status_line.setText(self._save_error)
            return None
        self.store.clear_autosave(old_key)
        self.is_new = False
        self.post = saved
        self.late_message = ""
        if when is not None:
            self._set_when(saved.scheduled_for)
        self._baseline = self.snapshot().comparable()
        self.store.clear_autosave(self.key)
        self._apply_state()
        self.revalidate()
        sync = self.sync_provider()
        if sync is not None:
            sync.sync_now()
        self.refresh_status()
        self.saved.emit(saved)
        return saved

    def delete(self) -> None:
        if self.delete_handler is not None:
            self.delete_handler(self.post.local_id, self)  # the window asks, on top of us; the store change closes us
            return
        self.store.delete_post(self.post.local_id, initiator=self)
        self.close_without_asking()

    def retry(self) -> None:
        """Retry the failed platforms with what is on screen: unsaved changes (the fix) are saved first."""
        if self.is_dirty() and not self.read_only and self.save_in_place() is None:
            return  # the fix has problems Late would refuse: they are listed, nothing is retried
        if self.retry_handler is not None:
            self.retry_handler(self.post.local_id)
            return
        self.store.request_retry(self.post.local_id, initiator=self)
        sync = self.sync_provider()
        if sync is not None:
            sync.sync_now()

    def _open_link(self, url: str) -> None:
        if self.url_opener is not None:
            self.url_opener(url)

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
        for entry in self.entries:
            self.cancel_upload(entry)
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        super().closeEvent(event)
        self.editor_closed.emit(self.post.local_id)

    def _save_as_new_draft(self, *, deleted: bool) -> Post:
        """The changes to a post that is gone (deleted) or that Late took over go to a new draft of their own."""
        copy = self.store.save_post(duplicate_of(self.current_post(), self.clock()), initiator=self)
        self.store.clear_autosave(self.key)
        if not deleted:
            self.load(self.post)  # the form shows the post as Late has it again: the changes live in the copy
        else:
            self._baseline = self.snapshot().comparable()
        where = "in the drafts tray" if copy.scheduled_for is None else "on the calendar"
        self.show_note(f"Your changes were saved as the new draft {quoted(copy)}, {where}.")
        self.saved.emit(copy)
        return copy

    def save_in_place(self) -> Post | None:
        """Ctrl+S, and "Save" when closing. Keep the post's place: a scheduled post stays scheduled when it still
        may, a failed or partly published one keeps its status (Retry sends it again), anything else is a draft;
        changes to a post Late has taken over meanwhile become a new draft."""
        deleted = not self.is_new and self.store.get_post(self.post.local_id) is None
        if self.read_only or deleted:
            return self._save_as_new_draft(deleted=deleted) if self.is_dirty() else None
        status = self.post.status
        if status == "scheduled":
            if self.schedule_problems():
                self.revalidate()
                self.status_line.setText("Fix the problems listed to keep it scheduled, or move it back to draft.")
                return None
            return self._save("scheduled")
        if status in ("failed", "partial"):  # the fix goes to Late as it is; Retry publishes it again
            # Late checks a change to a post that is not a draft against every platform's rules (its time,
            # already passed, is not checked): a fix it would refuse is said here, not after the sync
            if self.publish_problems():
                self.revalidate()
                self.status_line.setText("Fix the problems listed first: Late refuses them for this post.")
                return None
            return self._save(status)
        return self._save("draft")
