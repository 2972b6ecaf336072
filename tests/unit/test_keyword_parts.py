"""Each keyword's part of acceptance and of inclusion lives in its unit (issue 9 item 1): the validator
(accepts.py) and subsumption (subsume.py) dispatch by the keywords a schema has and name none
themselves; a unit that gains a keyword is the one place that says what it accepts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from apicompat.schema import accepts, overlap, subsume, witness
from apicompat.schema.accepts import Acceptor, plan
from apicompat.schema.keywords import applicators, bounds, formats, items, properties, types
from apicompat.schema.normalise import Node, Normaliser
from apicompat.schema.refs import Resolver
from apicompat.schema.subsume import Subsumption

SCHEMA_DIR = Path(accepts.__file__).parent
# Every keyword the vocabulary validates (2020-12 with OpenAPI 3.0's and draft-07's spellings).
VALIDATED = {"type", "enum", "const", "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "maxLength",
             "minLength", "maxItems", "minItems", "maxProperties", "minProperties", "multipleOf", "format", "pattern",
             "required", "properties", "patternProperties", "additionalProperties", "propertyNames",
             "unevaluatedProperties", "dependentRequired", "dependentSchemas", "dependencies", "items", "prefixItems",
             "additionalItems", "uniqueItems", "contains", "unevaluatedItems", "allOf", "anyOf", "oneOf", "not", "if"}


def _strings(module) -> set[str]:
    tree = ast.parse(Path(module.__file__).read_text())
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_the_validator_and_subsumption_name_no_keyword():
    assert not _strings(accepts) & VALIDATED
    # what each keyword accepts, the constants its witnesses are built from, and where its subschemas are
    # (the witness search walks them: `SUBSCHEMAS`) are the units'
    assert not _strings(subsume) & VALIDATED


def test_the_witness_search_walks_the_subschemas_the_units_declare():
    """Every keyword that holds a subschema says so in its unit; the walk reads nothing else."""
    assert set(subsume.SUBSCHEMAS) == {
        "properties", "patternProperties", "additionalProperties", "unevaluatedProperties", "propertyNames",
        "dependentSchemas", "dependencies", "items", "prefixItems", "additionalItems", "unevaluatedItems",
        "contains", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "contentSchema"}
    schema = {"allOf": [{"properties": {"a": {"not": {"enum": ["deep"]}}}}], "items": [{"const": 7}]}
    normaliser = Normaliser(Resolver(schema, "s"))
    found = list(subsume.candidates(Subsumption({"old": normaliser}), ("old", Node(schema, "#"))))
    assert "deep" in found and 7 in found


def _named_outside(module, structure: set[str]) -> set[str]:
    """The validated keywords a module names outside the functions and constants in `structure`."""
    tree = ast.parse(Path(module.__file__).read_text())
    rest = [n for n in tree.body if not (isinstance(n, ast.FunctionDef) and n.name in structure
                                         or isinstance(n, ast.Assign) and any(
                                             isinstance(t, ast.Name) and t.id in structure for t in n.targets))]
    return {c.value for n in rest for c in ast.walk(n) if isinstance(c, ast.Constant) and isinstance(c.value, str)
            } & VALIDATED


def test_union_overlap_asks_the_validator_and_the_units():
    """overlap.py judges pairs of members by the shape of their forms; what one member accepts is the
    validator's answer and the values worth trying are the units' constants. It names keywords only
    where it reads the node the normaliser built for a member (rest AND member)."""
    assert _named_outside(overlap, {"accepts", "_holds_exclusive"}) == set()


def test_the_overlap_witness_search_builds_from_forms_and_the_units_constants():
    """witness.py builds values from canonical forms and the units' constants: it names no keyword."""
    assert _named_outside(witness, set()) == set()


def test_every_validated_keyword_has_a_part_in_a_unit():
    by_keyword = {kw for unit in accepts.UNITS for kw in unit.ACCEPTS}
    assert by_keyword == VALIDATED
    for unit in accepts.UNITS:
        assert all(part.__module__ == unit.__name__ for part in unit.ACCEPTS.values()), unit


def test_every_applicator_kind_has_an_inclusion_part():
    kinds = {name for name, *_ in applicators.APPLICATORS.values()}
    assert set(subsume.APPLICATORS) == kinds
    assert {part.__module__.rsplit(".", 1)[-1] for part in subsume.INCLUSION} == {
        "enums", "types", "bounds", "strings", "multiple_of", "formats", "properties", "items"}


def test_a_mapping_is_validated_by_the_parts_of_the_keywords_it_has():
    assert plan({"type": "string", "maxLength": 3, "minLength": 1}) == (types.accepts, bounds.accepts)
    assert plan({"format": "date", "description": "a day"}) == (formats.accepts,)
    assert plan({"properties": {}, "additionalProperties": False, "required": []}) == (properties.accepts,)
    assert plan({"title": "x", "x-vendor": 1}) == ()


