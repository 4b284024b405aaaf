"""The PostEditor's live check: every problem at once, beside its field; the counters; which actions are
possible now (a mixin: it reads the editor's form and shows on its widgets)."""

from __future__ import annotations

from dataclasses import replace

from latecal.core.lifecycle import Check
from latecal.core.models import Post, Target
from latecal.core.platforms import display_name
from latecal.core.status import PostStatus, is_deletable, is_editable, is_retryable
from latecal.core.text import count_text, text_for_target
from latecal.core.validation import UPLOAD_FIELD, Problem, custom_content_field, text_limit, validate_post
from latecal.presentation import editor_texts as texts
from latecal.presentation import time_format


class Checking:
    def problems_for(self, check: Check) -> list[Problem]:
        """Every problem for saving as ``check`` asks: core's rules, and where each upload stands."""
        # times in messages read like the fields: the zone shown beside them, the user's 12/24-hour clock
        problems = validate_post(self.current_post(), self.accounts, now=self.clock(), intent=check.value,
                                 zone=self.when.shown_zone, time_text=time_format.day_and_clock)
        problems = [p for p in problems if p.field != UPLOAD_FIELD]  # the uploads say where each stands
        return problems if check is Check.DRAFT else problems + self.media.upload_problems()

    def messages_for(self, field: str) -> list[str]:
        return [p.message for p in self.problems if p.field == field]

    def revalidate(self) -> None:
        """Every problem at once, next to its field; counters; which actions are possible."""
        self._validate_timer.stop()
        post = self.current_post()
        self.problems = self.problems_for(Check.SCHEDULE)
        self.target_problems.set_messages(self.messages_for("targets"))
        self.content_problems.set_messages(self.messages_for("content"))
        self.media.problems.set_messages(self.media.rejected + self.messages_for("media"))
        self.when.problems.set_messages(self.messages_for("scheduled_for") + self.messages_for("timezone"))
        self.status_problems.set_messages(self.messages_for("status"))
        self.late_problems.set_messages([texts.late_refused_last_save(self.late_message)] if self.late_message
                                        else [])
        shown = self.custom.current_account()
        target = post.target_for(shown) if shown else None
        by_field: dict[str, list[str]] = {}
        for p in self.problems:  # grouped once: a post may have a thousand accounts
            by_field.setdefault(p.field, []).append(p.message)
        self.custom.set_checks({a: by_field.get(custom_content_field(a), []) for a in self.custom.account_ids()},
                               [self._count(post, target, target.account_id)] if target is not None else [])
        self.counters.set_counts(self._main_counts(post))
        self._update_actions()

    def _count(self, post: Post, target: Target, key: str) -> tuple[str, str, int, int | None]:
        limit = text_limit(target, self.accounts.get(target.account_id), has_media=bool(post.media))
        return key, display_name(target.platform), count_text(text_for_target(post, target), target.platform), limit

    def _main_counts(self, post: Post) -> list[tuple[str, str, int, int | None]]:
        """One counter per platform that uses the main text, against its strictest account's limit."""
        counts: dict[str, tuple[str, str, int, int | None]] = {}
        for target in post.targets:
            if target.custom_content and target.custom_content.strip():
                continue
            entry = self._count(post, replace(target, custom_content=None), target.platform)
            previous = counts.get(target.platform)
            if previous is None or (entry[3] is not None and (previous[3] is None or entry[3] < previous[3])):
                counts[target.platform] = entry
        return list(counts.values())

    def _update_actions(self) -> None:
        status = self.post.status
        editable = is_editable(status)
        schedulable = editable and status != PostStatus.PARTIAL
        # "Nothing to save" does not disable Save draft: a click says why nothing is kept
        draft_ok = not [p for p in self.problems_for(Check.DRAFT) if p.field != "content"]
        publish_ok = not self.problems_for(Check.PUBLISH_NOW)
        self.save_draft_button.setEnabled(editable and status in (PostStatus.DRAFT, PostStatus.CANCELLED) and draft_ok)
        self.schedule_button.setEnabled(schedulable and not self.problems)
        self.publish_button.setEnabled(schedulable and publish_ok)
        self.delete_button.setEnabled(not self.is_new and is_deletable(status))
        self.retry_button.setEnabled(not self.is_new and is_retryable(status) and bool(self.post.late_id))
        self.to_draft_button.setEnabled(not self.is_new and editable
                                        and status not in (PostStatus.DRAFT, PostStatus.PARTIAL))
        self.retry_button.setVisible(is_retryable(status))
        self.to_draft_button.setVisible(not self.is_new and status != PostStatus.DRAFT)
        self.reasons.set_messages([p.message for p in self.problems] if schedulable else [])

    def reasons_text(self) -> str:
        return self.reasons.plain_text()
