"""The system zone is read from TZ or the /etc/localtime link without Qt when they name a zone, else from Qt."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QByteArray, QTimeZone

from latecal.ui.widgets import display_zone
from latecal.ui.widgets.display_zone import system_zone


def _link(target: str | None):
    def readlink(path):
        assert path == "/etc/localtime"
        if target is None:
            raise OSError("not a link")
        return target

    return readlink


@pytest.mark.parametrize(
    ("tz", "link", "expected"),
    [
        ("Europe/Berlin", "/usr/share/zoneinfo/America/New_York", "Europe/Berlin"),  # TZ wins, as in Qt
        (":Asia/Tokyo", None, "Asia/Tokyo"),
        (None, "/usr/share/zoneinfo/America/New_York", "America/New_York"),
        (None, "../usr/share/zoneinfo/Europe/Paris", "Europe/Paris"),
        (None, "/var/db/timezone/zoneinfo/Australia/Sydney", "Australia/Sydney"),  # macOS
    ],
)
def test_the_zone_named_by_tz_or_the_localtime_link(monkeypatch, tz, link, expected):
    if tz is None:
        monkeypatch.delenv("TZ", raising=False)
    else:
        monkeypatch.setenv("TZ", tz)
    monkeypatch.setattr(os, "readlink", _link(link))
    assert display_zone._zone_from_os() == expected
    assert system_zone().key == expected


@pytest.mark.parametrize(("tz", "link"), [("CET-1CEST", None), (None, None), (None, "/etc/some-copy")])
def test_anything_else_is_left_to_qt(monkeypatch, tz, link):
    if tz is None:
        monkeypatch.delenv("TZ", raising=False)
    else:
        monkeypatch.setenv("TZ", tz)
    monkeypatch.setattr(os, "readlink", _link(link))
    assert display_zone._zone_from_os() is None
    monkeypatch.setattr(QTimeZone, "systemTimeZoneId", staticmethod(lambda: QByteArray(b"Europe/Berlin")))
    assert system_zone().key == "Europe/Berlin"
