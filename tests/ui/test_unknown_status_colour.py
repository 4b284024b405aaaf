"""A status the app does not know is drawn grey: no hue of any known status, in light and dark themes."""

from __future__ import annotations

from PySide6.QtGui import QColor

from latecal.core.status import PostStatus
from latecal.ui.widgets import palette


def test_an_unknown_status_is_grey_and_unlike_every_known_one() -> None:
    for dark in (False, True):
        fill = palette.status_fill("weird", dark=dark)
        assert fill.saturation() == 0
        assert fill.name() not in {palette.status_fill(s, dark=dark).name() for s in PostStatus}
        assert palette.status_fill("", dark=dark) == fill  # no status at all is the same "Unknown"
    accent = palette.status_accent("weird")
    assert accent == QColor(palette.UNKNOWN_ACCENT) and accent.saturation() == 0
    assert accent.name() not in {palette.status_accent(s).name() for s in PostStatus}
