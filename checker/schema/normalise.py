"""One canonical form for the many spellings of the same contract.

`nullable: true` (OpenAPI 3.0), `type: [X, "null"]` (3.1) and `anyOf: [X, {type: null}]` all become
`nullable=True`; `const` becomes a one-value enum; `allOf` members are merged into one object;
a `$ref` is replaced by its target (whose pointer becomes the node's identity); 3.0 boolean
`exclusiveMaximum` and 2020-12 numeric `exclusiveMaximum` become one bound. Both dialects are
accepted in every document, since real 3.1 specs still carry 3.0 keywords.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from fractions import Fraction
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
MAX_UNION_PRODUCT = 64  # members of the union of two unions in one allOf
# Keys beside a $ref that say nothing about the values it accepts.
_INERT_BESIDE_REF = frozenset({"$ref", "$defs", "definitions", "$schema", "$id", "$comment", "$anchor"})


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


@dataclass
class Norm:
    """The canonical form of one schema: what it accepts, keyword by keyword, with `allOf` already
    intersected and a union's other constraints distributed into its members."""

    node: Node
    false: bool = False
    types: frozenset | None = None  # None: any type; never contains "null"
    nullable: bool = False  # null is accepted (for a union: by the union as a whole)
    enum: tuple | None = None  # without null
    ext_enum: tuple | None = None
    props: dict[str, Node] = field(default_factory=dict)
    required: frozenset = frozenset()
    additional: Any = None  # None: allowed (any); False: closed; Node: schema
    unevaluated_closed: bool = False
    items: Node | None = None
    prefix: list[Node] = field(default_factory=list)
    union: list[Node] | None = None
    union_kind: str | None = None  # "anyOf" or "oneOf" (the stricter when several were combined)
    union_null: bool = False  # while building: whether null passes the union itself
    discriminator: dict | None = None
    bounds: dict[str, Any] = field(default_factory=dict)
    multiple_of: Any = None
    unique_items: bool = False
    pattern: str | None = None  # one regex (several conjoined into one; see `patterns`)
    patterns: frozenset = frozenset()  # every pattern the value must match
    format: str | None = None  # one format (several: see `formats`)
    formats: frozenset = frozenset()  # every format the value must have
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
            return Norm(node=node, nullable=True)
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
        while isinstance(node.raw, dict) and "$ref" in node.raw:
            ref = node.raw["$ref"]
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
        """own keywords ∧ each allOf member ∧ each union, then OpenAPI 3.0's `nullable: true`
        (which admits null beside all of that, as the 3.0 readers do)."""
        raw = node.raw
        n = Norm(node=node, nullable=True)
        if raw is False:
            n.false, n.nullable = True, False
            return n
        if raw is True:
            return n
        if not isinstance(raw, dict):
            raise InputError(self.resolver.source, f"a schema must be a mapping or a boolean, not {describe_type(raw)}",
                             node.ptr)
        self._own(n, raw)
        notes = _notes(n)
        factors: list[tuple[str, list[Node], bool]] = []
        members = [self.norm(node.child("allOf", i)) for i in range(len(_list(raw.get("allOf"))))]
        # Members in an order of their content: the merge is an intersection, and where it must pick
        # (annotations, the pointer of a property two members declare) the pick is order-free.
        if len(members) > 1:
            members.sort(key=lambda m: canonical(m.node.raw))
        for m in members:
            if m.union is not None:
                factors.append((m.union_kind or "anyOf", m.union, m.nullable))
                m = _copy(m)
                m.union, m.nullable = None, True
            _merge(n, m)
        for kw in ("anyOf", "oneOf"):
            if _list(raw.get(kw)):
                factors.append(self._union_factor(node, kw))
        for kind, union, null_ok in factors:
            self._apply_union(n, kind, union, null_ok)
        _restore(n, notes)
        self._finish(n)
        if raw.get("nullable") is True:
            _admit_null(n)
        return n

    def _own(self, n: Norm, raw: dict) -> None:
        node = n.node
        self._check_keywords(node, raw)
        t = raw.get("type")
        if isinstance(t, str):
            t = [t]
        if isinstance(t, list):
            names = {("string" if x == "file" else x) for x in t if isinstance(x, str) and (x in TYPE_NAMES or x == "file")}
            n.nullable = "null" in names
            names.discard("null")
            n.types = frozenset(names)
        if "const" in raw:
            values: tuple | None = (raw["const"],)
        elif isinstance(raw.get("enum"), list):
            values = tuple(raw["enum"])
        else:
            values = None
        if values is not None:
            n.nullable = n.nullable and any(v is None for v in values)
            n.enum = tuple(v for v in values if v is not None)
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
        if isinstance(raw.get("pattern"), str) and raw["pattern"] != "":  # '' matches every string
            _set_patterns(n, frozenset({raw["pattern"]}))
        if isinstance(raw.get("format"), str):
            _set_formats(n, frozenset({raw["format"]}))
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
        if "not" in raw:
            self._not(n, node.child("not"))

    def _not(self, n: Norm, child: Node) -> None:
        """What `not` says about null, and `not: {}` (nothing is valid); the rest of `not` is its
        own keyword's business."""
        inner = self.norm(child)
        if admits_null(inner):
            n.nullable = False
        if _accepts_all(inner):
            n.false = True

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

    def _union_factor(self, node: Node, kw: str) -> tuple[str, list[Node], bool]:
        """A union's members that can match something other than null, and whether null passes it
        (anyOf: some member admits null; oneOf: exactly one does)."""
        kept: list[Node] = []
        nulls = 0
        for i in range(len(node.raw[kw])):
            child = node.child(kw, i)
            m = self.norm(child)
            if m.false:
                continue  # matches nothing: no alternative at all
            if _is_null_only(m):
                nulls += 1
                continue
            if _is_pure_union(m) and (m.union_kind == kw or kw == "anyOf" and len(node.raw[kw]) == 1):
                nulls += m.nullable
                kept.extend(m.union)
                continue
            nulls += admits_null(m)
            kept.append(child)
        return kw, kept, (nulls == 1 if kw == "oneOf" else nulls > 0)

    def _apply_union(self, n: Norm, kind: str, members: list[Node], null_ok: bool) -> None:
        """n ∧ (m1 ∨ m2 ∨ ...): one member merges in; several become n's union (two unions: the
        union of each pair of members, while that stays small)."""
        if n.false:
            return
        if n.union is None:
            if not members:
                if null_ok and admits_null(n):
                    _null_only(n)
                else:
                    n.false = True
                return
            if len(members) == 1:
                base_null = admits_null(n)
                m = self.norm(members[0])
                if m.union is not None:
                    inner = _copy(m)
                    inner.union, inner.nullable = None, True
                    _merge(n, inner)
                    self._apply_union(n, m.union_kind or "anyOf", m.union, m.nullable)
                else:
                    _merge(n, m)
                if null_ok and base_null:
                    _admit_null(n)
                return
            n.union, n.union_kind, n.union_null = list(members), kind, null_ok
            return
        if len(n.union) * len(members) > MAX_UNION_PRODUCT:
            return  # a bound on the work: beyond it, only the first union is compared (a known limit)
        pairs = [self._conjoin(self.norm(a), b) for a in n.union for b in members]
        n.union = pairs
        n.union_kind = "oneOf" if "oneOf" in (kind, n.union_kind) else "anyOf"
        n.union_null = n.union_null and null_ok

    def _conjoin(self, rest: Norm, member: Node) -> Node:
        """The node of `rest ∧ member`: a member of a union beside which other keywords apply.
        Built from the two canonical forms and cached under its own key; the member's annotations
        win, so it keeps its title and place."""
        key = rest.key + "|&" + member.key
        hit = self._cache.get(key)
        if hit is not None:
            return hit.node
        m = self.norm(member)
        node = Node({"allOf": [rest.node.raw, m.node.raw]}, m.ptr, key, m.node.base)
        if key in self._building:
            return node
        self._building.add(key)
        try:
            out = _copy(m)
            out.node = node
            if m.union is not None:
                out.union, out.nullable = None, True
            part = _copy(rest)
            part.union = None
            _merge(out, part)
            if m.union is not None:
                self._apply_union(out, m.union_kind or "anyOf", m.union, m.nullable)
            self._finish(out)
        finally:
            self._building.discard(key)
        self._cache[key] = out
        return node

    def _finish(self, n: Norm) -> None:
        """Canonical form: a union's other keywords distributed into its members; an enum's values
        of the right type; keywords for types the value cannot have dropped; empty sets false."""
        if n.false:
            _clear(n)
            n.union, n.nullable = None, False
            return
        if n.union is not None:
            rest_null = n.nullable  # until now: whether the keywords beside the union admit null
            if _constrained(n):
                rest = _copy(n)
                rest.union = None
                n.union = [self._conjoin(rest, m) for m in n.union]
                _clear(n)
            n.nullable = rest_null and n.union_null
            return
        if n.enum is not None:
            if n.types is None:
                n.types = frozenset(json_type(v) for v in n.enum)
            else:
                n.enum = tuple(v for v in n.enum if _of_types(v, n.types))
            if not n.enum:
                n.enum = None
                n.types = frozenset()
        if n.types is not None:
            _prune(n)
            if not n.types and not n.nullable:
                n.false = True
                _clear(n)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _of_types(value: Any, types: frozenset) -> bool:
    t = json_type(value, integral_floats=True)
    return t in types or (t == "integer" and "number" in types)


