"""One canonical form (form.Norm) for the many spellings of the same contract.

The normaliser follows `$ref`s (a target's pointer becomes the node's identity), reads a schema's
own keywords by dispatching to the keyword units that spell them (keywords/), and combines: `allOf`
members are intersected unit by unit, whatever their order; a union (`anyOf`/`oneOf`) beside other
keywords has them distributed into its members (rest AND member), so the two are always compared
together; OpenAPI 3.0's `nullable: true` admits null beside all of that. `nullable` is canonical:
whether null is accepted, however it was spelled (`type: [X, "null"]`, `anyOf: [X, {type: null}]`,
an enum with null, an allOf where every member admits it). Both dialects are read in every document,
since real 3.1 specs still carry 3.0 keywords.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import ModuleType
from typing import Any

from ..errors import InputError
from ..irregular import Irregularities
from ..jsontypes import describe_type, json_type
from . import keywords, lenient
from .form import CONSTRAINTS, Node, Norm, accepts_all, admits_null, canonical, constrained, escape, stricter
from .keywords.common import MAPPING, Spelling
from .refs import Resolver

__all__ = ["Node", "Norm", "Normaliser", "admits_null", "canonical", "escape", "stricter"]

# The normaliser's own keywords: how schemas combine, and where reusable ones live.
_COMBINATORS = {**dict.fromkeys(("allOf", "anyOf", "oneOf"), Spelling(
    "a non-empty list of schemas", lambda v: isinstance(v, list) and bool(v))),
    **dict.fromkeys(("$defs", "definitions"), MAPPING)}
MAX_REF_CHAIN = 64
MAX_UNION_PRODUCT = 64  # members of the union of two unions in one allOf
# Keys beside a $ref that say nothing about the values it accepts.
_INERT_BESIDE_REF = frozenset({"$ref", "$defs", "definitions", "$schema", "$id", "$comment", "$anchor",
                               "$dynamicRef", "$dynamicAnchor"})


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
        while isinstance(node.raw, dict) and ("$ref" in node.raw or _local_dynamic_ref(node.raw)):
            ref = node.raw["$ref"] if "$ref" in node.raw else node.raw["$dynamicRef"]
            siblings = {k: v for k, v in node.raw.items() if k not in _INERT_BESIDE_REF}
            if siblings:
                # The $ref joins an allOf beside it (after its members, whose places stay right);
                # an allOf that is not a list is left for _regular to refuse.
                beside = siblings.get("allOf", [])
                merged = {**siblings, "allOf": [*beside, {"$ref": ref}]} if isinstance(beside, list) else \
                    {"allOf": [{"$ref": ref}], **siblings}
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
        if isinstance(node.raw, dict):
            node = self._regular(node)
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
        n.parts = [node]
        self._own(n, raw)
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
        self._finish(n)
        if raw.get("nullable") is True:
            _admit_null(n)
        return n

    def _own(self, n: Norm, raw: dict[str, Any]) -> None:
        """Each keyword read by its unit, dispatched by the keywords the schema has."""
        seen: set[ModuleType] = set()
        for kw in raw:
            for unit in keywords.READERS.get(kw, ()):
                if unit not in seen:
                    seen.add(unit)
                    unit.read(n, raw)
        if "not" in raw:
            self._not(n, n.node.child("not"))

    def _not(self, n: Norm, child: Node) -> None:
        """What `not` says about null, about the values of an enum beside it (`not: {enum: [...]}`
        takes them out), and `not: {}` (nothing is valid); the rest of `not` is its own keyword's
        business."""
        inner = self.norm(child)
        if admits_null(inner):
            n.nullable = False
        if accepts_all(inner):
            n.false = True
        else:
            _exclude(n, inner)

    def _regular(self, node: Node) -> Node:
        """The schema as read: a keyword whose value is irregular but has an obvious reading
        (lenient.py) is read that way and noted at its place; one that cannot be read is refused,
        naming the place (each unit says how its keywords are spelled)."""
        raw: dict[str, Any] = node.raw
        fixed: dict[str, Any] | None = None
        for kw, value in raw.items():
            spelling = keywords.SPELLINGS.get(kw) or _COMBINATORS.get(kw)
            if spelling is None:
                continue
            place = f"{node.ptr}/{escape(kw)}"
            problem = None if not spelling.ok(value) or spelling.problem is None else spelling.problem(value)
            if spelling.ok(value) and problem is None:
                read = lenient.valid_but_irregular(kw, value)
            else:
                read = lenient.reading(kw, value, spelling)
                if read is None:
                    raise InputError(self.resolver.source, problem or f"{kw} must be {spelling.what}, not "
                                     f"{describe_type(value)}", place)
            if read is None:
                continue
            self.irregular.note(self.resolver.source, place, read.found, read.read_as)
            if read.value is not value:
                fixed = dict(raw) if fixed is None else fixed
                if read.value is lenient.DROP:
                    del fixed[kw]
                else:
                    fixed[kw] = read.value
        return node if fixed is None else Node(fixed, node.ptr, node.key, node.base)

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
            if m.union is not None and _is_pure_union(m) and (
                    m.union_kind == kw or kw == "anyOf" and len(node.raw[kw]) == 1):
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
                m = self.norm(members[0])
                if m.union is not None:  # n AND U: U's members; whether null passes was decided over the
                    inner = _copy(m)      # outer union's members (a oneOf where null matches two refuses it)
                    inner.union, inner.nullable = None, True
                    _merge(n, inner)
                    self._apply_union(n, m.union_kind or "anyOf", m.union, null_ok)
                    return
                base_null = admits_null(n)
                _merge(n, m)
                if null_ok and base_null:
                    _admit_null(n)
                elif not null_ok:  # a oneOf where null matches several members (or none) refuses it
                    n.nullable = False
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
        if _implied(rest, m):
            return member
        rest_raw = rest.node.raw
        if isinstance(rest_raw, dict):  # the keywords beside the union (their content, for identity)
            rest_raw = {k: v for k, v in rest_raw.items() if k not in ("anyOf", "oneOf", "discriminator")}
        node = Node({"allOf": [rest_raw, m.node.raw]}, m.ptr, key, m.node.base)
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
            if constrained(n):
                rest = _copy(n)
                rest.union = None
                n.union = [self._conjoin(rest, m) for m in n.union]
                _clear(n)
            n.nullable = rest_null and n.union_null
            return
        # Keywords combined from several mappings (allOf, a distributed union) may contradict each
        # other; one mapping's own are taken as written (and not paid for on every schema).
        combined = len(n.parts) > 1
        if n.enum is not None and combined:
            # a `not: {enum}` takes its values out of an enum it is conjoined with, as beside it
            for part in n.parts:
                if isinstance(part.raw, dict) and isinstance(part.raw.get("not"), dict):
                    _exclude(n, self.norm(part.child("not")))
        if n.enum is not None:
            if n.types is None:
                n.types = frozenset(json_type(v) for v in n.enum)
            elif combined:
                n.enum = tuple(v for v in n.enum if _of_types(v, n.types))
            if not n.enum:
                n.enum = None
                n.types = frozenset()
        if n.types is not None:
            if combined:
                _prune(n)
            if not n.types and not n.nullable:
                n.false = True
                _clear(n)


def _local_dynamic_ref(raw: dict[str, Any]) -> bool:
    """A `$dynamicRef` within the document is followed like a `$ref` (to its `$dynamicAnchor`); one
    elsewhere is never fetched (it then constrains nothing here)."""
    ref = raw.get("$dynamicRef")
    return isinstance(ref, str) and ref.startswith("#")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _of_types(value: Any, types: frozenset[str]) -> bool:
    t = json_type(value, integral_floats=True)
    return t in types or (t == "integer" and "number" in types)


def _implied(rest: Norm, m: Norm) -> bool:
    """Does `m` alone say all `rest` does? (The common `type: object` beside a union of objects.)"""
    if m.false or m.union is not None or m.types is None or not (m.types <= (rest.types or frozenset())):
        return False
    if m.nullable and not rest.nullable:
        return False
    only_types = replace(rest, types=None)
    return not constrained(only_types)


def _exclude(n: Norm, inner: Norm) -> None:
    """The values of `n`'s enum that `not: inner` (an enum and nothing else) rejects, taken out."""
    if n.enum is not None and inner.enum is not None and _only_enum(inner):
        out = {canonical(v) for v in inner.enum}
        n.enum = tuple(v for v in n.enum if canonical(v) not in out)


