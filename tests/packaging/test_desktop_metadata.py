"""The .desktop entry and the AppStream metainfo: valid for the freedesktop tools, consistent with each other,
with the console script and with `latecal.__version__` (the one version number)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from latecal import __version__
from latecal.resources_access import APP_ID, ICON_SIZES, desktop_entry, metainfo

ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: apt-get install {package} (scripts/setup.sh installs it)"
    return path


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(desktop_entry().read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def _component() -> ET.Element:
    return ET.fromstring(metainfo().read_bytes())


def test_desktop_file_validates():
    with_file = subprocess.run(
        [_tool("desktop-file-validate", "desktop-file-utils"), str(desktop_entry())], capture_output=True, text=True
    )
    assert with_file.returncode == 0 and not with_file.stdout.strip(), with_file.stdout + with_file.stderr


def test_metainfo_validates():
    result = subprocess.run(
        [_tool("appstreamcli", "appstream"), "validate", "--no-net", str(metainfo())], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors:" not in result.stdout and "warnings:" not in result.stdout, result.stdout


def test_desktop_entry_names_the_app_icon_and_command():
    entry = _entry()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert entry["Exec"].split()[0] in scripts
    assert entry["TryExec"] == entry["Exec"].split()[0]
    assert entry["Icon"] == APP_ID
    assert (ROOT / "resources" / "icons" / "hicolor" / f"{max(ICON_SIZES)}x{max(ICON_SIZES)}" / "apps"
            / f"{APP_ID}.png").is_file()


def test_metainfo_matches_desktop_entry_and_version():
    component = _component()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    assert component.findtext("name") == _entry()["Name"]
    assert component.findtext("provides/binary") == _entry()["Exec"].split()[0]
    releases = [r.get("version") for r in component.iterfind("releases/release")]
    assert releases and releases[0] == __version__, f"newest metainfo release {releases[:1]} != {__version__}"


def test_metainfo_has_screenshots_and_content_rating():
    component = _component()
    images = [i.text for i in component.iterfind("screenshots/screenshot/image")]
    assert images, "no screenshots"
    assert all(i.startswith("https://") and "/docs/screenshots/" in i and i.endswith(".png") for i in images)
    assert component.find("content_rating").get("type") == "oars-1.1"
    assert component.find("description/p") is not None and component.findtext("summary")


@pytest.mark.parametrize("bump", ["0.1.1", "1.0.0"])
def test_version_check_notices_a_mismatch(bump, monkeypatch):
    """Guards the guard: a version bump without a metainfo release must fail the test above."""
    monkeypatch.setattr(sys.modules[__name__], "__version__", bump)
    with pytest.raises(AssertionError, match="newest metainfo release"):
        test_metainfo_matches_desktop_entry_and_version()
