"""OpenAPI 3.0 Schema Objects -> JSON Schema 2020-12, for validating instances (`apicompat conform`).

Not a general converter: only what changes what an instance may be.

- `nullable: true`: `type: X` -> `type: [X, "null"]` (and `null` added to an `enum`); without a
  `type`, `null` becomes one more `anyOf`/`oneOf` member, or the schema is wrapped as
  `anyOf: [schema, {type: "null"}]` (a `$ref` or `allOf` with `nullable`).
- boolean `exclusiveMinimum`/`exclusiveMaximum` -> the numeric form (taking `minimum`/`maximum`).
- `example` -> `examples: [example]` (an annotation either way).

Structure is kept where it can be, so a schema path in a validation error still names the place in
the original document (`/properties/name/type`).
"""

from __future__ import annotations

from typing import Any

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = ("items", "additionalProperties", "not", "additionalItems", "contains", "propertyNames",
               "if", "then", "else", "unevaluatedProperties", "unevaluatedItems")


def convert_schema(schema: object) -> object:
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {k: convert_schema(v) for k, v in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [convert_schema(v) for v in value]
        elif key in _SCHEMA_ONE and isinstance(value, (dict, list)):
            out[key] = [convert_schema(v) for v in value] if isinstance(value, list) else convert_schema(value)
        elif key in ("nullable", "example"):
            continue
        else:
            out[key] = value
    if "example" in schema and "examples" not in out:
        out["examples"] = [schema["example"]]
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = out.get(exclusive)
        if isinstance(flag, bool):
            del out[exclusive]
            if flag and isinstance(out.get(bound), (int, float)) and not isinstance(out.get(bound), bool):
                out[exclusive] = out.pop(bound)
    if schema.get("nullable") is True:
        out = _nullable(out)
    return out


def _nullable(out: dict[str, Any]) -> dict[str, Any]:
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"] if kind != "null" else kind
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    if isinstance(kind, list):
        if "null" not in kind:
            out["type"] = [*kind, "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    for union in ("anyOf", "oneOf"):
        if isinstance(out.get(union), list) and set(out) - {union} <= {"description", "title", "discriminator",
                                                                    "examples", "default"}:
            out[union] = [*out[union], {"type": "null"}]
            return out
    if not out or set(out) <= {"description", "title", "examples", "default"}:
        return out  # accepts anything already
    return {"anyOf": [out, {"type": "null"}]}


def convert_document(doc: Any) -> Any:
    """A copy of an OpenAPI 3.0 document whose Schema Objects are 2020-12 schemas."""
    if not isinstance(doc, dict):
        return doc
    out = _walk(doc)
    components = out.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        components = dict(components)
        components["schemas"] = {k: convert_schema(v) for k, v in doc["components"]["schemas"].items()}
        out["components"] = components
    return out


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: convert_schema(v) if k in ("schema", "itemSchema") and isinstance(v, dict) else _walk(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_walk(v) for v in node]
    return node
