"""Request breaks proven by a witness the bounded search must find (pairs the oracle campaign found
called `warning`): a value the old schema accepts and the new one rejects, built from the schemas'
own constants. Each verdict is checked by the oracle with that value; near pairs stay non-breaking."""

from __future__ import annotations

import pytest

from apicompat import Severity

from test_unions import oracle_agrees, verdict

BROKEN = [
    # a length bound's neighbour: 13 characters match both members of the new oneOf
    ({"oneOf": [{"type": "string", "maxLength": 12}, {}]}, {"oneOf": [{"type": "string"}, {}]}, "a" * 13),
    # n copies of one value: minContains 2 of anything, then contains a pattern "" does not match
    ({"contains": {}, "minContains": 2}, {"contains": {"pattern": "^[a-c]{1,3}$"}}, ["", ""]),
    # a declared property set to a value its schema accepts, in a union member
    ({"oneOf": [{"additionalProperties": False, "properties": {"data": {"type": "integer"}}},
                {"additionalProperties": False, "properties": {"data": {}, "type": {"type": "string"}}}]},
     {"oneOf": [{"properties": {"data": {"type": "integer"}}}, {}]}, {"type": "x"}),
    # one value among copies of another: a contains of anything now counts the numbers too (maxContains 3)
    ({"contains": {"type": "string"}, "maxContains": 3}, {"contains": {}, "maxContains": 3}, ["a", 1, 1, 1]),
    # a pattern's sample lengthened to the minLength beside it: a digit string of 3 is no integer
    ({"patternProperties": {"^x_": {"minLength": 3, "pattern": "[0-9]", "type": "string"}}},
     {"patternProperties": {"^x_": {"type": "integer"}}}, {"x_": "000"}),
    # an object built inside another: a conditional met by a nested value the old schema took
    ({"if": {"properties": {"c": {"const": "x"}}}, "then": {"required": ["kind"]},
      "properties": {"c": {"oneOf": [{"properties": {"data": {"minimum": 1, "type": "integer"}}, "type": "object"},
                                     {"additionalProperties": {"type": "boolean"}, "type": "object"}]}}},
     {"if": {"properties": {}}, "then": {"required": ["kind"]}}, {"c": {"data": 1}}),
    # ... and a bound removed two levels down makes two oneOf members overlap (each property has its turn)
    ({"oneOf": [{"additionalProperties": True}, {"properties": {"type": {"properties": {
        "b": {"minimum": 1, "type": "integer"}, "data": {"minimum": 1, "multipleOf": 5, "type": "number"}}}}}]},
     {"oneOf": [{}, {"properties": {"type": {"properties": {
         "b": {"minimum": 1, "type": "integer"}, "data": {"multipleOf": 5, "type": "number"}}}}}]}, {"type": {"data": 0}}),
    # a name a pattern mentions, tried with a bound's neighbour
    ({"additionalProperties": {"type": "number"}}, {"patternProperties": {"^[ab]$": {"maximum": 86}}}, {"a": 87}),
    # required names with the names their dependencies bring along (null a valid pick)
    ({"dependencies": {"user_id": ["type"]}, "patternProperties": {"^x_": {"enum": [False]}},
      "properties": {"type": {}, "user_id": {"type": ["string", "null"]}}, "required": ["user_id"]},
     {"dependencies": {"user_id": ["type"]}, "patternProperties": {"^x_": {"enum": [True]}}, "required": ["user_id"]},
     {"type": None, "user_id": None, "x_": False}),
]
KEPT = [  # near pairs: nothing the old schema accepted is rejected
    ({"oneOf": [{"type": "string", "maxLength": 12}, {"type": "integer"}]}, {"oneOf": [{"type": "string"},
                                                                                       {"type": "integer"}]}),
    ({"contains": {}, "minContains": 2}, {"contains": {}}),
    ({"contains": {"type": "string"}, "maxContains": 3}, {"contains": {"type": "string"}, "maxContains": 4}),
    ({"patternProperties": {"^x_": {"minLength": 3, "pattern": "[0-9]", "type": "string"}}},
     {"patternProperties": {"^x_": {"minLength": 2, "type": "string"}}}),
    ({"additionalProperties": {"type": "number"}}, {"patternProperties": {"^[ab]$": {"type": "number"}}}),
    ({"dependencies": {"user_id": ["type"]}, "patternProperties": {"^x_": {"enum": [False]}}, "required": ["user_id"]},
     {"dependencies": {"user_id": ["type"]}, "patternProperties": {"^x_": {"enum": [False, True]}},
      "required": ["user_id"]}),
]


@pytest.mark.parametrize("old, new, witness", BROKEN)
def test_a_request_break_a_witness_shows_is_breaking(old, new, witness):
    worst, rules = verdict(old, new, "request")
    assert worst == Severity.BREAKING, rules
    oracle_agrees(old, new, "request", witness)


@pytest.mark.parametrize("old, new", KEPT)
def test_the_near_pair_is_not_breaking(old, new):
    worst, rules = verdict(old, new, "request")
    assert worst is None or worst < Severity.BREAKING, rules
    oracle_agrees(old, new, "request")
