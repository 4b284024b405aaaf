"""The README's planning pictures (issue 17) and the import preview (issue 18), built here once: the tests
(test_planning_screenshot.py) render them into tmp_path and check what they draw; tests/readme_screenshots.py writes
the same scenes into docs/screenshots on purpose.

The planning week: two brands with accounts on seven networks, each account with its picture (small generated PNGs
put where the picture cache keeps them, so nothing is fetched), Acme's Late queue drawn as dashed free slots, a
post with its own time for LinkedIn (two linked chips), and three posts selected."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from latecal.core.models import Account, Post, Profile, Target
from latecal.core.queue_slots import QueueSchedule, WeeklySlot
from latecal.store.queue_cache import save_queues
from latecal.ui.app.main_window import MainWindow
from latecal.ui.widgets import brand_icons
from latecal.ui.widgets.avatars import AvatarStore
from ui_support import BERLIN, NOW, at, flush_events

MON = NOW.date() - timedelta(days=NOW.date().weekday())  # the shown week: Mon 8 – Sun 14 March 2027
ACME, NORTHWIND = "#d62828", "#2a9d8f"
PLANNING_SIZES = {"1600": (1600, 1000), "1024": (1024, 700)}
SELECTED = 3
PLANNING_TEXTS = [f"{SELECTED} selected", "8 – 14 Mar 2027", "Drafts (0)"]
QUEUE_NAME = "Weekday mornings"

# (account id, platform, profile, user name, display name, picture colour)
_ACCOUNTS = (
    ("x1", "twitter", "p-acme", "acmecoffee", "Acme Coffee", "#b5651d"),
    ("ig1", "instagram", "p-acme", "acme.coffee", "", "#e76f51"),
    ("li1", "linkedin", "p-acme", "", "Acme Coffee GmbH", "#6d4c41"),
    ("th1", "threads", "p-acme", "acme.coffee", "", "#8d6e63"),
    ("fb1", "facebook", "p-nw", "", "Northwind Trading", "#2a9d8f"),
    ("bs1", "bluesky", "p-nw", "northwind.shop", "", "#264653"),
    ("tk1", "tiktok", "p-nw", "northwind", "", "#457b9d"),
)

# (day of the week from Monday, hour, minute, text, account ids, status)
_POSTS = (
    (0, 9, 0, "Monday tip: grind just before you brew", ("x1", "th1"), "published"),
    (0, 14, 30, "Northwind spring catalogue is out", ("fb1", "bs1"), "published"),
    (1, 11, 0, "Meet the roasters: Priya and Tom", ("ig1",), "published"),
    (1, 16, 0, "Behind the scenes at the warehouse", ("tk1",), "failed"),
    (2, 15, 0, "Cupping session tonight at 6", ("x1", "ig1"), "scheduled"),
    (3, 13, 0, "New single origin: Huila, Colombia", ("x1", "ig1", "th1"), "scheduled"),
    (3, 17, 30, "Free shipping weekend starts Friday", ("fb1", "bs1", "tk1"), "scheduled"),
    (4, 12, 0, "Barista course: three seats left", ("ig1",), "scheduled"),
    (4, 18, 0, "Northwind x Acme: a gift box", ("fb1", "ig1"), "scheduled"),
    (5, 10, 0, "Saturday market stall, come say hi", ("ig1", "th1"), "scheduled"),
    (6, 11, 0, "Weekly recap and what is next", ("bs1",), "draft"),
)
# the post whose LinkedIn copy goes out later than the others (per-platform times: two linked chips)
_SPLIT = (4, 10, 0, "We are hiring: head of coffee (Berlin)")
_SPLIT_LATER = timedelta(hours=5)
# the posts selected together (Ctrl+click): Thursday's two and Friday's course
_SELECTED_TEXTS = ("New single origin", "Free shipping weekend", "Barista course")
SPLIT_TEXT = _SPLIT[3]


def picture_url(account_id: str) -> str:
    return f"https://cdn.example.com/pictures/{account_id}.png"


def _picture(colour: str, letter: str) -> QImage:
    """A small picture as Late's CDN would give: a coloured square with a light initial."""
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(QColor(colour))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(QColor(255, 255, 255, 70))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(14, 40, 36, 40))  # shoulders
    painter.drawEllipse(QRectF(21, 10, 22, 22))  # head
    painter.setPen(QColor("#ffffff"))
    font = painter.font()
    font.setPixelSize(18)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, 64, 64), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, letter + " ")
    painter.end()
    return image


def avatar_dir(store) -> Path:
    """Where the window's picture cache reads (MainWindow.attach_pictures: beside the store)."""
    return Path(store.path).parent / "avatars"


def put_pictures(avatar_dir: Path) -> None:
    """Each account's picture where the picture cache keeps it (as if fetched on an earlier run)."""
    cache = AvatarStore(avatar_dir)
    avatar_dir.mkdir(parents=True, exist_ok=True)
    for account_id, _platform, _profile, user, name, colour in _ACCOUNTS:
        assert _picture(colour, (name or user)[:1].upper()).save(str(cache.file_for(picture_url(account_id))), "PNG")