def admits_null(m: Norm) -> bool:
    """Is null among the values `m` accepts? (A union's flag is the union's as a whole.)"""
    if m.false:
        return False
    return m.nullable


def _is_null_only(m: Norm) -> bool:
    return (m.types == frozenset() and m.nullable and m.union is None and not m.applicators and not m.false)


def _is_pure_union(m: Norm) -> bool:
    return m.union is not None and not _constrained(m)


def _accepts_all(m: Norm) -> bool:
    return m.union is None and m.nullable and not _constrained(m)


# Fields that constrain a value (the rest are annotations), with their unconstrained value.
_CONSTRAINTS: dict[str, Any] = {
    "types": None, "enum": None, "required": frozenset(), "additional": None, "unevaluated_closed": False,
    "items": None, "multiple_of": None, "unique_items": False, "pattern": None, "patterns": frozenset(),
    "format": None, "formats": frozenset(),
}
_CONTAINERS = ("props", "prefix", "bounds", "applicators")
# Keywords that apply only to values of one type: dropped where the type rules that type out.
_BY_TYPE: dict[str, tuple[str, ...]] = {
    "object": ("props", "required", "additional", "unevaluated_closed", "max-properties", "min-properties"),
    "array": ("items", "prefix", "unique_items", "max-items", "min-items", "max-contains", "min-contains"),
    "string": ("patterns", "max-length", "min-length"),
    "number": ("multiple_of", "max", "min"),
}
_NOTE_FIELDS = ("default", "has_default", "description", "title", "example", "discriminator", "ext_enum")


