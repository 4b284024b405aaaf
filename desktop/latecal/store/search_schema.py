"""The full-text index behind the List's search: an FTS5 table over every live post, kept in step by triggers.

A row of ``post_search`` has the rowid of its post. Triggers (not the Python writers) keep it in step, so every
path that writes a post (an edit, a pulled page, a restore, a delete) updates the index in the same transaction,
and no writer can forget to. The update trigger fires only when a searched column changes: a sync's bookkeeping
(sync state, attempts, conflict markers) costs nothing here.

``what`` holds the text a post is found by besides its title and body: its hashtags and tags, each target's
own text, platform and account id (the account's names are matched to its id when searching: names change
without the post changing). JSON values are read with ``json_each``/``json_extract`` so escaped characters come out as
text (the store writes JSON with ``ensure_ascii``).
"""

from __future__ import annotations


def valid_json(column: str) -> str:
    """``column`` when it holds JSON, else an empty list: a damaged row must stay writable and readable as
    damaged (the store reports it), not make every statement that touches it fail."""
    return f"CASE WHEN json_valid({column}) THEN {column} ELSE '[]' END"


def _targets_text(row: str) -> str:
    """Each target's own text, platform and account id (not its status: a publish changes no searched word)."""
    return f"""coalesce((SELECT group_concat(coalesce(json_extract(value, '$.custom_content'), '') || ' ' ||
                                         coalesce(json_extract(value, '$.platform'), '') || ' ' ||
                                         coalesce(json_extract(value, '$.account_id'), ''), ' ')
                     FROM json_each({valid_json(f"{row}.targets")}) WHERE type = 'object'), '')"""


def _words_of(column: str) -> str:
    """A JSON list of strings as words: its values joined by spaces."""
    return f"coalesce((SELECT group_concat(value, ' ') FROM json_each({valid_json(column)})), '')"


def _what(row: str) -> str:
    return f"{_words_of(f'{row}.hashtags')} || ' ' || {_words_of(f'{row}.tags')} || ' ' || {_targets_text(row)}"


_WHAT = _what("NEW")
# A pulled page rewrites thousands of rows whose words did not change (a status, a target's status or URL):
# the index is rewritten only when a searched word may have.
_WORDS_CHANGED = ("OLD.deleted IS NOT NEW.deleted OR OLD.title IS NOT NEW.title OR OLD.content IS NOT NEW.content "
                  "OR OLD.hashtags IS NOT NEW.hashtags OR OLD.tags IS NOT NEW.tags "
                  f"OR {_targets_text('OLD')} IS NOT {_targets_text('NEW')}")
_INDEX_NEW = f"""
    INSERT INTO post_search(rowid, title, content, what)
    SELECT NEW.rowid, NEW.title, NEW.content, {_WHAT} WHERE NEW.deleted = 0;
"""

SEARCH_STEPS: tuple[str, ...] = (
    # unicode61 folds case and (remove_diacritics 2) accents: "cafe" finds "Café"
    "CREATE VIRTUAL TABLE post_search USING fts5(title, content, what, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER post_search_insert AFTER INSERT ON posts BEGIN {_INDEX_NEW} END",
    "CREATE TRIGGER post_search_update AFTER UPDATE OF title, content, hashtags, tags, targets, deleted ON posts "
    f"WHEN {_WORDS_CHANGED} BEGIN DELETE FROM post_search WHERE rowid = OLD.rowid; {_INDEX_NEW} END",
    "CREATE TRIGGER post_search_delete AFTER DELETE ON posts "
    "BEGIN DELETE FROM post_search WHERE rowid = OLD.rowid; END",
    # the posts already stored
    f"INSERT INTO post_search(rowid, title, content, what) SELECT NEW.rowid, NEW.title, NEW.content, {_WHAT} "
    "FROM posts AS NEW WHERE NEW.deleted = 0",
)
