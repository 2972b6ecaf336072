"""A keyword's finding checked against what the whole schemas accept (checker/schema/settle.py):
a change the rest of the schema makes moot is `constraint-without-effect` (info); a near pair where
the change does reject (or admit) a value keeps its finding. Each verdict checked by the oracle."""

from __future__ import annotations

import pytest

from apicompat import Severity

from test_unions import oracle_agrees, verdict

MOOT = [  # (old, new, side, the finding that was moot)
    ({"type": "string", "enum": ["abc"]}, {"type": "string", "enum": ["abc"], "minLength": 3}, "request",
     "request-min-length-set"),
    ({"maxItems": 1}, {"maxItems": 1, "uniqueItems": True}, "request", "request-unique-items-set"),
    ({"required": ["type"]}, {"minProperties": 1, "required": ["type"]}, "request", "request-min-properties-set"),
    ({"type": "string", "enum": ["abc"], "maxLength": 3}, {"type": "string", "enum": ["abc"]}, "response",
     "response-max-length-unset"),
    ({"type": "integer", "enum": [4, 8]}, {"type": "integer", "enum": [4, 8], "multipleOf": 2}, "request",
     "request-multiple-of-set"),
    ({"multipleOf": 5, "type": "number"}, {"multipleOf": 5, "type": "integer"}, "request", "request-type-narrowed"),
    ({"format": "int32", "type": "integer"}, {"format": "int32", "type": "number"}, "response",
     "response-type-widened"),
    ({"items": False}, {"items": False, "uniqueItems": True}, "request", "request-unique-items-set"),
    ({"properties": {"id": {"enum": [0], "exclusiveMaximum": 34}}}, {"properties": {"id": {"enum": [0], "maximum": 34}}},
     "response", "response-max-increased"),
]
NEAR = [  # the same keywords where the change does matter: the finding stays
    ({"type": "string", "enum": ["abc", "a"]}, {"type": "string", "enum": ["abc", "a"], "minLength": 3}, "request",
     "request-min-length-set"),
    ({"maxItems": 2}, {"maxItems": 2, "uniqueItems": True}, "request", "request-unique-items-set"),
    ({"required": ["type"]}, {"minProperties": 2, "required": ["type"]}, "request", "request-min-properties-set"),
    ({"type": "string", "enum": ["abc", "abcd"], "maxLength": 3}, {"type": "string", "enum": ["abc", "abcd"]},
     "response", "response-max-length-unset"),
    ({"type": "integer", "enum": [4, 7]}, {"type": "integer", "enum": [4, 7], "multipleOf": 2}, "request",
     "request-multiple-of-set"),
    ({"multipleOf": 0.5, "type": "number"}, {"multipleOf": 0.5, "type": "integer"}, "request",
     "request-type-narrowed"),
    ({"format": "float", "type": "integer"}, {"format": "float", "type": "number"}, "response",
     "response-type-widened"),
    ({"prefixItems": [{}, {}], "items": False}, {"prefixItems": [{}, {}], "items": False, "uniqueItems": True},
     "request", "request-unique-items-set"),
    ({"properties": {"id": {"enum": [0, 34], "exclusiveMaximum": 34}}},
     {"properties": {"id": {"enum": [0, 34], "maximum": 34}}}, "response", "response-max-increased"),
]


@pytest.mark.parametrize("old, new, side, moot", MOOT)
def test_a_change_the_rest_of_the_schema_makes_moot_is_info(old, new, side, moot):
    worst, rules = verdict(old, new, side)
    assert moot not in rules
    assert f"{side}-constraint-without-effect" in rules
    assert worst is not None and worst <= Severity.ADDITIVE
    oracle_agrees(old, new, side)


@pytest.mark.parametrize("old, new, side, kept", NEAR)
def test_a_change_that_does_reject_or_admit_a_value_keeps_its_finding(old, new, side, kept):
    worst, rules = verdict(old, new, side)
    assert kept in rules
    assert f"{side}-constraint-without-effect" not in rules
    assert worst is not None and worst >= Severity.WARNING
    oracle_agrees(old, new, side)


