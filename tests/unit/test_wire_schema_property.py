"""Whole posts drawn from Late's published post schema (``Post3`` in the official SDK's models, generated from
Late's openapi.yaml) are all kept: reading one never raises anything but ``WireError``, and only for a post
without ``_id``; what the schema allows but the app cannot use (a time out of range, a target without its
platform or account) marks the post instead of dropping it, and the marked post survives the store's codec."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from late.models._generated import models as schema_models  # Late's SDK: a test dependency

from latecal.late.errors import WireError
from latecal.late.listing import parse_posts
from latecal.late.wire import post_from_json, with_account_platforms
from latecal.store import codec

#: read problems a schema-valid post may have: Late's types are right, but a value is unusable here
_ALLOWED_PROBLEMS = ("scheduledFor", "publishedAt", "updatedAt", ".platform", ".accountId")

_offsets = st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12, minutes=-30))])
_date_times = st.one_of(
    st.datetimes(timezones=_offsets).map(lambda d: d.isoformat()),  # years 1 to 9999: some out of range
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC))
    .map(lambda d: d.isoformat().replace("+00:00", "Z")),
)
_json_leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(
    max_size=10)
_any_json = st.recursive(_json_leaf, lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


class _FromSchema:
    """A strategy for the JSON a JSON schema (pydantic's, with ``$defs``) allows: the few keywords Late's post
    schema uses. Optional properties are present or absent independently; nesting is bounded by ``depth``."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.defs = root.get("$defs", {})

    def draw(self, node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
        if "$ref" in node:
            return self.draw(self.defs[node["$ref"].rsplit("/", 1)[-1]], depth)
        if "anyOf" in node:
            return st.one_of([self.draw(option, depth) for option in node["anyOf"]])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        kind = node.get("type")
        if kind == "object":
            return self._object(node, depth)
        if kind == "array":
            if depth > 4:
                return st.just([])
            return st.lists(self.draw(node.get("items", {}), depth + 1), max_size=min(node.get("maxItems", 3), 3))
        if kind == "string":
            if node.get("format") == "date-time":
                return _date_times
            if node.get("format") == "uri":
                return st.sampled_from(["https://cdn.example.com/a.jpg", "https://example.com/v.mp4?x=1"])
            return st.text(max_size=12)
        return {"integer": st.integers(), "number": st.floats(allow_nan=False, allow_infinity=False),
                "boolean": st.booleans(), "null": st.none()}.get(kind, _any_json)

    def _object(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        properties = node.get("properties")
        if not properties:
            return st.dictionaries(st.text(max_size=6), _any_json, max_size=3)
        if depth > 4:
            return st.just({})
        required = set(node.get("required", ()))
        fields = {name: self.draw(sub, depth + 1) for name, sub in properties.items()}
        return st.fixed_dictionaries({k: v for k, v in fields.items() if k in required},
                                     optional={k: v for k, v in fields.items() if k not in required})


_post_schema = schema_models.Post3.model_json_schema(by_alias=True)
_drawn = _FromSchema(_post_schema)
_schema_posts = _drawn.draw(_post_schema)
_ids = st.text("0123456789abcdef", min_size=1, max_size=24)
_targets = st.lists(_drawn.draw(_post_schema["$defs"]["PlatformTarget"]), min_size=1, max_size=4)
# The schema leaves _id and platforms optional, so plain draws rarely have both; most posts here get an _id
# (those must all be kept), and many a list of targets drawn from the target schema.
_posts = st.one_of(
    _schema_posts,
    st.tuples(_schema_posts, _ids).map(lambda d: {**d[0], "_id": d[1]}),
    st.tuples(_schema_posts, _ids, _targets).map(lambda d: {**d[0], "_id": d[1], "platforms": d[2]}),
)
_platform_of = {"acc-1": "twitter"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_posts, min_size=1, max_size=3))
def test_every_post_the_schema_allows_is_kept(raws: list[dict[str, Any]]) -> None:
    for raw in raws:
        schema_models.Post3.model_validate(raw)  # the strategy draws what the schema allows, nothing else
        try:
            post = post_from_json(raw)
        except WireError:
            assert not raw.get("_id")  # only a post without an identity is refused
            continue
        assert post.late_id == raw["_id"]
        assert all(p.endswith(_ALLOWED_PROBLEMS) for p in post.read_problems), post.read_problems
        assert len(post.targets) == len(raw.get("platforms") or [])  # no target is dropped
        for dt in (post.scheduled_for, post.published_at, post.remote_updated_at):
            assert dt is None or dt.utcoffset() == timedelta(0)
        post = with_account_platforms(post, _platform_of)
        assert codec.post_from_columns(codec.encode_post(post)) == post  # the store keeps the mark
    posts, bad = parse_posts(raws)
    assert [p.late_id for p in posts] == [r["_id"] for r in raws if r.get("_id")]
    assert len(bad) == sum(1 for r in raws if not r.get("_id"))


def test_the_strategy_draws_posts_with_identity_and_targets() -> None:
    """The property above must see real posts, not only refusals: a sample of the strategy has both."""
    seen = {"kept": 0, "targets": 0}

    @settings(max_examples=60, deadline=None, database=None)
    @given(_posts)
    def sample(raw: dict[str, Any]) -> None:
        seen["kept"] += bool(raw.get("_id"))
        seen["targets"] += bool(raw.get("platforms"))

    sample()
    assert seen["kept"] > 5 and seen["targets"] > 5
