"""allOf is an intersection, whatever the order of its members, and a union inside an allOf is
compared together with the keywords beside it (issue 9 item 2).

Hand-written pairs for each keyword's merge, then property tests: shuffling every allOf and union
member list of random schemas, and of whole real documents, finds nothing above `info`.
"""

from __future__ import annotations

import copy
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apicompat import DiffOptions, Severity, diff_documents, diff_schemas
from apicompat.load import Document, load_document
from conftest import need_shared
from oracle.corpus import CORPUS
from oracle.schemas import SchemaGen, spell

S = {"type": "string"}
OBJ = "object"


def worst(report) -> Severity | None:
    return max((c.severity for c in report.changes), default=None)


def rules(report, at_least=Severity.INFO) -> set[str]:
    return {c.rule for c in report.changes if c.severity >= at_least}


def both_sides(old, new) -> dict[str, set[str]]:
    return {side: rules(diff_schemas(old, new, side), Severity.WARNING) for side in ("request", "response")}


# -- each keyword's merge is an intersection -----------------------------------------------------------

@pytest.mark.parametrize("members, merged", [
    ([{"type": "string", "pattern": "^a"}, {"pattern": "^ab"}], {"type": "string", "pattern": "^a",
                                                                   "allOf": [{"pattern": "^ab"}]}),
    ([{"maximum": 10}, {"maximum": 5}], {"maximum": 5}),
    ([{"minLength": 2}, {"minLength": 4, "maxLength": 9}], {"minLength": 4, "maxLength": 9}),
    ([{"enum": ["a", "b", "c"]}, {"enum": ["c", "b", "z"]}], {"enum": ["b", "c"]}),
    ([{"type": ["string", "integer"]}, {"type": ["number", "boolean"]}], {"type": "integer"}),
    ([{"required": ["a"]}, {"required": ["b"]}], {"required": ["a", "b"]}),
    ([{"multipleOf": 4}, {"multipleOf": 6}], {"multipleOf": 12}),
    ([{"properties": {"a": {"maximum": 9}}}, {"properties": {"a": {"minimum": 1}}}],
     {"properties": {"a": {"minimum": 1, "maximum": 9}}}),
    ([{"type": "string", "format": "uuid"}, {"format": "uuid"}], {"type": "string", "format": "uuid"}),
])
def test_an_allof_is_read_as_the_intersection_of_its_members_in_any_order(members, merged):
    for order in (members, members[::-1]):
        for side, found in both_sides(merged, {"allOf": order}).items():
            assert not found, (side, order, found)


def test_a_pattern_tightened_in_a_later_member_is_reported():
    old = {"allOf": [{"type": "string"}, {"pattern": "^a"}]}
    new = {"allOf": [{"type": "string"}, {"pattern": "^a"}, {"pattern": "^ab"}]}
    assert worst(diff_schemas(old, new, "request")) is Severity.BREAKING


def test_a_member_that_closes_additional_properties_rejects_the_other_members_properties():
    """additionalProperties: false in one member applies to the properties of the others."""
    old = {"type": "object", "properties": {"a": S, "b": S}}
    new = {"allOf": [{"type": "object", "properties": {"a": S}, "additionalProperties": False},
                     {"properties": {"b": S}}]}
    assert "request-schema-became-false" in rules(diff_schemas(old, new, "request"), Severity.BREAKING)


def test_nullable_must_hold_in_every_member():
    nullable = {"allOf": [{"type": ["string", "null"]}, {"maxLength": 3}]}
    not_nullable = {"allOf": [{"type": ["string", "null"]}, {"type": "string", "maxLength": 3}]}
    assert rules(diff_schemas(nullable, not_nullable, "request"), Severity.BREAKING) == {"request-became-not-nullable"}
    assert not rules(diff_schemas(nullable, {"type": ["string", "null"], "maxLength": 3}, "request"), Severity.WARNING)


