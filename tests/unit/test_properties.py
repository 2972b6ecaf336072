"""Property tests: identity, order-insensitivity, and no crash on any JSON value."""

import copy
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apicompat import Severity, diff_schemas
from apicompat.errors import InputError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)

TYPES = ["string", "integer", "number", "boolean", "object", "array", "null"]
names = st.sampled_from(["a", "b", "c", "id", "user_id", "type", "data"])


def schemas(depth: int = 3):
    leaf = st.fixed_dictionaries({"type": st.sampled_from(TYPES)}, optional={
        "maxLength": st.integers(0, 50), "minimum": st.integers(-5, 5), "format": st.sampled_from(["int32", "date", "uuid"]),
        "enum": st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3, unique=True),
        "nullable": st.booleans(), "description": st.text(max_size=5), "default": st.integers(0, 3),
    })
    if depth == 0:
        return leaf
    sub = schemas(depth - 1)
    obj = st.fixed_dictionaries({"type": st.just("object"), "properties": st.dictionaries(names, sub, max_size=4)},
                                optional={"required": st.lists(names, max_size=3, unique=True),
                                          "additionalProperties": st.booleans()})
    arr = st.fixed_dictionaries({"type": st.just("array"), "items": sub}, optional={"maxItems": st.integers(0, 9)})
    union = st.fixed_dictionaries({"anyOf": st.lists(sub, min_size=1, max_size=4)})
    every = st.fixed_dictionaries({"allOf": st.lists(sub, min_size=1, max_size=3)})
    return st.one_of(leaf, obj, arr, union, every)


def shuffled(schema, rnd: random.Random):
    """The same schema with properties and union members in another order."""
    if isinstance(schema, list):
        return [shuffled(s, rnd) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    keys = list(schema)
    rnd.shuffle(keys)
    for k in keys:
        v = schema[k]
        if k == "properties" and isinstance(v, dict):
            items = list(v.items())
            rnd.shuffle(items)
            v = {name: shuffled(s, rnd) for name, s in items}
        elif k in ("anyOf", "oneOf") and isinstance(v, list):
            v = [shuffled(s, rnd) for s in v]
            rnd.shuffle(v)
        else:
            v = shuffled(v, rnd)
        out[k] = v
    return out


# Example counts come from the hypothesis profile (tests/conftest.py): quick by default,
# `--hypothesis-profile=long` for a campaign.
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@SETTINGS
@given(schemas(), st.sampled_from(["request", "response"]))
def test_diff_of_a_schema_with_itself_is_empty(schema, direction):
    assert diff_schemas(schema, copy.deepcopy(schema), direction).changes == []


@SETTINGS
@given(schemas(), st.integers(0, 10_000), st.sampled_from(["request", "response"]))
def test_reordering_yields_nothing_above_info(schema, seed, direction):
    other = shuffled(schema, random.Random(seed))
    worst = diff_schemas(schema, other, direction).worst()
    assert worst is None or worst <= Severity.INFO, diff_schemas(schema, other, direction).changes


@SETTINGS
@given(json_values, json_values, st.sampled_from(["request", "response"]))
def test_differ_never_raises_on_any_json_value(old, new, direction):
    try:
        report = diff_schemas(old, new, direction)
    except InputError:
        return  # a clean refusal (e.g. a dangling $ref) is allowed; anything else is a bug
    assert isinstance(report.changes, list)


@SETTINGS
@given(schemas(), schemas(), st.sampled_from(["request", "response"]))
def test_differ_never_raises_on_random_schema_pairs(old, new, direction):
    report = diff_schemas(old, new, direction)
    for change in report.changes:
        assert change.message and change.rule
