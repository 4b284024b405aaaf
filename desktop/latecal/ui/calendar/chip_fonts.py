"""The fonts and metrics every chip paints with, derived from the application font once (not per chip)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QApplication


class ChipFonts:
    """The fonts and metrics every chip paints with, derived from the application font: built once per
    application font (not once per chip and paint: ~126 chips paint in the first frame)."""

    _cached: tuple[str, ChipFonts] | None = None

    def __init__(self, app_font: QFont) -> None:
        self.base = QFont(app_font)
        self.base.setPointSizeF(8.0)
        self.bold = QFont(self.base)
        self.bold.setBold(True)
        # a narrow lane (several posts at once): a smaller, tighter time reads better than a clipped "18:"
        self.narrow_bold = QFont(self.bold)
        self.narrow_bold.setPointSizeF(6.0)
        self.narrow_bold.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, -0.4)
        self.badge = QFont(self.base)
        self.badge.setPointSizeF(6.5)
        self.badge.setBold(True)
        self.struck = QFont(self.base)
        self.struck.setStrikeOut(True)
        self.base_metrics = QFontMetricsF(self.base)
        self.bold_metrics = QFontMetricsF(self.bold)
        self.narrow_bold_metrics = QFontMetricsF(self.narrow_bold)
        self.badge_metrics = QFontMetricsF(self.badge)

    @classmethod
    def current(cls) -> ChipFonts:
        app_font = QApplication.font()
        key = app_font.key()
        if cls._cached is None or cls._cached[0] != key:
            cls._cached = (key, cls(app_font))
        return cls._cached[1]
