"""Unions judged by what the whole union accepts: a oneOf rejects a value that matches two of its
members, so overlapping members change the verdict; and member matching stays near-linear on
unions of thousands of members.

Each verdict here is also checked against the semantic oracle (tests/oracle/judge.py): the
instances the two schemas accept, not the differ's own reading."""

from __future__ import annotations

import random
import time

import pytest

from apicompat import DiffOptions, Severity, diff_documents, diff_schemas
from apicompat.load import Document
from big_unions import tagged as _tagged, untagged as _untagged, wrap as _wrap
from oracle.judge import Case, judge

S = {"type": "string"}
INT = {"type": "integer"}


def obj(props: dict, required=(), closed=False) -> dict:
    out: dict = {"type": "object", "properties": props}
    if required:
        out["required"] = list(required)
    if closed:
        out["additionalProperties"] = False
    return out


def event(tag: str, **props) -> dict:
    return obj({"type": {"const": tag}, **props}, required=["type"])


def verdict(old, new, side) -> tuple[Severity | None, set[str]]:
    report = diff_schemas(old, new, side)
    worst = max((c.severity for c in report.changes), default=None)
    return worst, {c.rule for c in report.changes}


def oracle_agrees(old, new, side, instance=None) -> None:
    j = judge(Case(old, new, side), random.Random(0), extra=[] if instance is None else [instance])
    assert not j.failed, j.explain()


# -- oneOf: exactly one member may match -----------------------------------------------------------

@pytest.mark.parametrize("old, new, witness", [
    ({}, {"oneOf": [{}, {"type": ["integer"]}]}, 0),
    (obj({"a": INT, "b": INT}), {"oneOf": [obj({"a": INT}), obj({"b": INT})]}, {}),
    (S, {"oneOf": [S, {"type": "string", "maxLength": 5}]}, "x"),
    ({"oneOf": [{"type": "integer", "exclusiveMinimum": 0}, {"type": "boolean"}]},
     {"oneOf": [{"type": "integer", "exclusiveMinimum": 0}, {"type": "boolean"}, {"type": "number"}]}, 1),
], ids=["wrap-in-overlapping-oneOf", "split-into-open-objects", "member-inside-another", "member-added-overlaps"])
def test_a_request_oneof_whose_members_now_overlap_on_old_values_is_breaking(old, new, witness):
    worst, rules = verdict(old, new, "request")
    assert worst is Severity.BREAKING and "request-oneof-overlap-added" in rules, rules
    oracle_agrees(old, new, "request", witness)


@pytest.mark.parametrize("old, new", [
    (S, {"oneOf": [S, INT]}),
    ({"oneOf": [event("a"), event("b")]}, {"oneOf": [event("a"), event("b"), event("c")]}),
    (obj({"a": S}), {"oneOf": [obj({"a": S}, required=["a"], closed=True), obj({"b": S}, required=["b"], closed=True)]}),
    ({"type": "integer", "maximum": 5}, {"oneOf": [{"type": "integer", "maximum": 5}, {"type": "integer", "minimum": 6}]}),
    ({"type": "string", "maxLength": 3}, {"oneOf": [{"type": "string", "maxLength": 3}, {"type": "string", "minLength": 4}]}),
], ids=["types-disjoint", "discriminated-events", "closed-objects-requiring-their-own-property", "ranges-apart",
        "lengths-apart"])
def test_a_oneof_of_provably_disjoint_members_adds_no_overlap_finding(old, new):
    _, rules = verdict(old, new, "request")
    assert not {r for r in rules if "oneof-overlap" in r}, rules
    oracle_agrees(old, new, "request")


def test_an_overlap_that_cannot_be_proven_either_way_is_a_warning_that_says_so():
    """"a@b.c" is an email of five characters, but the validator checks no email format but its one
    known example (too long here): no value is shown to match both, so it stays a warning."""
    old = S
    new = {"oneOf": [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 5}]}
    report = diff_schemas(old, new, "request")
    found = [c for c in report.changes if c.rule == "request-oneof-overlap-possible"]
    assert found and found[0].severity is Severity.WARNING
    assert "not proven disjoint" in found[0].message


def test_an_overlap_already_in_the_old_oneof_is_not_reported_again():
    old = {"oneOf": [S, {"type": "string", "enum": ["a", "b"]}, INT]}
    new = {"oneOf": [S, {"type": "string", "enum": ["a", "b"]}, {"type": "integer", "maximum": 9}]}
    _, rules = verdict(old, new, "request")
    assert not {r for r in rules if "oneof-overlap" in r}, rules


