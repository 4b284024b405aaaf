"""A calendar chip stands for a post, or for the platforms of a post that go out at one time of several
(``core.target_times``): this turns a chip's key back into its post for the window, and decides what a drop of
a chip moves: that time's platforms alone, or (Shift held, or a post with one time) the whole post."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from latecal.core.recurrence import is_projected
from latecal.core.target_times import has_own_times, owner_id
from latecal.presentation.messages import problem
from latecal.presentation.recurrence_texts import PROJECTED_STAYS
from latecal.ui.calendar.chip_links import ChipLinks


class ChipMoves:
    def __init__(self, store, runner, mirror, commands) -> None:
        self.store = store
        self.runner = runner
        self.mirror = mirror
        self.commands = commands
        self.links: list[ChipLinks] = []

    def connect_scene(self, scene) -> None:
        scene.move_handler = self.move
        for view in scene.views():  # hovering one chip of a post outlines its others
            self.links.append(ChipLinks(view, lambda key: self.mirror.chip_keys(owner_id(key))))
        scene.post_pressed.connect(lambda key: self.mirror.select(owner_id(key)))
        scene.post_activated.connect(lambda key: self.commands.open_post(owner_id(key)))
        scene.context_menu_requested.connect(lambda key, pos: self.commands.show_post_menu(owner_id(key), pos))

    def move(self, key: str, new_utc: datetime) -> bool:
        if is_projected(key):  # a copy Late has not made yet: it comes from the series, which the editor changes
            self.commands.say(problem(PROJECTED_STAYS))
            return False
        local_id = owner_id(key)
        post = self.store.get_post(local_id)
        chip = self.mirror.chip(key)
        if post is None or chip is None or not has_own_times(post) or chip.scheduled_for is None:
            return self.runner.move(local_id, new_utc)
        if QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier:
            if post.scheduled_for is None:
                return False
            return self.runner.move(local_id, post.scheduled_for + (new_utc - chip.scheduled_for))
        return self.runner.move_platforms(local_id, chip.account_ids, chip.scheduled_for, new_utc)
