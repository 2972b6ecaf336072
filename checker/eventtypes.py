"""The event type a schema names: the value(s) of its `type` property's `const`/`enum` (or, for
AsyncAPI messages, of another property that tells a flow's messages apart), following `$ref`s and
`allOf` members. Used to match AsyncAPI messages and to pair renamed event catalogues;
the schema differ has its own view of unions."""

from __future__ import annotations

from .schema import Node, Normaliser

EVENT_KEY = "type"
_MAX_DEPTH = 32


def event_types(norm: Normaliser, node: Node, memo: dict | None = None) -> tuple[str, ...] | None:
    """The string values `type` may take in this schema, or None when it names none."""
    return tags(norm, node, memo).get(EVENT_KEY)


def tags(norm: Normaliser, node: Node, memo: dict | None = None, _depth: int = 0) -> dict[str, tuple[str, ...]]:
    """Every property this schema pins to string values (`const`, or an `enum` of strings), through
    `$ref`s, `allOf` members (the first to pin a property wins) and `anyOf`/`oneOf` members (a
    property every member pins, to any of their values): the candidates for what tells events apart
    (`type` in OpenAI's APIs, `event` in Kraken's). `memo` (per document) keeps shared parts from
    being read again, so `$ref`s fanning out stay linear."""
    if _depth > _MAX_DEPTH:
        return {}
    memo = {} if memo is None else memo
    node = norm.deref(node)
    hit = memo.get(node.key)
    if hit is not None:
        return hit
    out: dict[str, tuple[str, ...]] = {}
    raw = node.raw
    if isinstance(raw, dict):
        props = raw.get("properties")
        if isinstance(props, dict):
            for name in props:
                if isinstance(name, str):
                    found = _values(norm.deref(node.child("properties", name)).raw)
                    if found:
                        out[name] = found
        members = raw.get("allOf")
        if isinstance(members, list):
            for i in range(len(members)):
                for name, found in tags(norm, node.child("allOf", i), memo, _depth + 1).items():
                    out.setdefault(name, found)
        for keyword in ("anyOf", "oneOf"):
            members = raw.get(keyword)
            if isinstance(members, list) and members:
                each = [tags(norm, node.child(keyword, i), memo, _depth + 1) for i in range(len(members))]
                for name in set(each[0]).intersection(*each[1:]):
                    out.setdefault(name, tuple(sorted({v for t in each for v in t[name]})))
    memo[node.key] = out
    return out


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
    memo: dict = {}
    for keyword in ("anyOf", "oneOf"):
        members = raw.get(keyword)
        if isinstance(members, list):
            for i in range(len(members)):
                out.update(event_types(norm, node.child(keyword, i), memo) or ())
    return out