def _constrained(n: Norm) -> bool:
    if n.false:
        return True
    for name, free in _CONSTRAINTS.items():
        if getattr(n, name) != free:
            return True
    return any(getattr(n, name) for name in _CONTAINERS)


def _clear(n: Norm) -> None:
    for name, free in _CONSTRAINTS.items():
        setattr(n, name, free)
    n.props, n.prefix, n.bounds, n.applicators = {}, [], {}, {}


def _copy(n: Norm) -> Norm:
    out = replace(n)
    out.props, out.prefix, out.bounds, out.applicators = dict(n.props), list(n.prefix), dict(n.bounds), dict(n.applicators)
    if n.union is not None:
        out.union = list(n.union)
    return out


def _null_only(n: Norm) -> None:
    _clear(n)
    n.types, n.nullable, n.union = frozenset(), True, None


def _admit_null(n: Norm) -> None:
    """n ∨ null."""
    if n.false:
        n.false = False
        _null_only(n)
    n.nullable = True


def _prune(n: Norm) -> None:
    types = n.types or frozenset()
    number = "number" in types or "integer" in types
    for t, fields in _BY_TYPE.items():
        if t in types or (t == "number" and number):
            continue
        for name in fields:
            if name in _CONSTRAINTS:
                setattr(n, name, _CONSTRAINTS[name])
            elif name in ("props", "prefix"):
                setattr(n, name, {} if name == "props" else [])
            else:
                n.bounds.pop(name, None)
        if t == "string":
            n.pattern = None
    if "string" not in types and not number:
        n.formats, n.format = frozenset(), None


def _notes(n: Norm) -> dict[str, Any]:
    return {name: getattr(n, name) for name in _NOTE_FIELDS}


def _restore(n: Norm, notes: dict[str, Any]) -> None:
    """The schema's own annotations win over its allOf members'."""
    for name in _NOTE_FIELDS:
        if name == "has_default":
            continue
        if name == "default":
            if notes["has_default"]:
                n.has_default, n.default = True, notes["default"]
        elif notes[name] is not None:
            setattr(n, name, notes[name])


def _set_patterns(n: Norm, patterns: frozenset) -> None:
    n.patterns = patterns
    if not patterns:
        n.pattern = None
    elif len(patterns) == 1:
        n.pattern = next(iter(patterns))
    else:  # one regex that matches where each of them finds a match (search semantics)
        n.pattern = "^" + "".join(f"(?=[\\s\\S]*?(?:{p}))" for p in sorted(patterns))