def test_openapi_30_nullable_beside_an_allof_admits_null():
    old = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": {
            "allOf": [{"$ref": "#/components/schemas/A"}]}}}}}}}},
        "components": {"schemas": {"A": S}}}
    new = copy.deepcopy(old)
    new["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["nullable"] = True
    report = diff_documents(Document("old.yaml", old), Document("new.yaml", new), DiffOptions())
    assert "response-became-nullable" in rules(report, Severity.BREAKING)


def test_a_type_null_member_beside_an_integer_is_a_type_change():
    assert "response-type-changed" in rules(diff_schemas({"allOf": [{"type": "integer"}]},
                                                         {"allOf": [{"type": "null"}]}), Severity.BREAKING)


# -- an allOf holding a union: the object beside it is compared too (Cloudflare's responses) -----------

def envelope(result: dict, *, required=("success", "result")) -> dict:
    common = {"type": "object", "required": list(required), "properties": {
        "success": {"type": "boolean"}, "result": result,
        "errors": {"type": "array", "items": S}}}
    return {"allOf": [common, {"oneOf": [{"properties": {"result_info": {"type": "object"}}},
                                         {"properties": {"messages": {"type": "array"}}}]}]}


STAMP = {"type": "object", "required": ["id", "created"], "properties": {
    "id": S, "created": {"type": "string", "format": "date"}, "note": S}}


def test_a_property_removed_beside_a_union_in_an_allof_is_reported():
    gone = {**STAMP, "properties": {k: v for k, v in STAMP["properties"].items() if k != "note"}}
    assert "response-property-removed" in rules(diff_schemas(envelope(STAMP), envelope(gone)), Severity.BREAKING)


def test_a_property_no_longer_required_beside_a_union_in_an_allof_is_reported():
    found = rules(diff_schemas(envelope(STAMP), envelope(STAMP, required=("result",))), Severity.BREAKING)
    assert "response-property-became-optional" in found


def test_date_to_date_time_beside_a_union_in_an_allof_is_a_format_change():
    later = copy.deepcopy(STAMP)
    later["properties"]["created"]["format"] = "date-time"
    assert rules(diff_schemas(envelope(STAMP), envelope(later)), Severity.WARNING) == {"response-format-changed"}
    assert rules(diff_schemas(envelope(STAMP), envelope(later), "request"), Severity.BREAKING) == {
        "request-format-changed"}


def test_const_beside_a_union_in_an_allof_is_compared():
    new = {"allOf": [{"const": 1}, {"oneOf": [{"type": "integer"}, {"type": "object"}]}]}
    assert worst(diff_schemas({}, new, "request")) is Severity.BREAKING


def test_an_unchanged_envelope_with_its_members_reordered_is_no_change():
    shuffled = envelope(STAMP)
    shuffled["allOf"].reverse()
    shuffled["allOf"][0]["oneOf"].reverse()
    for side in ("request", "response"):
        assert worst(diff_schemas(envelope(STAMP), shuffled, side)) in (None, Severity.INFO), side


# -- property tests: shuffled members find nothing above info -------------------------------------------

ALL_OF = ("allOf",)
UNIONS = ("anyOf", "oneOf")


def shuffle_members(value, rnd: random.Random, keywords=ALL_OF + UNIONS):
    """A copy of `value` with every member list of `keywords` in another order."""
    if isinstance(value, dict):
        out = {k: shuffle_members(v, rnd, keywords) for k, v in value.items()}
        for kw in keywords:
            if isinstance(out.get(kw), list) and len(out[kw]) > 1:
                rnd.shuffle(out[kw])
        return out
    if isinstance(value, list):
        return [shuffle_members(v, rnd, keywords) for v in value]
    return value


def count_lists(value, keywords) -> int:
    if isinstance(value, dict):
        here = sum(1 for kw in keywords if isinstance(value.get(kw), list) and len(value[kw]) > 1)
        return here + sum(count_lists(v, keywords) for v in value.values())
    if isinstance(value, list):
        return sum(count_lists(v, keywords) for v in value)
    return 0


def above_info(report) -> list[str]:
    return [f"{c.severity.label} {c.rule} {c.pointer}" for c in report.changes if c.severity > Severity.INFO]


RANDOM = settings(max_examples=150, derandomize=True, database=None, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])


def random_shuffle_finds_nothing(seed: int, flavour: str, keywords) -> None:
    rnd = random.Random(seed)
    schema = spell(SchemaGen(rnd, flavour).document(3), flavour)
    shuffled = shuffle_members(schema, rnd, keywords)
    for side in ("request", "response"):
        found = above_info(diff_schemas(schema, shuffled, side))
        assert not found, (side, schema, shuffled, found)


@RANDOM
@given(st.integers(0, 2**32), st.sampled_from(["2020-12", "openapi-3.0", "draft-07"]))
def test_random_schemas_with_shuffled_allof_members_yield_nothing_above_info(seed, flavour):
    random_shuffle_finds_nothing(seed, flavour, ALL_OF)


