"""The sentences of recurring posts: the editor's Repeat section, the scope question, and what an action did."""

from __future__ import annotations

from latecal.core.models import Post
from latecal.core.recurrence import Freq, LocalReason, Rule
from latecal.presentation.posts import quoted

REPEAT_LABEL = "Repeat"
PROJECTED_STAYS = ("Late makes this repeat from its series when its time comes: open the series' post (double-click) "
                   "to change when it repeats.")
REPEAT_NEVER = "Does not repeat"
FREQ_LABELS = {Freq.DAILY: "Every day", Freq.WEEKLY: "Every week", Freq.MONTHLY: "Every month"}
EVERY_LABEL = "Every"
UNIT_LABELS = {Freq.DAILY: ("day", "days"), Freq.WEEKLY: ("week", "weeks"), Freq.MONTHLY: ("month", "months")}
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
END_NEVER = "No end"
END_ON = "Until"
END_AFTER = "After"
TIMES_SUFFIX = " times"
VARIATIONS_LABEL = "Text variations, one per line (used in turn by the repeats):"
VARIATIONS_TIP = "Leave empty to repeat the post's own text. Two to twenty lines on Late's side."

SCOPE_TITLE = "Change a repeating post"
SCOPE_QUESTION = "This post repeats. Which posts should change?"
SCOPE_THIS = "This post"
SCOPE_FOLLOWING = "This and following posts"
SCOPE_ALL = "All posts"
SKIP_ACTION = "Skip this occurrence"
STOP_ACTION = "Stop repeating"
STOP_TIP = "The series ends with this post: the repeats after it that have not gone out are removed."
STOPPED = "The post no longer repeats; the repeats after it that had not gone out are removed."

_SCOPE_DONE = {"this": "Changed this post only; the rest of the series stays as it was.",
               "following": "Changed this post and the ones after it.",
               "all": "Changed every post of the series that has not gone out yet."}
_LOCAL_WHY = {
    LocalReason.RULE: "Late's repeat cannot express this rule, so the app makes each post itself.",
    LocalReason.PLATFORM: "Late does not repeat YouTube or TikTok posts, so the app makes each post itself.",
    LocalReason.LIMIT: "An account already has Late's maximum of 10 repeating posts, so the app makes each post "
                       "itself.",
    LocalReason.NO_TIME: "The post has no time yet.",
}


def describe(rule: Rule) -> str:
    """'Every 2 weeks on Mon, Wed, 5 times' — the rule in a few words."""
    many = UNIT_LABELS[rule.freq][1]
    text = f"Every {rule.interval} {many}" if rule.interval > 1 else FREQ_LABELS[rule.freq]
    if rule.freq is Freq.WEEKLY and rule.weekdays:
        text += " on " + ", ".join(WEEKDAY_NAMES[d] for d in sorted(rule.weekdays))
    if rule.count is not None:
        text += f", {rule.count} times"
    if rule.until is not None:
        text += f", until {rule.until.isoformat()}"
    if rule.variations:
        text += f", {len(rule.variations)} text variations"
    return text


def made_recurring(rule: Rule, reason: LocalReason | None) -> str:
    text = describe(rule)
    where = "Late repeats it." if reason is None else _LOCAL_WHY[reason]
    return f"The post now repeats: {text[0].lower()}{text[1:]}. {where}"


def edited(scope: str) -> str:
    return _SCOPE_DONE[str(scope)]


def skipped(post: Post) -> str:
    return f"Skipped one occurrence of {quoted(post)}."


def made_recurring_title(post: Post) -> str:
    return f"Repeat {quoted(post)}"


def edit_title(post: Post, scope: str) -> str:
    return {"this": f"Edit one occurrence of {quoted(post)}", "following": f"Edit {quoted(post)} and following",
            "all": f"Edit every occurrence of {quoted(post)}"}[str(scope)]


def skip_title(post: Post) -> str:
    return f"Skip one occurrence of {quoted(post)}"


def stop_title(post: Post) -> str:
    return f"Stop repeating {quoted(post)}"
