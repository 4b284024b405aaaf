"""QA findings in the editor: Tab moves focus in a sensible order, colours read in light and dark themes, times in
messages look like the fields, blank posts are not restored, the "Cannot schedule yet" box stays compact, and a
video's alt text is asked for as a video's."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QScrollArea, QWidget

from editor_support import FB, IG, LI, WED, X, close_quietly, png_bytes, standalone_editor, tick
from latecal.core.models import MediaItem, Target
from latecal.core.snapshot import EditorSnapshot
from latecal.presentation import time_format
from latecal.ui.editor.feedback import ProblemLabel
from latecal.ui.editor.manager import restore_autosaves
from latecal.ui.editor.window import PostEditor
from ui_support import BERLIN, NOW, at, flush_events, make_post


@pytest.fixture
def window(editor_window):
    return editor_window


def _editor(window) -> PostEditor:
    (editor,) = window.editors.editors.values()
    editor.ask_unsaved = lambda _e: "discard"  # a failed test must not leave a modal question behind
    return editor


@pytest.fixture
def clock_12h():
    time_format.set_clock_24h(False)
    yield
    time_format.set_clock_24h(True)


def _dark_palette() -> QPalette:
    p = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2d2d2d"), (QPalette.ColorRole.WindowText, "#dcdcdc"),
        (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#323232"),
        (QPalette.ColorRole.Text, "#dcdcdc"), (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, "#dcdcdc"), (QPalette.ColorRole.PlaceholderText, "#8c8c8c"),
    ):
        p.setColor(role, QColor(colour))
    return p


@pytest.fixture
def dark(qapp):
    light = QApplication.palette()
    QApplication.setPalette(_dark_palette())
    yield
    QApplication.setPalette(light)


def _show(qtbot, editor: PostEditor) -> PostEditor:
    qtbot.addWidget(editor)
    editor.ask_unsaved = lambda _e: "discard"  # a failed test must not leave a modal question behind
    editor.resize(760, 860)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    return editor


# -- Tab moves focus ------------------------------------------------------------------------------------------


def test_tab_leaves_the_text_fields_instead_of_typing_a_tab(qtbot, window):
    qtbot.keyClick(window.views.currentWidget(), "n")
    editor = _editor(window)
    tick(editor, X)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    editor.content_edit.setFocus()
    qtbot.keyClick(editor.content_edit, Qt.Key.Key_Tab)
    assert editor.content_edit.toPlainText() == ""
    assert QApplication.focusWidget() is editor.hashtags_edit
    qtbot.keyClick(editor.hashtags_edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is editor.content_edit

    custom = editor.custom_edit(X)
    custom.setFocus()
    qtbot.keyClick(custom, Qt.Key.Key_Tab)
    assert custom.toPlainText() == "" and QApplication.focusWidget() is not custom
    close_quietly(editor)


def test_tab_walks_the_whole_editor_top_to_bottom_then_the_buttons_left_to_right(qtbot, store, accounts):
    media = [MediaItem("image", url="https://cdn/1.png", filename="1.png", mime_type="image/png")]
    post = store.save_post(make_post("Walk me", at(WED, 20), status="scheduled", media=media,
                                     targets=[Target("twitter", X), Target("linkedin", LI)]))
    editor = _show(qtbot, standalone_editor(store, post, is_new=False, zone=BERLIN, clock=lambda: NOW))
    editor.title_edit.setFocus()
    seen: list[QWidget] = []
    for _ in range(60):
        widget = QApplication.focusWidget()
        if widget is editor.schedule_button:
            break
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    else:
        pytest.fail(f"Tab never reached Schedule: {[type(w).__name__ for w in seen]}")
    seen.append(editor.schedule_button)
    assert editor.content_edit.toPlainText() == "Walk me"  # nothing typed on the way

    def pos(widget: QWidget) -> int:
        return next(i for i, w in enumerate(seen) if w is widget or widget.isAncestorOf(w))

    row = editor.media.list.rows[0]
    shown_custom = editor.custom.edit  # one text box under the tabs
    order = [editor.title_edit, editor.picker.checks[LI], editor.picker.checks[X], editor.content_edit,
             editor.hashtags_edit, editor.custom.tabs, shown_custom, row.alt_text, row.remove, editor.media.add_button,
             editor.when.has_time, editor.when.date_edit, editor.when.time_edit, editor.when.zone_combo,
             editor.delete_button,
             editor.to_draft_button, editor.publish_button, editor.schedule_button]
    positions = [pos(w) for w in order]
    assert positions == sorted(positions), [type(w).__name__ for w in seen]
    close_quietly(editor)


def test_tab_after_the_last_button_wraps_to_the_title_with_no_invisible_stop(qtbot, store, accounts):
    post = store.save_post(make_post("Walk me", at(WED, 20), status="scheduled", targets=[Target("twitter", X)]))
    editor = _show(qtbot, standalone_editor(store, post, is_new=False, zone=BERLIN, clock=lambda: NOW))
    editor.resize(700, 400)  # the form scrolls
    editor.schedule_button.setFocus()
    qtbot.keyClick(editor.schedule_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.title_edit, type(QApplication.focusWidget()).__name__

    stops: list[QWidget] = []  # one whole round: every stop takes input or acts (no bare container)
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is editor.title_edit:
            break
        if widget is editor.when.zone_combo:  # out of the chain, the scroll area still brings the focus into view
            assert editor.form_scroll.verticalScrollBar().value() > 0
        stops.append(widget)
    else:
        pytest.fail(f"Tab never came back to Title: {[type(w).__name__ for w in stops]}")
    containers = [type(w).__name__ for w in stops if type(w) in (QScrollArea, QWidget, QFrame)]
    assert containers == [], [type(w).__name__ for w in stops]
    close_quietly(editor)


# -- colours in light and dark themes ------------------------------------------------------------------------

_COLOUR = re.compile(r"color:\s*(#[0-9a-fA-F]{6}|[a-z]+)\b")
_PROFILE_DOT = re.compile(r"<span style='color:#[0-9a-fA-F]{6}'>●</span>")


def _luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _background(label: QLabel, editor: PostEditor) -> QColor:
    for owner in (editor.banner, editor.conflict_banner):
        if owner is label or owner.isAncestorOf(label):
            sheet = owner.styleSheet()
            return QColor(re.search(r"background:\s*(#[0-9a-fA-F]{6})", sheet).group(1))
    return QApplication.palette().color(QPalette.ColorRole.Window)


def _text_colours(editor: PostEditor) -> list[tuple[str, str, float]]:
    """(where, colour, contrast) of every colour a visible label is given in a style sheet or its rich text,
    against what it is drawn on."""
    found = []
    for label in editor.findChildren(QLabel):
        if not label.isVisibleTo(editor):
            continue
        background = _background(label, editor)
        sheets = [label.styleSheet()] + [w.styleSheet() for w in _ancestors(label, editor)]
        text = _PROFILE_DOT.sub("", label.text())  # the profile's own colour marks a dot, not text
        for source in [*sheets, text]:
            for colour in _COLOUR.findall(source):
                if colour == "transparent":
                    continue
                where = f"{label.objectName() or type(label).__name__}: {label.text()[:40]!r}"
                found.append((where, colour, _contrast(QColor(colour), background)))
    return found


def _ancestors(widget: QWidget, top: QWidget) -> list[QWidget]:
    out, w = [], widget.parentWidget()
    while w is not None and w is not top:
        out.append(w)
        w = w.parentWidget()
    return out


def _busy_editor(qtbot, store, tmp_path) -> PostEditor:
    """An editor showing every kind of coloured text: problems, counters, the footer's reasons, a failed
    upload, a note and a per-platform error."""
    bad = tmp_path / "menu.png"
    bad.write_bytes(png_bytes())
    post = store.save_post(make_post("x" * 300, at(WED, 8), status="draft",
                                     targets=[Target("twitter", X), Target("instagram", IG)]))
    editor = _show(qtbot, standalone_editor(store, post, is_new=False, zone=BERLIN, clock=lambda: NOW))
    editor.media.add_files([str(bad)])
    editor.show_note("Restored changes you had not saved.")
    editor.revalidate()
    return editor


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_colour_the_editor_sets_reads_on_its_background(qtbot, store, accounts, tmp_path, request, theme):
    if theme == "dark":
        request.getfixturevalue("dark")
    editor = _busy_editor(qtbot, store, tmp_path)
    assert editor.reasons.isVisible() and editor.banner.isVisible()
    colours = _text_colours(editor)
    assert len(colours) >= 5, colours
    poor = [c for c in colours if c[2] < 4.5]
    assert poor == [], poor
    editor.grab().save(str(tmp_path / f"editor-{theme}.png"))
    close_quietly(editor)


def test_colours_follow_a_theme_switch_while_the_editor_is_open(qtbot, store, accounts, tmp_path):
    editor = _busy_editor(qtbot, store, tmp_path)
    light = QApplication.palette()
    try:
        QApplication.setPalette(_dark_palette())
        flush_events()
        poor = [c for c in _text_colours(editor) if c[2] < 4.5]
        assert poor == [], poor
    finally:
        QApplication.setPalette(light)
    close_quietly(editor)


# -- times in messages ---------------------------------------------------------------------------------------


def test_the_past_time_message_uses_the_zone_and_clock_of_the_fields(qtbot, window, clock_12h):
    qtbot.keyClick(window.views.currentWidget(), "n")
    editor = _editor(window)
    tick(editor, X)
    editor.content_edit.setPlainText("Late")
    editor.when.set_wall_time(WED - timedelta(days=1), time(9, 0))
    editor.revalidate()
    (message,) = editor.when.problems.messages
    assert message.startswith("The scheduled time Tue 09 Mar 9:00 AM (Europe/Berlin) is in the past")
    assert "UTC" not in editor.reasons_text()

    editor.when.zone_combo.setCurrentIndex(editor.when.zone_combo.findData("America/New_York"))
    # keeps the wall time: 9:00 in New York
    editor.when.zone_combo.activated.emit(editor.when.zone_combo.currentIndex())
    editor.revalidate()
    assert "Tue 09 Mar 9:00 AM (America/New_York)" in editor.when.problems.messages[0]
    close_quietly(editor)


# -- autosave and restore ------------------------------------------------------------------------------------


def test_a_new_post_holding_only_whitespace_is_neither_autosaved_nor_asked_about(qtbot, window, store):
    window.editors.new_post(at(WED, 20))
    editor = _editor(window)
    editor.content_edit.setPlainText("\t\t\n ")
    editor.title_edit.setText("  ")
    editor.autosave_now()
    assert store.load_autosaves() == {}
    assert not editor.is_dirty()
    editor.ask_unsaved = lambda _e: pytest.fail("asked about an empty post")
    editor.close()
    assert not editor.isVisible()


def test_an_autosaved_blank_new_post_is_not_restored(qtbot, window, store):
    snap = EditorSnapshot(local_id="blank", is_new=True, content="\t", scheduled_for=at(WED, 20),
                          saved_at=NOW.isoformat())
    store.save_autosave("new:blank", snap.to_json())
    assert restore_autosaves(window) == []
    assert window.editors.editors == {} and store.load_autosaves() == {}


def test_an_autosave_equal_to_the_stored_post_but_for_whitespace_is_not_restored(qtbot, window, store):
    post = store.save_post(make_post("", at(WED, 20), status="draft", targets=[Target("twitter", X)]))
    snap = EditorSnapshot(local_id=post.local_id, is_new=False, content="\t", targets=[Target("twitter", X)],
                          scheduled_for=at(WED, 20), saved_at=NOW.isoformat())
    store.save_autosave(post.local_id, snap.to_json())
    assert restore_autosaves(window) == []
    assert window.editors.editors == {} and store.load_autosaves() == {}


def test_changes_restored_to_a_post_late_published_since_can_only_become_a_new_draft(qtbot, window, store):
    post = store.save_post(make_post("Out already", at(WED, 9), status="published", targets=[Target("twitter", X)]))
    snap = EditorSnapshot(local_id=post.local_id, is_new=False, content="Out already, with a fix",
                          targets=[Target("twitter", X)], scheduled_for=at(WED, 9), saved_at=NOW.isoformat())
    store.save_autosave(post.local_id, snap.to_json())
    (editor,) = restore_autosaves(window)
    assert editor.read_only and editor.content_edit.toPlainText() == "Out already, with a fix"
    assert "closing offers to save them as a new draft" in editor.banner.text()
    editor.ask_unsaved = lambda e: "save"
    editor.close()
    (copy,) = store.unscheduled_drafts()  # its time has passed: a draft without one
    assert (copy.content, copy.status) == ("Out already, with a fix", "draft")
    assert store.get_post(post.local_id).content == "Out already"
    assert store.load_autosaves() == {}


@pytest.mark.parametrize(
    ("ago", "clock24", "expected"),
    [
        (timedelta(minutes=20), True, "(last typed today at 11:40)"),  # NOW is 12:00 in Berlin
        (timedelta(minutes=20), False, "(last typed today at 11:40 AM)"),
        (timedelta(hours=20), True, "(last typed yesterday at 16:00)"),
        (timedelta(days=5), True, "(last typed on Fri 5 Mar at 12:00)"),
    ],
)
def test_the_restore_note_says_when_in_the_users_zone_and_clock(qtbot, window, store, ago, clock24, expected):
    time_format.set_clock_24h(clock24)
    try:
        snap = EditorSnapshot(local_id="idea", is_new=True, content="An idea", scheduled_for=at(WED, 20),
                              saved_at=(NOW - ago).isoformat())
        store.save_autosave("new:idea", snap.to_json())
        (editor,) = restore_autosaves(window)
        assert expected in editor.banner.text() and "UTC" not in editor.banner.text()
        close_quietly(editor)
    finally:
        time_format.set_clock_24h(True)


# -- the "Cannot schedule yet" box ---------------------------------------------------------------------------


def test_cannot_schedule_box_is_compact_and_never_squeezes_the_form(qtbot, store, accounts, tmp_path):
    files = []
    for n in range(4):
        path = tmp_path / f"photo-{n}.png"
        path.write_bytes(png_bytes())
        files.append(str(path))
    post = store.save_post(make_post("x" * 300, at(WED - timedelta(days=1), 9), status="draft",
                                     targets=[Target("twitter", X)]))
    editor = _show(qtbot, standalone_editor(store, post, is_new=False, zone=BERLIN, clock=lambda: NOW))
    editor.media.add_files(files)  # not connected: four failed uploads
    editor.revalidate()
    flush_events()
    reasons = editor.reasons
    assert len(reasons.messages) == 6
    assert "6 problems" in reasons.heading.text()
    assert len(reasons.shown_messages()) == 2 and reasons.items.text().count("•") == 2
    assert reasons.toggle.isVisible() and reasons.toggle.text() == "Show all 6"
    assert all(m in editor.reasons_text() for m in reasons.messages)  # every one is still there to read
    assert editor.footer.height() < editor.height() * 0.25
    assert editor.form_scroll.height() > editor.height() * 0.6

    reasons.toggle.click()
    flush_events()
    assert reasons.items.text().count("•") == 6 and reasons.toggle.text() == "Show fewer"
    line = reasons.items.fontMetrics().lineSpacing()
    assert reasons.scroll.height() <= reasons.MAX_LINES * line + 4  # longer lists scroll inside the box
    assert editor.form_scroll.height() > editor.height() * 0.5
    close_quietly(editor)


def test_a_few_problems_are_listed_without_a_toggle(qtbot, window):
    window.editors.new_post(at(WED, 9))  # two hours ago
    editor = _editor(window)
    tick(editor, X)
    editor.revalidate()
    assert len(editor.reasons.messages) == 2 and editor.reasons.items.text().count("•") == 2
    assert not editor.reasons.toggle.isVisible()
    close_quietly(editor)


# -- media -----------------------------------------------------------------------------------------------------


def test_alt_text_asks_to_describe_a_video_as_a_video(qtbot, store, accounts):
    media = [MediaItem("video", url="https://cdn/clip.mp4", filename="clip.mp4", mime_type="video/mp4"),
             MediaItem("image", url="https://cdn/1.png", filename="1.png", mime_type="image/png")]
    post = store.save_post(make_post("Clip", at(WED, 20), status="draft", media=media,
                                     targets=[Target("facebook", FB)]))
    editor = standalone_editor(store, post, is_new=False, zone=BERLIN, clock=lambda: NOW)
    qtbot.addWidget(editor)
    video, image = (row.alt_text.placeholderText() for row in editor.media.list.rows)
    assert "video" in video and "image" not in video
    assert "image" in image
    editor.close()


def test_problem_labels_use_the_error_tone_of_the_theme(qtbot, store, accounts, dark):
    post = store.save_post(make_post("x" * 300, at(WED, 20), status="draft", targets=[Target("twitter", X)]))
    editor = standalone_editor(store, post, is_new=False, zone=BERLIN, clock=lambda: NOW)
    qtbot.addWidget(editor)
    label = editor.content_problems
    assert isinstance(label, ProblemLabel) and label.messages
    window_colour = QApplication.palette().color(QPalette.ColorRole.Window)
    colour = QColor(_COLOUR.search(label.styleSheet()).group(1))
    assert _contrast(colour, window_colour) >= 4.5
    editor.close()


def test_a_save_coming_back_from_late_leaves_the_caret_where_the_user_types(qtbot, store, accounts):
    """Ctrl+S, then the push's answer reloads the stored post: the same text is not set again, so the caret and
    the field's own undo history stay, and the next keys land where the user was typing."""
    from latecal.core.models import Post

    post = store.save_post(Post(content="How to pick trail runners", scheduled_for=at(WED, 18), status="scheduled",
                                targets=[Target("twitter", X)]))
    editor = _show(qtbot, standalone_editor(store, post, is_new=False, zone=BERLIN, clock=lambda: NOW))
    editor.content_edit.setFocus()
    editor.content_edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.content_edit, " EDITED")
    assert editor.save_in_place() is not None
    (entry,) = store.pending_entries(NOW + timedelta(days=400))
    store.finish_push(store.begin_push(entry), late_id="late-1")  # Late's answer: the editor follows the store
    qtbot.keyClicks(editor.content_edit, "XY")
    assert editor.content_edit.toPlainText() == "How to pick trail runners EDITEDXY"
    assert editor.content_edit.document().isUndoAvailable()
    close_quietly(editor)