@RANDOM
@given(st.integers(0, 2**32), st.sampled_from(["2020-12", "openapi-3.0", "draft-07"]))
def test_random_schemas_with_shuffled_union_members_yield_nothing_above_info(seed, flavour):
    random_shuffle_finds_nothing(seed, flavour, ALL_OF + UNIONS)


# One 3.0 and one 3.1 OpenAI document and the newer Stripe one: every member list of the whole document.
DOCUMENTS = ("openai/2026-08-15_9b457ac.yaml", "openai/2023-06-19_1620cd2.yaml", "stripe/2023-09-12_63a6746.yaml")


def document_shuffle_finds_nothing(document: str, seed: int, keywords) -> None:
    need_shared()
    original = load_document(str(CORPUS / document)).data
    shuffled = shuffle_members(original, random.Random(seed), keywords)
    assert shuffled != original or not count_lists(original, keywords)
    found = above_info(diff_documents(Document("old.yaml", original), Document("new.yaml", shuffled), DiffOptions()))
    assert not found, found[:20]


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("seed", [0, 1])
def test_real_documents_with_every_allof_shuffled_yield_nothing_above_info(document, seed):
    document_shuffle_finds_nothing(document, seed, ALL_OF)


@pytest.mark.parametrize("document", DOCUMENTS[:2])
def test_real_documents_with_every_union_shuffled_yield_nothing_above_info(document):
    document_shuffle_finds_nothing(document, 0, ALL_OF + UNIONS)


def test_null_beside_a_nested_union_stays_with_the_union():
    """anyOf[oneOf[integer, string], null]: the inner union's members, null admitted by the whole."""
    nullable = {"anyOf": [{"oneOf": [{"type": "integer"}, {"type": "string"}]}, {"type": "null"}]}
    plain = {"oneOf": [{"type": "integer"}, {"type": "string"}]}
    assert rules(diff_schemas(nullable, plain, "request"), Severity.BREAKING) == {"request-became-not-nullable"}
    assert rules(diff_schemas(plain, nullable), Severity.BREAKING) == {"response-became-nullable"}
    assert worst(diff_schemas(nullable, {"anyOf": [plain, {"type": "null"}], "description": "d"}, "request")) in (
        None, Severity.INFO)


# -- a name one side declares and the other does not falls under the other's additionalProperties ------

def test_a_property_removed_where_additional_properties_is_false_is_refused_now():
    old = {"type": "object", "properties": {"a": S, "b": S}, "additionalProperties": False}
    new = {"type": "object", "properties": {"a": S}, "additionalProperties": False}
    assert "request-schema-became-false" in rules(diff_schemas(old, new, "request"), Severity.BREAKING)


def test_a_property_removed_into_a_typed_map_is_judged_by_the_maps_value_schema():
    old = {"type": "object", "properties": {"n": {"type": "integer"}}, "additionalProperties": {"type": "number"}}
    new = {"type": "object", "additionalProperties": {"type": "number"}}
    narrower = {"type": "object", "additionalProperties": {"type": "integer", "maximum": 3}}
    assert "request-max-set" not in rules(diff_schemas(old, new, "request"))
    assert "request-max-set" in rules(diff_schemas(old, narrower, "request"), Severity.BREAKING)


def test_a_new_property_of_a_typed_map_is_compared_with_the_maps_value_schema():
    old = {"type": "object", "additionalProperties": {"type": "boolean"}}
    new = {"type": "object", "properties": {"kind": {"type": "string"}}, "additionalProperties": {"type": "boolean"}}
    assert "response-type-changed" in rules(diff_schemas(old, new), Severity.BREAKING)
    same = {"type": "object", "properties": {"kind": {"type": "boolean"}}, "additionalProperties": {"type": "boolean"}}
    assert worst(diff_schemas(old, same)) is Severity.ADDITIVE


def test_a_required_name_without_a_property_is_compared():
    assert "request-property-became-required" in rules(
        diff_schemas({"properties": {"a": S}}, {"required": ["id"]}, "request"), Severity.BREAKING)
    assert "response-property-became-optional" in rules(
        diff_schemas({"type": "object", "required": ["id"]}, {"type": "object"}), Severity.BREAKING)


def test_a_typed_property_in_a_free_form_request_object_breaks_and_an_untyped_one_does_not():
    """A free-form object took `b` with any value (a JSON Schema's `type`, a metadata key): an old
    client's `b: "x"` is now rejected (the oracle's request promise)."""
    free = {"type": "object"}
    typed = {"type": "object", "properties": {"b": {"type": "number"}}}
    assert worst(diff_schemas(free, typed, "request")) is Severity.BREAKING
    assert worst(diff_schemas(free, {"type": "object", "properties": {"b": {}}}, "request")) is Severity.ADDITIVE
    assert worst(diff_schemas(free, typed)) is Severity.ADDITIVE  # a response gains a documented property