def test_an_overlapping_member_removed_from_a_response_oneof_widens_it():
    old, new = {"oneOf": [{}, {"type": "number"}]}, {}
    worst, rules = verdict(old, new, "response")
    assert "response-oneof-overlap-removed" in rules and worst >= Severity.WARNING
    oracle_agrees(old, new, "response", 7)


def test_oneof_to_anyof_with_overlapping_members_widens_a_response():
    """OpenAI's `model`: a string, or the enum `whisper-1`; under oneOf, `whisper-1` matched both."""
    members = [S, {"type": "string", "enum": ["whisper-1"]}]
    worst, rules = verdict({"oneOf": members}, {"anyOf": members}, "response")
    assert "response-oneof-overlap-removed" in rules and worst is Severity.WARNING
    oracle_agrees({"oneOf": members}, {"anyOf": members}, "response", "whisper-1")
    worst, rules = verdict({"oneOf": members}, {"anyOf": members}, "request")
    assert worst is not None and worst <= Severity.ADDITIVE, rules


def test_narrowing_one_overlapping_member_can_widen_a_response_oneof():
    """oneOf [number, integer] rejects every integer; make `number` an enum and integers come back."""
    old = {"oneOf": [{"type": "boolean"}, {"type": "number"}, {"type": "integer"}]}
    new = {"oneOf": [{"type": "boolean"}, {"type": "number", "enum": [0, 1]}, {"type": "integer"}]}
    worst, rules = verdict(old, new, "response")
    assert "response-oneof-overlap-removed" in rules and worst >= Severity.WARNING
    oracle_agrees(old, new, "response", 354199)


def test_anyof_to_oneof_with_overlapping_members_narrows_a_request():
    members = [S, {"type": "string", "maxLength": 2}]
    worst, rules = verdict({"anyOf": members}, {"oneOf": members}, "request")
    assert worst is Severity.BREAKING and "request-oneof-overlap-added" in rules
    oracle_agrees({"anyOf": members}, {"oneOf": members}, "request", "x")


def test_anyof_in_oneof_members_may_overlap_each_other_but_not_the_rest():
    inner = {"anyOf": [S, {"type": "string", "maxLength": 3}]}
    old = {"oneOf": [inner, INT]}
    new = {"oneOf": [{"anyOf": [S, {"type": "string", "maxLength": 4}]}, INT]}
    _, rules = verdict(old, new, "request")
    assert not {r for r in rules if "oneof-overlap" in r}, rules


# -- overlaps proven by a witness: a value both members match, that the old schema accepted ---------

D7 = "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("old, new, witness", [
    ({"oneOf": [{"minItems": 1}]}, {"oneOf": [{"type": "array"}, {}]}, [1]),
    ({"$schema": D7, "oneOf": [obj({}, closed=True), {}]}, {"$schema": D7, "oneOf": [{"type": "object"}, {}]},
     {"extra": 1}),
    ({"oneOf": [{"type": "object"}]},
     {"oneOf": [{"properties": {"user_id": {"pattern": "^a", "type": "string"}}, "required": ["user_id"]}, {}]},
     {"user_id": "a"}),
    ({"oneOf": [{"if": {}, "then": {"multipleOf": 2}}]}, {"oneOf": [{}, {"type": "number"}]}, 0),
    ({"oneOf": [{"maximum": 92}, {"multipleOf": 2}]}, {"oneOf": [{"maximum": 92}, {}]}, 1),
    ({"oneOf": [{"properties": {"kind": S}}, {"required": ["c"]}]}, {"oneOf": [{}, {"required": ["c"]}]},
     {"c": "", "kind": 1}),
    ({"type": "object"}, {"oneOf": [obj({"a": {"type": "string", "pattern": "^x"}}, required=["a"]),
                                    obj({"b": {"type": "string", "pattern": "^y"}}, required=["b"])]},
     {"a": "x", "b": "y"}),
    ({"oneOf": [{}, {"if": {"minimum": 10}, "multipleOf": 3, "then": {"multipleOf": 2}}]},
     {"oneOf": [{}, {"multipleOf": 3}]}, 15),
    ({"allOf": [{"oneOf": [obj({"data": {"type": "number"}}, required=["data"])]}]},
     {"allOf": [{"pattern": "^[a-z_]+$"},
                {"oneOf": [obj({"data": {"type": "number"}}, required=["data"]),
                           {"if": {"required": ["a"]}, "then": {"required": ["id"]}}]}]}, {"data": 0}),
    ({"anyOf": [{"required": ["id"]}]},
     {"oneOf": [{}, obj({"user_id": {"type": "array", "contains": {}}}, required=["user_id"])]},
     {"id": 0, "user_id": [0]}),
    ({"oneOf": [{"properties": {"id": {"type": "integer", "exclusiveMaximum": 63}}},
                {"properties": {"c": {"exclusiveMaximum": 91}}, "dependentRequired": {"id": ["data"]}}]},
     {"oneOf": [{"properties": {"id": {"type": "integer", "exclusiveMaximum": 63}}},
                {"properties": {"id": {"oneOf": [{"type": "integer", "multipleOf": 2},
                                                 {"type": "integer", "exclusiveMaximum": 48}]},
                                "c": {"exclusiveMaximum": 91}}}]}, {"id": 1}),
], ids=["bound-removed-beside-a-new-any", "closed-member-opened", "member-requiring-a-patterned-property",
        "conditional-removed", "multipleOf-removed", "property-removed-beside-a-required-one",
        "two-open-objects-with-patterned-properties", "odd-multiple-past-a-bound", "union-inside-an-allof",
        "a-required-non-empty-array-beside-an-old-required-name", "an-odd-id-below-a-bound-in-a-nested-oneof"])
