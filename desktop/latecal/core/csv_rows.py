"""One CSV row → the post it will be, with its problems, by the editor's own rules (``validation``).

Accounts are resolved by profile + platform (Late's way) or by username / id in an ``accounts`` column; the
time is read in the row's zone (``tz``), else the import's zone, else the profile's. Problems are keyed by
field; ``ImportChecker`` names the source column the user sees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from latecal.core.csv_columns import PLATFORM_SYNONYMS
from latecal.core.csv_values import read_bool, read_list, read_media, read_when, read_zone
from latecal.core.models import Account, Post, Profile, Target
from latecal.core.platforms import PLATFORMS, rules_for
from latecal.core.status import PostStatus
from latecal.core.text import text_for_target
from latecal.core.validation import validate_post
from latecal.core.zones import is_valid_zone


@dataclass(frozen=True, slots=True)
class ImportContext:
    accounts: Mapping[str, Account]
    profiles: Sequence[Profile]
    now: datetime
    display_zone: str  # the user's zone: the last resort for a row's time
    zone: str | None = None  # --timezone: read every row without a tz cell in it
    profile: str | None = None  # --profile: a profile's name or id for rows without one


@dataclass(slots=True)
class RowResult:
    """A row as it will be imported: ``post`` is None when the row cannot even be composed."""

    index: int
    key: str
    values: dict[str, str]
    post: Post | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    already_imported: bool = False
    skipped: bool = False
    #: the row's filled cells, for spotting a row repeated in the file
    identity: tuple = ()
    #: (account id, text and media) per target: what Late's 24-hour duplicate rule compares (``csv_check``)
    fingerprints: tuple[tuple[str, str, datetime], ...] = ()

    @property
    def importable(self) -> bool:
        return self.post is not None and not self.problems and not self.already_imported and not self.skipped


def import_key(digest: str, index: int) -> str:
    """The Idempotency-Key of a file's row: the same file imported again finds (and Late returns) the same post."""
    return f"latecal-import-{digest[:32]}-{index}"


def build_row(index: int, key: str, values: dict[str, str], ctx: ImportContext) -> RowResult:
    result = RowResult(index, key, dict(values))
    result.identity = tuple(sorted((k, v.strip()) for k, v in values.items() if v.strip()))
    problems = result.problems
    profile = _profile(values.get("profiles", ""), ctx, problems)
    zone = _zone(values.get("tz", ""), profile, ctx, problems)
    targets = _targets(values, profile, ctx, problems)
    flags = {}
    for name in ("is_draft", "publish_now", "use_queue"):
        try:
            flags[name] = read_bool(values.get(name, ""))
        except ValueError as exc:
            problems.append((name, str(exc)))
            flags[name] = False
    for name in ("publish_now", "use_queue"):
        if flags[name] and not flags["is_draft"]:
            problems.append((name, f"{name} rows are not imported here: give the row a schedule_time (or "
                                   "is_draft=true) instead, so you see its time before it goes out."))
    when = None
    if values.get("schedule_time", "").strip():
        try:
            when = read_when(values["schedule_time"], zone)
        except ValueError as exc:
            problems.append(("schedule_time", str(exc)))
    for t in targets:
        raw = values.get(f"schedule_time_{t.platform}", "").strip()
        if raw:
            try:
                t.scheduled_for = read_when(raw, zone)
            except ValueError as exc:
                problems.append((f"schedule_time_{t.platform}", str(exc)))
    if when is None and targets and any(t.scheduled_for for t in targets):
        when = min(t.scheduled_for for t in targets if t.scheduled_for)
    try:
        media = read_media(values.get("media_urls", ""))
    except ValueError as exc:
        problems.append(("media_urls", str(exc)))
        media = []
    for t in targets:
        if values.get(f"custom_media_{t.platform}", "").strip():
            problems.append((f"custom_media_{t.platform}", "Media for one platform only is not imported here; "
                                                            "clear this cell or use media_urls."))
    if values.get("mentions", "").strip():  # Late keeps them apart from the text; a post here has no such field
        problems.append(("mentions", "Mentions are not kept apart here: write them into the text, or clear "
                                     "this cell."))
    content = values.get("post_content", "")
    if link := values.get("link", "").strip():
        content = f"{content.rstrip()}\n\n{link}" if content.strip() else link
    draft = flags["is_draft"]
    post = Post(idempotency_key=key, title=values.get("title", "").strip(), content=content,
                hashtags=read_list(values.get("hashtags", "")), tags=read_list(values.get("tags", "")),
                media=media, targets=targets, scheduled_for=when, timezone=zone,
                status=PostStatus.DRAFT.value if draft else PostStatus.SCHEDULED.value)
    if not draft and when is None and not any(f == "schedule_time" for f, _ in problems):
        problems.append(("schedule_time", "No date and time: give one, or write true in is_draft to import "
                                          "the row as a draft."))
    intent = "draft" if draft else "schedule"
    said_accounts = any(f in ("platforms", "profiles", "accounts") for f, _ in problems)
    for p in validate_post(post, ctx.accounts, now=ctx.now, intent=intent):
        if p.field == "scheduled_for" and when is None:
            continue  # already said, in the import's own words
        if p.field == "targets" and not targets and said_accounts:
            continue  # the row's platform, profile or account problem says why
        problems.append((_field_of(p.field, p.platform, ctx.accounts), p.message))
    result.post = post
    if not draft and when is not None:
        result.fingerprints = tuple((t.account_id, fingerprint(post, t), t.scheduled_for or when) for t in targets)
    return result


