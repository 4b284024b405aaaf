"""Build the PyInstaller bundle (about 25 s) and run the frozen app: version, an offscreen demo screenshot,
keyring backends found, Qt platform plugins present, nothing from the test extra inside.

Needs the `bundle` extra (PyInstaller) and, for the keyring check, dbus-run-session and gnome-keyring
(scripts/setup.sh installs both). Deselect with `-m "not bundle"` for a quick local run.
"""

from __future__ import annotations

import contextlib
import importlib.metadata as md
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from latecal import __version__

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.bundle, pytest.mark.slow]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    env = {**os.environ, "PYTHON": sys.executable, "DIST": str(out / "dist"), "WORK": str(out / "work")}
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build-bundle.sh")], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def _frozen(bundle: Path) -> Path:
    return bundle / "dist" / "latecal" / "latecal"


def _clean_env(**extra: str) -> dict[str, str]:
    """The test session's keyring and Qt overrides must not leak into the frozen app."""
    drop = ("PYTHON_KEYRING_BACKEND", "PYTHONPATH", "QT_API", "QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def test_frozen_version(bundle):
    result = subprocess.run([_frozen(bundle), "--version"], env=_clean_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"latecal {__version__}"


def test_frozen_demo_screenshot(bundle, tmp_path, qapp):
    shot = tmp_path / "out.png"
    result = subprocess.run(
        [_frozen(bundle), "--demo", "--data-dir", str(tmp_path / "data"), "--screenshot", str(shot)],
        env=_clean_env(QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    image = QImage(str(shot))
    assert image.width() >= 800 and image.height() >= 500
    # A real calendar (text, coloured post chips), not a blank or single-colour window.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 40, len(colours)


def test_frozen_app_finds_the_secret_service_keyring(bundle, tmp_path):
    """keyring loads backends through entry points (keyring#591): the frozen app must see SecretService."""
    run_session, daemon = shutil.which("dbus-run-session"), shutil.which("gnome-keyring-daemon")
    assert run_session and daemon, "apt-get install dbus-daemon gnome-keyring (scripts/setup.sh has them)"
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    script = f'echo -n ci | {daemon} --unlock --components=secrets > /dev/null && exec "$0" auth status'
    env = _clean_env(XDG_DATA_HOME=str(tmp_path / "data"), XDG_RUNTIME_DIR=str(runtime))
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    result = subprocess.run(
        [run_session, "--", "sh", "-c", script, str(_frozen(bundle))],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    # `auth status` names the backend (exit 1 only says no key is set yet); without the backends it would
    # fall back to keyring's fail backend and say that no system keyring is available.
    assert "SecretService" in result.stdout, result.stdout + result.stderr


def test_qt_platform_plugins_are_bundled(bundle):
    plugins = bundle / "dist" / "latecal" / "_internal" / "PySide6" / "Qt" / "plugins"
    platforms = {p.name for p in (plugins / "platforms").iterdir()}
    assert {"libqoffscreen.so", "libqxcb.so"} <= platforms
    assert any(name.startswith("libqwayland") for name in platforms), platforms
    assert any((plugins / "wayland-shell-integration").iterdir())  # xdg-shell: a Wayland window needs it
    assert (plugins / "xcbglintegrations").is_dir()


def test_resources_are_bundled(bundle):
    resources = bundle / "dist" / "latecal" / "_internal" / "latecal" / "resources"
    shipped = {p.relative_to(resources) for p in resources.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    source = {p.relative_to(ROOT / "resources") for p in (ROOT / "resources").rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    assert source <= shipped, sorted(map(str, source - shipped))
    assert (bundle / "dist" / "latecal" / "install-desktop.sh").is_file()


def _norm(dist: str) -> str:
    return re.sub(r"[-_.]+", "-", dist).lower()


def _closure(requirements: list[str]) -> set[str]:
    """Distribution names reachable from `requirements` (markers for extras skipped)."""
    seen: set[str] = set()
    todo = list(requirements)
    while todo:
        req = todo.pop()
        if "extra ==" in req:
            continue
        name = _norm(re.split(r"[<>=!~\[ ;(]", req, maxsplit=1)[0])
        if name in seen:
            continue
        seen.add(name)
        with contextlib.suppress(md.PackageNotFoundError):  # optional deps that aren't installed
            todo += md.requires(name) or []
    return seen


def test_nothing_from_the_test_extra_is_bundled(bundle):
    from PyInstaller.archive.readers import ZlibArchiveReader

    project = md.metadata("latecal")
    runtime = _closure([r for r in project.get_all("Requires-Dist") if "extra ==" not in r])
    test_only = _closure([r.split(";")[0] for r in project.get_all("Requires-Dist") if 'extra == "test"' in r])
    test_only -= runtime
    owners = md.packages_distributions()
    bundled = {name.split(".")[0] for name in ZlibArchiveReader(str(bundle / "work" / "latecal" / "PYZ-00.pyz")).toc}
    bundled |= {p.name for p in (bundle / "dist" / "latecal" / "_internal").iterdir()}
    leaked = {
        top for top in bundled
        if any(_norm(d) in test_only for d in owners.get(top, ()))
    }
    assert "pytest" in test_only and "hypothesis" in test_only  # the closure itself works
    assert not leaked, f"test-only packages in the bundle: {sorted(leaked)}"
