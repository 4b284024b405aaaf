"""A post Late sent with fields the app could not read wears a grey '?' on its chip and says why in its tooltip
(issue 15): it is read-only here, and the user must be able to see that before trying to drag it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from latecal.core.models import Post, Target
from latecal.ui.calendar.chip_marks import UNREAD_MARK
from latecal.ui.calendar.post_item import PostItem, post_tooltip
from ui_support import BERLIN, NOW, render_item


class _Host:
    def __getattr__(self, _name):  # the item reports gestures; none happen here
        return lambda *args: None


def _mark_pixel(post: Post) -> QColor:  # needs the QApplication (qapp)
    item = PostItem(post, BERLIN, block=False, host=_Host())
    item.set_geometry(0, 0, 160, 18)
    image = render_item(item, Qt.GlobalColor.white)
    return image.pixelColor(int(item.boundingRect().width()) - 4 - 5 - 3, 9)  # inside the mark, off the '?'


def test_a_post_with_unread_fields_wears_a_grey_question_mark_and_says_why(qapp):
    post = Post(late_id="a" * 24, content="Year one", status="scheduled", scheduled_for=NOW, sync_state="synced",
                targets=[Target("twitter", "acc-x")])
    marked = replace(post, read_problems=("platforms[0].scheduledFor",))
    assert _mark_pixel(marked).name() == QColor(UNREAD_MARK).name()
    assert _mark_pixel(post).name() != QColor(UNREAD_MARK).name()
    tip = post_tooltip(marked, BERLIN)
    assert "Could not read from Late: scheduled time (platform 1). Read-only here: change it on Late." in tip
    assert "Could not read" not in post_tooltip(post, BERLIN)


def test_an_unknown_status_names_what_late_sent():
    post = Post(late_id="b" * 24, content="Mystery", status="exploded", scheduled_for=NOW, sync_state="synced")
    tip = post_tooltip(post, BERLIN)
    assert "Unknown" in tip and "Late&#x27;s status: “exploded”" in tip