def fingerprint(post: Post, target: Target) -> str:
    """The text Late gets for ``target`` (spacing aside) and the media: equal ones within 24 h are a duplicate."""
    return " ".join(text_for_target(post, target).split()) + "\x1f" + ",".join(m.url for m in post.media)


def _field_of(problem_field: str, platform: str | None, accounts: Mapping[str, Account]) -> str:
    if problem_field.startswith("custom_content:"):
        account = accounts.get(problem_field.split(":", 1)[1])
        return f"custom_content_{account.platform if account else platform or ''}"
    return {"content": "post_content", "scheduled_for": "schedule_time", "timezone": "tz", "targets": "platforms",
            "media": "media_urls", "upload": "media_urls", "title": "title", "status": "is_draft"}.get(
        problem_field, problem_field)


def _profile(cell: str, ctx: ImportContext, problems: list[tuple[str, str]]) -> Profile | None:
    ref = cell.strip() or (ctx.profile or "")
    if ref:
        found = next((p for p in ctx.profiles if p.id == ref or p.name.strip().lower() == ref.lower()), None)
        if found is None and not ctx.profiles:  # a new data folder: nothing read from Late yet
            problems.append(("profiles", f"No profiles are known yet to find '{ref}' in: import with --sync (or "
                                         "open the app once) so your Late accounts are read first."))
        elif found is None:
            names = ", ".join(p.name for p in ctx.profiles)
            problems.append(("profiles", f"There is no profile '{ref}' (your profiles: {names})."))
        return found
    defaults = [p for p in ctx.profiles if p.is_default] or (list(ctx.profiles) if len(ctx.profiles) == 1 else [])
    return defaults[0] if defaults else None


def _zone(cell: str, profile: Profile | None, ctx: ImportContext, problems: list[tuple[str, str]]) -> str:
    if cell.strip():
        try:
            return read_zone(cell)
        except ValueError as exc:
            problems.append(("tz", str(exc)))
    own = profile.timezone if profile is not None else None
    return ctx.zone or (own if own and is_valid_zone(own) else None) or ctx.display_zone or "UTC"


def _platform_key(name: str) -> str:
    low = name.strip().lower()
    return PLATFORM_SYNONYMS.get(low, low)


def _targets(values: Mapping[str, str], profile: Profile | None, ctx: ImportContext,
             problems: list[tuple[str, str]]) -> list[Target]:
    platforms = [_platform_key(p) for p in read_list(values.get("platforms", ""))]
    for p in platforms:
        if p not in PLATFORMS:
            problems.append(("platforms", f"'{p}' is not a platform Late posts to."))
    platforms = [p for p in dict.fromkeys(platforms) if p in PLATFORMS]
    chosen: list[Account] = []
    for ref in read_list(values.get("accounts", "")):
        account = _account_by_name(ref, ctx.accounts.values(), profile)
        if account is None:
            problems.append(("accounts", f"No account '{ref}' among your Late accounts."))
        elif account not in chosen:
            chosen.append(account)
    if chosen and platforms:  # a platform column beside named accounts: only those platforms' accounts
        chosen = [a for a in chosen if a.platform in platforms] or chosen
    covered = {a.platform for a in chosen}
    for p in platforms:
        if p in covered:
            continue
        if profile is None:
            if not any(f == "profiles" for f, _ in problems):  # an unknown profile is said once
                problems.append(("profiles", "Name a profile (column profiles, or --profile) to find the "
                                             f"{rules_for(p).display_name} account."))
            continue
        here = [a for a in ctx.accounts.values() if a.profile_id == profile.id and a.platform == p]
        if not here:
            problems.append(("platforms", f"Profile {profile.name} has no {rules_for(p).display_name} account."))
        elif len(here) > 1:
            names = ", ".join(a.label for a in here)
            problems.append(("accounts", f"Profile {profile.name} has {len(here)} {rules_for(p).display_name} "
                                         f"accounts ({names}): name one in the accounts column."))
        else:
            chosen.append(here[0])
    targets = []
    for a in chosen:
        custom = values.get(f"custom_content_{a.platform}", "")
        targets.append(Target(platform=a.platform, account_id=a.id, custom_content=custom if custom.strip() else None))
    return targets


def _account_by_name(ref: str, accounts, profile: Profile | None) -> Account | None:
    name = ref.strip().lstrip("@").lower()
    matches = [a for a in accounts if a.id == ref.strip() or a.username.lstrip("@").lower() == name
               or (a.display_name and a.display_name.lower() == ref.strip().lower())]
    if len(matches) > 1 and profile is not None:
        matches = [a for a in matches if a.profile_id == profile.id] or matches
    return matches[0] if matches else None
