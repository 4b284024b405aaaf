"""Late's outcome per platform for a post that went out (or tried to): status, link, error."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from latecal.core.models import Account, Post
from latecal.core.status import PostStatus
from latecal.presentation.posts import account_text, more_platforms
from latecal.presentation.statuses import target_state
from latecal.ui.editor.feedback import tones
from latecal.ui.widgets.plain_text import escaped

#: post statuses whose per-platform results are worth showing
RESULT_STATUSES = frozenset({PostStatus.PUBLISHING, PostStatus.PUBLISHED, PostStatus.PARTIAL, PostStatus.FAILED})
#: one line per platform up to this many: a post with 1,000 targets must not build a label of 1,000 lines
MAX_LINES = 50


def target_line(target, account: Account | None) -> str:
    who = escaped(account_text(target.platform, account, target.account_id))
    state = escaped(target_state(target.status))
    line = f"<b>{who}</b> — {state}"
    if target.platform_post_url:
        url = escaped(target.platform_post_url)
        line += f" · <a href='{url}'>Open the post</a>"
    if target.error_message:
        line += f"<br><span style='color:{tones().error}'>{escaped(target.error_message, 500)}</span>"
    return line


class ResultsPanel(QWidget):
    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("<b>On each platform</b>", self)
        self.body = QLabel(self)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.body.setOpenExternalLinks(False)  # the window decides how URLs open (tests swap the opener)
        self.body.linkActivated.connect(self.link_activated)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        self.setVisible(False)

    def set_post(self, post: Post, accounts: dict[str, Account]) -> None:
        shown = post.status in RESULT_STATUSES and bool(post.targets)
        self.setVisible(shown)
        if shown:
            shown = post.targets[:MAX_LINES]
            lines = [target_line(t, accounts.get(t.account_id)) for t in shown]
            if len(post.targets) > MAX_LINES:
                lines.append(escaped(more_platforms(len(post.targets) - MAX_LINES)))
            self.body.setText("<br>".join(lines))
