"""The app's non-secret settings: one typed registry over QSettings, with every default in one place.

Always INI format under the user scope (``latecal/latecal.ini`` in the platform config directory), so tests
can redirect it with ``QSettings.setPath`` and Windows keeps no registry entries. The API key is never here:
it lives in the keyring (``latecal.secrets``). A stored value that does not parse falls back to its default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QSettings, Signal

from latecal.core.zones import is_valid_zone

T = TypeVar("T")

ORGANIZATION = "latecal"
APPLICATION = "latecal"


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    raise ValueError(value)


def _base_url(value: Any) -> str:
    # imported here: the window reads its settings before httpx may be imported (fast first paint)
    from latecal.late.urls import normalise_base_url

    text = str(value).strip()
    return normalise_base_url(text) if text else ""


def _zone(value: Any) -> str:
    text = str(value).strip()
    if text and not is_valid_zone(text):
        raise ValueError(text)
    return text


def _choice(*allowed: Any) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        kind = type(allowed[0])
        parsed = kind(value)
        if parsed not in allowed:
            raise ValueError(value)
        return parsed

    return parse


def _int_range(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        number = int(value)
        if not low <= number <= high:
            raise ValueError(value)
        return number

    return parse


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    key: str
    default: T
    parse: Callable[[Any], T]  # from what QSettings returns (often a str from the INI file); ValueError if bad
    label: str


# The registry: every setting, its default and how it is read back.
BASE_URL: Setting[str] = Setting("late/base_url", "", _base_url, "Late API base URL ('' = Late's own)")
TIME_ZONE: Setting[str] = Setting("display/time_zone", "", _zone, "Display time zone ('' = the system's)")
WEEK_START: Setting[int] = Setting("display/week_start", 0, _choice(0, 5, 6), "First day of the week (0 = Monday)")
CLOCK_24H: Setting[bool] = Setting("display/clock_24h", True, _bool, "24-hour clock")
SYNC_INTERVAL_S: Setting[int] = Setting("sync/interval_s", 60, _int_range(15, 3600), "Sync every (seconds)")
NOTIFICATIONS: Setting[bool] = Setting("notifications/enabled", True, _bool, "Desktop notifications")
#: a post still publishing this long after its time is flagged as stuck (core/stuck.py)
STUCK_AFTER_MIN: Setting[int] = Setting("sync/stuck_after_min", 15, _int_range(5, 240),
                                        "Flag a post still publishing after (minutes)")

ALL: tuple[Setting[Any], ...] = (BASE_URL, TIME_ZONE, WEEK_START, CLOCK_24H, SYNC_INTERVAL_S, NOTIFICATIONS,
                                 STUCK_AFTER_MIN)


def _bytes(value: Any) -> bytes:
    data = value.data() if hasattr(value, "data") else value  # QSettings gives a QByteArray back
    if not isinstance(data, bytes):
        raise ValueError(value)
    return data


# Where the window was when it last closed (``ui.window_state``); kept out of ALL: not in the dialog.
WINDOW_GEOMETRY: Setting[bytes] = Setting("window/geometry", b"", _bytes, "Window size and position")
WINDOW_LAYOUT: Setting[bytes] = Setting("window/layout", b"", _bytes, "Window docks")
LAST_VIEW: Setting[str] = Setting("window/view", "month", _choice("month", "week", "day", "list"), "Last view")


def open_qsettings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


class Settings(QObject):
    """Typed get/set over one QSettings; ``changed(key)`` after each set that changed a value."""

    changed = Signal(str)

    def __init__(self, qsettings: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.qsettings = qsettings if qsettings is not None else open_qsettings()

    def get(self, setting: Setting[T]) -> T:
        raw = self.qsettings.value(setting.key)
        if raw is None:
            return setting.default
        try:
            return setting.parse(raw)
        except (ValueError, TypeError):
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        """Validate (ValueError with a readable message) and store; the default is stored as 'unset'."""
        try:
            parsed = setting.parse(value)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{setting.label}: not a valid value") from exc
        if parsed == self.get(setting):
            return
        if parsed == setting.default:
            self.qsettings.remove(setting.key)
        else:
            self.qsettings.setValue(setting.key, parsed)
        self.qsettings.sync()
        self.changed.emit(setting.key)

    def reset(self, setting: Setting[Any]) -> None:
        self.set(setting, setting.default)

    @property
    def path(self) -> str:
        return self.qsettings.fileName()