def seed_planning(store) -> dict[str, str]:
    """The brands, accounts, queue and posts of the planning week; the posts' ids by their text."""
    store.replace_profiles([Profile("p-acme", "Acme Coffee", ACME, "Europe/Berlin", is_default=True),
                            Profile("p-nw", "Northwind", NORTHWIND, "Europe/Berlin")])
    store.replace_accounts([Account(i, p, prof, username=u, display_name=n, avatar_url=picture_url(i))
                            for i, p, prof, u, n, _c in _ACCOUNTS])
    platforms = {i: p for i, p, *_rest in _ACCOUNTS}
    # Acme's queue: weekdays 09:00 and Tuesday/Thursday 15:00 (Late counts Sunday as 0)
    slots = (*(WeeklySlot(d, time(9, 0)) for d in range(1, 6)), WeeklySlot(2, time(15, 0)),
             WeeklySlot(4, time(15, 0)))
    save_queues(store, [QueueSchedule("q-acme", "p-acme", QUEUE_NAME, "Europe/Berlin", slots, is_default=True)])
    ids = {}
    for day, hh, mm, text, accounts, status in _POSTS:
        targets = [Target(platforms[a], a, status="published" if status == "published" else "pending")
                   for a in accounts]
        if status == "failed":
            for t in targets:
                t.status, t.error_message = "failed", "Access token expired; reconnect the account"
        post = Post(content=text, scheduled_for=at(MON + timedelta(days=day), hh, mm), timezone="Europe/Berlin",
                    status=status, targets=targets)
        ids[text] = store.save_post(post).local_id
    day, hh, mm, text = _SPLIT
    when = at(MON + timedelta(days=day), hh, mm)
    split = Post(content=text, scheduled_for=when, timezone="Europe/Berlin", status="scheduled",
                 targets=[Target("twitter", "x1"), Target("linkedin", "li1", scheduled_for=when + _SPLIT_LATER)])
    ids[text] = store.save_post(split).local_id
    return ids


def planning_window(store, size: str = "1600") -> MainWindow:
    """The planning week at one of PLANNING_SIZES, three posts selected; shown and laid out by the caller."""
    ids = seed_planning(store)
    put_pictures(avatar_dir(store))
    brand_icons.load_now()  # the marks, not the letters a first paint shows until the font loads
    window = MainWindow(store, zone=BERLIN, clock=lambda: NOW, view="week", anchor=NOW.date())
    window.attach_pictures(None)  # read from the cache only: nothing to fetch
    window.resize(*PLANNING_SIZES[size])
    chosen = [local_id for text, local_id in ids.items() if text.startswith(_SELECTED_TEXTS)]
    window.mirror.selection.replace(chosen, chosen[0])
    return window


def hover_split_post(window: MainWindow) -> None:
    """The mouse on the hiring post's first chip (a real move over the week's viewport): its other chip is
    outlined as the same post."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent

    from latecal.ui.calendar.post_item import PostItem

    view = window.views.page("week").view
    chips = sorted((i for i in view.scene().items() if isinstance(i, PostItem) and i.post.content == SPLIT_TEXT),
                   key=lambda i: i.sceneBoundingRect().top())
    at = QPointF(view.mapFromScene(chips[0].sceneBoundingRect().center()))
    move = QMouseEvent(QEvent.Type.MouseMove, at, view.viewport().mapToGlobal(at), Qt.MouseButton.NoButton,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), move)
    flush_events()


def open_account_menu(window: MainWindow):
    """The account filter's menu, open under its button (as a click opens it): the accounts with their pictures."""
    button = window.toolbar.account_filter
    menu = button.menu_
    menu.popup(button.mapToGlobal(QPoint(0, button.height())))
    flush_events()
    return menu


def with_menu(window: MainWindow, image: QImage, menu) -> QImage:
    """The window's picture with its open menu painted where it shows (an offscreen grab leaves popups out)."""
    out = QImage(image)
    painter = QPainter(out)
    ratio = image.devicePixelRatio()
    at = window.mapFromGlobal(menu.mapToGlobal(QPoint(0, 0)))
    painter.drawImage(QPoint(round(at.x() * ratio), round(at.y() * ratio)), menu.grab().toImage())
    painter.end()
    return out


# -- the import preview (issue 18) ----------------------------------------------------------------------------

IMPORT_CSV = (
    "post_content,platforms,profiles,schedule_time,tz,media_urls\n"
    "Spring menu is here: five new drinks,twitter,Acme Coffee,2027-03-12 10:00,Europe/Berlin,\n"
    "Barista course sign-up opens,instagram,Acme Coffee,2027-03-13 09:30,Europe/Berlin,"
    "https://cdn.example.com/course.jpg\n"
    "Our stall at the Saturday market,linkedin,Acme Coffee,2027-03-01 10:00,Europe/Berlin,\n"
    "Gift boxes are back,twitter,Umbrella,2027-03-15 11:00,Europe/Berlin,\n"
    "Coffee with the founders (live),instagram,Acme Coffee,2027-03-17 18:00,Europe/Berlin,\n"
)
IMPORT_TEXTS = ["Import 2 posts", "2 ready to import", "3 with problems"]


def import_preview(store, tmp: Path):
    """File ▸ Import CSV… on a file of five rows: two ready, one in the past, one naming no profile of yours, one
    for Instagram without a picture."""
    from test_editor_screenshots import seed_accounts

    from latecal.ui.dialogs.import_dialog import ImportDialog

    seed_accounts(store)
    path = tmp / "spring-plan.csv"
    path.write_text(IMPORT_CSV, encoding="utf-8")
    dialog = ImportDialog(store, path, zone="Europe/Berlin", on_confirm=lambda _rows, _name: None,
                          clock=lambda: NOW)
    dialog.resize(1240, 420)
    return dialog


def import_checked(dialog) -> bool:
    return not dialog.checking and dialog.preview.rowCount() == IMPORT_CSV.count("\n") - 1
