"""The wheel carries every package and the top-level resources/ folder; `latecal --version` needs no display."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _declared_packages() -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return data["tool"]["setuptools"]["packages"]


def test_every_package_on_disk_is_declared():
    """The package list is explicit (resources/ lives outside desktop/); a forgotten sub-package would
    silently be left out of the wheel."""
    on_disk = {
        ".".join(p.relative_to(ROOT / "desktop").parts[:-1])
        for p in (ROOT / "desktop" / "latecal").rglob("__init__.py")
    }
    on_disk.add("latecal.resources")
    assert on_disk == set(_declared_packages())


APP_ID = "dev.latecal.LateCalendar"
RESOURCE_FILES = [
    "icons/latecal.svg",
    f"{APP_ID}.desktop",
    f"{APP_ID}.metainfo.xml",
    *(f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in (16, 24, 32, 48, 64, 128, 256, 512)),
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Build from a clean copy: setuptools reuses a checkout's build/ and *.egg-info, so a file dropped from
    # package-data could still reach the wheel from an earlier build (and the test would write into the tree).
    src, out = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    for folder in ("desktop", "resources"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(src)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("latecal-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_packages_and_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in _declared_packages():
        assert package.replace(".", "/") + "/__init__.py" in names
    missing = [f for f in RESOURCE_FILES if f"latecal/resources/{f}" not in names]
    assert not missing, f"not in the wheel (pyproject package-data?): {missing}"
    # Every file under resources/ ships, so a new resource cannot be forgotten in package-data.
    on_disk = {
        "latecal/resources/" + p.relative_to(ROOT / "resources").as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert on_disk <= names, sorted(on_disk - names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "latecal = latecal.__main__:main" in text
    assert "latecal-sandbox = latecal.sandbox.__main__:main" in text
    assert not any(n.startswith(("tests/", "resources/", "packaging/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_runs_and_finds_resources(wheel, tmp_path):
    """The unpacked wheel first on sys.path stands in for an install (the dependencies come from this venv):
    `latecal` and its resources must come from the wheel, not the checkout."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import latecal, sys\n"
        "from latecal.__main__ import main\n"
        "from latecal.resources_access import ICON_SIZES, desktop_entry, icon_png, metainfo, resource\n"
        "from latecal.sandbox.__main__ import main as sandbox_main\n"
        f"site = {str(site)!r}\n"
        "assert latecal.__file__.startswith(site), latecal.__file__\n"
        "assert str(resource('icons', 'latecal.svg')).startswith(site)\n"
        "assert all(icon_png(n).read_bytes()[:8] == b'\\x89PNG\\r\\n\\x1a\\n' for n in ICON_SIZES)\n"
        "assert b'[Desktop Entry]' in desktop_entry().read_bytes() and b'<component' in metainfo().read_bytes()\n"
        "main(['--version'])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    from latecal import __version__

    assert result.stdout.strip() == f"latecal {__version__}"
    sandbox = subprocess.run(
        [sys.executable, "-m", "latecal.sandbox", "--help"], env=env, capture_output=True, text=True, timeout=60
    )
    assert sandbox.returncode == 0, sandbox.stderr
    assert "--port" in sandbox.stdout


def test_version_without_display_or_qt():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = (
        "import sys\n"
        "from latecal.__main__ import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit as e:\n    assert e.code in (0, None)\n"
        "assert 'PySide6' not in sys.modules, 'Qt imported for --version'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    from latecal import __version__

    assert result.stdout.strip() == f"latecal {__version__}"
