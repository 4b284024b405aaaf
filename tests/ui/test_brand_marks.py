"""The networks' own marks (Font Awesome 6 brands via qtawesome) on chips, filters and the editor, with the letter
mark for a network the set lacks; rendered, not read from a table."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from latecal.ui.widgets.brand_icons import brand_pixmap, letter_pixmap, paint_platform_mark, platform_pixmap
from ui_support import NOW, at, make_post, render_item


def _drawn(platform: str) -> tuple[bool, QImage]:
    image = QImage(32, 32, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    drew = paint_platform_mark(painter, platform, QRectF(4, 4, 24, 24), QColor("#000000"))
    painter.end()
    return drew, image


def _ink(image: QImage) -> int:
    return sum(1 for y in range(image.height()) for x in range(image.width()) if image.pixelColor(x, y).alpha() > 0)


def test_a_known_network_gets_its_brand_mark_and_an_unknown_one_its_letters(qapp):
    for platform in ("twitter", "linkedin", "bluesky", "threads", "tiktok"):
        brand = brand_pixmap(platform, 24, "#000000")
        assert brand is not None and not brand.isNull()
        assert brand.toImage() != letter_pixmap(platform, 24, "#000000").toImage()  # not the letters
        drew, image = _drawn(platform)
        assert drew and _ink(image) > 40
    assert brand_pixmap("myspace", 24, "#000000") is None
    assert platform_pixmap("myspace", 24, "#000000").toImage() == letter_pixmap("myspace", 24, "#000000").toImage()
    drew, image = _drawn("myspace")
    assert not drew and _ink(image) == 0  # the chip draws the letters itself
    # cached: a chip repaint does not render the font again
    assert brand_pixmap("linkedin", 24, "#000000") is brand_pixmap("linkedin", 24, "#000000")


def test_the_marks_appear_on_chips_in_the_filter_and_in_the_editor(qtbot, open_window, store, accounts):
    from latecal.ui.editor.accounts import account_icon
    from latecal.ui.widgets import brand_icons

    day = NOW.date()
    known = store.save_post(make_post("With a mark", at(day, 15), platforms=("linkedin",)))
    window = open_window(view="week", anchor=day)
    item = window.views.week.scene.items_by_id[known.local_id]
    qtbot.waitUntil(lambda: brand_icons._font_loaded)  # loaded just after the first paint, never on its path
    marked = render_item(item)
    brand_icons._font_loaded = False  # as at start-up, before the icon font is loaded: letters
    lettered = render_item(item)
    assert lettered != marked  # so the mark is not the letters
    qtbot.waitUntil(lambda: brand_icons._font_loaded)  # the chip asked for the font: it loads, chips repaint
    assert render_item(item) == marked
    window.toolbar.platform_filter.draw_icons()  # as the menu does when it opens (not on the first paint)
    assert not window.toolbar.platform_filter.actions_by_value["linkedin"].icon().isNull()
    # the editor's account icon: the mark in white on the profile's colour, where the letters would leave it red
    icon = account_icon(None, "linkedin", "#ff0000").pixmap(20, 20).toImage()
    mark = brand_pixmap("linkedin", 12, "#ffffff").toImage()
    inked = [(x, y) for y in range(12) for x in range(12) if mark.pixelColor(x, y).alpha() > 200]
    assert inked and all(icon.pixelColor(x + 4, y + 4).lightness() > 200 for x, y in inked)


def test_the_toolbar_has_a_new_post_button(qtbot, open_window, store, accounts):
    window = open_window(view="week", anchor=NOW.date())
    button = window.toolbar.new_post_button
    assert button.isVisible() and button.text() == "New post"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    (editor,) = window.editors.editors.values()
    assert editor.is_new and editor.isVisible()
    editor.ask_unsaved = lambda _e: "discard"
    editor.close()
