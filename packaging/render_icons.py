"""Render resources/icons/latecal.svg to the hicolor PNG sizes; the PNGs are committed, so run this after
editing the SVG: `QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py`.

tests/packaging/test_icons.py re-renders and compares, so a stale PNG fails the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "latecal.svg"
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
APP_ID = "dev.latecal.LateCalendar"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int, root: Path = HICOLOR) -> Path:
    return root / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render(svg: bytes, size: int) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ValueError("the icon SVG does not parse")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def main(out_root: Path = HICOLOR) -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QPainter on QImage needs a GUI app
    svg = SVG.read_bytes()
    for size in SIZES:
        target = png_path(size, out_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(svg, size).save(str(target), "PNG"):
            raise OSError(f"could not write {target}")
        print(target.relative_to(out_root.parent) if out_root == HICOLOR else target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
