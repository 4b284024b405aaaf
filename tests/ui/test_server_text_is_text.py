"""Text from Late is text everywhere it is shown, and only web links leave the app (issue 15, items 5 and 6).

A post whose every string Late sends is HTML (an ``<img>`` of a local file, a link, bold) goes through the month
and week chips, the List, the drafts panel, the message bar, the editor (banner, results, conflict, problems),
the delete question and the tray notice. No label may render it, no tooltip may read as HTML, the window must
not grow, and the post's ``file:``/``javascript:`` links must never reach the desktop's opener.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from editor_support import WED, close_quietly
from latecal.core.models import Account, Post, Profile, Target
from latecal.ui.app.tray import StatusNotifier
from ui_support import NOW, at, flush_events, run_report

# An image of a local file that would grow the window, a link and markup: rendered, any of them shows.
HOSTILE = "<img src='file:///etc/hostname' width=2400 height=2400><a href='file:///etc/passwd'>x</a><b>bold</b>"


def _hostile_post(store, *, status: str, when, late_id: str, **kw) -> Post:
    post = Post(
        late_id=late_id, title=f"Title {HOSTILE}", content=f"Content {HOSTILE}", scheduled_for=when, status=status,
        targets=[
            Target("twitter", "acc-h1", status="failed", error_message=f"Refused: {HOSTILE}",
                   platform_post_url="file:///etc/passwd"),
            Target("linkedin", "acc-h2", status="published", platform_post_url="javascript:alert(1)"),
        ],
        sync_state="synced", **kw,
    )
    return store.upsert_remote(post) and store.get_by_late_id(late_id)


@pytest.fixture
def hostile_store(store):
    store.replace_profiles([Profile("p-h", f"Brand {HOSTILE}", "#d62828", "Europe/Berlin", is_default=True)])
    store.replace_accounts([
        Account("acc-h1", "twitter", "p-h", username=f"user{HOSTILE}", display_name=HOSTILE),
        Account("acc-h2", "linkedin", "p-h", username="li", needs_reconnection=True),
    ])
    return store


def _rendered_as_markup(label: QLabel) -> bool:
    """Whether the label shows HOSTILE as HTML rather than as the characters it is."""
    text = label.text()
    if "<img" not in text:
        return False
    fmt = label.textFormat()
    return fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and Qt.mightBeRichText(text))


def _offending_labels(root: QWidget) -> list[str]:
    labels = root.findChildren(QLabel)
    return [label.objectName() or label.text()[:60] for label in labels if _rendered_as_markup(label)]


def _tooltip_is_safe(tip: str) -> bool:
    # a tooltip string that looks like HTML is rendered as HTML: Late's markup must arrive escaped
    return "<img" not in tip and "<a href='file" not in tip


def test_late_html_is_shown_as_text_in_the_window_and_the_editor(open_window, hostile_store, sync, qtbot):
    store = hostile_store
    failed = _hostile_post(store, status="partial", when=at(WED, 9), late_id="h" * 24)
    draft = store.save_post(Post(title=f"Draft {HOSTILE}", content=HOSTILE, status="draft"))
    window = open_window(view="week", anchor=WED, sync=sync)
    size = window.size()

    # the week's chip and the List's row: tooltips escape Late's text (and carry it, escaped)
    from latecal.ui.calendar.post_item import post_tooltip

    tip = post_tooltip(failed, window.zone)
    assert _tooltip_is_safe(tip) and "&lt;img" in tip
    window.set_view("list")
    flush_events()
    tree = window.views.list
    rows = [tree.row_at(i) for i in range(tree.row_count())]
    assert rows and all(_tooltip_is_safe(row.toolTip(c)) for row in rows for c in range(len(tree.COLUMNS)))

    # the drafts panel's tooltip
    window.actions_by_name["drafts"].setChecked(True)
    flush_events()
    from PySide6.QtWidgets import QListWidget

    drafts = [w for w in window.findChildren(QListWidget) if w.count()]
    assert drafts and all(_tooltip_is_safe(d.item(i).toolTip()) for d in drafts for i in range(d.count()))

    # the message bar: Late's refusal quoted in full, as text, and the window does not grow
    sync.finished.emit(run_report(rejected={failed.local_id: HOSTILE}))
    flush_events()
    assert "<img" in window.message_bar.text  # the words are there…
    assert window.message_bar.label.textFormat() == Qt.TextFormat.PlainText  # …as text
    assert window.size() == size

    # the editor: its banner (Late's failure reasons), results panel, account picker and status line
    editor = window.commands.open_post(failed.local_id)
    if editor is None:
        editor = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "PostEditor" and w.isVisible())
    flush_events()
    failure_line = editor.status_line.text()  # the editor's line under the form quotes Late's failure reasons
    assert "Refused:" in failure_line and "<img" in failure_line
    assert _offending_labels(editor) == []
    assert all(_tooltip_is_safe(w.toolTip()) for w in editor.findChildren(QWidget))
    assert editor.width() < 2400 and editor.height() < 2400
    close_quietly(editor)

    # the whole window, every label and tooltip
    assert _offending_labels(window) == []
    assert all(_tooltip_is_safe(w.toolTip()) for w in window.findChildren(QWidget))

    # the delete question names the draft: plain text
    window.commands.request_delete(draft.local_id)
    box = window.commands.confirm_box
    assert isinstance(box, QMessageBox) and box.textFormat() == Qt.TextFormat.PlainText
    assert "<img" in box.text() + box.informativeText()
    box.close()


def test_a_tray_notice_escapes_late_text(open_window, hostile_store, sync, qtlog):
    from latecal.ui.widgets.icons import app_icon

    post = _hostile_post(hostile_store, status="failed", when=NOW - timedelta(minutes=5), late_id="t" * 24)
    window = open_window(sync=sync)
    with qtlog.disabled():  # offscreen's tray stand-in warns about a missing native interface signal
        notifier = StatusNotifier(window, icon=app_icon(), tray_available=True)
    shown = []
    notifier.tray.showMessage = lambda *args: shown.append(args)
    notifier.attach(sync)
    sync.finished.emit(run_report(changed={post.local_id: ("publishing", "failed")}))
    body = shown[0][1]
    assert "Refused" in body and "<img" not in body and "&lt;img" in body
    notifier.close()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "javascript:alert(1)", "data:text/html,<b>x</b>", "http://169.254.169.254/latest/",
    "https://127.0.0.1:9/", "https://x.com@10.0.0.1/",
])
def test_only_web_links_to_public_hosts_reach_the_desktop(open_window, store, url):
    window = open_window(view="week", anchor=WED)
    opened = []
    window.commands.url_opener = lambda u: opened.append(u.toString()) or True
    window.commands.open_published_url(url)
    assert opened == []
    assert window.message_bar.text.startswith("The post's link was not opened:")
    assert window.message_bar.kind == "error"


def test_a_links_in_the_editor_results_go_through_the_same_check(open_window, hostile_store, sync):
    failed = _hostile_post(hostile_store, status="partial", when=at(WED, 9), late_id="r" * 24)
    window = open_window(view="week", anchor=WED, sync=sync)
    opened = []
    window.commands.url_opener = lambda u: opened.append(u.toString()) or True
    editor = window.commands.open_post(failed.local_id)
    if editor is None:
        editor = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "PostEditor" and w.isVisible())
    editor.results.body.linkActivated.emit("file:///etc/passwd")
    assert opened == [] and "not opened" in window.message_bar.text
    editor.results.body.linkActivated.emit("https://x.com/acme/status/2")
    assert opened == ["https://x.com/acme/status/2"]
    close_quietly(editor)