def _only_enum(m: Norm) -> bool:
    """Is `m` an enum and nothing else (its types are the enum's own)?"""
    return m.union is None and not constrained(replace(m, enum=None, types=None))


def _is_null_only(m: Norm) -> bool:
    return (m.types == frozenset() and m.nullable and m.union is None and not m.applicators and not m.false)


def _is_pure_union(m: Norm) -> bool:
    return m.union is not None and not constrained(m)


def _clear(n: Norm) -> None:
    for name, free in CONSTRAINTS.items():
        setattr(n, name, free)
    n.props, n.prefix, n.bounds, n.applicators = {}, [], {}, {}


def _copy(n: Norm) -> Norm:
    out = replace(n)
    out.props, out.prefix, out.bounds = dict(n.props), list(n.prefix), dict(n.bounds)
    out.applicators = dict(n.applicators)
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


def _merge(n: Norm, m: Norm) -> None:
    """Fold `m` into `n`: what both accept (an intersection, whatever the order), keyword by keyword
    in the units. Unions are not folded here (Normaliser._apply_union). Where a value must be picked
    (annotations), `n`'s wins."""
    if m.false or n.false:
        n.false = True
        return
    n.nullable = admits_null(n) and admits_null(m)
    for unit in keywords.UNITS:
        unit.merge(n, m)
    n.parts = n.parts + m.parts


def _prune(n: Norm) -> None:
    """Keywords of types the value cannot have say nothing: dropped."""
    types = n.types or frozenset()
    if "integer" in types or "number" in types:
        types = types | _NUMBERS
    for applies, prune in _PRUNERS:
        if not applies & types:
            prune(n)
    keywords.bounds.prune(n, types)


_NUMBERS = frozenset({"integer", "number"})
# (the types a unit's keywords apply to, its prune), for the units that apply to some types only
_PRUNERS: tuple[tuple[frozenset[str], Callable[[Norm], None]], ...] = tuple(
    (frozenset(u.APPLIES_TO), u.prune) for u in keywords.UNITS if hasattr(u, "APPLIES_TO"))