def test_an_overlap_shown_by_a_value_the_old_schema_accepted_is_breaking_with_the_value(old, new, witness):
    """Nothing in the canonical forms proves these overlaps; the bounded search finds a value that
    both members match and the old schema accepted, validated exactly: proven, and shown."""
    report = diff_schemas(old, new, "request")
    found = [c for c in report.changes if c.rule == "request-oneof-overlap-added"]
    assert found and found[0].severity is Severity.BREAKING, sorted(c.rule for c in report.changes)
    assert "for example" in found[0].message, found[0].message
    assert "request-oneof-overlap-possible" not in {c.rule for c in report.changes}
    oracle_agrees(old, new, "request", witness)


@pytest.mark.parametrize("old, new", [
    ({"type": "array", "minItems": 2}, {"oneOf": [{"type": "array", "maxItems": 1}, {"type": "array"}]}),
    ({"oneOf": [{"type": "string"}]}, {"oneOf": [{"type": "object"}, {"type": "object", "required": ["a"]}]}),
], ids=["overlap-only-on-arrays-the-old-schema-rejected", "overlap-only-on-objects-the-old-schema-rejected"])
def test_an_overlap_on_values_the_old_schema_rejected_is_never_called_proven(old, new):
    """The near pair: the members do overlap, but only on values the old schema rejected, so no
    witness exists and none may be claimed (the overlap stays unproven, as before)."""
    _, rules = verdict(old, new, "request")
    assert "request-oneof-overlap-added" not in rules, rules
    oracle_agrees(old, new, "request")


@pytest.mark.parametrize("side", ["request", "response"])
def test_a_title_on_an_overlapping_member_changes_no_overlap(side):
    """The member overlaps `{}` before and after; only its title changed. Annotations say nothing
    about what a member accepts, so it is the same member and its overlaps are old news."""
    member = {"properties": {"type": {"oneOf": [{"enum": [False]}, {"type": ["boolean", "null"]}, {"enum": [0]}]}}}
    old = {"oneOf": [{}, member]}
    new = {"oneOf": [{}, {**member, "title": "another text", "description": "a text"}]}
    worst, rules = verdict(old, new, side)
    assert worst is not None and worst <= Severity.INFO, rules
    oracle_agrees(old, new, side)


def test_a_member_changed_beside_its_title_is_still_compared():
    """The near pair: beside a new title the member's required `type` property loses `null`:
    `{"type": null}`, which only that member took, is now rejected. A title hides no real change."""
    member = {"properties": {"type": {"type": ["boolean", "null"]}}, "required": ["type"]}
    old = {"oneOf": [{"type": "string"}, member]}
    new = {"oneOf": [{"type": "string"}, {**member, "title": "t", "properties": {"type": {"type": "boolean"}}}]}
    worst, rules = verdict(old, new, "request")
    assert worst is Severity.BREAKING, rules
    oracle_agrees(old, new, "request", {"type": None})


