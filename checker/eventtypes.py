"""The event type a schema names: the value(s) of its `type` property's `const`/`enum`, following
`$ref`s and `allOf` members. Used to match AsyncAPI messages and to pair renamed event catalogues;
the schema differ has its own view of unions."""

from __future__ import annotations

from .schema import Node, Normaliser

EVENT_KEY = "type"
_MAX_DEPTH = 32


def event_types(norm: Normaliser, node: Node, _depth: int = 0) -> tuple[str, ...] | None:
    """The string values `type` may take in this schema, or None when it names none."""
    if _depth > _MAX_DEPTH:
        return None
    node = norm.deref(node)
    raw = node.raw
    if not isinstance(raw, dict):
        return None
    props = raw.get("properties")
    if isinstance(props, dict) and EVENT_KEY in props:
        found = _values(norm.deref(node.child("properties", EVENT_KEY)).raw)
        if found:
            return found
    members = raw.get("allOf")
    if isinstance(members, list):
        for i in range(len(members)):
            found = event_types(norm, node.child("allOf", i), _depth + 1)
            if found:
                return found
    return None


def _values(raw: object) -> tuple[str, ...] | None:
    if not isinstance(raw, dict):
        return None
    if isinstance(raw.get("const"), str):
        return (raw["const"],)
    enum = raw.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
        return tuple(sorted(set(enum)))
    return None


def union_event_types(norm: Normaliser, node: Node) -> set[str]:
    """Every event type named by the members of a union (`anyOf`/`oneOf`)."""
    node = norm.deref(node)
    raw = node.raw
    out: set[str] = set()
    if not isinstance(raw, dict):
        return out
    for keyword in ("anyOf", "oneOf"):
        members = raw.get(keyword)
        if isinstance(members, list):
            for i in range(len(members)):
                out.update(event_types(norm, node.child(keyword, i)) or ())
    return out
