"""The calendar views of a realistic store (render_views.py) render whole, and in the picture every post that is
fully in sight carries its status colour on its left bar."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint
from render_views import fill, render

from latecal.ui.widgets.palette import status_accent
from picture_checks import colour_at

TODAY = date(2027, 3, 10)


@pytest.mark.parametrize("view", ["month", "week", "day", "list"])
def test_each_view_renders_whole_with_status_colours(qtbot, store, tmp_path, view):
    fill(store, TODAY)
    window, image = render(store, view, TODAY)  # size, texts, nothing clipped: checked in render()
    qtbot.addWidget(window)
    assert image.save(str(tmp_path / f"{view}.png"))
    if view == "list":
        assert window.views.list.row_count() > 0
        return
    page = window.views.page(view)
    viewport = page.view.viewport()
    checked = 0
    for item in page.scene.items_by_id.values():
        box = page.view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        if not item.isVisible() or not viewport.rect().contains(box) or box.height() < 6:
            continue
        at = QPoint(box.left() + 1, box.center().y())
        assert colour_at(image, window, viewport, at) == status_accent(item.post.status).name(), item.post.content
        checked += 1
    assert checked, "no post fully in sight"
