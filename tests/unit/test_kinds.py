"""Which documents are read as JSON Schemas: the schemas that accept anything are accepted when they
say so (`true`, `{}`, annotations only); a mapping with no schema keyword is refused, not read as
a schema that accepts anything (issue 13, item 5)."""

from __future__ import annotations

import pytest

from apicompat import diff_schemas
from apicompat.errors import InputError
from apicompat.kinds import ASYNCAPI, OPENAPI, SCHEMA, kind_of


@pytest.mark.parametrize("data", [
    True, False, {}, {"title": "Anything"}, {"description": "any value", "x-owner": "team"},
    {"$defs": {"A": {"type": "string"}}}, {"definitions": {"A": {"type": "string"}}},
    {"$schema": "https://json-schema.org/draft/2020-12/schema"}, {"$ref": "#/$defs/A", "$defs": {"A": True}},
    {"properties": {"a": {"type": "string"}}}, {"enum": [1, 2]}, {"not": {}}, {"x-opaque": True},
])
def test_json_schemas_are_accepted(data):
    assert kind_of("doc.json", data) == SCHEMA


@pytest.mark.parametrize("data", [
    {"name": "pkg", "version": "1.0.0", "description": "a package.json"},
    {"server": {"port": 80}}, {"a": {"a": 1}}, {"title": "t", "channels": {}},
    "a string", 5, None, [{"type": "string"}],
])
def test_other_documents_are_refused(data):
    with pytest.raises(InputError, match="nor a JSON Schema"):
        kind_of("doc.json", data)


def test_api_documents_are_told_apart():
    assert kind_of("a", {"openapi": "3.1.0"}) == OPENAPI
    assert kind_of("a", {"swagger": "2.0"}) == OPENAPI
    assert kind_of("a", {"asyncapi": "3.0.0"}) == ASYNCAPI


def test_a_refused_document_is_never_a_silent_clean_diff():
    with pytest.raises(InputError, match="keys: channels, info"):
        diff_schemas({"info": {"title": "t"}, "channels": {}}, {"info": {"title": "t"}, "channels": {"x": {}}})
    assert diff_schemas(True, {}).changes == []
