"""`latecal --demo --screenshot out.png --view V` for every view, as a user would run it (offscreen)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

VIEWS = ("month", "week", "day", "list")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """All four runs at once (each starts Qt and the demo sandbox: ~1.5 s alone)."""
    root = tmp_path_factory.mktemp("shots")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    procs = {}
    for view in VIEWS:
        out = root / f"{view}.png"
        cmd = [sys.executable, "-m", "latecal", "--demo", "--data-dir", str(root / f"data-{view}"),
               "--screenshot", str(out), "--view", view]
        procs[view] = (subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), out)
    results = {}
    for view, (proc, out) in procs.items():
        try:
            stdout, stderr = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
        results[view] = (subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), out)
    return results


def _distinct_colours(image: QImage, step: int = 16) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


@pytest.mark.parametrize("view", VIEWS)
def test_screenshot_of_each_view(shots, view):
    result, out = shots[view]
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert out.is_file() and out.stat().st_size > 20_000
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800)
    assert _distinct_colours(image) > 20  # a painted calendar, not a blank or single-colour window
    # the calendar itself is painted, not left black (a grab while a view holds its repaints draws nothing there)
    centre = [image.pixelColor(x, y) for x in range(100, 1100, 10) for y in range(150, 700, 10)]
    black = sum(1 for c in centre if c.red() + c.green() + c.blue() < 30)
    assert black < len(centre) // 10, f"{view}: {black} of {len(centre)} pixels black"


def test_each_view_is_a_different_picture(shots):
    digests = {hashlib.sha256(out.read_bytes()).hexdigest() for _result, out in shots.values() if out.is_file()}
    assert len(digests) == len(VIEWS)
