"""One status palette for every view, legible on light and dark system themes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

# (light theme, dark theme) fill colours. Chosen so dark text reads on the light fills and light text
# on the dark fills (WCAG AA for 11 px text in both).
_STATUS_FILLS: dict[str, tuple[str, str]] = {
    "draft": ("#e3e5e8", "#4a4f57"),
    "pending_approval": ("#efe1fa", "#5b3f73"),
    "scheduled": ("#d6e6ff", "#284b7a"),
    "publishing": ("#fff1c2", "#6e5a14"),
    "published": ("#d4f2dc", "#22593a"),
    "partial": ("#ffe0b8", "#7a4a14"),
    "failed": ("#ffd6d6", "#7a2626"),
    "cancelled": ("#eeeeee", "#3d3d3d"),
}
_UNKNOWN = ("#f2f2f2", "#444444")

STATUS_LABELS: dict[str, str] = {
    "draft": "Draft",
    "pending_approval": "Awaiting approval",
    "scheduled": "Scheduled",
    "publishing": "Publishing",
    "published": "Published",
    "partial": "Partly published",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


def is_dark_theme(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def status_fill(status: str, *, dark: bool | None = None) -> QColor:
    light_hex, dark_hex = _STATUS_FILLS.get(status, _UNKNOWN)
    if dark is None:
        dark = is_dark_theme()
    return QColor(dark_hex if dark else light_hex)


def status_text_colour(*, dark: bool | None = None) -> QColor:
    if dark is None:
        dark = is_dark_theme()
    return QColor("#f5f5f5" if dark else "#1b1d21")


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize() or "Unknown")


# -- accents, per-target chips and sync marks --------------------------------------------------------------

# A saturated accent per status for the chip's left bar and borders: distinguishable by hue *and* position,
# and mid-luminance so it shows on both light and dark fills.
_STATUS_ACCENTS: dict[str, str] = {
    "draft": "#8a9099",
    "pending_approval": "#9b5fd0",
    "scheduled": "#2f6fdb",
    "publishing": "#d9a300",
    "published": "#2e9d57",
    "partial": "#e07b00",
    "failed": "#d93636",
    "cancelled": "#7d7d7d",
}
_UNKNOWN_ACCENT = "#9a9a9a"

# Late's per-target statuses, for the per-platform chips of partial (and failed) posts.
_TARGET_FILLS: dict[str, tuple[str, str]] = {
    "published": ("#2e9d57", "#3fb96c"),
    "failed": ("#d93636", "#e85858"),
    "pending": ("#8a9099", "#7b828c"),
    "processing": ("#d9a300", "#c99700"),
    "uploading": ("#d9a300", "#c99700"),
    "cancelled": ("#9a9a9a", "#6f6f6f"),
}

# Marks for the local copy's state against Late (SyncState); "synced" has none.
SYNC_MARKS: dict[str, tuple[str, str]] = {
    # state: (colour, explanation for tooltips and the legend)
    "pending": ("#2f6fdb", "Local changes not yet sent to Late"),
    "conflict": ("#e07b00", "Changed both here and on Late: both versions are kept"),
    "rejected": ("#d93636", "Late refused the last change"),
}


def status_accent(status: str) -> QColor:
    return QColor(_STATUS_ACCENTS.get(status, _UNKNOWN_ACCENT))


def target_fill(status: str, *, dark: bool | None = None) -> QColor:
    light_hex, dark_hex = _TARGET_FILLS.get(status, _TARGET_FILLS["pending"])
    if dark is None:
        dark = is_dark_theme()
    return QColor(dark_hex if dark else light_hex)


def sync_mark_colour(sync_state: str) -> QColor | None:
    mark = SYNC_MARKS.get(sync_state)
    return QColor(mark[0]) if mark else None


def sync_mark_label(sync_state: str) -> str:
    mark = SYNC_MARKS.get(sync_state)
    return mark[1] if mark else ""


# -- the calendar grid -------------------------------------------------------------------------------------


class GridColours:
    """Background, lines and text of the calendar grids, derived from the system palette's lightness."""

    def __init__(self, *, dark: bool | None = None) -> None:
        if dark is None:
            dark = is_dark_theme()
        self.dark = dark
        if dark:
            self.background = QColor("#1f2124")
            self.outside = QColor("#2a2c30")  # days outside the month / range: visibly different
            self.header = QColor("#26282c")
            self.line = QColor("#3a3d42")
            self.hour_line = QColor("#33363b")
            self.text = QColor("#e8e8e8")
            self.muted = QColor("#8c9199")
            self.today = QColor("#243552")
            self.today_badge = QColor("#4d8ef0")
            self.working = QColor("#23262a")
        else:
            self.background = QColor("#ffffff")
            self.outside = QColor("#f0f1f3")
            self.header = QColor("#f7f8fa")
            self.line = QColor("#d5d8dd")
            self.hour_line = QColor("#e6e8eb")
            self.text = QColor("#1b1d21")
            self.muted = QColor("#7b8089")
            self.today = QColor("#eaf2ff")
            self.today_badge = QColor("#2f6fdb")
            self.working = QColor("#fcfcfd")
        self.now_line = QColor("#e0332b")
        self.selection = QColor("#2f6fdb") if not dark else QColor("#8ab4ff")
