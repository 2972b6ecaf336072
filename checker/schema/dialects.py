"""Each dialect is a plain mapping of keyword to diff function, composed like jsonschema's validators.

OpenAPI 3.0's schema object is a subset of draft-05 with extras (`nullable`, `discriminator`);
2020-12 (OpenAPI 3.1) adds the applicators. Draft-07 shares 2020-12's table: its `items` array
and `dependencies` are read into the same canonical slots by the normaliser.
"""

from __future__ import annotations

from . import keywords as k
from .keywords import arrays, conditional, content, dependent, negation, objects_extra, pattern

OPENAPI_30 = {
    "type": k.diff_type,
    "nullable": k.diff_nullable,
    "format": k.diff_format,
    "enum": k.diff_enum,
    "x-extensible-enum": k.diff_extensible_enum,
    "properties": k.diff_properties,
    "additionalProperties": k.diff_additional_properties,
    "items": arrays.diff_positions,  # with prefixItems and draft-07 array items: position by position
    "maximum": k.bound_differ("max"),
    "minimum": k.bound_differ("min"),
    "maxLength": k.bound_differ("max-length"),
    "minLength": k.bound_differ("min-length"),
    "maxItems": k.bound_differ("max-items"),
    "minItems": k.bound_differ("min-items"),
    "maxProperties": k.bound_differ("max-properties"),
    "minProperties": k.bound_differ("min-properties"),
    "multipleOf": k.diff_multiple_of,
    "uniqueItems": k.diff_unique_items,
    "pattern": pattern.diff_pattern,
    "not": negation.diff_not,
    "default": k.diff_default,
    "deprecated": k.diff_deprecated,
    "description": k.diff_description,
    "title": k.diff_title,
    "example": k.diff_example,
    "discriminator": k.diff_discriminator,
}

DRAFT_2020_12 = {
    **OPENAPI_30,
    "unevaluatedProperties": objects_extra.diff_unevaluated_properties,
    "unevaluatedItems": arrays.diff_unevaluated_items,
    "maxContains": arrays.diff_max_contains,
    "minContains": arrays.diff_min_contains,
    "contains": arrays.diff_contains,
    "propertyNames": objects_extra.diff_property_names,
    "patternProperties": objects_extra.diff_pattern_properties,
    "dependentRequired": dependent.diff_dependent_required,
    "dependentSchemas": dependent.diff_dependent_schemas,
    "if": conditional.diff_conditional,
    "contentSchema": content.diff_content_schema,
    "contentMediaType": content.diff_content_media_type,
    "contentEncoding": content.diff_content_encoding,
}

DRAFT_07 = DRAFT_2020_12

# Keywords still compared on a schema whose shape is a union: the rest belong to its members (the
# normaliser distributes the keywords beside a union into each member, so `not` or `pattern` next to a
# oneOf is judged in every member).
# (Nullability of a union is that of the whole: unions.diff_union_nullability.)
UNION_OUTER = ("default", "deprecated", "description", "title", "example", "discriminator")

DIALECTS = {"openapi-3.0": OPENAPI_30, "2020-12": DRAFT_2020_12, "draft-07": DRAFT_07}


def dialect_of(document: object) -> str:
    if isinstance(document, dict):
        version = document.get("openapi")
        if isinstance(version, str) and version.startswith("3.0"):
            return "openapi-3.0"
        if "swagger" in document:
            return "openapi-3.0"
        schema = document.get("$schema")
        if isinstance(schema, str) and ("draft-07" in schema or "draft-06" in schema or "draft-04" in schema):
            return "draft-07"
    return "2020-12"