def _message_or_output(nested_description=None, closed=False) -> dict:
    """The shape of OpenAI's BetaOutputItem (oracle seed 4725411258750636512): a oneOf of $refs whose
    message member names another component and holds a nested oneOf of members that all overlap
    (so its items accept nothing, and subsumption proves no twin of it inside the other)."""
    inner: list = [{}, {}, {}]
    if nested_description is not None:
        inner[1] = {"description": nested_description}
    msg = {"type": "object", "required": ["type", "content"],
           "properties": {"type": {"enum": ["msg"]}, "tag": {"$ref": "#/$defs/Tag"},
                          "content": {"type": "array", "items": {"oneOf": inner}}}}
    if closed:
        msg["additionalProperties"] = False
    return {"$defs": {"Tag": obj({"name": S}), "Msg": msg, "Out": obj({"id": S}, required=["id"])},
            "oneOf": [{"$ref": "#/$defs/Msg"}, {"$ref": "#/$defs/Out"}]}


@pytest.mark.parametrize("side", ["request", "response"])
def test_a_description_deep_in_a_referenced_member_changes_no_overlap(side):
    """Only a nested oneOf member's description changed; the Msg and Out members overlapped before
    and after. The member's text holds a $ref (so same text is not taken as same schema across
    sides) and subsumption cannot prove the overlapping nested oneOf inside its twin: the member
    was re-judged and its old overlap called possibly added (request) or removed (response)."""
    old, new = _message_or_output(), _message_or_output("x")
    worst, rules = verdict(old, new, side)
    assert worst is Severity.INFO and not {r for r in rules if "oneof-overlap" in r}, rules
    oracle_agrees(old, new, side)


def test_a_member_opened_beside_a_nested_description_is_still_compared():
    """The near pair: beside the same description, Msg no longer closes its properties:
    {"type": "msg", "content": [], "id": "a"}, which only Out took, now matches both."""
    old, new = _message_or_output(closed=True), _message_or_output("x")
    worst, rules = verdict(old, new, "request")
    assert worst is Severity.BREAKING and "request-oneof-overlap-added" in rules, rules
    oracle_agrees(old, new, "request", {"type": "msg", "content": [], "id": "a"})


def test_a_oneof_whose_members_all_match_covers_nothing():
    """`oneOf [{}, {}]` matches nothing (every value matches both): `not` of it forbids nothing, so
    the new response may send the integers the old `not integer` kept out. A oneOf member that
    covers a schema covers it for the whole only when no other member may match its values."""
    old = {"not": INT}
    new = {"not": {"oneOf": [{}, {}]}}
    worst, rules = verdict(old, new, "response")
    assert worst is not None and worst >= Severity.WARNING, rules
    oracle_agrees(old, new, "response", 1)


def test_a_oneof_member_covers_for_the_whole_when_the_others_are_disjoint():
    """The near pair: `oneOf [integer, string]` forbids every integer (only `integer` matches one),
    so `not` of it still keeps integers out: nothing new is sent."""
    old = {"not": INT}
    new = {"not": {"oneOf": [INT, S]}}
    worst, rules = verdict(old, new, "response")
    assert worst is None or worst < Severity.WARNING, rules
    oracle_agrees(old, new, "response")


@pytest.mark.parametrize("a, b", [("oneOf", "oneOf"), ("oneOf", "anyOf"), ("anyOf", "oneOf")])
def test_two_unions_in_one_allof_overlap_where_one_is_a_oneof(a, b):
    """allOf [A, B] with A a union of {} and integer and B one of {} and string: 0 matches both of
    A's members and "x" both of B's; the oneOf among them rejects it (the old `{}` took it)."""
    new = {"allOf": [{"$ref": "#/$defs/A"}], "$defs": {"A": {a: [{}, INT]}}, b: [{}, S]}
    worst, rules = verdict({}, new, "request")
    assert worst is Severity.BREAKING and "request-oneof-overlap-added" in rules, rules
    oracle_agrees({}, new, "request", 0 if a == "oneOf" else "x")


def test_two_anyofs_in_one_allof_reject_nothing_their_members_take():
    """The near pair: two anyOfs reject no value for matching two members."""
    new = {"allOf": [{"$ref": "#/$defs/A"}], "$defs": {"A": {"anyOf": [{}, INT]}}, "anyOf": [{}, S]}
    worst, rules = verdict({}, new, "request")
    assert not {r for r in rules if "oneof-overlap" in r} and worst is not Severity.BREAKING, rules
    oracle_agrees({}, new, "request")


