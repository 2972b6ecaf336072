"""One canonical form for the many spellings of the same contract.

`nullable: true` (OpenAPI 3.0), `type: [X, "null"]` (3.1) and `anyOf: [X, {type: null}]` all become
`nullable=True`; `const` becomes a one-value enum; `allOf` members are merged into one object;
a `$ref` is replaced by its target (whose pointer becomes the node's identity); 3.0 boolean
`exclusiveMaximum` and 2020-12 numeric `exclusiveMaximum` become one bound. Both dialects are
accepted in every document, since real 3.1 specs still carry 3.0 keywords.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..irregular import Irregularities
from ..jsontypes import describe_type, json_type
from .refs import Resolver

ANNOTATION_KEYS = frozenset({
    "description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly",
    "default", "nullable", "$comment", "externalDocs", "xml",
})
TYPE_NAMES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})
APPLICATORS = {
    "not": "not", "contains": "contains", "propertyNames": "property-names",
    "patternProperties": "pattern-properties", "dependentRequired": "dependent-required",
    "dependentSchemas": "dependent-schemas", "contentSchema": "content-schema",
    "contentMediaType": "content-media-type", "contentEncoding": "content-encoding",
}
MAX_REF_CHAIN = 64
# Keys beside a $ref that say nothing about the values it accepts.
_INERT_BESIDE_REF = frozenset({"$ref", "$defs", "definitions", "$schema", "$id", "$comment", "$anchor",
                               "$dynamicRef", "$dynamicAnchor"})


class Node:
    """A schema as found in a document: its raw value, where it is, and a memo identity."""

    __slots__ = ("raw", "ptr", "key", "base")

    def __init__(self, raw: Any, ptr: str, key: str | None = None, base: str = "") -> None:
        self.raw = raw
        self.ptr = ptr
        self.key = key if key is not None else ptr
        self.base = base

    def child(self, *tokens: Any) -> "Node":
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


@dataclass(slots=True)  # slots: a form per schema node; a 30th attribute would unshare every instance dict
class Norm:
    node: Node
    false: bool = False
    types: frozenset | None = None  # None: any type; never contains "null"
    nullable: bool = False
    enum: tuple | None = None  # without null
    ext_enum: tuple | None = None
    props: dict[str, Node] = field(default_factory=dict)
    required: frozenset = frozenset()
    additional: Any = None  # None: allowed (any); False: closed; Node: schema
    unevaluated_closed: bool = False
    items: Node | None = None
    prefix: list[Node] = field(default_factory=list)
    union: list[Node] | None = None
    discriminator: dict | None = None
    bounds: dict[str, Any] = field(default_factory=dict)
    multiple_of: Any = None
    unique_items: bool = False
    pattern: str | None = None
    format: str | None = None
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


class Normaliser:
    """Builds and caches the canonical form of every node of one document."""

    def __init__(self, resolver: Resolver, irregular: Irregularities | None = None) -> None:
        self.resolver = resolver
        self.irregular = irregular if irregular is not None else Irregularities()
        self._cache: dict[str, Norm] = {}
        self._building: set[str] = set()

    def norm(self, node: Node) -> Norm:
        cached = self._cache.get(node.key)
        if cached is not None:
            return cached
        site = node.key
        node = self.deref(node)
        cached = self._cache.get(node.key)
        if cached is not None:
            self._cache[site] = cached
            return cached
        if node.key in self._building:  # allOf cycle: treat the inner occurrence as "any"
            return Norm(node=node)
        self._building.add(node.key)
        try:
            result = self._build(node)
        finally:
            self._building.discard(node.key)
        self._cache[node.key] = result
        self._cache[site] = result
        return result

    def deref(self, node: Node) -> Node:
        """Follow a chain of pure `$ref`s; siblings of a `$ref` are kept as an allOf."""
        seen: list[str] = []
        while isinstance(node.raw, dict) and ("$ref" in node.raw or _local_dynamic_ref(node.raw)):
            ref = node.raw["$ref"] if "$ref" in node.raw else node.raw["$dynamicRef"]
            siblings = {k: v for k, v in node.raw.items() if k not in _INERT_BESIDE_REF}
            if siblings:
                merged = {"allOf": [{"$ref": ref}], **siblings}
                return Node(merged, node.ptr, node.key + "|sib", node.base)
            if node.key in seen:
                chain = " -> ".join(seen + [node.ptr])
                raise InputError(self.resolver.source, f"$ref loop with no content: {chain}", node.ptr)
            if len(seen) > MAX_REF_CHAIN:
                raise InputError(self.resolver.source, f"a chain of $refs longer than {MAX_REF_CHAIN} "
                                 f"(from {seen[0]})", node.ptr)
            seen.append(node.key)
            target, ptr, base = self.resolver.resolve(ref, node.base or self.resolver.base_for_root(), node.ptr)
            node = Node(target, ptr, ptr, base)
        return node

    # -- building -----------------------------------------------------------------------------
    def _build(self, node: Node) -> Norm:
        raw = node.raw
        n = Norm(node=node)
        if raw is False:
            n.false = True
            return n
        if raw is True:
            return n
        if not isinstance(raw, dict):
            raise InputError(self.resolver.source, f"a schema must be a mapping or a boolean, not {describe_type(raw)}",
                             node.ptr)
        n.parts = [node]
        self._own(n, raw)
        for i in range(len(_list(raw.get("allOf")))):
            _merge(n, self.norm(node.child("allOf", i)))
        for kw in ("anyOf", "oneOf"):
            members = _list(raw.get(kw))
            if members:
                self._union(n, node, kw, members)
        if n.types is None:
            n.types = _inferred_types(n)
        return n

    def _own(self, n: Norm, raw: dict) -> None:
        node = n.node
        self._check_keywords(node, raw)
        t = raw.get("type")
        if isinstance(t, str):
            t = [t]
        if isinstance(t, list):
            names = {("string" if x == "file" else x) for x in t if isinstance(x, str) and (x in TYPE_NAMES or x == "file")}
            if "null" in names:
                n.nullable = True
                names.discard("null")
            n.types = frozenset(names) if names or not n.nullable else frozenset()
        if raw.get("nullable") is True:
            n.nullable = True
        if "const" in raw:
            n.enum = (raw["const"],)
        elif isinstance(raw.get("enum"), list):
            n.enum = tuple(raw["enum"])
        if n.enum is not None and any(v is None for v in n.enum):
            n.nullable = True
            n.enum = tuple(v for v in n.enum if v is not None)
        if isinstance(raw.get("x-extensible-enum"), list):
            n.ext_enum = tuple(raw["x-extensible-enum"])
        props = raw.get("properties")
        if isinstance(props, dict):
            n.props = {k: node.child("properties", k) for k in props if isinstance(k, str)}
        req = raw.get("required")
        if isinstance(req, list):
            n.required = frozenset(x for x in req if isinstance(x, str))
        if "additionalProperties" in raw:
            ap = raw["additionalProperties"]
            n.additional = False if ap is False else (None if ap is True or ap == {} else node.child("additionalProperties"))
        if raw.get("unevaluatedProperties") is False:
            n.unevaluated_closed = True
        items = raw.get("items")
        if isinstance(items, list):  # draft-07 / OpenAPI 3.0 tuple form
            n.prefix = [node.child("items", i) for i in range(len(items))]
            if "additionalItems" in raw and raw["additionalItems"] not in (True, None):
                n.items = node.child("additionalItems")
        elif items is not None and items is not True:
            n.items = node.child("items")
        if isinstance(raw.get("prefixItems"), list):
            n.prefix = [node.child("prefixItems", i) for i in range(len(raw["prefixItems"]))]
        _bounds(n, raw)
        mo = raw.get("multipleOf")
        if _is_number(mo) and mo > 0:
            n.multiple_of = mo
        n.unique_items = raw.get("uniqueItems") is True
        if isinstance(raw.get("pattern"), str):
            n.pattern = raw["pattern"]
        if isinstance(raw.get("format"), str):
            n.format = raw["format"]
        if "default" in raw:
            n.has_default, n.default = True, raw["default"]
        if isinstance(raw.get("description"), str):
            n.description = raw["description"]
        if isinstance(raw.get("title"), str):
            n.title = raw["title"]
        if "example" in raw:
            n.example = canonical(raw["example"])
        elif isinstance(raw.get("examples"), list) and raw["examples"]:
            ex = raw["examples"]
            n.example = canonical(ex[0] if len(ex) == 1 else ex)
        n.deprecated = raw.get("deprecated") is True
        n.read_only = raw.get("readOnly") is True
        n.write_only = raw.get("writeOnly") is True
        n.opaque = raw.get("x-opaque") is True
        if isinstance(raw.get("discriminator"), dict):
            n.discriminator = raw["discriminator"]
        for kw, kind in APPLICATORS.items():
            if kw in raw:
                n.applicators[kind] = canonical(raw[kw])
        if "if" in raw:
            n.applicators["conditional"] = canonical([raw.get("if"), raw.get("then"), raw.get("else")])
        if isinstance(raw.get("dependencies"), dict):  # draft-07
            deps = raw["dependencies"]
            req_deps = {k: v for k, v in deps.items() if isinstance(v, list)}
            schema_deps = {k: v for k, v in deps.items() if not isinstance(v, list)}
            if req_deps:
                n.applicators["dependent-required"] = canonical(req_deps)
            if schema_deps:
                n.applicators["dependent-schemas"] = canonical(schema_deps)

    def _check_keywords(self, node: Node, raw: dict) -> None:
        """Refuse a keyword whose value has the wrong JSON type, naming the keyword's place."""

        def bad(kw: str, what: str) -> InputError:
            return InputError(self.resolver.source, f"{kw} must be {what}, not {describe_type(raw[kw])}",
                              f"{node.ptr}/{escape(kw)}")

        if "type" in raw:
            t = raw["type"]
            names = [t] if isinstance(t, str) else t
            if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
                raise bad("type", "a string or a list of strings")
            for x in names:
                if x not in TYPE_NAMES and x != "file":  # `file`: Swagger 2.0's upload type, common in 3.0 files
                    raise InputError(self.resolver.source, f"unknown type {x!r} (expected one of: "
                                     f"{', '.join(sorted(TYPE_NAMES))})", f"{node.ptr}/type")
        for kw in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
            if kw in raw and not isinstance(raw[kw], dict):
                raise bad(kw, "a mapping")
        if "required" in raw and not (isinstance(raw["required"], list)
                                      and all(isinstance(x, str) for x in raw["required"])):
            raise bad("required", "a list of strings")
        for kw in ("enum", "prefixItems"):
            if kw in raw and not isinstance(raw[kw], list):
                raise bad(kw, "a list")
        for kw in ("allOf", "anyOf", "oneOf"):
            if kw in raw and not (isinstance(raw[kw], list) and raw[kw]):
                raise bad(kw, "a non-empty list of schemas")
        for kw in ("additionalProperties", "not", "additionalItems", "unevaluatedProperties",
                   "unevaluatedItems", "contains", "propertyNames", "if", "then", "else"):
            if kw in raw and not isinstance(raw[kw], (dict, bool)):
                raise bad(kw, "a schema (a mapping or a boolean)")
        if "items" in raw and not isinstance(raw["items"], (dict, bool, list)):
            raise bad("items", "a schema (a mapping or a boolean)")
        for kw in ("nullable", "uniqueItems", "deprecated", "readOnly", "writeOnly"):
            if kw in raw and not isinstance(raw[kw], bool):
                raise bad(kw, "a boolean")
        for kw in ("maximum", "minimum", "multipleOf"):
            if kw in raw and not _is_number(raw[kw]):
                raise bad(kw, "a number")
        for kw in ("exclusiveMaximum", "exclusiveMinimum"):
            if kw in raw and not (_is_number(raw[kw]) or isinstance(raw[kw], bool)):
                raise bad(kw, "a number (or a boolean in OpenAPI 3.0)")
        for kw in ("maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties",
                   "maxContains", "minContains"):
            if kw in raw and not (_is_number(raw[kw]) and raw[kw] >= 0 and raw[kw] == int(raw[kw])):
                raise bad(kw, "a non-negative integer")
        for kw in ("pattern", "format"):
            if kw in raw and not isinstance(raw[kw], str):
                raise bad(kw, "a string")
        if "discriminator" in raw and not isinstance(raw["discriminator"], dict):
            raise bad("discriminator", "a mapping")

    def _union(self, n: Norm, node: Node, kw: str, members: list) -> None:
        kept: list[Node] = []
        for i in range(len(members)):
            child = node.child(kw, i)
            m = self.norm(child)
            if _is_null_only(m):
                n.nullable = True
                continue
            if _is_pure_union(m):  # anyOf inside anyOf: one flat list of alternatives
                n.nullable = n.nullable or m.nullable
                kept.extend(m.union)
                continue
            kept.append(child)
        if not kept:
            if n.types is None:
                n.types = frozenset()
            return
        if len(kept) == 1 and n.union is None:
            inner = self.norm(kept[0])
            nullable = n.nullable or inner.nullable
            _merge(n, inner)
            n.nullable = nullable
            return
        if n.union is None:
            n.union = kept


