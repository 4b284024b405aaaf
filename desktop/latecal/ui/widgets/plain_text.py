"""Text from Late is text: the one way every widget shows a sentence that may carry Late's words.

Qt renders a QLabel's, a tooltip's or a message box's text as HTML whenever it merely looks like HTML
(``Qt::mightBeRichText``): a post title or an error body with ``<img src="file:…">`` would load a local file and
resize the window to the picture. So labels are set to plain text, tooltips and our own rich layouts escape, and
every such text is clipped so a 100 KB answer cannot grow a label or a tooltip without bound.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

#: the most characters of one text a label or tooltip shows (Late's longest limit, a YouTube description, is 5,000)
SHOWN_LIMIT = 5000


def clipped(text: str, limit: int = SHOWN_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escaped(text: str, limit: int = SHOWN_LIMIT) -> str:
    """``text`` for a rich-text layout of our own (a table, a bold lead-in): every character shown as itself.
    (What ``html.escape`` does; that module's import costs the first paint more than these five replacements.)"""
    text = clipped(text, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;")


def set_plain(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label`` as it is, never as markup."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(clipped(text))


def plain_label(label: QLabel) -> QLabel:
    """``label`` made plain for good (its later ``setText`` calls show text as it is)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_box(box: QMessageBox) -> QMessageBox:
    """A message box whose text and informative text show as they are."""
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as it is (a tooltip string is rendered as HTML whenever it looks like it)."""
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{escaped(text)}</p>"


def notification_body(text: str) -> str:
    """A desktop notification's body: Linux notification servers read a subset of HTML (links, images) in it."""
    return escaped(text, 500) if sys.platform.startswith("linux") else clipped(text, 500)


def menu_text(text: str, limit: int = 80) -> str:
    """A menu entry's text shown as it is: a lone ``&`` would mark a shortcut letter and vanish."""
    return clipped(text, limit).replace("&", "&&")
