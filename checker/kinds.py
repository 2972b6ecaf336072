"""What kind of contract a document is: OpenAPI (or Swagger), AsyncAPI, or a JSON Schema.

A document that is none of them is refused (exit status 2) rather than read as a schema: a mapping
with no schema keyword reads as the schema that accepts anything, so any change to it would be
reported as "no changes" (an AsyncAPI document, a config file given by mistake).
"""

from __future__ import annotations

from .errors import InputError
from .jsontypes import describe_type
from .openapi import is_openapi

OPENAPI, ASYNCAPI, SCHEMA = "openapi", "asyncapi", "schema"

# Every keyword of JSON Schema drafts 4 to 2020-12, plus OpenAPI's schema extensions.
SCHEMA_KEYWORDS = frozenset({
    "$schema", "$id", "id", "$ref", "$defs", "definitions", "$anchor", "$dynamicRef", "$dynamicAnchor",
    "$recursiveRef", "$recursiveAnchor", "$vocabulary", "$comment",
    "type", "enum", "const", "properties", "patternProperties", "additionalProperties", "propertyNames",
    "required", "dependentRequired", "dependentSchemas", "dependencies", "unevaluatedProperties",
    "items", "prefixItems", "additionalItems", "contains", "minContains", "maxContains", "unevaluatedItems",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
    "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "format",
    "contentEncoding", "contentMediaType", "contentSchema",
    "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples", "example",
    "nullable", "discriminator", "xml", "externalDocs",
})
# Keywords that only annotate: on their own among other keys they do not make a mapping a schema
# (a package.json has a `description`).
ANNOTATIONS = frozenset({"title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",
                         "example", "$comment", "externalDocs", "xml", "id"})


def is_asyncapi(data: object) -> bool:
    return isinstance(data, dict) and "asyncapi" in data


def is_json_schema(data: object) -> bool:
    """`true`, `false`, `{}`, a mapping with an assertion, applicator or core keyword at its root (which
    includes `$defs`/`definitions`), or one made only of schema keywords and `x-` extensions."""
    if isinstance(data, bool):
        return True
    if not isinstance(data, dict):
        return False
    keys = [k for k in data if isinstance(k, str)]
    if len(keys) != len(data):
        return False
    if any(k in SCHEMA_KEYWORDS and k not in ANNOTATIONS for k in keys):
        return True
    return all(k in SCHEMA_KEYWORDS or k.startswith("x-") for k in keys)


def kind_of(source: str, data: object) -> str:
    if is_openapi(data):
        return OPENAPI
    if is_asyncapi(data):
        return ASYNCAPI
    if is_json_schema(data):
        return SCHEMA
    what = describe_type(data)
    detail = (f"keys: {', '.join(sorted(map(str, data))[:6])}" + (", ..." if len(data) > 6 else "")
              if isinstance(data, dict) else what)
    raise InputError(source, "is not an OpenAPI, Swagger or AsyncAPI document, nor a JSON Schema (no schema "
                     f"keyword at its root or under $defs/definitions; {detail})")


NAMES = {OPENAPI: "an OpenAPI document", ASYNCAPI: "an AsyncAPI document", SCHEMA: "a JSON Schema"}


def pair_kind(old_source: str, old: object, new_source: str, new: object) -> str:
    """The kind both documents share; a mixed pair is refused, naming the odd one out."""
    old_kind, new_kind = kind_of(old_source, old), kind_of(new_source, new)
    if old_kind == new_kind:
        return old_kind
    if OPENAPI in (old_kind, new_kind) and SCHEMA in (old_kind, new_kind):
        which = new_source if old_kind == OPENAPI else old_source
        raise InputError(which, "is not an OpenAPI document while the other one is; "
                         "compare two OpenAPI documents or two JSON Schemas")
    raise InputError(new_source, f"is {NAMES[new_kind]} while {old_source} is {NAMES[old_kind]}; "
                     "compare two documents of the same kind")