def test_a_oneof_nested_in_a_oneof_is_not_read_as_one_flat_oneof():
    """oneOf [integer, oneOf [integer, number<76], string]: 0 matches the inner pair, so the inner
    oneOf fails and the outer accepts 0 by `integer` alone; the old oneOf rejected it."""
    old = {"oneOf": [INT, {"type": "number", "exclusiveMaximum": 76}, S]}
    new = {"oneOf": [INT, {"oneOf": [INT, {"type": "number", "exclusiveMaximum": 76}]}, S]}
    worst, rules = verdict(old, new, "response")
    assert worst is not None and worst >= Severity.WARNING, rules
    oracle_agrees(old, new, "response", 0)


def test_a_member_that_overlaps_others_in_its_oneof_excuses_no_narrowing():
    """7 matches both members of the inner oneOf (which fails) and the outer `number` alone: the old
    schema accepts it. Narrowing that outer member rejects 7; the inner `number` covers the old
    member but cannot take 7 (it shares its oneOf with `integer`)."""
    n = {"type": "number"}
    old = {"oneOf": [{"oneOf": [n, INT]}, n]}
    new = {"oneOf": [{"oneOf": [n, INT]}, {"type": "number", "maximum": 5}]}
    worst, rules = verdict(old, new, "request")
    assert worst is Severity.BREAKING, rules
    oracle_agrees(old, new, "request", 7)