def test_a_typed_property_in_a_request_object_open_on_purpose_breaks():
    """`additionalProperties: true` said outright beside declared properties: old clients were told
    any other name was welcome with any value, so typing one rejects their `type: 1`. Left open by
    saying nothing, the object only declared its properties: a new optional one is additive."""
    said = {"type": "object", "additionalProperties": True, "properties": {"a": {}}}
    silent = {"type": "object", "properties": {"a": {}}}
    typed = {"type": "object", "additionalProperties": True, "properties": {"a": {}, "type": {"type": "string"}}}
    assert "request-property-typed-in-free-form-object" in rules(diff_schemas(said, typed, "request"),
                                                                 Severity.BREAKING)
    near = {"type": "object", "properties": {"a": {}, "type": {"type": "string"}}}
    assert worst(diff_schemas(silent, near, "request")) is Severity.ADDITIVE
    assert worst(diff_schemas(said, typed)) is Severity.ADDITIVE  # a response gains a documented property

# -- null and `not` in the canonical form ---------------------------------------------------------------

def test_null_matching_two_members_of_a_oneof_is_refused():
    """oneOf[{}, {type: null}]: null matches both members, so the oneOf refuses it."""
    assert "request-became-not-nullable" in rules(diff_schemas({}, {"oneOf": [{}, {"type": "null"}]}, "request"),
                                                  Severity.BREAKING)
    assert "request-became-not-nullable" not in rules(
        diff_schemas({}, {"anyOf": [{}, {"type": "null"}]}, "request"))


def test_not_takes_values_out_of_an_enum_beside_it():
    old = {"enum": ["a", "b"], "not": {"enum": ["b"]}}
    assert worst(diff_schemas(old, {"enum": ["a"]}, "request")) in (None, Severity.INFO, Severity.ADDITIVE)
    assert "response-enum-value-added" in rules(diff_schemas(old, {"enum": ["a", "b"]}))
    nothing = {"oneOf": [{"enum": [1], "not": {"enum": [1]}}, {}]}  # a member that accepts nothing
    assert worst(diff_schemas(nothing, {}, "request")) in (None, Severity.INFO, Severity.ADDITIVE)


def _ref_beside_allof(component: dict, beside: list) -> dict:
    schema = {"$ref": "#/components/schemas/A", "allOf": beside}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}},
        "components": {"schemas": {"A": component}}}


@pytest.mark.parametrize("new_x, expect", [({"type": "integer"}, {"response-type-changed"}), ({"type": "string"}, set())],
                         ids=["component-changed", "component-same"])
def test_a_ref_beside_an_allof_is_one_more_member_not_dropped(new_x, expect):
    """3.1 allows keywords beside `$ref`; an `allOf` among them used to replace the `$ref`."""
    beside = [{"required": ["x"]}]
    old = _ref_beside_allof({"type": "object", "properties": {"x": {"type": "string"}}}, beside)
    new = _ref_beside_allof({"type": "object", "properties": {"x": new_x}}, beside)
    report = diff_documents(Document("old.yaml", old), Document("new.yaml", new))
    assert {c.rule for c in report.changes} == expect


def test_a_not_enum_in_another_member_takes_its_values_out_of_the_enum_as_beside_it():
    """The minimised `allOf-split | response` false alarm: `not: {enum: [a]}` beside the enum took
    "a" out of it; split into another allOf member it must too (else "a" reads as an enum value
    added). The near pair: a `not` that takes out another value changes the enum."""
    whole = {"type": "string", "enum": ["x", "y", "a"], "not": {"enum": ["a", "b"]}}
    split = {"allOf": [{"type": "string", "enum": ["x", "y", "a"]}, {"not": {"enum": ["a", "b"]}}]}
    for side in ("request", "response"):
        assert rules(diff_schemas(whole, split, side), Severity.ADDITIVE) == set(), side
    other = {"allOf": [{"type": "string", "enum": ["x", "y", "a"]}, {"not": {"enum": ["x", "b"]}}]}
    assert "response-enum-value-added" in rules(diff_schemas(whole, other, "response"))
    assert "request-enum-value-removed" in rules(diff_schemas(whole, other, "request"))