def _local_dynamic_ref(raw: dict) -> bool:
    """A `$dynamicRef` within the document is followed like a `$ref` (to its `$dynamicAnchor`); one
    elsewhere is never fetched (it then constrains nothing here)."""
    ref = raw.get("$dynamicRef")
    return isinstance(ref, str) and ref.startswith("#")


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_null_only(m: Norm) -> bool:
    return (m.types == frozenset() and m.nullable and m.union is None) or (
        m.enum == () and m.nullable
    )


def _is_pure_union(m: Norm) -> bool:
    return (m.union is not None and m.types is None and not m.props and m.enum is None and not m.bounds
            and m.items is None and not m.applicators and m.additional is None and not m.required)


def _inferred_types(n: Norm) -> frozenset | None:
    if n.props or n.required or n.additional is not None:
        return frozenset({"object"})
    if n.items is not None or n.prefix:
        return frozenset({"array"})
    if n.enum:
        kinds = set()
        for v in n.enum:
            kinds.add(json_type(v))
        return frozenset(kinds)
    return None


def _bounds(n: Norm, raw: dict) -> None:
    b = n.bounds
    for kw, name, excl_kw in (("maximum", "max", "exclusiveMaximum"), ("minimum", "min", "exclusiveMinimum")):
        value = raw.get(kw)
        excl = raw.get(excl_kw)
        bound = None
        if _is_number(value):
            bound = (value, excl is True)
        if _is_number(excl):
            candidate = (excl, True)
            bound = candidate if bound is None else _tighter(name, bound, candidate)
        if bound is not None:
            b[name] = bound
    for kw, name, floor in (
        ("maxLength", "max-length", None), ("minLength", "min-length", 0),
        ("maxItems", "max-items", None), ("minItems", "min-items", 0),
        ("maxProperties", "max-properties", None), ("minProperties", "min-properties", 0),
        ("maxContains", "max-contains", None), ("minContains", "min-contains", 1),
    ):
        value = raw.get(kw)
        if _is_number(value) and value != floor:
            b[name] = value