def test_null_admitted_by_a_second_oneof_member_is_rejected_by_the_whole():
    """oneOf [string or null, integer or null] rejects null (two members match it); a oneOf with one
    nullable member accepts it: going from one to the other is a nullability change of the whole."""
    one = {"oneOf": [{"type": ["string", "null"]}, INT]}
    two = {"oneOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]}
    worst, rules = verdict(one, two, "request")
    assert "request-became-not-nullable" in rules and worst is Severity.BREAKING, rules
    oracle_agrees(one, two, "request", None)


def test_null_matching_a_nested_union_and_a_null_member_is_rejected_by_the_oneof():
    """oneOf [anyOf [{}, {}], null]: null matches both members, so the oneOf refuses it; the nested union
    must not let null back in. Going to `{}` lets null through: new in a response, nothing in a request."""
    old = {"oneOf": [{"anyOf": [{"anyOf": [{}, {"type": "string"}]}]}, {"type": "null"}]}
    new = {}
    worst, rules = verdict(old, new, "response")
    assert worst is Severity.BREAKING, rules
    oracle_agrees(old, new, "response", None)
    assert verdict(old, new, "request")[0] in (None, Severity.INFO, Severity.ADDITIVE)


def test_an_event_variant_of_a_known_type_is_no_new_event_type():
    """A second `delta` member that does not require `type` lets `{}` through: not the allowed
    'new event type' of POLICY.md."""
    loose_delta = obj({"type": {"enum": ["delta"]}, "data": S})
    old = {"anyOf": [event("delta"), event("deleted")]}
    new = {"anyOf": [loose_delta, event("delta"), event("deleted")]}
    worst, rules = verdict(old, new, "response")
    assert "response-event-type-added" not in rules and worst is Severity.BREAKING, rules
    oracle_agrees(old, new, "response", {})


def test_a_new_member_that_does_not_require_its_tag_is_no_new_event_type():
    """A `deleted` member whose `type` is optional takes `{}`, which no old member did: an object
    with no tag is no event type (POLICY.md: members told apart by `type`). Required, it is one."""
    old = {"oneOf": [event("delta")]}
    loose = {"oneOf": [event("delta"), obj({"type": {"const": "deleted"}})]}
    worst, rules = verdict(old, loose, "response")
    assert "response-event-type-added" not in rules and worst is Severity.BREAKING, rules
    oracle_agrees(old, loose, "response", {})
    worst, rules = verdict(old, {"oneOf": [event("delta"), event("deleted")]}, "response")
    assert "response-event-type-added" in rules and worst is Severity.ADDITIVE, rules


@pytest.mark.parametrize("kw", ["oneOf", "anyOf"])
def test_nested_unions_reordered_and_allof_members_shuffled_find_nothing_above_info(kw):
    inner = {"anyOf": [{"type": "boolean"}, {"type": "number", "enum": [2, -3]}]}
    members = [inner, {"type": "integer", "minimum": -5}, S]
    old = {"allOf": [obj({"id": INT}), {kw: members}]}
    new = {"allOf": [{kw: [members[2], members[0], members[1]]}, obj({"id": INT})]}
    worst, rules = verdict(old, new, "request")
    assert worst is None or worst <= Severity.INFO, rules


# -- matching keeps working ----------------------------------------------------------------------

def test_reordered_members_find_nothing_above_info():
    members = [event("a", x=S), event("b", y=INT), obj({"p": S}, required=["p"]), {"type": "array", "items": S}]
    for kw in ("oneOf", "anyOf"):
        shuffled = members[:]
        random.Random(2).shuffle(shuffled)
        worst, rules = verdict({kw: members}, {kw: shuffled}, "request")
        assert worst is None or worst <= Severity.INFO, rules


def test_members_tagged_by_a_required_one_value_property_pair_by_that_value():
    def member(kind, t):
        return obj({"kind": {"enum": [kind]}, "v": {"type": t}}, required=["kind"])

    old = {"oneOf": [member(f"k{i}", "string") for i in range(5)]}
    new = {"oneOf": [member(f"k{i}", "string") for i in reversed(range(5))]}
    new["oneOf"][0] = member("k4", "integer")
    report = diff_schemas(old, new, "request")
    assert [c.rule for c in report.changes] == ["request-type-changed"]


def _component_union(members: list) -> dict:
    """A union written inline in a named schema ($defs/Input), reached through a $ref."""
    return {"$defs": {"Input": {"oneOf": members}}, "$ref": "#/$defs/Input"}


INLINE = [{"type": "string", "maxLength": 5}, {"type": "array", "items": S}, {"type": "integer", "minimum": 0}]


def test_inline_members_of_a_named_schemas_union_pair_by_content_not_position():
    """An inline member's pointer ($defs/Input/oneOf/1) says where it stands, not what it is."""
    old = _component_union(INLINE)
    for side in ("request", "response"):
        worst, rules = verdict(old, _component_union(INLINE[::-1]), side)
        assert worst is None or worst <= Severity.INFO, (side, rules)
        oracle_agrees(old, _component_union(INLINE[::-1]), side)


def test_a_changed_inline_member_of_a_shuffled_named_union_is_found_where_it_changed():
    changed = [INLINE[2], {"type": "array", "items": INT}, INLINE[0]]
    old, new = _component_union(INLINE), _component_union(changed)
    report = diff_schemas(old, new, "request")
    breaking = {(c.rule, c.pointer) for c in report.changes if c.severity >= Severity.WARNING}
    assert breaking == {("request-type-changed", "#/$defs/Input/oneOf/1/items")}, breaking
    oracle_agrees(old, new, "request", ["x"])
    near = [INLINE[2], {"type": "array", "items": S, "description": "d"}, INLINE[0]]
    assert verdict(old, _component_union(near), "request")[0] in (None, Severity.INFO)


def test_members_referencing_a_schema_pair_by_its_name_whatever_their_order():
    defs = {"A": obj({"a": S}), "B": obj({"b": INT})}
    old = {"$defs": defs, "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B", "description": "b"}]}
    new = {"$defs": defs, "oneOf": [{"$ref": "#/$defs/B", "description": "b"}, {"$ref": "#/$defs/A"}]}
    for side in ("request", "response"):
        worst, rules = verdict(old, new, side)
        assert worst is None or worst <= Severity.INFO, (side, rules)


OVERLAPPING = {"oneOf": [S, {"type": "number"}, {"type": "integer", "exclusiveMinimum": 3}]}


@pytest.mark.parametrize("wrapped", [
    {"anyOf": [{"anyOf": [{"type": "string", "maxLength": 11}, OVERLAPPING]}, {"type": "null"}]},
    {"anyOf": [{"anyOf": [OVERLAPPING, {"type": "string", "maxLength": 11}]}, {"type": "null"}]},
], ids=["wrapper-first", "wrapper-last"])
def test_a_oneof_wrapped_whole_in_an_anyof_keeps_its_old_overlaps(wrapped):
    """oneOf [string, number, integer > 3] kept whole inside an anyOf: 4 was rejected before and is
    still; the group is paired with the old union as one, whatever the order of its neighbours."""
    old = {"anyOf": [OVERLAPPING, {"type": "null"}]}
    worst, rules = verdict(old, wrapped, "request")
    assert worst is Severity.ADDITIVE and rules == {"request-union-member-added"}, rules
    oracle_agrees(old, wrapped, "request", 4)
    worst, rules = verdict(wrapped, old, "response")
    assert worst is Severity.INFO and rules == {"response-union-member-removed"}, rules
    oracle_agrees(wrapped, old, "response", 4)


