"""The canonical form of a schema (`Norm`) and the nodes it is made of: what normalise.py builds and
every keyword unit reads. Kept apart from the normaliser so that the units (which the normaliser
dispatches to) can import it without a cycle."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class Node:
    """A schema as found in a document: its raw value, where it is, and a memo identity."""

    __slots__ = ("raw", "ptr", "key", "base")

    def __init__(self, raw: Any, ptr: str, key: str | None = None, base: str = "") -> None:
        self.raw = raw
        self.ptr = ptr
        self.key = key if key is not None else ptr
        self.base = base

    def child(self, *tokens: Any) -> Node:
        raw = self.raw
        for t in tokens:
            raw = raw[t]
        suffix = "".join("/" + escape(t) for t in tokens)
        return Node(raw, self.ptr + suffix, self.key + suffix, self.base)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Node({self.ptr})"


def escape(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def canonical(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    except (TypeError, ValueError):
        return repr(value)


@dataclass(slots=True)
class Norm:
    """The canonical form of one schema: what it accepts, keyword by keyword, with `allOf` already
    intersected and a union's other constraints distributed into its members."""

    node: Node
    false: bool = False
    types: frozenset[str] | None = None  # None: any type; never contains "null"
    nullable: bool = False  # null is accepted (for a union: by the union as a whole)
    enum: tuple[Any, ...] | None = None  # without null
    ext_enum: tuple[Any, ...] | None = None
    props: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    additional: Any = None  # None: allowed (any); False: closed; Node: schema
    unevaluated_closed: bool = False
    items: Node | None = None
    prefix: list[Node] = field(default_factory=list)
    union: list[Node] | None = None
    union_kind: str | None = None  # "anyOf" or "oneOf" (the stricter when several were combined)
    union_null: bool = False  # while building: whether null passes the union itself
    discriminator: dict[str, Any] | None = None
    bounds: dict[str, Any] = field(default_factory=dict)
    multiple_of: Any = None
    unique_items: bool = False
    pattern: str | None = None  # one regex (several conjoined into one; see `patterns`)
    patterns: frozenset[str] = frozenset()  # every pattern the value must match
    format: str | None = None  # one format (several: see `formats`)
    formats: frozenset[str] = frozenset()  # every format the value must have
    default: Any = None
    has_default: bool = False
    description: str | None = None
    title: str | None = None
    example: Any = None
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    opaque: bool = False
    applicators: dict[str, str] = field(default_factory=dict)  # kind -> canonical text
    parts: list[Node] = field(default_factory=list)  # the mappings whose keywords this form conjoins (allOf)

    @property
    def ptr(self) -> str:
        return self.node.ptr

    @property
    def key(self) -> str:
        return self.node.key


def stricter(name: str, a: Any, b: Any) -> bool:
    """Is bound `a` stricter than bound `b` of the same family (`max`, `min-length`, ...)? Numeric
    bounds are (value, exclusive) pairs."""
    upper = name.startswith("max")
    if isinstance(a, tuple):
        (av, ax), (bv, bx) = a, b
        if av == bv:
            return bool(ax and not bx)
        return bool(av < bv if upper else av > bv)
    return bool(a < b if upper else a > b)


def tighter(name: str, a: Any, b: Any) -> Any:
    """The stricter of two bounds of the same keyword family."""
    return a if stricter(name, a, b) else b


def admits_null(m: Norm) -> bool:
    """Is null among the values `m` accepts? (A union's flag is the union's as a whole.)"""
    if m.false:
        return False
    return m.nullable




# Fields that constrain a value (the rest are annotations), with their unconstrained value.
CONSTRAINTS: dict[str, Any] = {
    "types": None, "enum": None, "required": frozenset(), "additional": None, "unevaluated_closed": False,
    "items": None, "multiple_of": None, "unique_items": False, "pattern": None, "patterns": frozenset(),
    "format": None, "formats": frozenset(),
}
CONTAINERS = ("props", "prefix", "bounds", "applicators")


def constrained(n: Norm) -> bool:
    """Does `n` restrict values by anything but null and a union?"""
    if n.false:
        return True
    for name, free in CONSTRAINTS.items():
        if getattr(n, name) != free:
            return True
    return any(getattr(n, name) for name in CONTAINERS)


def accepts_all(m: Norm) -> bool:
    return m.union is None and m.nullable and not constrained(m)


def both(a: Node, b: Node) -> Node:
    """The node of `a AND b` (two schemas for one place), the same whichever comes first."""
    if a.key == b.key:
        return a
    a, b = sorted((a, b), key=lambda x: x.key)
    return Node({"allOf": [a.raw, b.raw]}, a.ptr, a.key + "|&" + b.key, a.base)
