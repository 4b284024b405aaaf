"""packaging/install-desktop.sh puts the desktop entry, metainfo and icons under $PREFIX and takes them away."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from latecal.resources_access import APP_ID, ICON_SIZES

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "install-desktop.sh"


def _run(*args: str, prefix: Path, script: Path = SCRIPT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PREFIX": str(prefix)}
    env.pop("LATECAL_RESOURCES", None)
    return subprocess.run(["bash", str(script), *args], env=env, capture_output=True, text=True, timeout=60)


def _expected(prefix: Path) -> set[Path]:
    return {
        prefix / "applications" / f"{APP_ID}.desktop",
        prefix / "metainfo" / f"{APP_ID}.metainfo.xml",
        prefix / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        *(prefix / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES),
    }


def _installed(prefix: Path) -> set[Path]:
    # update-desktop-database may add its own cache next to the entry; that is the desktop's, not ours.
    return {p for p in prefix.rglob("*") if p.is_file() and p.name != "mimeinfo.cache"}


def test_install_then_uninstall(tmp_path):
    prefix = tmp_path / "share"
    result = _run(prefix=prefix)
    assert result.returncode == 0, result.stderr
    assert _installed(prefix) == _expected(prefix)
    desktop = (prefix / "applications" / f"{APP_ID}.desktop").read_text()
    assert "\nExec=latecal\n" in desktop
    assert (prefix / "icons/hicolor/48x48/apps" / f"{APP_ID}.png").read_bytes() == (
        ROOT / "resources/icons/hicolor/48x48/apps" / f"{APP_ID}.png"
    ).read_bytes()

    assert _run(prefix=prefix).returncode == 0  # idempotent
    result = _run("--uninstall", prefix=prefix)
    assert result.returncode == 0, result.stderr
    assert _installed(prefix) == set()


def test_exec_points_the_launcher_at_a_bundle(tmp_path):
    prefix = tmp_path / "share"
    result = _run("--exec", "/opt/Late Calendar/latecal", prefix=prefix)
    assert result.returncode == 0, result.stderr
    desktop = (prefix / "applications" / f"{APP_ID}.desktop").read_text()
    assert '\nExec="/opt/Late Calendar/latecal"\n' in desktop
    assert "\nTryExec=/opt/Late Calendar/latecal\n" in desktop
    validate = shutil.which("desktop-file-validate")
    assert validate, "apt-get install desktop-file-utils"
    check = subprocess.run([validate, str(prefix / "applications" / f"{APP_ID}.desktop")], capture_output=True)
    assert check.returncode == 0, check.stdout


def test_inside_a_bundle_it_uses_the_bundled_files_and_binary(tmp_path):
    """build-bundle.sh copies the script into dist/latecal/, next to _internal/latecal/resources."""
    bundle = tmp_path / "latecal"
    shutil.copytree(ROOT / "resources", bundle / "_internal" / "latecal" / "resources")
    shutil.copy(SCRIPT, bundle / SCRIPT.name)
    prefix = tmp_path / "share"
    result = _run(prefix=prefix, script=bundle / SCRIPT.name)
    assert result.returncode == 0, result.stderr
    assert _installed(prefix) == _expected(prefix)
    desktop = (prefix / "applications" / f"{APP_ID}.desktop").read_text()
    assert f'\nExec="{bundle}/latecal"\n' in desktop


def test_unknown_argument_is_an_error(tmp_path):
    result = _run("--frobnicate", prefix=tmp_path)
    assert result.returncode == 2
    assert "unknown argument" in result.stderr
    assert not any(tmp_path.iterdir())