def test_the_message_names_the_settled_rule_and_why():
    from apicompat import diff_schemas
    report = diff_schemas({"type": "string", "enum": ["abc"]}, {"type": "string", "enum": ["abc"], "minLength": 3},
                          "request")
    [change] = [c for c in report.changes if c.rule == "request-constraint-without-effect"]
    assert "request-min-length-set (none -> 3)" in change.message
    assert "still accepts every value the old one accepted" in change.message


@pytest.mark.parametrize("old, new", [
    ({"default": 1, "type": "integer"}, {"default": 2, "type": "integer"}),
])
def test_findings_not_about_values_are_left_alone(old, new):
    """A changed default matters to a client that omits the value, whatever the schemas accept."""
    _, rules = verdict(old, new, "request")
    assert "request-default-changed" in rules and "request-constraint-without-effect" not in rules


@pytest.mark.parametrize("old, new, side, rule", [
    ({"exclusiveMaximum": 26, "type": "integer"}, {"exclusiveMaximum": 26, "not": {"minimum": 50}, "type": "integer"},
     "request", None),
    ({"exclusiveMaximum": 26, "type": "integer"}, {"exclusiveMaximum": 26, "not": {"minimum": 20}, "type": "integer"},
     "request", "request-not-added"),
    ({"if": {}, "then": {}, "type": "object"}, {"else": {"multipleOf": 3}, "if": {"type": "string"}, "type": "object"},
     "request", None),
    ({"if": {}, "then": {}, "type": "object"}, {"else": {"minProperties": 3}, "if": {"type": "string"},
                                                "type": "object"}, "request", "request-conditional-tightened"),
    ({}, {"propertyNames": {}}, "request", None),
    ({}, {"propertyNames": {"maxLength": 3}}, "request", "request-property-names-added"),
], ids=["not-outside-the-range", "not-inside-the-range", "else-for-another-type", "else-for-this-type",
        "property-names-that-admit-any-name", "property-names-that-bound-names"])
def test_units_judge_by_what_the_rest_of_the_schema_accepts(old, new, side, rule):
    """`not` that forbids values the schema already excluded, a keyword for a type the schema excludes:
    no change (and their near pairs still are)."""
    worst, rules = verdict(old, new, side)
    if rule is None:
        assert worst is None or worst <= Severity.ADDITIVE, rules
    else:
        assert rule in rules
    oracle_agrees(old, new, side)


NESTED_OVERLAP = {"allOf": [{"oneOf": [{}, {"type": "integer", "minimum": 4, "maximum": 17}]}], "oneOf": [{}]}


def test_an_undecided_request_change_a_witness_proves_is_breaking():
    """The union unit leaves the overlap of a oneOf nested in an allOf undecided (a warning); the whole
    schemas' witness search finds a value the old schema accepts and the new one rejects: breaking."""
    from apicompat import diff_schemas
    report = diff_schemas({}, NESTED_OVERLAP, "request")
    [change] = [c for c in report.changes if c.rule == "request-rejects-accepted-value"]
    assert change.severity == Severity.BREAKING
    assert "undecided: oneof-overlap-possible" in change.message
    oracle_agrees({}, NESTED_OVERLAP, "request", 17)


@pytest.mark.parametrize("new, side", [
    ({"allOf": [{"anyOf": [{}, {"type": "integer", "minimum": 4, "maximum": 17}]}], "oneOf": [{}]}, "request"),
    (NESTED_OVERLAP, "response"),  # a response that sends less: never this rule
], ids=["anyOf-nested", "response-side"])
def test_no_witness_no_upgrade(new, side):
    _, rules = verdict({}, new, side)
    assert f"{side}-rejects-accepted-value" not in rules
    oracle_agrees({}, new, side)
