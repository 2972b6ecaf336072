from apicompat.api import diff_schemas
from apicompat.record.infer import UNKNOWN, infer_events, infer_snapshot, infer_values


def test_required_optional_nullable_number_opaque():
    s = infer_values([{"id": "a", "n": 1, "x": None, "t": "hi", "user_id": "u"},
                      {"id": "bb", "n": 1.5, "x": "s", "t": "ho", "extra": True, "user_id": "v"}])
    assert s["required"] == ["id", "n", "x", "t", "user_id"]
    p = s["properties"]
    assert p["n"] == {"type": "number"} and p["x"] == {"type": ["string", "null"]}
    assert p["id"] == {"type": "string", "x-opaque": True} and p["user_id"]["x-opaque"] is True
    assert p["t"] == {"type": "string"} and "enum" not in p["t"]
    assert p["extra"] == {"type": "boolean"}


def test_arrays_and_mixed():
    assert infer_values([[1, 2], []]) == {"type": "array", "items": {"type": "integer"}}
    assert infer_values([None]) == UNKNOWN  # only null seen: any value
    assert infer_values([1, "a"]) == {"type": ["integer", "string"]}
    assert "anyOf" in infer_values([{"a": 1}, "x"])


def test_stream_becomes_event_union():
    s = infer_events([[{"event": "a", "data": {"type": "a", "d": 1}}, {"event": "b", "data": {"type": "b", "item_id": "i"}}],
                      [{"event": "a", "data": {"type": "a", "d": 2, "more": "x"}}]])
    a, b = s["items"]["anyOf"]
    assert a["properties"]["type"] == {"const": "a"} and a["required"] == ["type", "d"]
    assert b["properties"]["item_id"]["x-opaque"] is True
    assert s["type"] == "array"


def test_snapshot_schema_and_differ_agree_on_events():
    def snap(names):
        return {"case": "c", "request": {"method": "POST", "path": "/r"}, "stream": True,
                "samples": [{"events": [{"event": n, "data": {"type": n}} for n in names]}]}
    old, new = infer_snapshot(snap(["a", "b"])), infer_snapshot(snap(["a", "b", "c"]))
    assert old["$schema"].endswith("2020-12/schema")
    assert [c.rule for c in diff_schemas(old, new).changes] == ["response-event-type-added"]
    assert [c.rule for c in diff_schemas(new, old).changes] == ["response-event-type-removed"]


def test_values_only_change_gives_identical_schema():
    a = infer_values([{"id": "x1", "text": "hello", "created": 1}])
    b = infer_values([{"id": "x" * 90, "text": "bye", "created": 999999}])
    assert a == b


def test_null_only_field_is_not_a_type():
    """A field null in the only sample: a later string there is not a type change (nothing at all
    but an info narrowing), while a field that had a type keeps it."""
    old = infer_values([{"note": None, "n": 1}])
    assert old["properties"]["note"] == UNKNOWN
    new = infer_values([{"note": "text", "n": 1}])
    rules = {c.rule: c.severity.label for c in diff_schemas(old, new, direction="response").changes}
    assert not any(level in ("breaking", "warning") for level in rules.values()), rules
    near = infer_values([{"note": "text", "n": "one"}])
    assert "response-type-changed" in {c.rule for c in diff_schemas(old, near, direction="response").changes}