def test_members_of_one_type_pair_by_their_bounds_whatever_their_order():
    """Two integer ranges, both edited: each pairs with the range it was, not with the one in its place."""
    small, large = {"type": "integer", "minimum": 0, "maximum": 10}, {"type": "integer", "minimum": 100, "maximum": 200}
    old = {"anyOf": [small, large]}
    edited = [{**small, "description": "small"}, {"type": "integer", "minimum": 100, "maximum": 300}]
    for new in ({"anyOf": edited}, {"anyOf": edited[::-1]}):
        report = diff_schemas(old, new, "response")
        found = {(c.severity, c.rule, c.pointer) for c in report.changes}
        assert found == {(Severity.WARNING, "response-max-increased", "#/anyOf/1"),
                         (Severity.INFO, "response-description-changed", "#/anyOf/0")}, found
        oracle_agrees(old, new, "response", 250)


def test_array_members_pair_by_what_their_items_are():
    """OpenAI's embedding input (2023 -> 2026): arrays of strings, of integers and of integer arrays,
    each given maxItems: bounds set on each, never an item type changed by a wrong pairing."""
    text = {"type": "string", "default": ""}
    ints = {"type": "array", "minItems": 1, "items": INT}
    old = {"oneOf": [text, {"type": "array", "items": {**text, "example": "This is a test."}}, ints,
                     {"type": "array", "minItems": 1, "items": ints}]}
    capped = [text, *({**m, "minItems": 1, "maxItems": 2048} for m in old["oneOf"][1:])]
    capped[1]["items"] = {**text, "example": "['This is a test.']"}
    for new in ({"oneOf": capped}, {"oneOf": capped[::-1]}):
        _, rules = verdict(old, new, "request")
        assert {"request-max-items-set", "request-min-items-set"} <= rules, rules
        assert not {r for r in rules if "type" in r or "default" in r}, rules
        oracle_agrees(old, new, "request", [[1]])


# -- hostile: ten thousand members ---------------------------------------------------------------

@pytest.mark.parametrize("old, new, expect", [
    (_tagged(10_000, "string"), _tagged(10_000, "integer"), "type-changed"),
    (_untagged(10_000, "a"), _untagged(10_000, "b"), "property-removed"),
    ({"oneOf": [{"type": "string", "pattern": f"^a{i}$"} for i in range(10_000)]},
     {"oneOf": [{"type": "string", "pattern": f"^b{i}$"} for i in range(10_000)]}, "pattern"),
], ids=["10k-tagged-members-each-changed", "10k-members-all-replaced", "10k-strings-all-changed"])
def test_a_ten_thousand_member_union_diffs_in_seconds(old, new, expect):
    for side in ("request", "response"):
        start = time.process_time()
        report = diff_documents(Document("o.json", _wrap(old, side)), Document("n.json", _wrap(new, side)),
                                DiffOptions())
        took = time.process_time() - start
        assert took < 20, f"{side}: {took:.1f} s"
        assert any(expect in c.rule for c in report.changes), {c.rule for c in report.changes}


def test_ten_thousand_members_of_one_event_type_shuffled_find_nothing_in_seconds():
    """One discriminator value for all: the bucket is searched by content, not taken in order."""
    members = [obj({"type": {"enum": ["x"]}, f"p{i}": S}, required=["type"]) for i in range(10_000)]
    shuffled = members[:]
    random.Random(1).shuffle(shuffled)
    for side in ("request", "response"):
        start = time.process_time()
        report = diff_documents(Document("o.json", _wrap({"oneOf": members}, side)),
                                Document("n.json", _wrap({"oneOf": shuffled}, side)), DiffOptions())
        took = time.process_time() - start
        assert took < 20, f"{side}: {took:.1f} s"
        assert not [c.rule for c in report.changes if c.severity > Severity.INFO], side


