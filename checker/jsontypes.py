"""The JSON type of a Python value, one definition for inference, normalising and subsumption."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def json_type(value: object, integral_floats: bool = False) -> str:
    """`integral_floats`: JSON Schema counts 1.0 as an integer when validating."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if integral_floats and value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


_DESCRIBED = {"null": "null", "boolean": "a boolean", "integer": "a number", "number": "a number",
              "string": "a string", "array": "a list", "object": "a mapping"}


def describe_type(value: object) -> str:
    """For error messages: 'a mapping', 'a list', 'a string', ..."""
    if not isinstance(value, (type(None), bool, int, float, str, list, dict)):
        return type(value).__name__
    return _DESCRIBED[json_type(value)]


def mappings(value: object) -> Iterator[dict]:
    """Every mapping inside a JSON value, itself included; iterative, as documents can be deep."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack += [v for v in node.values() if isinstance(v, _CONTAINERS)]  # a list: faster than a generator
        elif isinstance(node, list):
            stack += [v for v in node if isinstance(v, _CONTAINERS)]


_CONTAINERS = (dict, list)


def mapping_at(mapping: Mapping[Any, Any], key: str) -> dict[Any, Any]:
    """`mapping[key]` when it is a mapping, else a new empty one: an optional section of a document."""
    value = mapping.get(key)
    return value if isinstance(value, dict) else {}
