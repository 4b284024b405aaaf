"""One status palette for every view, legible on light and dark system themes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from latecal.core.status import PostStatus, SyncState, TargetStatus

# (light theme, dark theme) fill colours. Chosen so dark text reads on the light fills and light text
# on the dark fills (WCAG AA for 11 px text in both).
_STATUS_FILLS: dict[str, tuple[str, str]] = {
    PostStatus.DRAFT: ("#e3e5e8", "#4a4f57"),
    PostStatus.PENDING_APPROVAL: ("#efe1fa", "#5b3f73"),
    PostStatus.SCHEDULED: ("#d6e6ff", "#284b7a"),
    PostStatus.PUBLISHING: ("#fff1c2", "#6e5a14"),
    PostStatus.PUBLISHED: ("#d4f2dc", "#22593a"),
    PostStatus.PARTIAL: ("#ffe0b8", "#7a4a14"),
    PostStatus.FAILED: ("#ffd6d6", "#7a2626"),
    PostStatus.CANCELLED: ("#eeeeee", "#3d3d3d"),
}
#: any status this app does not know (a new one of Late's, or none; "Unknown" in the legend's words): a neutral
#: grey with no hue, so it reads as "not one of ours" beside the drafts' blue-grey and the cancelled light grey
UNKNOWN_FILL = ("#dadada", "#505050")


def is_dark_theme(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def status_fill(status: str, *, dark: bool | None = None) -> QColor:
    light_hex, dark_hex = _STATUS_FILLS.get(status, UNKNOWN_FILL)
    if dark is None:
        dark = is_dark_theme()
    return QColor(dark_hex if dark else light_hex)


def status_text_colour(*, dark: bool | None = None) -> QColor:
    if dark is None:
        dark = is_dark_theme()
    return QColor("#f5f5f5" if dark else "#1b1d21")


# -- accents, per-target chips and sync marks --------------------------------------------------------------

# A saturated accent per status for the chip's left bar and borders: distinguishable by hue *and* position,
# and mid-luminance so it shows on both light and dark fills.
_STATUS_ACCENTS: dict[str, str] = {
    PostStatus.DRAFT: "#8a9099",
    PostStatus.PENDING_APPROVAL: "#9b5fd0",
    PostStatus.SCHEDULED: "#2f6fdb",
    PostStatus.PUBLISHING: "#d9a300",
    PostStatus.PUBLISHED: "#2e9d57",
    PostStatus.PARTIAL: "#e07b00",
    PostStatus.FAILED: "#d93636",
    PostStatus.CANCELLED: "#7d7d7d",
}
UNKNOWN_ACCENT = "#5f5f5f"

# Late's per-target statuses, for the per-platform chips of partial (and failed) posts.
_TARGET_FILLS: dict[str, tuple[str, str]] = {
    TargetStatus.PUBLISHED: ("#2e9d57", "#3fb96c"),
    TargetStatus.FAILED: ("#d93636", "#e85858"),
    TargetStatus.PENDING: ("#8a9099", "#7b828c"),
    TargetStatus.PROCESSING: ("#d9a300", "#c99700"),
    TargetStatus.UPLOADING: ("#d9a300", "#c99700"),
    TargetStatus.CANCELLED: ("#9a9a9a", "#6f6f6f"),
}

# The colour of each mark for the local copy's state against Late (SyncState); "synced" has none. What each
# means is said by latecal.presentation.statuses.
SYNC_MARK_COLOURS: dict[str, str] = {
    SyncState.PENDING: "#2f6fdb",
    SyncState.CONFLICT: "#e07b00",
    SyncState.REJECTED: "#d93636",
}


#: a Missed post (its time passed before it reached Late): its mark, and the hatch across its chip
MISSED_MARK = "#c2410c"
_MISSED_HATCH = ("#c2410c", "#fb923c")


def missed_hatch(*, dark: bool | None = None) -> QColor:
    """The diagonal lines over a Missed post's fill: visible on every status colour, not hiding the text."""
    if dark is None:
        dark = is_dark_theme()
    colour = QColor(_MISSED_HATCH[1] if dark else _MISSED_HATCH[0])
    colour.setAlpha(110)
    return colour


def status_accent(status: str) -> QColor:
    return QColor(_STATUS_ACCENTS.get(status, UNKNOWN_ACCENT))


def target_fill(status: str, *, dark: bool | None = None) -> QColor:
    light_hex, dark_hex = _TARGET_FILLS.get(status, _TARGET_FILLS[TargetStatus.PENDING])
    if dark is None:
        dark = is_dark_theme()
    return QColor(dark_hex if dark else light_hex)


def sync_mark_colour(sync_state: str) -> QColor | None:
    colour = SYNC_MARK_COLOURS.get(sync_state)
    return QColor(colour) if colour else None


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
