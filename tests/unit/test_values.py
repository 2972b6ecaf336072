"""record/values.py: JSON paths, volatile pruning, deepdiff's findings as entries."""

import pytest

from apicompat.collect import Collector
from apicompat.record.values import (DEFAULT_VOLATILE, ValueRules, body_of, changed_values, compare_values,
                                     json_path, matches, parse_path, prune)


@pytest.mark.parametrize("path, place, hit", [
    ("$.model", ("model",), True),
    ("$.model", ("response", "model"), False),
    ("$..model", ("response", "model"), True),
    ("$.choices[*].message.content", ("choices", 3, "message", "content"), True),
    ("$.choices[0].message", ("choices", 1, "message"), False),
    ("$..*_id", ("items", 0, "user_id"), True),
    ("$..*_id", ("items", 0, "id"), False),
    ("$['response.created'].response.model", ("response.created", "response", "model"), True),
    ("$.a.*", ("a", "b"), True),
])
def test_paths(path, place, hit):
    assert matches(parse_path(path).steps, place) is hit


@pytest.mark.parametrize("bad", ["model", "$model", "$.", "$..", "$.a..", "$[x]"])
def test_bad_paths(bad):
    with pytest.raises(ValueError):
        parse_path(bad)


def test_json_path_round_trip():
    for place in [("a", 0, "b c"), ("it's",), ("x-y", 2)]:
        assert matches(parse_path(json_path(place)).steps, place)


def test_prune_keeps_list_places():
    volatile = [parse_path(p) for p in DEFAULT_VOLATILE]
    body = {"id": "x", "model": "m", "choices": [{"message": {"content": "hi", "role": "assistant"}}],
            "usage": {"total_tokens": 3}, "data": [{"id": "a"}, "keep"]}
    assert prune(body, volatile) == {"model": "m", "choices": [{"message": {"role": "assistant"}}],
                                     "data": [{}, "keep"]}
    assert prune(["a", {"created": 1}], [parse_path("$[0]"), parse_path("$..created")]) == [None, {}]


def test_values_not_the_contract():
    """Only values: a property that came or went, or a value of another JSON type, is the contract's;
    null to a value (what a nullable contract allows) is a value change."""
    found = changed_values({"a": 1, "b": "x", "c": None, "gone": 1, "l": [1]},
                           {"a": 2, "b": 3, "c": "now", "new": 1, "l": [1, 2]})
    assert [f[0] for f in found] == ["$.a", "$.c", "$.l[1]"]


def test_stream_values_are_the_first_event_of_each_type():
    sample = {"events": [{"event": "a", "data": {"type": "a", "model": "m1"}},
                         {"event": "a", "data": {"type": "a", "model": "m2"}}, {"event": "done", "data": "[DONE]"}]}
    assert body_of(sample, True) == {"a": {"type": "a", "model": "m1"}, "done": "[DONE]"}


def test_entry_is_bounded_and_pins_are_not_repeated_as_values():
    base = {"samples": [{"body": {f"k{i}": i for i in range(12)} | {"model": "a"}}]}
    fresh = {"samples": [{"body": {f"k{i}": i + 1 for i in range(12)} | {"model": "b"}}]}
    out = Collector()
    compare_values("c", "GET /x", base, fresh, ValueRules(pins=("$.model",)), out)
    changes = {c.rule: c for c in out.changes()}
    assert set(changes) == {"recorded-value-changed", "recorded-pinned-value-changed"}
    message = changes["recorded-value-changed"].message
    assert message.endswith("; and 7 more") and "model" not in message
    assert len(changes["recorded-value-changed"].new_value) == 12


def test_a_huge_body_is_noted_not_compared(monkeypatch):
    import apicompat.record.values as values

    monkeypatch.setattr(values, "MAX_NODES", 50)
    base = {"samples": [{"body": {"items": list(range(60)), "model": "a"}}]}
    fresh = {"samples": [{"body": {"items": list(range(60)), "model": "b"}}]}
    out = Collector()
    note = compare_values("big", "GET /x", base, fresh, ValueRules(), out)
    assert note == "the values of case big were not compared: a body holds more than 50 values"
    assert out.changes() == []
    small = {"samples": [{"body": {"model": "a"}}]}
    assert compare_values("small", "GET /x", small, {"samples": [{"body": {"model": "b"}}]}, ValueRules(), out) is None


def test_speed_of_the_default_volatile_paths():
    """Pruning is linear in the body: 100,000 values in well under a few seconds."""
    import time

    body = {"data": [{"id": f"m{i}", "object": "model", "created": i, "owned_by": "x"} for i in range(20_000)]}
    volatile = [parse_path(p) for p in DEFAULT_VOLATILE]
    start = time.monotonic()
    pruned = prune(body, volatile)
    assert time.monotonic() - start < 5
    assert pruned["data"][0] == {"object": "model", "owned_by": "x"}
