"""The committed hicolor PNGs are current renders of icons/latecal.svg, and `app_icon()` carries every size."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from latecal.resources_access import ICON_SIZES, icon_png, resource_bytes

ROOT = Path(__file__).resolve().parents[2]


def _render_icons_module():
    spec = importlib.util.spec_from_file_location("render_icons", ROOT / "packaging" / "render_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _max_channel_difference(a: QImage, b: QImage) -> int:
    a, b = a.convertToFormat(QImage.Format.Format_ARGB32), b.convertToFormat(QImage.Format.Format_ARGB32)
    return max(abs(x - y) for x, y in zip(a.constBits().tobytes(), b.constBits().tobytes(), strict=True))


def test_render_script_and_app_agree_on_sizes():
    assert _render_icons_module().SIZES == ICON_SIZES
    assert ICON_SIZES[0] == 16 and ICON_SIZES[-1] == 512


@pytest.mark.parametrize("size", ICON_SIZES)
def test_png_is_a_current_render_of_the_svg(qapp, size):
    committed = QImage.fromData(icon_png(size).read_bytes(), "PNG")
    assert (committed.width(), committed.height()) == (size, size)
    fresh = _render_icons_module().render(resource_bytes("icons", "latecal.svg"), size)
    # A small tolerance for antialiasing differences between Qt versions; an edited SVG differs by far more.
    assert _max_channel_difference(committed, fresh) <= 8, "stale PNG: run packaging/render_icons.py"


def test_app_icon_has_every_size(qapp):
    from latecal.ui.widgets.icons import app_icon

    icon = app_icon()
    assert not icon.isNull()
    sizes = {s.width() for s in icon.availableSizes()}
    assert sizes == set(ICON_SIZES)


def test_render_writes_every_size(qapp, tmp_path):
    assert _render_icons_module().main(tmp_path / "hicolor") == 0
    written = sorted((tmp_path / "hicolor").glob("*/apps/dev.latecal.LateCalendar.png"))
    assert len(written) == len(ICON_SIZES)