def stricter(name: str, a: Any, b: Any) -> bool:
    """Is bound `a` stricter than bound `b` of the same family (`max`, `min-length`, ...)? Numeric
    bounds are (value, exclusive) pairs."""
    upper = name.startswith("max")
    if isinstance(a, tuple):
        (av, ax), (bv, bx) = a, b
        if av == bv:
            return ax and not bx
        return av < bv if upper else av > bv
    return a < b if upper else a > b


def _tighter(name: str, a: Any, b: Any) -> Any:
    """The stricter of two bounds of the same keyword family."""
    return a if stricter(name, a, b) else b


def _merge(n: Norm, m: Norm) -> None:
    """Fold allOf member `m` into `n`: what both require."""
    if m.false:
        n.false = True
        return
    if m.types is not None:
        n.types = m.types if n.types is None else _intersect_types(n.types, m.types)
    if m.nullable and n.types is None and not n.nullable:
        n.nullable = True
    if m.enum is not None:
        if n.enum is None:
            n.enum = m.enum
        else:
            keep = {canonical(v) for v in m.enum}
            n.enum = tuple(v for v in n.enum if canonical(v) in keep)
    if m.ext_enum is not None and n.ext_enum is None:
        n.ext_enum = m.ext_enum
    for name, child in m.props.items():
        if name in n.props and n.props[name].key != child.key:
            mine = n.props[name]
            n.props[name] = Node({"allOf": [mine.raw, child.raw]}, mine.ptr, mine.key + "|&" + child.key, mine.base)
        else:
            n.props.setdefault(name, child)
    n.required = n.required | m.required
    if m.additional is False or n.additional is False:
        n.additional = False
    elif m.additional is not None and n.additional is None:
        n.additional = m.additional
    n.unevaluated_closed = n.unevaluated_closed or m.unevaluated_closed
    if m.items is not None and n.items is None:
        n.items = m.items
    if m.prefix and not n.prefix:
        n.prefix = m.prefix
    if m.union is not None and n.union is None:
        n.union = m.union
    if m.discriminator is not None and n.discriminator is None:
        n.discriminator = m.discriminator
    for name, value in m.bounds.items():
        n.bounds[name] = value if name not in n.bounds else _tighter(name, n.bounds[name], value)
    for attr in ("multiple_of", "pattern", "format", "description", "title", "example"):
        if getattr(n, attr) is None and getattr(m, attr) is not None:
            setattr(n, attr, getattr(m, attr))
    if not n.has_default and m.has_default:
        n.has_default, n.default = True, m.default
    n.unique_items = n.unique_items or m.unique_items
    n.deprecated = n.deprecated or m.deprecated
    n.read_only = n.read_only or m.read_only
    n.write_only = n.write_only or m.write_only
    n.opaque = n.opaque or m.opaque
    for kind, text in m.applicators.items():
        n.applicators.setdefault(kind, text)
    n.parts = n.parts + m.parts


def _intersect_types(a: frozenset, b: frozenset) -> frozenset:
    out = set(a & b)
    if "integer" in a and "number" in b or "number" in a and "integer" in b:
        out.add("integer")
    return frozenset(out)