@pytest.mark.parametrize("old, new, witness", [
    ({"oneOf": [{"additionalProperties": False, "type": "object"}, {"additionalProperties": False}]},
     {"oneOf": [{"type": "object"}, {"additionalProperties": False}]}, {"zz": 1}),
    ({"oneOf": [{"additionalProperties": False, "properties": {"data": {}}}, {"additionalProperties": False}]},
     {"oneOf": [{"additionalProperties": {"format": "int64"}, "properties": {"data": {}}}, {}]}, {"zz": 1.5}),
], ids=["opened-beside-a-closed-twin", "typed-map-beside-an-open-member"])
def test_a_response_member_opened_out_of_an_old_overlap_widens_the_oneof(old, new, witness):
    """The minimised `additionalProperties-open | response` pairs: the old oneOf rejected {} (both
    members match it) and accepted no object; the opened member now takes {} with a new property
    alone. A new property is allowed on a value an old client could receive, and {} was none: the
    old overlap's values, so extended, are a loosening (oneof-overlap-removed)."""
    worst, rules = verdict(old, new, "response")
    assert worst is Severity.WARNING and "response-oneof-overlap-removed" in rules, rules
    oracle_agrees(old, new, "response", witness)


def test_a_response_member_opened_beside_a_disjoint_member_is_still_a_new_property():
    """The near pair: the other member takes strings only; the opened object overlapped nothing."""
    old = {"oneOf": [obj({"a": S}, required=["a"], closed=True), S]}
    new = {"oneOf": [obj({"a": S}, required=["a"]), S]}
    worst, rules = verdict(old, new, "response")
    assert worst is Severity.ADDITIVE and "response-additional-properties-opened" in rules, rules
    oracle_agrees(old, new, "response", {"a": "x", "zz": 1})


def test_a_response_member_opened_beside_an_open_member_it_overlapped_keeps_the_overlap():
    """The near pair of the opened-out-of-an-overlap case: the old overlap's values ({"a": false,
    "data": "b"}) with a new property still match the other member, which is open: still rejected,
    so the opening is a new property and nothing more."""
    loose = {"type": "object", "properties": {"a": {"type": "boolean", "enum": [False]}}}
    closed = obj({"a": {"type": "boolean"}, "data": S}, required=["a", "data"], closed=True)
    old = {"oneOf": [loose, closed]}
    new = {"oneOf": [loose, {**closed, "additionalProperties": {"type": "integer"}}]}
    worst, rules = verdict(old, new, "response")
    assert worst is Severity.ADDITIVE and "response-oneof-overlap-removed" not in rules, rules
    oracle_agrees(old, new, "response", {"a": True, "data": "b", "zz": 5})
    oracle_agrees(old, new, "response", {"a": False, "data": "b", "zz": 5})


# -- what a member accepts is the validator's word (overlap.accepts) -------------------------------

def _built_members():
    from apicompat.schema.normalise import Node, Normaliser
    from apicompat.schema.refs import Resolver
    from apicompat.schema.subsume import Subsumption
    schema = {"type": "object", "required": ["id"], "allOf": [{"oneOf": [obj({"a": INT}), obj({"b": INT})]}]}
    normaliser = Normaliser(Resolver(schema, "s"))
    rel = Subsumption({"old": normaliser, "new": normaliser})
    whole = normaliser.norm(Node(schema, "#"))
    return rel, [normaliser.norm(m) for m in whole.union or ()]


@pytest.mark.parametrize("value, expected", [
    ({"id": 0, "a": 1, "b": "x"}, True),  # the member, the rest, and its oneOf all pass
    ({"id": 0, "a": "x"}, False),  # the member's own part rejects it
    ({"a": 1, "b": "x"}, None),  # the rest rejects it, and a oneOf there may be why: not told
    ({"id": 0, "a": 1}, None),  # matches both members: the nested oneOf fails, not the member
])
def test_a_member_built_beside_a_nested_oneof_is_rejected_only_by_what_is_its_own(value, expected):
    """A member the normaliser builds (rest AND member) is validated as written, its rest's oneOf as a
    whole: a value matching two members fails that oneOf, which says nothing about either member."""
    from apicompat.schema import overlap
    rel, members = _built_members()
    assert overlap.accepts(rel, "new", members[0], value) is expected


def test_an_overlap_of_members_built_beside_a_nested_oneof_is_proven():
    old = {"type": "object"}
    new = {"type": "object", "required": ["id"], "allOf": [{"oneOf": [obj({"a": INT}), obj({"b": INT})]}]}
    report = diff_schemas(old, new, "request")
    found = [c for c in report.changes if c.rule == "request-oneof-overlap-added"]
    assert found and "for example" in found[0].message, sorted(c.rule for c in report.changes)
    oracle_agrees(old, new, "request", {"id": 0})