def _pair(wide, narrow):
    nw, nn = Normaliser(Resolver(wide, "w")), Normaliser(Resolver(narrow, "n"))
    rel = Subsumption({"old": nw, "new": nn})
    return rel, nw.norm(Node(wide, "#")), nn.norm(Node(narrow, "#"))


def test_items_covers_an_array_closed_by_unevaluated_items():
    """An array schema whose items past its positions are closed by `unevaluatedItems: false` has no
    rest: a wider `items` covers it (this crashed: the closed rest was read as a schema)."""
    rel, a, b = _pair({"type": "array", "items": {"type": "string"}},
                      {"type": "array", "prefixItems": [{"type": "string"}], "unevaluatedItems": False})
    assert rel.covers(a, b, "old", "new") is True
    assert items.includes(rel, a, b, "old", "new", 0) is True
    rel, a, b = _pair({"type": "array", "items": {"type": "integer"}},
                      {"type": "array", "prefixItems": [{"type": "string"}], "unevaluatedItems": False})
    assert rel.covers(a, b, "old", "new") is False  # the near pair: position 0 differs


@pytest.mark.parametrize("schema, value, expected", [
    ({"type": "integer", "nullable": True, "minimum": 3}, None, True),
    ({"type": "integer", "minimum": 3}, None, False),
    ({"type": None}, "anything", True),  # a null `type` asserts nothing, as before
    ({"allOf": [{"minimum": 1}], "not": {"const": 2}}, 2, False),
    ({"oneOf": [{"minimum": 1}, {"maximum": 5}]}, 3, False),
    ({"if": {"minimum": 10}, "then": {"multipleOf": 5}}, 12, False),
    ({"if": {"minimum": 10}, "then": {"multipleOf": 5}}, 7, True),
    ({"contains": {"type": "string"}, "minContains": 2}, ["a", 1], False),
    ({"dependentRequired": {"a": ["b"]}}, {"a": 1}, False),
    ({"propertyNames": {"maxLength": 1}}, {"ab": 1}, False),
    ({"prefixItems": [{"type": "string"}], "unevaluatedItems": False}, ["a", "b"], False),
])
def test_the_validator_by_its_units(schema, value, expected):
    assert Acceptor(Normaliser(Resolver(schema, "s"))).accepts(Node(schema, "#"), value) is expected


def test_the_candidate_walk_reads_a_malformed_format_without_crashing():
    """The differ refuses `format: [..]` as input; the witness search, called on its own, reads past it
    (it looked the list up in a dict and raised TypeError) and still builds candidates."""
    schema = {"type": "string", "format": ["date"], "enum": ["x"]}
    normaliser = Normaliser(Resolver(schema, "s"))
    rel = Subsumption({"old": normaliser, "new": normaliser})
    found = list(subsume.candidates(rel, ("old", Node(schema, "#"))))
    assert "x" in found


def _validate(schema, value):
    return Acceptor(Normaliser(Resolver(schema, "s"))).accepts(Node(schema, "#"), value)


@pytest.mark.parametrize("members, expected", [(50, False), (250, None)])
def test_the_reach_of_unevaluated_properties_is_bounded(members, expected):
    """What an allOf evaluates is walked up to MAX_EVALUATED_WALK mappings (as the differ's own reading
    of it, judged.evaluated); past that an unevaluated name is not decided (None), never a guess."""
    schema = {"allOf": [{"properties": {f"p{i}": True}} for i in range(members)], "unevaluatedProperties": False}
    assert _validate(schema, {"zz": 1}) is expected
    assert _validate(schema, {"p1": 1}) is (True if expected is False else None)  # never a wrong rejection


def test_one_acceptor_runs_at_most_max_validations(monkeypatch):
    monkeypatch.setattr(accepts, "MAX_VALIDATIONS", 3)
    schema = {"allOf": [{"minimum": i} for i in range(10)]}
    acceptor = Acceptor(Normaliser(Resolver(schema, "s")))
    assert acceptor.accepts(Node(schema, "#"), 50) is None
    assert acceptor.steps == 3


@pytest.mark.parametrize("value, expected", [({"deep": 1}, True), ({"other": 1}, False)])
def test_a_name_evaluated_deep_in_an_allof_chain_is_evaluated(value, expected):
    """The differ and the validator read what an allOf evaluates by one walk (judged.evaluated), bounded
    by the mappings it reads, not by depth: a name declared twenty allOf levels down is evaluated (the
    validator's own walk stopped at sixteen levels and rejected it, which jsonschema does not)."""
    inner: dict = {"properties": {"deep": True}}
    for _ in range(20):
        inner = {"allOf": [inner]}
    assert _validate({**inner, "unevaluatedProperties": False}, value) is expected
