"""$ref resolution: the pointers into the document itself, which the resolver follows on its own
(apicompat.schema.refs._local), land where `referencing` lands, or fail as they fail there."""

from __future__ import annotations

import pytest
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from apicompat.errors import InputError
from apicompat.schema.refs import ROOT, Resolver

DOC = {
    "openapi": "3.1.0",
    "components": {"schemas": {
        "A": {"type": "object", "properties": {"a/b": {"type": "string"}, "c~d": {"type": "integer"},
                                                "e f": {"type": "boolean"}, "%41": {"type": "null"}}},
        "L": {"allOf": [{"type": "object"}, {"required": ["x"]}]},
        "": {"type": "string"},
        "T": "text, not a schema",
        "Id": {"$id": "https://example.com/x", "type": "object"},
    }},
    "$defs": {"D": {"type": "string"}, "WithId": {"$id": "sub/", "items": {"type": "string"}}},
    "properties": {"p": {"type": "integer"}},
    "list": [{"v": 0}, {"v": 1}],
}

REFS = [
    "#", "#/components/schemas/A", "#/components/schemas/A/properties/a~1b",
    "#/components/schemas/A/properties/c~0d", "#/components/schemas/A/properties/e%20f",
    "#/components/schemas/A/properties/%2541", "#/components/schemas/L/allOf/1", "#/components/schemas/L/allOf/01",
    "#/components/schemas/L/allOf/-1", "#/components/schemas/L/allOf/+1", "#/components/schemas/",
    "#/components/schemas/T", "#/components/schemas/Id/type", "#/$defs/D", "#/$defs/WithId/items",
    "#/properties/p", "#/list/1/v", "#/components/schemas/T/0",  # referencing indexes a string
]
MISSING = ["#/", "#/components/schemas/Nope", "#/components/schemas/L/allOf/2", "#/components/schemas/L/allOf/x",
           "#/components/schemas/T/x", "#/list/1/v/0", "#/components/schemas/A/properties/a/b",
           "#/list/\u00b2"]  # a digit int() does not read: an error line, not a crash


def referencing_lookup(ref: str) -> object:
    registry = Registry().with_resource(ROOT, DRAFT202012.create_resource(DOC))
    return registry.resolver(base_uri=ROOT).lookup(ref).contents


@pytest.mark.parametrize("ref", REFS)
def test_a_local_pointer_lands_where_referencing_lands(ref):
    resolver = Resolver(DOC, "doc.yaml")
    target, pointer, base = resolver.resolve(ref, resolver.base_for_root(), "#/at")
    assert target is referencing_lookup(ref)
    assert base == ROOT and pointer.startswith("#")


@pytest.mark.parametrize("ref", MISSING)
def test_a_local_pointer_to_nothing_fails_where_referencing_fails(ref):
    with pytest.raises((Unresolvable, ValueError, TypeError)):  # a missing key, a bad index, a scalar
        referencing_lookup(ref)
    resolver = Resolver(DOC, "doc.yaml")
    with pytest.raises(InputError, match="ref"):
        resolver.resolve(ref, resolver.base_for_root(), "#/at")