def _set_formats(n: Norm, formats: frozenset) -> None:
    n.formats = formats
    n.format = None if not formats else " & ".join(sorted(formats))


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
    """Fold `m` into `n`: what both accept (an intersection, whatever the order). Unions are not
    folded here (Normaliser._apply_union). Where a value must be picked (annotations), `n`'s wins."""
    if m.false or n.false:
        n.false = True
        return
    n.nullable = admits_null(n) and admits_null(m)
    if m.types is not None:
        n.types = m.types if n.types is None else _intersect_types(n.types, m.types)
    if m.enum is not None:
        if n.enum is None:
            n.enum = m.enum
        else:
            keep = {canonical(v) for v in m.enum}
            n.enum = tuple(v for v in n.enum if canonical(v) in keep)
    if m.ext_enum is not None:
        if n.ext_enum is None:
            n.ext_enum = m.ext_enum
    _merge_properties(n, m)
    n.required = n.required | m.required
    n.unevaluated_closed = n.unevaluated_closed or m.unevaluated_closed
    _merge_items(n, m)
    for name, value in m.bounds.items():
        n.bounds[name] = value if name not in n.bounds else _tighter(name, n.bounds[name], value)
    if m.multiple_of is not None:
        n.multiple_of = m.multiple_of if n.multiple_of is None else _lcm(n.multiple_of, m.multiple_of)
    if m.patterns:
        _set_patterns(n, n.patterns | m.patterns)
    if m.formats:
        _set_formats(n, n.formats | m.formats)
    n.unique_items = n.unique_items or m.unique_items
    for name in _NOTE_FIELDS:
        if name == "has_default":
            continue
        if name == "default":
            if not n.has_default and m.has_default:
                n.has_default, n.default = True, m.default
        elif getattr(n, name) is None and getattr(m, name) is not None:
            setattr(n, name, getattr(m, name))
    n.deprecated = n.deprecated or m.deprecated
    n.read_only = n.read_only or m.read_only
    n.write_only = n.write_only or m.write_only
    n.opaque = n.opaque or m.opaque
    for kind, text in m.applicators.items():
        mine = n.applicators.get(kind)
        n.applicators[kind] = text if mine is None or mine == text else canonical(sorted([mine, text]))


def _both(a: Node, b: Node) -> Node:
    """The node of `a ∧ b` (two schemas for one place), the same whichever comes first."""
    if a.key == b.key:
        return a
    a, b = sorted((a, b), key=lambda x: x.key)
    return Node({"allOf": [a.raw, b.raw]}, a.ptr, a.key + "|&" + b.key, a.base)


def _as_schema(additional: Any, at: Node) -> Node | None:
    """additionalProperties as a node (False: the false schema), None when it allows anything."""
    if additional is False:
        return Node(False, at.ptr + "/additionalProperties", at.key + "/additionalProperties", at.base)
    return additional


def _merge_properties(n: Norm, m: Norm) -> None:
    """Properties merged by name; a property one side declares and the other does not falls under
    the other's additionalProperties. additionalProperties intersected."""
    n_extra, m_extra = _as_schema(n.additional, n.node), _as_schema(m.additional, m.node)
    props = {}
    for name in [*n.props, *(k for k in m.props if k not in n.props)]:
        mine, theirs = n.props.get(name), m.props.get(name)
        parts = [p for p in (mine if mine is not None else n_extra, theirs if theirs is not None else m_extra)
                 if p is not None]
        props[name] = parts[0] if len(parts) == 1 else _both(parts[0], parts[1])
    n.props = props
    if n.additional is False or m.additional is False:
        n.additional = False
    elif n.additional is None:
        n.additional = m.additional
    elif m.additional is not None:
        n.additional = _both(n.additional, m.additional)


def _merge_items(n: Norm, m: Norm) -> None:
    """Positions merged one by one (a position one side lacks falls under its `items`); items
    intersected."""
    if m.prefix or n.prefix:
        prefix = []
        for i in range(max(len(n.prefix), len(m.prefix))):
            parts = [p for p in (n.prefix[i] if i < len(n.prefix) else n.items,
                                 m.prefix[i] if i < len(m.prefix) else m.items) if p is not None]
            prefix.append(parts[0] if len(parts) == 1 else _both(parts[0], parts[1]) if parts else
                          Node(True, f"{n.ptr}/prefixItems/{i}", f"{n.key}/prefixItems/{i}", n.node.base))
        n.prefix = prefix
    if m.items is not None:
        n.items = m.items if n.items is None else _both(n.items, m.items)


def _lcm(a: Any, b: Any) -> Any:
    """The least common multiple of two positive rationals: multiples of both are its multiples."""
    fa, fb = Fraction(str(a)), Fraction(str(b))
    num = fa.numerator * fb.numerator // _gcd(fa.numerator, fb.numerator)
    out = Fraction(num, _gcd(fa.denominator, fb.denominator))
    return int(out) if out.denominator == 1 and isinstance(a, int) and isinstance(b, int) else float(out)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def _intersect_types(a: frozenset, b: frozenset) -> frozenset:
    out = set(a & b)
    if "integer" in a and "number" in b or "number" in a and "integer" in b:
        out.add("integer")
    return frozenset(out)
