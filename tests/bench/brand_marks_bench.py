"""Chips painted with the networks' marks against chips painted with letters, and posts split per platform time.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/brand_marks_bench.py --chips 2000 --json

Paints N month-sized chips (each with three platform badges) into one image with ``PostItem.paint``, three
rounds each, alternating: badges with brand marks (twitter, linkedin, instagram) and with letter marks (platforms
the icon set lacks); the median round of each, and their ratio. ``first_mark_ms`` is the one-off cost of loading
the icon font and rendering the first mark (the pixmaps are cached after). ``slices_ms``: splitting N posts with two
per-platform times each into their chips (``core.target_times.slices``). The last line is the JSON result.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyleOptionGraphicsItem

from latecal.core.models import Post, Target
from latecal.core.target_times import slices
from latecal.ui.calendar.post_item import PostItem

ZONE = ZoneInfo("Europe/Berlin")
T0 = datetime(2027, 3, 10, 9, tzinfo=UTC)


class _Host:
    accounts: dict = {}
    profile_colours: dict = {}

    @staticmethod
    def clock() -> datetime:
        return T0 - timedelta(days=1)


def _items(n: int, platforms: tuple[str, ...]) -> list[PostItem]:
    items = []
    for i in range(n):
        post = Post(content=f"Spring collection launch number {i}", scheduled_for=T0 + timedelta(minutes=i),
                    status="scheduled", targets=[Target(p, f"acc-{p}") for p in platforms])
        item = PostItem(post, ZONE, block=False, host=_Host())
        item.set_geometry(0, 0, 150, 18)
        items.append(item)
    return items


def _paint_ms(items: list[PostItem], image: QImage) -> float:
    option = QStyleOptionGraphicsItem()
    painter = QPainter(image)
    start = time.perf_counter()
    for item in items:
        item.paint(painter, option)
    elapsed = (time.perf_counter() - start) * 1000
    painter.end()
    return elapsed


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chips", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    _app = QApplication.instance() or QApplication([])
    image = QImage(160, 20, QImage.Format.Format_ARGB32_Premultiplied)
    from latecal.ui.widgets.brand_icons import brand_pixmap

    start = time.perf_counter()
    brand_pixmap("twitter", 9, "#ff202020")
    first_mark_ms = (time.perf_counter() - start) * 1000
    brands = _items(args.chips, ("twitter", "linkedin", "instagram"))
    letters = _items(args.chips, ("myspace", "friendster", "orkut"))
    _paint_ms(brands[:50], image), _paint_ms(letters[:50], image)  # warm-up (caches, fonts)
    brand_runs, letter_runs = [], []
    for _ in range(3):
        brand_runs.append(_paint_ms(brands, image))
        letter_runs.append(_paint_ms(letters, image))
    split = [Post(content="x", scheduled_for=T0, status="scheduled",
                  targets=[Target("twitter", "a"), Target("linkedin", "b", scheduled_for=T0 + timedelta(hours=2))])
             for _ in range(args.chips)]
    start = time.perf_counter()
    for post in split:
        slices(post)
    slices_ms = (time.perf_counter() - start) * 1000
    brand_ms, letter_ms = statistics.median(brand_runs), statistics.median(letter_runs)
    return {"chips": args.chips, "brand_paint_ms": round(brand_ms, 1), "letter_paint_ms": round(letter_ms, 1),
            "brand_to_letter_ratio": round(brand_ms / letter_ms, 2), "first_mark_ms": round(first_mark_ms, 1),
            "slices_ms": round(slices_ms, 1)}


if __name__ == "__main__":
    result = main(sys.argv[1:])
    print(json.dumps(result))
