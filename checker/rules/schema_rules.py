"""Schema-level rules: one kind of change, judged in four contexts.

Each kind below becomes one rule per context it applies to: `request-<kind>` (request bodies),
`response-<kind>` (response bodies and stream events), `request-parameter-<kind>` (parameter
schemas) and `response-header-<kind>` (response header schemas). The request contexts take the
kind's request severity, the response contexts its response severity: the contravariance of
POLICY.md's table written down once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from ..model import Direction, Severity
from .registry import Example, Registry, Rule
from . import clauses as C

B, W, A, I = Severity.BREAKING, Severity.WARNING, Severity.ADDITIVE, Severity.INFO

CONTEXTS: dict[str, tuple[Direction, str]] = {
    "request": (Direction.REQUEST, "request body"),
    "response": (Direction.RESPONSE, "response body"),
    "request-parameter": (Direction.REQUEST, "request parameter"),
    "response-header": (Direction.RESPONSE, "response header"),
}
ALL = tuple(CONTEXTS)
BODIES = ("request", "response")


@dataclass(frozen=True)
class Kind:
    name: str
    request: Severity
    response: Severity
    clause: str
    doc: str
    message: str
    old: Any
    new: Any
    near_old: Any
    near_new: Any
    contexts: tuple[str, ...] = ALL
    # clause for the response side where it differs (an allowed change on one side only)
    response_clause: str | None = None


def obj(props: dict, required=(), **extra) -> dict:
    out = {"type": "object", "properties": props, **extra}
    if required:
        out["required"] = list(required)
    return out


def event(name: str, **props) -> dict:
    return obj({"type": {"type": "string", "enum": [name]}, **props}, required=["type"])


# Kind names the vocabulary units emit (checker/schema/keywords/: negation, conditional, dependent, arrays,
# objects_extra, content, pattern) beside the ones below, each written whole (never assembled).
PATTERN_TIGHTENED = "pattern-tightened"
PATTERN_LOOSENED = "pattern-loosened"
PATTERN_REPLACED = "pattern-replaced"
NOT_TIGHTENED = "not-tightened"
NOT_LOOSENED = "not-loosened"
NOT_REPLACED = "not-replaced"
CONDITIONAL_TIGHTENED = "conditional-tightened"
CONDITIONAL_LOOSENED = "conditional-loosened"
CONDITIONAL_REPLACED = "conditional-replaced"
DEPENDENT_REQUIRED_TIGHTENED = "dependent-required-tightened"
DEPENDENT_REQUIRED_LOOSENED = "dependent-required-loosened"
DEPENDENT_REQUIRED_REPLACED = "dependent-required-replaced"
DEPENDENT_SCHEMAS_TIGHTENED = "dependent-schemas-tightened"
DEPENDENT_SCHEMAS_LOOSENED = "dependent-schemas-loosened"
DEPENDENT_SCHEMAS_REPLACED = "dependent-schemas-replaced"
CONTAINS_TIGHTENED = "contains-tightened"
CONTAINS_LOOSENED = "contains-loosened"
CONTAINS_REPLACED = "contains-replaced"
PROPERTY_NAMES_TIGHTENED = "property-names-tightened"
PROPERTY_NAMES_LOOSENED = "property-names-loosened"
PROPERTY_NAMES_REPLACED = "property-names-replaced"
PATTERN_PROPERTIES_TIGHTENED = "pattern-properties-tightened"
PATTERN_PROPERTIES_LOOSENED = "pattern-properties-loosened"
PATTERN_PROPERTIES_REPLACED = "pattern-properties-replaced"
CONTENT_SCHEMA_TIGHTENED = "content-schema-tightened"
CONTENT_SCHEMA_LOOSENED = "content-schema-loosened"
CONTENT_SCHEMA_REPLACED = "content-schema-replaced"
UNEVALUATED_PROPERTIES_ADDED = "unevaluated-properties-added"
UNEVALUATED_PROPERTIES_REMOVED = "unevaluated-properties-removed"
UNEVALUATED_PROPERTIES_CHANGED = "unevaluated-properties-changed"
UNEVALUATED_PROPERTIES_TIGHTENED = "unevaluated-properties-tightened"
UNEVALUATED_PROPERTIES_LOOSENED = "unevaluated-properties-loosened"
UNEVALUATED_PROPERTIES_REPLACED = "unevaluated-properties-replaced"
UNEVALUATED_ITEMS_ADDED = "unevaluated-items-added"
UNEVALUATED_ITEMS_REMOVED = "unevaluated-items-removed"
UNEVALUATED_ITEMS_CHANGED = "unevaluated-items-changed"
UNEVALUATED_ITEMS_TIGHTENED = "unevaluated-items-tightened"
UNEVALUATED_ITEMS_LOOSENED = "unevaluated-items-loosened"
UNEVALUATED_ITEMS_REPLACED = "unevaluated-items-replaced"

# settle.py: a node's findings checked against what the two whole schemas accept
CONSTRAINT_WITHOUT_EFFECT = "constraint-without-effect"
REJECTS_ACCEPTED_VALUE = "rejects-accepted-value"

S = {"type": "string"}
N = {"type": "number"}
INT = {"type": "integer"}

# Kind names the differ's own keyword units emit (checker/schema/keywords/: types, formats, enums,
# properties, items, bounds, multiple_of, strings, notes, discriminator, applicators) and the
# walker, each written whole.
# unions.py: a oneOf judged as a whole (exactly one member matches)
ONEOF_OVERLAP_ADDED = "oneof-overlap-added"
ONEOF_OVERLAP_POSSIBLE = "oneof-overlap-possible"
ONEOF_OVERLAP_REMOVED = "oneof-overlap-removed"
TYPE_CHANGED = "type-changed"
TYPE_WIDENED = "type-widened"
TYPE_NARROWED = "type-narrowed"
SCHEMA_BECAME_FALSE = "schema-became-false"
BECAME_NULLABLE = "became-nullable"
BECAME_NOT_NULLABLE = "became-not-nullable"
FORMAT_WIDENED = "format-widened"
FORMAT_NARROWED = "format-narrowed"
FORMAT_CHANGED = "format-changed"
FORMAT_ADDED = "format-added"
FORMAT_ANNOTATION_CHANGED = "format-annotation-changed"
OPAQUE_STRING_CHANGED = "opaque-string-changed"
ENUM_VALUE_ADDED = "enum-value-added"
ENUM_VALUE_REMOVED = "enum-value-removed"
BECAME_ENUM = "became-enum"
ENUM_REMOVED = "enum-removed"
CONST_CHANGED = "const-changed"
EXTENSIBLE_ENUM_VALUE_ADDED = "extensible-enum-value-added"
PROPERTY_ADDED_REQUIRED = "property-added-required"
PROPERTY_ADDED_OPTIONAL = "property-added-optional"
PROPERTY_TYPED_IN_FREE_FORM_OBJECT = "property-typed-in-free-form-object"
PROPERTY_REMOVED = "property-removed"
PROPERTY_BECAME_REQUIRED = "property-became-required"
PROPERTY_BECAME_OPTIONAL = "property-became-optional"
ADDITIONAL_PROPERTIES_CLOSED = "additional-properties-closed"
ADDITIONAL_PROPERTIES_OPENED = "additional-properties-opened"
UNEVALUATED_PROPERTIES_CLOSED = "unevaluated-properties-closed"
UNEVALUATED_PROPERTIES_OPENED = "unevaluated-properties-opened"
BECAME_READ_ONLY = "became-read-only"
BECAME_NOT_READ_ONLY = "became-not-read-only"
BECAME_WRITE_ONLY = "became-write-only"
BECAME_NOT_WRITE_ONLY = "became-not-write-only"
PREFIX_ITEMS_ADDED = "prefix-items-added"
PREFIX_ITEMS_REMOVED = "prefix-items-removed"
UNIQUE_ITEMS_SET = "unique-items-set"
UNIQUE_ITEMS_UNSET = "unique-items-unset"
MAX_DECREASED = "max-decreased"
MAX_INCREASED = "max-increased"
MAX_SET = "max-set"
MAX_UNSET = "max-unset"
MIN_INCREASED = "min-increased"
MIN_DECREASED = "min-decreased"
MIN_SET = "min-set"
MIN_UNSET = "min-unset"
MAX_LENGTH_DECREASED = "max-length-decreased"
MAX_LENGTH_INCREASED = "max-length-increased"
MAX_LENGTH_SET = "max-length-set"
MAX_LENGTH_UNSET = "max-length-unset"
MIN_LENGTH_INCREASED = "min-length-increased"
MIN_LENGTH_DECREASED = "min-length-decreased"
MIN_LENGTH_SET = "min-length-set"
MIN_LENGTH_UNSET = "min-length-unset"
MAX_ITEMS_DECREASED = "max-items-decreased"
MAX_ITEMS_INCREASED = "max-items-increased"
MAX_ITEMS_SET = "max-items-set"
MAX_ITEMS_UNSET = "max-items-unset"
MIN_ITEMS_INCREASED = "min-items-increased"
MIN_ITEMS_DECREASED = "min-items-decreased"
MIN_ITEMS_SET = "min-items-set"
MIN_ITEMS_UNSET = "min-items-unset"
MAX_PROPERTIES_DECREASED = "max-properties-decreased"
MAX_PROPERTIES_INCREASED = "max-properties-increased"
MAX_PROPERTIES_SET = "max-properties-set"
MAX_PROPERTIES_UNSET = "max-properties-unset"
MIN_PROPERTIES_INCREASED = "min-properties-increased"
MIN_PROPERTIES_DECREASED = "min-properties-decreased"
MIN_PROPERTIES_SET = "min-properties-set"
MIN_PROPERTIES_UNSET = "min-properties-unset"
MAX_CONTAINS_DECREASED = "max-contains-decreased"
MAX_CONTAINS_INCREASED = "max-contains-increased"
MAX_CONTAINS_SET = "max-contains-set"
MAX_CONTAINS_UNSET = "max-contains-unset"
MIN_CONTAINS_INCREASED = "min-contains-increased"
MIN_CONTAINS_DECREASED = "min-contains-decreased"
MIN_CONTAINS_SET = "min-contains-set"
MIN_CONTAINS_UNSET = "min-contains-unset"
MULTIPLE_OF_SET = "multiple-of-set"
MULTIPLE_OF_UNSET = "multiple-of-unset"
MULTIPLE_OF_CHANGED = "multiple-of-changed"
PATTERN_ADDED = "pattern-added"
PATTERN_REMOVED = "pattern-removed"
PATTERN_CHANGED = "pattern-changed"
DEFAULT_ADDED = "default-added"
DEFAULT_REMOVED = "default-removed"
DEFAULT_CHANGED = "default-changed"
DEPRECATED = "deprecated"
REACTIVATED = "reactivated"
DESCRIPTION_CHANGED = "description-changed"
TITLE_CHANGED = "title-changed"
EXAMPLE_CHANGED = "example-changed"
DISCRIMINATOR_ADDED = "discriminator-added"
DISCRIMINATOR_REMOVED = "discriminator-removed"
DISCRIMINATOR_PROPERTY_CHANGED = "discriminator-property-changed"
DISCRIMINATOR_MAPPING_CHANGED = "discriminator-mapping-changed"
NOT_ADDED = "not-added"
NOT_REMOVED = "not-removed"
NOT_CHANGED = "not-changed"
CONTAINS_ADDED = "contains-added"
CONTAINS_REMOVED = "contains-removed"
CONTAINS_CHANGED = "contains-changed"
PROPERTY_NAMES_ADDED = "property-names-added"
PROPERTY_NAMES_REMOVED = "property-names-removed"
PROPERTY_NAMES_CHANGED = "property-names-changed"
PATTERN_PROPERTIES_ADDED = "pattern-properties-added"
PATTERN_PROPERTIES_REMOVED = "pattern-properties-removed"
PATTERN_PROPERTIES_CHANGED = "pattern-properties-changed"
DEPENDENT_REQUIRED_ADDED = "dependent-required-added"
DEPENDENT_REQUIRED_REMOVED = "dependent-required-removed"
DEPENDENT_REQUIRED_CHANGED = "dependent-required-changed"
DEPENDENT_SCHEMAS_ADDED = "dependent-schemas-added"
DEPENDENT_SCHEMAS_REMOVED = "dependent-schemas-removed"
DEPENDENT_SCHEMAS_CHANGED = "dependent-schemas-changed"
CONDITIONAL_ADDED = "conditional-added"
CONDITIONAL_REMOVED = "conditional-removed"
CONDITIONAL_CHANGED = "conditional-changed"
CONTENT_SCHEMA_ADDED = "content-schema-added"
CONTENT_SCHEMA_REMOVED = "content-schema-removed"
CONTENT_SCHEMA_CHANGED = "content-schema-changed"
CONTENT_MEDIA_TYPE_ADDED = "content-media-type-added"
CONTENT_MEDIA_TYPE_REMOVED = "content-media-type-removed"
CONTENT_MEDIA_TYPE_CHANGED = "content-media-type-changed"
CONTENT_ENCODING_ADDED = "content-encoding-added"
CONTENT_ENCODING_REMOVED = "content-encoding-removed"
CONTENT_ENCODING_CHANGED = "content-encoding-changed"

KINDS: list[Kind] = [
    # --- types ---------------------------------------------------------------------------
    Kind("type-changed", B, B, C.TYPE_CHANGED,
         "The type changed to one that shares no values with the old one.",
         "{subject} changed type from {old} to {new}",
         S, INT, S, {"type": "string", "description": "now documented"}),
    Kind("type-widened", A, B, C.TYPE_CHANGED,
         "The type now admits more values (integer -> number, a type added to a list, type removed).",
         "{subject} widened its type from {old} to {new}",
         INT, N, N, INT),
    Kind("type-narrowed", B, I, C.TYPE_CHANGED,
         "The type now admits fewer values (number -> integer, a type dropped from a list).",
         "{subject} narrowed its type from {old} to {new}",
         N, INT, INT, N),
    Kind("schema-became-false", B, I, C.TYPE_CHANGED,
         "The schema became `false`: no value is valid any more.",
         "{subject} became the false schema (nothing is valid)",
         S, False, S, S),
    # --- nullability -----------------------------------------------------------------------
    Kind("became-nullable", A, B, C.BECOMES_NULLABLE,
         "The value may now be null (nullable, a type array with null, or anyOf/oneOf with null).",
         "{subject} became nullable",
         S, {"type": ["string", "null"]},
         {"type": "string", "nullable": True}, {"anyOf": [S, {"type": "null"}]}),
    Kind("became-not-nullable", B, I, C.STOPS_NULLABLE,
         "The value may no longer be null.",
         "{subject} is no longer nullable",
         {"type": ["string", "null"]}, S,
         {"anyOf": [S, {"type": "null"}]}, {"type": "string", "nullable": True}),
    # --- formats ---------------------------------------------------------------------------
    Kind("format-widened", A, W, C.FORMAT_CHANGED,
         "The format widened (int32 -> int64, float -> double: numeric widths only) or was removed.",
         "{subject} widened its format from {old} to {new}",
         {"type": "integer", "format": "int32"}, {"type": "integer", "format": "int64"},
         {"type": "integer", "format": "int64"}, {"type": "integer", "format": "int64"}),
    Kind("format-narrowed", B, I, C.FORMAT_CHANGED,
         "The format narrowed (int64 -> int32, double -> float).",
         "{subject} narrowed its format from {old} to {new}",
         {"type": "integer", "format": "int64"}, {"type": "integer", "format": "int32"},
         {"type": "integer", "format": "int32"}, {"type": "integer", "format": "int64"}),
    Kind("format-changed", B, W, C.FORMAT_CHANGED,
         "The format changed to an unrelated one (string formats are not ordered: date <-> date-time too).",
         "{subject} changed format from {old} to {new}",
         {"type": "string", "format": "uuid"}, {"type": "string", "format": "email"},
         {"type": "string", "format": "uuid"}, {"type": "string", "format": "uuid"}),
    Kind("format-added", B, I, C.FORMAT_CHANGED,
         "A validating format was added to a value that had none.",
         "{subject} gained format {new}",
         S, {"type": "string", "format": "date-time"},
         S, {"type": "string", "format": "unixtime"}),
    Kind("format-annotation-changed", I, I, C.ANNOTATION,
         "A format that no validator knows (e.g. unixtime) changed: documentation only.",
         "{subject} format annotation changed from {old} to {new}",
         INT, {"type": "integer", "format": "unixtime"},
         INT, {"type": "integer", "format": "int32"}),
    Kind("opaque-string-changed", A, A, C.OPAQUE,
         "The length, format or pattern of an opaque string (an id, *_id, x-opaque) changed.",
         "{subject} is an opaque string; its {detail} changed from {old} to {new}",
         obj({"id": {"type": "string", "maxLength": 10}}), obj({"id": {"type": "string", "maxLength": 64}}),
         obj({"name": {"type": "string", "maxLength": 10}}), obj({"name": {"type": "string", "maxLength": 64}})),
    # --- enums and const -------------------------------------------------------------------
    Kind("enum-value-added", A, W, C.ENUM_ADDED,
         "An enum value was added; exhaustive clients may not handle it.",
         "{subject} enum gained {new}",
         {"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a", "b", "c"]},
         {"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["b", "a"]}),
    Kind("enum-value-removed", B, I, C.ENUM_REMOVED,
         "An enum value was removed.",
         "{subject} enum lost {old}",
         {"type": "string", "enum": ["a", "b", "c"]}, {"type": "string", "enum": ["a", "b"]},
         {"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["b", "a"]}),
    Kind("became-enum", B, I, C.ENUM_REMOVED,
         "A free value became restricted to an enum (or a const).",
         "{subject} became restricted to {new}",
         S, {"type": "string", "enum": ["a", "b"]},
         {"type": "string", "enum": ["a", "b"]}, S),
    Kind("enum-removed", A, W, C.LOOSENED,
         "An enum restriction was dropped: any value of the type may now appear.",
         "{subject} is no longer restricted to {old}",
         {"type": "string", "enum": ["a", "b"]}, S,
         S, {"type": "string", "enum": ["a", "b"]}),
    Kind("const-changed", B, B, C.ENUM_REMOVED,
         "A const (or single-value enum) changed to another value.",
         "{subject} const changed from {old} to {new}",
         {"const": "v1"}, {"const": "v2"},
         {"const": "v1"}, {"type": "string", "enum": ["v1"]}),
    Kind("extensible-enum-value-added", A, A, C.ENUM_ADDED,
         "A value was added to an `x-extensible-enum`: clients are told to expect new values.",
         "{subject} extensible enum gained {new}",
         {"type": "string", "x-extensible-enum": ["a"]}, {"type": "string", "x-extensible-enum": ["a", "b"]},
         {"type": "string", "x-extensible-enum": ["a"]}, {"type": "string", "x-extensible-enum": ["a"]}),
    # --- properties and required-ness ------------------------------------------------------
    Kind("property-added-required", B, A, C.NEWLY_REQUIRED,
         "A new property that is required: old requests lack it; a response simply gains it.",
         "{subject} gained required property {new}",
         obj({"a": S}), obj({"a": S, "b": S}, required=["b"]),
         obj({"a": S}), obj({"a": S, "b": S}),
         response_clause=C.NEW_RESPONSE_PROPERTY),
    Kind("property-added-optional", A, A, C.NEW_OPTIONAL_PARAMETER,
         "A new optional property.",
         "{subject} gained optional property {new}",
         obj({"a": S}), obj({"a": S, "b": S}),
         obj({"a": S, "b": S}), obj({"b": S, "a": S}),
         response_clause=C.NEW_RESPONSE_PROPERTY),
    Kind("property-typed-in-free-form-object", B, I, C.REQUEST_PRINCIPLE,
         "A free-form object (no declared properties, or `additionalProperties: true` said outright: any "
         "others allowed) declares a property with a "
         "schema: old clients may have sent that name with other values, which are now rejected.",
         "{subject} now declares property {new}, which a free-form object took with any value",
         {"type": "object"}, obj({"b": N}),
         {"type": "object"}, obj({"b": {}}), contexts=("request", "request-parameter")),
    Kind("property-removed", W, B, C.REMOVED,
         "A property was removed (request: a strict server may reject it; response: clients lose it).",
         "{subject} lost property {old}",
         obj({"a": S, "b": S}), obj({"a": S}),
         obj({"a": S, "b": S}), {"allOf": [obj({"a": S}), obj({"b": S})]}),
    Kind("property-became-required", B, I, C.NEWLY_REQUIRED,
         "An existing property became required.",
         "{subject} property {new} became required",
         obj({"a": S}), obj({"a": S}, required=["a"]),
         obj({"a": S}, required=["a"]), obj({"a": S}, required=["a"])),
    Kind("property-became-optional", A, B, C.NO_LONGER_REQUIRED,
         "A required property became optional: a response may now omit it.",
         "{subject} property {old} is no longer required",
         obj({"a": S}, required=["a"]), obj({"a": S}),
         obj({"a": S}), obj({"a": S})),
    Kind("additional-properties-closed", B, I, C.TIGHTENED,
         "additionalProperties became false: unknown properties are now rejected.",
         "{subject} no longer allows additional properties",
         obj({"a": S}), obj({"a": S}, additionalProperties=False),
         obj({"a": S}, additionalProperties=False), obj({"a": S}, additionalProperties=False)),
    Kind("additional-properties-opened", A, A, C.NEW_RESPONSE_PROPERTY,
         "additionalProperties: false was lifted: objects may carry new properties.",
         "{subject} now allows additional properties",
         obj({"a": S}, additionalProperties=False), obj({"a": S}),
         obj({"a": S}), obj({"a": S}, additionalProperties=True)),
    Kind("unevaluated-properties-closed", B, I, C.TIGHTENED,
         "unevaluatedProperties became false.",
         "{subject} no longer allows unevaluated properties",
         obj({"a": S}), obj({"a": S}, unevaluatedProperties=False),
         obj({"a": S}), obj({"a": S}, unevaluatedProperties=True)),
    Kind("unevaluated-properties-opened", A, A, C.NEW_RESPONSE_PROPERTY,
         "unevaluatedProperties: false was lifted.",
         "{subject} now allows unevaluated properties",
         obj({"a": S}, unevaluatedProperties=False), obj({"a": S}),
         obj({"a": S}), obj({"a": S})),
    # --- arrays ----------------------------------------------------------------------------
    Kind("prefix-items-added", I, I, C.ANNOTATION,
         "A positional item schema (prefixItems / tuple items) was added; what that position now accepts "
         "is judged against what `items` accepted there (its own findings).",
         "{subject} gained positional item {new}",
         {"type": "array", "prefixItems": [S]}, {"type": "array", "prefixItems": [S, INT]},
         {"type": "array", "prefixItems": [S]}, {"type": "array", "items": [S]}),
    Kind("prefix-items-removed", I, I, C.ANNOTATION,
         "A positional item schema was removed; what that position now accepts is judged against it "
         "(its own findings, under `items`).",
         "{subject} lost positional item {old}",
         {"type": "array", "prefixItems": [S, INT]}, {"type": "array", "prefixItems": [S]},
         {"type": "array", "prefixItems": [S, INT]}, {"type": "array", "prefixItems": [S, INT]}),
    Kind("unique-items-set", B, I, C.TIGHTENED,
         "uniqueItems became true.",
         "{subject} now requires unique items",
         {"type": "array"}, {"type": "array", "uniqueItems": True},
         {"type": "array"}, {"type": "array", "uniqueItems": False}),
    Kind("unique-items-unset", A, W, C.LOOSENED,
         "uniqueItems is no longer true.",
         "{subject} no longer requires unique items",
         {"type": "array", "uniqueItems": True}, {"type": "array"},
         {"type": "array", "uniqueItems": False}, {"type": "array"}),
    # --- strings -----------------------------------------------------------------------------
    Kind("pattern-added", B, I, C.TIGHTENED,
         "A pattern was added.",
         "{subject} gained pattern {new}{detail}",
         S, {"type": "string", "pattern": "^[a-z]+$"},
         {"type": "string", "pattern": "^[a-z]+$"}, {"type": "string", "pattern": "^[a-z]+$"}),
    Kind("pattern-removed", A, W, C.LOOSENED,
         "A pattern was removed.",
         "{subject} lost pattern {old}{detail}",
         {"type": "string", "pattern": "^[a-z]+$"}, S,
         S, S),
    Kind("pattern-changed", W, W, C.TIGHTENED,
         "The pattern changed and automata cannot tell whether it admits more or less (a backreference, "
         "lookaround, a word boundary, or past the size bounds).",
         "{subject} pattern changed from {old} to {new}: {detail}",
         {"type": "string", "pattern": "^(a)\\1$"}, {"type": "string", "pattern": "^(b)\\1$"},
         {"type": "string", "pattern": "^[a-z]+$"}, {"type": "string", "pattern": "^[a-z]+$"}),
    # --- multipleOf ------------------------------------------------------------------------
    Kind("multiple-of-set", B, I, C.TIGHTENED,
         "multipleOf was added.",
         "{subject} must now be a multiple of {new}",
         N, {"type": "number", "multipleOf": 5},
         {"type": "number", "multipleOf": 5}, {"type": "number", "multipleOf": 5}),
    Kind("multiple-of-unset", A, W, C.LOOSENED,
         "multipleOf was removed.",
         "{subject} no longer must be a multiple of {old}",
         {"type": "number", "multipleOf": 5}, N,
         N, N),
    Kind("multiple-of-changed", B, W, C.TIGHTENED,
         "multipleOf changed.",
         "{subject} multipleOf changed from {old} to {new}",
         {"type": "number", "multipleOf": 5}, {"type": "number", "multipleOf": 3},
         {"type": "number", "multipleOf": 5}, {"type": "number", "multipleOf": 5.0}),
    # --- defaults and access ---------------------------------------------------------------
    Kind("default-added", W, I, C.DEFAULT_CHANGED,
         "A default was added: the behaviour of clients that omit the value may change.",
         "{subject} gained default {new}",
         S, {"type": "string", "default": "x"},
         {"type": "string", "default": "x"}, {"type": "string", "default": "x"}),
    Kind("default-removed", W, I, C.DEFAULT_CHANGED,
         "A default was removed.",
         "{subject} lost default {old}",
         {"type": "string", "default": "x"}, S,
         S, S),
    Kind("default-changed", W, I, C.DEFAULT_CHANGED,
         "The default changed: clients that omit the value get other behaviour.",
         "{subject} default changed from {old} to {new}",
         {"type": "string", "default": "x"}, {"type": "string", "default": "y"},
         {"type": "string", "default": "x"}, {"type": "string", "default": "x", "description": "d"}),
    Kind("became-read-only", W, I, C.REMOVED,
         "A property became readOnly: the server now ignores it in requests.",
         "{subject} property {new} became read-only",
         obj({"a": S}), obj({"a": {"type": "string", "readOnly": True}}),
         obj({"a": {"type": "string", "readOnly": True}}), obj({"a": {"type": "string", "readOnly": True}}),
         contexts=BODIES),
    Kind("became-not-read-only", I, I, C.ANNOTATION,
         "A property is no longer readOnly.",
         "{subject} property {new} is no longer read-only",
         obj({"a": {"type": "string", "readOnly": True}}), obj({"a": S}),
         obj({"a": S}), obj({"a": S}),
         contexts=BODIES),
    Kind("became-write-only", I, B, C.REMOVED,
         "A property became writeOnly: responses no longer carry it.",
         "{subject} property {new} became write-only",
         obj({"a": S}), obj({"a": {"type": "string", "writeOnly": True}}),
         obj({"a": {"type": "string", "writeOnly": True}}), obj({"a": {"type": "string", "writeOnly": True}}),
         contexts=BODIES),
    Kind("became-not-write-only", I, A, C.NEW_RESPONSE_PROPERTY,
         "A property is no longer writeOnly: responses may now carry it.",
         "{subject} property {new} is no longer write-only",
         obj({"a": {"type": "string", "writeOnly": True}}), obj({"a": S}),
         obj({"a": S}), obj({"a": S}),
         contexts=BODIES),
    # --- lifecycle and annotations ---------------------------------------------------------
    Kind("deprecated", I, I, C.ANNOTATION,
         "The value was marked deprecated.",
         "{subject} was deprecated",
         S, {"type": "string", "deprecated": True},
         {"type": "string", "deprecated": True}, {"type": "string", "deprecated": True}),
    Kind("reactivated", I, I, C.ANNOTATION,
         "The value is no longer deprecated.",
         "{subject} is no longer deprecated",
         {"type": "string", "deprecated": True}, S,
         S, S),
    Kind("description-changed", I, I, C.ANNOTATION,
         "The description changed.",
         "{subject} description changed",
         {"type": "string", "description": "old"}, {"type": "string", "description": "new"},
         {"type": "string", "description": "same"}, {"type": "string", "description": "same"}),
    Kind("title-changed", I, I, C.ANNOTATION,
         "The title changed.",
         "{subject} title changed from {old} to {new}",
         {"type": "string", "title": "Old"}, {"type": "string", "title": "New"},
         {"type": "string", "title": "Same"}, {"type": "string", "title": "Same"}),
    Kind("example-changed", I, I, C.ANNOTATION,
         "The example(s) changed.",
         "{subject} example changed",
         {"type": "string", "example": "a"}, {"type": "string", "example": "b"},
         {"type": "string", "example": "a"}, {"type": "string", "examples": ["a"]}),
    # --- unions ------------------------------------------------------------------------------
    Kind("union-member-added", A, B, C.UNION_ADDED,
         "A oneOf/anyOf member was added: responses may carry a shape old clients never saw.",
         "{subject} gained union member {new}",
         {"anyOf": [S, INT]}, {"anyOf": [S, INT, {"type": "array", "items": S}]},
         {"anyOf": [S, INT]}, {"anyOf": [INT, S]}),
    Kind("union-member-removed", B, I, C.UNION_REMOVED,
         "A oneOf/anyOf member was removed.",
         "{subject} lost union member {old}",
         {"anyOf": [S, INT, {"type": "array", "items": S}]}, {"anyOf": [S, INT]},
         {"anyOf": [S, INT]}, {"anyOf": [INT, {"type": "string", "description": "d"}]}),
    Kind("event-type-added", A, A, C.NEW_EVENT_TYPE,
         "A new event type joined a union told apart by `type` (a streaming event union).",
         "{subject} gained event type {new}",
         {"anyOf": [event("a.created"), event("a.done")]},
         {"anyOf": [event("a.created"), event("a.delta"), event("a.done")]},
         {"anyOf": [event("a.created"), event("a.done")]},
         {"anyOf": [event("a.done"), event("a.created")]}),
    Kind("event-type-removed", B, B, C.UNION_REMOVED,
         "An event type left a union told apart by `type`.",
         "{subject} lost event type {old}",
         {"anyOf": [event("a.created"), event("a.delta"), event("a.done")]},
         {"anyOf": [event("a.created"), event("a.done")]},
         {"anyOf": [event("a.created"), event("a.done")]},
         {"anyOf": [event("a.created"), event("a.delta"), event("a.done")]}),
    Kind("discriminator-added", I, I, C.ANNOTATION,
         "A discriminator was added to a union.",
         "{subject} gained discriminator {new}",
         {"oneOf": [event("a"), event("b")]},
         {"oneOf": [event("a"), event("b")], "discriminator": {"propertyName": "type"}},
         {"oneOf": [event("a"), event("b")]}, {"oneOf": [event("b"), event("a")]}),
    Kind("discriminator-removed", I, I, C.ANNOTATION,
         "A union's discriminator was removed.",
         "{subject} lost discriminator {old}",
         {"oneOf": [event("a"), event("b")], "discriminator": {"propertyName": "type"}},
         {"oneOf": [event("a"), event("b")]},
         {"oneOf": [event("a"), event("b")]}, {"oneOf": [event("a"), event("b")]}),
    Kind("discriminator-property-changed", W, W, C.TYPE_CHANGED,
         "The discriminator's propertyName changed: clients dispatch on another field.",
         "{subject} discriminator property changed from {old} to {new}",
         {"oneOf": [obj({"k": S}), obj({"j": S})], "discriminator": {"propertyName": "k"}},
         {"oneOf": [obj({"k": S}), obj({"j": S})], "discriminator": {"propertyName": "j"}},
         {"oneOf": [obj({"k": S}), obj({"j": S})], "discriminator": {"propertyName": "k"}},
         {"oneOf": [obj({"j": S}), obj({"k": S})], "discriminator": {"propertyName": "k"}}),
    Kind("discriminator-mapping-changed", W, W, C.TYPE_CHANGED,
         "A discriminator mapping entry was removed or now points elsewhere.",
         "{subject} discriminator mapping {old} changed to {new}",
         {"oneOf": [event("a"), event("b")], "discriminator": {"propertyName": "type", "mapping": {"a": "#/x/A"}}},
         {"oneOf": [event("a"), event("b")], "discriminator": {"propertyName": "type", "mapping": {"a": "#/x/B"}}},
         {"oneOf": [event("a"), event("b")], "discriminator": {"propertyName": "type", "mapping": {"a": "#/x/A"}}},
         {"oneOf": [event("a"), event("b")],
          "discriminator": {"propertyName": "type", "mapping": {"a": "#/x/A", "b": "#/x/B"}}}),
    # --- oneOf: exactly one member may match ------------------------------------------------------
    Kind("oneof-overlap-added", B, I, C.TIGHTENED,
         "Two oneOf members now both match values the old schema accepted (one lies inside the other, or "
         "both contain an old member): oneOf allows exactly one match, so those values are rejected.",
         "{subject}: values matching both oneOf members {new} are now rejected (oneOf allows exactly one "
         "match); the old schema accepted them{detail}",
         S, {"oneOf": [S, {"type": "string", "maxLength": 5}]},
         S, {"oneOf": [S, INT]}),
    Kind("oneof-overlap-possible", W, I, C.TIGHTENED,
         "Two oneOf members are not proven disjoint, and the old schema may have accepted values matching "
         "both: oneOf rejects such values.",
         "{subject}: oneOf members {new} are not proven disjoint; a value matching both is rejected (oneOf "
         "allows exactly one match) and the old schema may have accepted it{detail}",
         S, {"oneOf": [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 5}]},
         S, {"oneOf": [{"type": "string", "maxLength": 3}, {"type": "string", "minLength": 5}]}),
    Kind("oneof-overlap-removed", A, W, C.LOOSENED,
         "Values that matched two oneOf members (and so were rejected) may now be accepted: the oneOf "
         "became an anyOf, or an overlapping member was removed or narrowed.",
         "{subject}: values matching both oneOf members {old} were rejected (oneOf allows exactly one "
         "match) and may now be accepted{detail}",
         {"oneOf": [S, {"type": "string", "enum": ["a"]}]}, {"anyOf": [S, {"type": "string", "enum": ["a"]}]},
         {"oneOf": [S, INT]}, {"anyOf": [S, INT]}),
    # --- the whole schemas (settle.py) -------------------------------------------------------------
    Kind(CONSTRAINT_WITHOUT_EFFECT, I, I, C.REQUEST_PRINCIPLE,
         "A keyword changed in a way its own comparison calls narrowing (request) or widening (response), "
         "but the whole schema, all its keywords together, accepts the same values on the side that "
         "matters (a minLength every enum value meets, uniqueItems on at most one item).",
         "{subject}: {detail}",
         {"type": "string", "enum": ["abc"], "maxLength": 3}, {"type": "string", "enum": ["abc"], "minLength": 3},
         {"type": "string", "maxLength": 3}, {"type": "string", "minLength": 3},
         response_clause=C.RESPONSE_PRINCIPLE),
    Kind(REJECTS_ACCEPTED_VALUE, B, I, C.REQUEST_PRINCIPLE,
         "The new schema rejects a value the old one accepted, shown by that value, where comparing keyword by "
         "keyword left the change undecided (a oneOf nested in an allOf whose members now overlap).",
         "{subject} now rejects a value the old schema accepted: {detail}",
         {}, {"allOf": [{"oneOf": [{}, {"type": "integer", "minimum": 4, "maximum": 17}]}], "oneOf": [{}]},
         {}, {"allOf": [{"anyOf": [{}, {"type": "integer", "minimum": 4, "maximum": 17}]}], "oneOf": [{}]},
         contexts=("request", "request-parameter")),
]

# Kinds whose severity follows from something besides the values the two schemas accept (what a client
# sends or relies on being sent, documentation): a proof about accepted values does not settle them.
NOT_ABOUT_VALUES = frozenset({
    "default-added", "default-removed", "default-changed", "became-read-only", "became-not-read-only",
    "became-write-only", "became-not-write-only", "property-removed", "event-type-removed",
    "discriminator-added", "discriminator-removed", "discriminator-property-changed",
    "discriminator-mapping-changed", CONTENT_MEDIA_TYPE_ADDED, CONTENT_MEDIA_TYPE_REMOVED,
    CONTENT_MEDIA_TYPE_CHANGED, CONTENT_ENCODING_ADDED, CONTENT_ENCODING_REMOVED, CONTENT_ENCODING_CHANGED,
    "opaque-string-changed", "format-annotation-changed", "deprecated", "reactivated", CONSTRAINT_WITHOUT_EFFECT,
    REJECTS_ACCEPTED_VALUE,
})


def _bound_kinds() -> list[Kind]:
    """Every numeric, string, array and object bound, in both directions, from one table."""
    out = []
    # (name in ids, keyword, the base schema, a low value, a high value, noun)
    bounds = [
        ("max", "maximum", N, 5, 10, "maximum"),
        ("min", "minimum", N, 5, 10, "minimum"),
        ("max-length", "maxLength", S, 5, 10, "maxLength"),
        ("min-length", "minLength", S, 5, 10, "minLength"),
        ("max-items", "maxItems", {"type": "array"}, 5, 10, "maxItems"),
        ("min-items", "minItems", {"type": "array"}, 5, 10, "minItems"),
        ("max-properties", "maxProperties", {"type": "object"}, 5, 10, "maxProperties"),
        ("min-properties", "minProperties", {"type": "object"}, 5, 10, "minProperties"),
        ("max-contains", "maxContains", {"type": "array", "contains": S}, 5, 10, "maxContains"),
        ("min-contains", "minContains", {"type": "array", "contains": S}, 5, 10, "minContains"),
    ]
    for name, kw, base, lo, hi, noun in bounds:
        upper = name.startswith("max")

        def s(v, base=base, kw=kw):
            return {**base, kw: v}

        tighten, loosen = ("decreased", "increased") if upper else ("increased", "decreased")
        tight_old, tight_new = (s(hi), s(lo)) if upper else (s(lo), s(hi))
        set_old, set_new = (ARR, s(lo)) if name == "min-contains" else (base, s(lo))  # minContains is 1 by default
        out += [
            Kind(f"{name}-{tighten}", B, I, C.TIGHTENED,
                 f"{noun} {tighten}: fewer values are valid.",
                 "{subject} " + noun + " " + tighten + " from {old} to {new}",
                 tight_old, tight_new, tight_new, tight_old),
            Kind(f"{name}-{loosen}", A, W, C.LOOSENED,
                 f"{noun} {loosen}: more values are valid; clients may rely on the old bound.",
                 "{subject} " + noun + " " + loosen + " from {old} to {new}",
                 tight_new, tight_old, tight_old, tight_new),
            Kind(f"{name}-set", B, I, C.TIGHTENED,
                 f"{noun} was set where there was none.",
                 "{subject} gained " + noun + " {new}",
                 set_old, set_new, s(lo), s(lo)),
            Kind(f"{name}-unset", A, W, C.LOOSENED,
                 f"{noun} was removed.",
                 "{subject} lost " + noun + " {old}",
                 set_new, set_old, base, base),
        ]
    return out


def _keyword_kinds() -> list[Kind]:
    """Applicators compared for presence and equality (2020-12 and draft-07)."""
    out = []
    # `other`: a value whose relation to `one` is not decided here (a backreference, or an object whose
    # only witnesses would carry a string only a backreference pattern admits): the `-changed` warning.
    backref_a = {"required": ["a"], "properties": {"a": {"type": "string", "pattern": "^(a)\\1$"}}}

    def backref(letter: str) -> dict:
        return {"type": "string", "pattern": f"^({letter})\\1$"}

    table: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
        ("not", "not", {"not": {"required": ["a"], "properties": {"a": backref("a")}}},
         {"not": {"required": ["a"], "properties": {"a": backref("b")}}}),
        ("contains", "contains", {"contains": backref("a")}, {"contains": backref("b")}),
        ("property-names", "propertyNames", {"propertyNames": backref("a")}, {"propertyNames": backref("b")}),
        ("pattern-properties", "patternProperties", {"patternProperties": {"^x-": backref("a")}},
         {"patternProperties": {"^x-": backref("b")}}),
        ("dependent-required", "dependentRequired", {**backref_a, "dependentRequired": {"a": ["b"]}},
         {**backref_a, "dependentRequired": {"a": ["c"]}}),
        ("dependent-schemas", "dependentSchemas", {**backref_a, "dependentSchemas": {"a": {"required": ["b"]}}},
         {**backref_a, "dependentSchemas": {"a": {"required": ["c"]}}}),
        ("conditional", "if/then/else", {**backref_a, "if": {"required": ["a"]}, "then": {"required": ["b"]}},
         {**backref_a, "if": {"required": ["a"]}, "then": {"required": ["c"]}}),
        ("content-schema", "contentSchema", {"contentSchema": backref("a")}, {"contentSchema": backref("b")}),
        ("content-media-type", "contentMediaType", {"contentMediaType": "application/json"},
         {"contentMediaType": "text/plain"}),
        ("content-encoding", "contentEncoding", {"contentEncoding": "base64"}, {"contentEncoding": "base32"}),
    ]
    for name, kw, one, other in table:
        base: dict[str, Any] = {"type": "object"} if name not in ("contains",) else {"type": "array"}
        if name.startswith("content"):
            base = S
        with_one = {**base, **one}
        with_other = {**base, **other}
        out += [
            Kind(f"{name}-added", B, I, C.TIGHTENED,
                 f"`{kw}` was added: it can only reject values that were valid.",
                 "{subject} gained " + kw + "{detail}",
                 base, with_one, with_one, with_one),
            Kind(f"{name}-removed", A, W, C.LOOSENED,
                 f"`{kw}` was removed.",
                 "{subject} lost " + kw + "{detail}",
                 with_one, base, base, base),
            Kind(f"{name}-changed", W, W, C.TIGHTENED,
                 f"`{kw}` changed; whether it admits more or less is not decided.",
                 "{subject} " + kw + " changed",
                 with_one, with_other, with_one, {**with_one, "description": "d"}),
        ]
    return out


# (kind names: tightened, loosened, replaced; the keyword; a base schema; a pair where the new value is
# strictly tighter; a pair of values neither of which covers the other; a pair with the same meaning)
OBJ = {"type": "object"}
ARR = {"type": "array"}
_Pair = tuple[dict[str, Any], dict[str, Any]]
JUDGED: list[tuple[tuple[str, str, str], str, dict[str, Any], _Pair, _Pair, _Pair]] = [
    ((NOT_TIGHTENED, NOT_LOOSENED, NOT_REPLACED), "not", OBJ,
     ({"not": {"required": ["a", "b"]}}, {"not": {"required": ["a"]}}),
     ({"not": {"required": ["a"]}}, {"not": {"required": ["b"]}}),
     ({"not": {"enum": ["b", "a"]}}, {"not": {"enum": ["a", "b"]}})),
    ((CONDITIONAL_TIGHTENED, CONDITIONAL_LOOSENED, CONDITIONAL_REPLACED), "if/then/else", OBJ,
     ({"if": {"required": ["a"]}, "then": {"required": ["b"]}},
      {"if": {"required": ["a"]}, "then": {"required": ["b", "c"]}}),
     ({"if": {"required": ["a"]}, "then": {"required": ["b"]}},
      {"if": {"required": ["a"]}, "then": {"required": ["c"]}}),
     ({"if": {"required": ["a"]}, "then": {"required": ["b"]}},
      {"if": {"required": ["a"], "description": "d"}, "then": {"required": ["b"]}})),
    ((DEPENDENT_REQUIRED_TIGHTENED, DEPENDENT_REQUIRED_LOOSENED, DEPENDENT_REQUIRED_REPLACED), "dependentRequired", OBJ,
     ({"dependentRequired": {"a": ["b"]}}, {"dependentRequired": {"a": ["b", "c"]}}),
     ({"dependentRequired": {"a": ["b"]}}, {"dependentRequired": {"a": ["c"]}}),
     ({"dependentRequired": {"a": ["b", "c"]}}, {"dependentRequired": {"a": ["c", "b"]}})),
    ((DEPENDENT_SCHEMAS_TIGHTENED, DEPENDENT_SCHEMAS_LOOSENED, DEPENDENT_SCHEMAS_REPLACED), "dependentSchemas", OBJ,
     ({"dependentSchemas": {"a": {"required": ["b"]}}}, {"dependentSchemas": {"a": {"required": ["b", "c"]}}}),
     ({"dependentSchemas": {"a": {"required": ["b"]}}}, {"dependentSchemas": {"a": {"required": ["c"]}}}),
     ({"dependentSchemas": {"a": {"required": ["b", "c"]}}}, {"dependentSchemas": {"a": {"required": ["c", "b"]}}})),
    ((CONTAINS_TIGHTENED, CONTAINS_LOOSENED, CONTAINS_REPLACED), "contains", ARR,
     ({"contains": N}, {"contains": INT}),
     ({"contains": S}, {"contains": INT}),
     ({"contains": {"enum": [1, 2]}}, {"contains": {"enum": [2, 1]}})),
    ((PROPERTY_NAMES_TIGHTENED, PROPERTY_NAMES_LOOSENED, PROPERTY_NAMES_REPLACED), "propertyNames", OBJ,
     ({"propertyNames": {"maxLength": 3}}, {"propertyNames": {"maxLength": 2}}),
     ({"propertyNames": {"pattern": "^a"}}, {"propertyNames": {"pattern": "^b"}}),
     ({"propertyNames": {"maxLength": 3}}, {"propertyNames": {"maxLength": 3, "description": "d"}})),
    ((PATTERN_PROPERTIES_TIGHTENED, PATTERN_PROPERTIES_LOOSENED, PATTERN_PROPERTIES_REPLACED), "patternProperties", OBJ,
     ({"patternProperties": {"^x-": N}}, {"patternProperties": {"^x-": INT}}),
     ({"patternProperties": {"^x-": S}}, {"patternProperties": {"^x-": INT}}),
     ({"patternProperties": {"^x-": S}}, {"patternProperties": {"^x-": {"type": "string", "description": "d"}}})),
    ((CONTENT_SCHEMA_TIGHTENED, CONTENT_SCHEMA_LOOSENED, CONTENT_SCHEMA_REPLACED), "contentSchema",
     {"type": "string", "contentMediaType": "application/json"},
     ({"contentSchema": N}, {"contentSchema": INT}),
     ({"contentSchema": S}, {"contentSchema": INT}),
     ({"contentSchema": {"enum": [1, 2]}}, {"contentSchema": {"enum": [2, 1]}})),
    ((UNEVALUATED_PROPERTIES_TIGHTENED, UNEVALUATED_PROPERTIES_LOOSENED, UNEVALUATED_PROPERTIES_REPLACED),
     "unevaluatedProperties", obj({"a": S}),
     ({"unevaluatedProperties": N}, {"unevaluatedProperties": INT}),
     ({"unevaluatedProperties": S}, {"unevaluatedProperties": INT}),
     ({"unevaluatedProperties": {"enum": [1, 2]}}, {"unevaluatedProperties": {"enum": [2, 1]}})),
    ((UNEVALUATED_ITEMS_TIGHTENED, UNEVALUATED_ITEMS_LOOSENED, UNEVALUATED_ITEMS_REPLACED),
     "unevaluatedItems", {"type": "array", "prefixItems": [S]},
     ({"unevaluatedItems": N}, {"unevaluatedItems": INT}),
     ({"unevaluatedItems": S}, {"unevaluatedItems": INT}),
     ({"unevaluatedItems": {"enum": [1, 2]}}, {"unevaluatedItems": {"enum": [2, 1]}})),
    ((PATTERN_TIGHTENED, PATTERN_LOOSENED, PATTERN_REPLACED), "pattern", {"type": "string"},
     ({"pattern": "^[a-z]+$"}, {"pattern": "^[a-c]+$"}),
     ({"pattern": "^[a-z]+$"}, {"pattern": "^[0-9]+$"}),
     ({"pattern": "^[a-z]+$"}, {"pattern": "^[a-z][a-z]*$"})),
]
# The unevaluated* families' presence kinds (the other families' are in _keyword_kinds): (added, removed,
# changed; keyword; base; a value; another value whose relation to the first is not decided here)
UNDECIDED = {"type": "string", "pattern": "^(a)\\1$"}
UNEVALUATED = [
    ((UNEVALUATED_PROPERTIES_ADDED, UNEVALUATED_PROPERTIES_REMOVED, UNEVALUATED_PROPERTIES_CHANGED),
     "unevaluatedProperties", obj({"a": S}), {"unevaluatedProperties": INT},
     {"unevaluatedProperties": UNDECIDED}, {"unevaluatedProperties": {"type": "string", "pattern": "^(b)\\1$"}}),
    ((UNEVALUATED_ITEMS_ADDED, UNEVALUATED_ITEMS_REMOVED, UNEVALUATED_ITEMS_CHANGED),
     "unevaluatedItems", {"type": "array", "prefixItems": [S]}, {"unevaluatedItems": INT},
     {"unevaluatedItems": UNDECIDED}, {"unevaluatedItems": {"type": "string", "pattern": "^(b)\\1$"}}),
]


def _judged_kinds() -> list[Kind]:
    """The outcomes of a keyword judged by what it accepts (checker/schema/keywords/judged.py)."""
    out = []
    for (tightened, loosened, replaced), kw, base, (t_old, t_new), (r_old, r_new), (e_old, e_new) in JUDGED:
        tight_old, tight_new = {**base, **t_old}, {**base, **t_new}
        shown = " {old} -> {new}" if kw == "pattern" else ""  # the pattern unit gives both patterns
        out += [
            Kind(tightened, B, I, C.TIGHTENED,
                 f"`{kw}` now accepts a subset of what it accepted: old values may be rejected.",
                 "{subject} " + kw + shown + " tightened{detail}",
                 tight_old, tight_new, tight_new, tight_old),
            Kind(loosened, A, W, C.LOOSENED,
                 f"`{kw}` now accepts everything it accepted and more.",
                 "{subject} " + kw + shown + " loosened{detail}",
                 tight_new, tight_old, tight_old, tight_new),
            Kind(replaced, B, W, C.TIGHTENED,
                 f"`{kw}` changed to one that rejects a value the old accepted (and may admit new ones).",
                 "{subject} " + kw + shown + " changed: {detail}",
                 {**base, **r_old}, {**base, **r_new}, {**base, **e_old}, {**base, **e_new}),
        ]
    for (added, removed, changed), kw, base, one, undecided, other in UNEVALUATED:
        with_one = {**base, **one}
        out += [
            Kind(added, B, I, C.TIGHTENED,
                 f"`{kw}` (a schema) was added: values nothing else evaluated must now match it.",
                 "{subject} gained " + kw + "{detail}",
                 base, with_one, with_one, with_one),
            Kind(removed, A, B, C.LOOSENED,
                 f"`{kw}` (a schema) was removed: values of any type may now come where only its values did "
                 "(as when an additionalProperties schema goes).",
                 "{subject} lost " + kw + "{detail}",
                 with_one, base, base, base),
            Kind(changed, W, W, C.TIGHTENED,
                 f"`{kw}` changed; whether it admits more or less is not decided.",
                 "{subject} " + kw + " changed: {detail}",
                 {**base, **undecided}, {**base, **other}, {**base, **undecided}, {**base, **undecided}),
        ]
    return out


def all_kinds() -> list[Kind]:
    return KINDS + _bound_kinds() + _keyword_kinds() + _judged_kinds()


KIND_BY_NAME: dict[str, Kind] = {k.name: k for k in all_kinds()}


def rule_id(context: str, kind: str) -> str:
    return f"{context}-{kind}"


def register(registry: Registry) -> None:
    for kind in all_kinds():
        for context in kind.contexts:
            registry.add_made(rule_id(context, kind.name), partial(_rule, kind, context))


def _rule(kind: Kind, context: str) -> Rule:
    direction, where = CONTEXTS[context]
    request_side = direction is Direction.REQUEST
    return Rule(
        id=rule_id(context, kind.name),
        severity=kind.request if request_side else kind.response,
        direction=direction,
        clause=kind.clause if request_side else (kind.response_clause or kind.clause),
        doc=f"{kind.doc} (in a {where})",
        message=kind.message,
        example=Example(kind.old, kind.new, kind.near_old, kind.near_new, "schema"),
        area="schema",
        context=context,
        kind=kind.name,
    )
