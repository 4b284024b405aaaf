"""The wheel carries every package and the top-level resources/ folder; `latecal --version` needs no display."""

from __future__ import annotations

import os
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


@pytest.mark.slow
def test_wheel_contains_packages_and_resources(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("latecal-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in _declared_packages():
        assert package.replace(".", "/") + "/__init__.py" in names
    assert "latecal/resources/icons/latecal.svg" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "latecal = latecal.__main__:main" in text
    assert "latecal-sandbox = latecal.sandbox.__main__:main" in text
    assert not any(n.startswith(("tests/", "resources/")) for n in names)


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
