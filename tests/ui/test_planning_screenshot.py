"""The README's planning week (issue 17) at both sizes, light and dark, and the import preview (issue 18): each
picture shows what its caption says — the selection's count, Late's queue as dashed slots in the brand's colour,
one post's two platform times as two chips, the networks' marks, the accounts' pictures in the account filter, the
preview's rows with their problems. Pictures go to tmp_path only (planning_scene.py builds the scenes)."""

from __future__ import annotations

import planning_scene as scene
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from render_views import dark_palette

from latecal.ui.calendar.chip_links import LINK_COLOUR, ChipLinks
from latecal.ui.calendar.post_item import PostItem
from latecal.ui.calendar.queue_layer import QueueSlotItem
from latecal.ui.widgets import avatars, brand_icons
from picture_checks import assert_picture, grab
from ui_support import flush_events


@pytest.fixture
def palette(request, qapp):
    """The app's palette for the test (dark or light), restored after it; the pictures' cache back to none."""
    before = QApplication.palette()
    if request.param == "dark":
        QApplication.setPalette(dark_palette())
    yield request.param
    QApplication.setPalette(before)
    avatars.use(avatars.AvatarStore())


def _window_rect(window, view, item):
    """Where ``item`` of the week's scene shows in the window."""
    rect = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
    return rect.translated(view.viewport().mapTo(window, QPoint(0, 0)))


def _near(image: QImage, rect, colour: str, tolerance: int = 90) -> int:
    """How many pixels in ``rect`` are close to ``colour`` (the picture at device pixel ratio 1 offscreen)."""
    want = QColor(colour)
    count = 0
    for x in range(max(rect.left(), 0), min(rect.right(), image.width())):
        for y in range(max(rect.top(), 0), min(rect.bottom(), image.height())):
            got = image.pixelColor(x, y)
            off = abs(got.red() - want.red()) + abs(got.green() - want.green()) + abs(got.blue() - want.blue())
            if off < tolerance:
                count += 1
    return count


@pytest.mark.parametrize("palette", ["light", "dark"], indirect=True)
@pytest.mark.parametrize("size", sorted(scene.PLANNING_SIZES))
def test_the_planning_week_shows_the_selection_the_queue_the_platform_times_marks_and_pictures(
        qtbot, store, tmp_path, palette, size):
    window = scene.planning_window(store, size)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    flush_events()
    scene.hover_split_post(window)
    image = grab(window)
    assert_picture(window, image, texts=scene.PLANNING_TEXTS)
    assert image.save(str(tmp_path / f"planning-{size}-{palette}.png"))
    assert (image.width(), image.height()) == scene.PLANNING_SIZES[size]

    page = window.views.page("week")
    view = page.view
    items = page.scene.items()
    # three posts outlined as selected, and the status bar counts them
    assert sum(1 for i in items if isinstance(i, PostItem) and i.selected) == scene.SELECTED
    # Acme's queue: free slots drawn in Acme's colour (dashed outline) where the user sees them
    slots = [i for i in items if isinstance(i, QueueSlotItem) and i.isVisible()
             and view.viewport().rect().intersects(view.mapFromScene(i.sceneBoundingRect()).boundingRect())]
    assert len(slots) >= 3  # Thursday's two and Friday's: those of the days gone by can take no post
    assert all(slot.when > window.clock() for slot in slots)
    assert all(s.colour == QColor(scene.ACME) for s in slots)
    slot_rect = _window_rect(window, view, slots[-1])
    assert _near(image, slot_rect, scene.ACME) >= 20, "the slot's dashed outline is not in the picture"
    # the hiring post: one chip at its time for X, one five hours later for LinkedIn, both on screen; the mouse
    # on the first outlines the second (dashed, in the link colour) as the same post
    split = sorted((i for i in items if isinstance(i, PostItem) and i.post.content == scene.SPLIT_TEXT),
                   key=lambda i: i.sceneBoundingRect().top())
    assert len(split) == 2 and split[0].sceneBoundingRect().top() < split[1].sceneBoundingRect().top()
    assert all(window.rect().contains(_window_rect(window, view, i)) for i in split)
    links = view.findChild(ChipLinks)
    assert links.linked_keys() == [split[1].local_id]
    around = _window_rect(window, view, split[1]).adjusted(-3, -3, 3, 3)
    assert _near(image, around, LINK_COLOUR, tolerance=60) >= 20, "the link outline is not in the picture"
    # the networks' marks (not the letters shown before the font loads)
    assert all(brand_icons.has_brand(p) for p in ("twitter", "instagram", "linkedin", "facebook", "tiktok"))

    if size == "1600":  # the account filter's menu: each account with its picture, not its letter
        menu = scene.open_account_menu(window)
        try:
            shown = scene.with_menu(window, image, menu)
            assert shown.save(str(tmp_path / f"planning-{size}-{palette}-menu.png"))
            accounts = store.accounts()
            assert len([a for a in menu.actions() if not a.icon().isNull()]) == len(accounts) == 7
            for account in accounts:  # read from the cache, drawn in a circle: not the letter mark
                assert avatars.current().image(account) is not None
                assert avatars.current().pixmap(account).toImage() != avatars.letter_avatar(account).toImage()
            assert shown != image  # the menu is painted over the week
        finally:
            menu.close()
    window.close()


def test_the_import_preview_shows_ready_rows_and_rows_with_their_problems(qtbot, store, tmp_path):
    from latecal.ui.dialogs import import_dialog as D

    dialog = scene.import_preview(store, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: scene.import_checked(dialog), timeout=10000)
    flush_events()
    image = grab(dialog)
    assert_picture(dialog, image, texts=scene.IMPORT_TEXTS)
    assert image.save(str(tmp_path / "import-preview.png"))
    problems = [dialog.preview.item(r, D.COL_PROBLEMS).text() for r in range(dialog.preview.rowCount())]
    assert problems[:2] == ["ready", "ready"]
    assert "in the past" in problems[2] and "There is no profile 'Umbrella'" in problems[3]
    assert "Instagram" in problems[4]
    # every row is on screen, none scrolled away
    last = dialog.preview.visualItemRect(dialog.preview.item(4, D.COL_TEXT))
    assert dialog.preview.viewport().rect().contains(last)
    dialog.close()
