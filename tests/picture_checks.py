"""What a rendered window must show, checked on the picture and on the widgets that drew it: its size, that it is
painted, the texts on screen, no label or button cut off, and colours at given points. Shared by the screenshot
tests and the README screenshot script (tests/readme_screenshots.py), so a screenshot is only written once
these checks pass."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)


def grab(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def distinct_colours(image: QImage, step: int = 8) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def _shown(top: QWidget, kind: type | tuple[type, ...]) -> list:
    return [w for w in top.findChildren(QWidget) if isinstance(w, kind) and w.isVisibleTo(top)]


def visible_texts(top: QWidget) -> str:
    """Every text the window shows in its visible widgets, one per line."""
    out: list[str] = []
    for w in _shown(top, QLabel):
        out.append(w.text())
    for w in _shown(top, QAbstractButton):
        out.append(w.text())
    for w in _shown(top, QLineEdit):
        out += [w.text(), w.placeholderText()]
    for w in _shown(top, (QPlainTextEdit, QTextEdit)):
        out.append(w.toPlainText())
    for w in _shown(top, QComboBox):
        out.append(w.currentText())
    for w in _shown(top, QTabBar):
        out += [w.tabText(i) for i in range(w.count())]
    return "\n".join(_no_mnemonic(t) for t in out if t)


def _no_mnemonic(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _in_scroll_area(w: QWidget, top: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True  # scrolled content may lie outside the window on purpose
        parent = parent.parentWidget()
    return False


def clipped(top: QWidget) -> list[str]:
    """Visible labels and buttons that are cut off: narrower or lower than their text needs, or (outside a scroll
    area) reaching past the window's edge."""
    problems = []
    for w in _shown(top, (QLabel, QAbstractButton)):
        text = w.text()
        if not text or w.width() <= 0:
            continue
        name = f"{type(w).__name__} {text[:40]!r}"
        if isinstance(w, QLabel) and w.wordWrap():
            need = w.heightForWidth(w.width())
            if need > w.height():
                problems.append(f"{name}: {w.height()} px high, needs {need}")
        else:
            hint = w.minimumSizeHint() if isinstance(w, QLabel) else w.sizeHint()
            if hint.width() > w.width():
                problems.append(f"{name}: {w.width()} px wide, needs {hint.width()}")
        if not _in_scroll_area(w, top):
            where = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
            if not top.rect().contains(where):
                problems.append(f"{name}: at {where.getRect()}, outside the window {top.rect().getRect()}")
    return problems


def colour_at(image: QImage, top: QWidget, widget: QWidget, point: QPoint) -> str:
    """The picture's colour at ``point`` of ``widget`` (a child of ``top``, which the picture shows)."""
    ratio = image.devicePixelRatio()
    at = widget.mapTo(top, point)
    return image.pixelColor(round(at.x() * ratio), round(at.y() * ratio)).name()


def assert_picture(top: QWidget, image: QImage, *, texts: Iterable[str] = (), min_colours: int = 8) -> None:
    """The picture is the whole window at its size, painted, shows ``texts`` and cuts nothing off."""
    assert not image.isNull()
    ratio = image.devicePixelRatio()
    assert (round(image.width() / ratio), round(image.height() / ratio)) == (top.width(), top.height())
    assert distinct_colours(image) >= min_colours, "a blank or single-colour picture"
    shown = visible_texts(top)
    missing = [t for t in texts if t not in shown]
    assert not missing, f"not on screen: {missing}; shown:\n{shown}"
    assert clipped(top) == []
