"""Bounds: numeric (`maximum`/`minimum`, with OpenAPI 3.0's boolean `exclusiveMaximum`/`exclusiveMinimum`
and 2020-12's numeric ones as one (value, exclusive) pair) and counts (`maxLength`/`minLength`,
`maxItems`/`minItems`, `maxProperties`/`minProperties`, `maxContains`/`minContains`).

Under allOf the stricter bound of each family holds. An opaque string's length may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm, stricter, tighter
from .common import COUNT, NUMBER, DiffFn, Findings, Spelling, finding
from .parts import MAX_WITNESS_LENGTH, Atoms

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption
    from ..walker import Walker


@dataclass(frozen=True)
class Family:
    """One bound: its keyword, the value it has when absent, the types it applies to, and the kinds
    of its changes (written whole)."""

    keyword: str
    absent: Any
    applies_to: str
    tightened: str
    loosened: str
    set: str
    unset: str


FAMILIES: dict[str, Family] = {
    "max": Family("maximum", None, "number", R.MAX_DECREASED, R.MAX_INCREASED, R.MAX_SET, R.MAX_UNSET),
    "min": Family("minimum", None, "number", R.MIN_INCREASED, R.MIN_DECREASED, R.MIN_SET, R.MIN_UNSET),
    "max-length": Family("maxLength", None, "string", R.MAX_LENGTH_DECREASED, R.MAX_LENGTH_INCREASED,
                         R.MAX_LENGTH_SET, R.MAX_LENGTH_UNSET),
    "min-length": Family("minLength", 0, "string", R.MIN_LENGTH_INCREASED, R.MIN_LENGTH_DECREASED,
                         R.MIN_LENGTH_SET, R.MIN_LENGTH_UNSET),
    "max-items": Family("maxItems", None, "array", R.MAX_ITEMS_DECREASED, R.MAX_ITEMS_INCREASED,
                        R.MAX_ITEMS_SET, R.MAX_ITEMS_UNSET),
    "min-items": Family("minItems", 0, "array", R.MIN_ITEMS_INCREASED, R.MIN_ITEMS_DECREASED,
                        R.MIN_ITEMS_SET, R.MIN_ITEMS_UNSET),
    "max-properties": Family("maxProperties", None, "object", R.MAX_PROPERTIES_DECREASED,
                             R.MAX_PROPERTIES_INCREASED, R.MAX_PROPERTIES_SET, R.MAX_PROPERTIES_UNSET),
    "min-properties": Family("minProperties", 0, "object", R.MIN_PROPERTIES_INCREASED,
                             R.MIN_PROPERTIES_DECREASED, R.MIN_PROPERTIES_SET, R.MIN_PROPERTIES_UNSET),
    "max-contains": Family("maxContains", None, "array", R.MAX_CONTAINS_DECREASED, R.MAX_CONTAINS_INCREASED,
                           R.MAX_CONTAINS_SET, R.MAX_CONTAINS_UNSET),
    "min-contains": Family("minContains", 1, "array", R.MIN_CONTAINS_INCREASED, R.MIN_CONTAINS_DECREASED,
                           R.MIN_CONTAINS_SET, R.MIN_CONTAINS_UNSET),
}
KEYWORDS = ("exclusiveMaximum", "exclusiveMinimum") + tuple(f.keyword for f in FAMILIES.values())
EMITS = tuple(k for f in FAMILIES.values() for k in (f.tightened, f.loosened, f.set, f.unset)) + (
    R.OPAQUE_STRING_CHANGED,)
SPELLINGS = {"maximum": NUMBER, "minimum": NUMBER,
             **dict.fromkeys(("exclusiveMaximum", "exclusiveMinimum"), Spelling(
                 "a number (or a boolean in OpenAPI 3.0)", lambda v: isinstance(v, (int, float)))),
             **{f.keyword: COUNT for name, f in FAMILIES.items() if name not in ("max", "min")}}
OPAQUE_LENGTHS = ("max-length", "min-length")
_COUNTS = {f.keyword: name for name, f in FAMILIES.items() if name not in ("max", "min")}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def read(n: Norm, raw: dict[str, Any]) -> None:
    b = n.bounds
    for name, excl_kw in (("max", "exclusiveMaximum"), ("min", "exclusiveMinimum")):
        if FAMILIES[name].keyword not in raw and excl_kw not in raw:
            continue
        value = raw.get(FAMILIES[name].keyword)
        excl = raw.get(excl_kw)
        bound = None
        if _is_number(value):
            bound = (value, excl is True)
        if _is_number(excl):
            candidate = (excl, True)
            bound = candidate if bound is None else tighter(name, bound, candidate)
        if bound is not None:
            b[name] = bound
    for kw in raw:
        count = _COUNTS.get(kw)
        if count is not None:
            value = raw[kw]
            if _is_number(value) and value != FAMILIES[count].absent:
                b[count] = value


def merge(n: Norm, m: Norm) -> None:
    for name, value in m.bounds.items():
        n.bounds[name] = value if name not in n.bounds else tighter(name, n.bounds[name], value)


def prune(n: Norm, types: frozenset[str]) -> None:
    """Drop the bounds of types the value cannot have."""
    number = "number" in types or "integer" in types
    for name in list(n.bounds):
        applies = FAMILIES[name].applies_to
        if not (applies in types or applies == "number" and number):
            del n.bounds[name]


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """Each bound of a: b has it, as strict or stricter (b's required names count as a minProperties)."""
    for name, bound in a.bounds.items():
        other = b.bounds.get(name)
        if name == "min-properties" and b.required:
            other = max(other or 0, len(b.required))
        if other is None or not (other == bound or stricter(name, other, bound)):
            return False
    return True




def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    raw = node.raw
    if _is_number(value):
        for kw, upper in (("maximum", True), ("minimum", False)):
            bound = raw.get(kw)
            excl = raw.get("exclusiveMaximum" if upper else "exclusiveMinimum")
            if _is_number(bound) and ((value > bound if upper else value < bound) or (excl is True and value == bound)):
                return False
            if _is_number(excl) and (value >= excl if upper else value <= excl):
                return False
        return True
    if isinstance(value, str):
        most, least = "maxLength", "minLength"
    elif isinstance(value, list):
        most, least = "maxItems", "minItems"
    elif isinstance(value, dict):
        most, least = "maxProperties", "minProperties"
    else:
        return True
    n = len(value)
    return not ((_is_number(raw.get(most)) and n > raw[most]) or (_is_number(raw.get(least)) and n < raw[least]))


# maxContains/minContains count matches of `contains`: the arrays unit validates them with it.
ACCEPTS = dict.fromkeys(("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "maxLength", "minLength",
                         "maxItems", "minItems", "maxProperties", "minProperties"), accepts)


def constants(raw: dict[str, Any], atoms: Atoms) -> None:
    """Each numeric bound and its neighbours; each count and its neighbours; strings just inside and
    just outside each length bound (up to MAX_WITNESS_LENGTH characters)."""
    for kw in ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"):
        atoms.number(raw.get(kw))
        atoms.bound(raw.get(kw))
    for kw in _COUNTS:
        atoms.length(raw.get(kw))
    for kw in ("maxLength", "minLength"):
        v = raw.get(kw)
        if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < MAX_WITNESS_LENGTH:
            for k in (max(v - 1, 0), v, v + 1):
                atoms.scalar("a" * k)


def _text(value: Any) -> object:
    if isinstance(value, tuple):
        return f"{value[0]} (exclusive)" if value[1] else value[0]
    return value


def bound_differ(name: str) -> DiffFn:
    """The diff function of one family (the dialects map each bound keyword to one)."""
    family = FAMILIES[name]

    def diff_bound(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
        ob, nb = o.bounds.get(name), n.bounds.get(name)
        if ob == nb:
            return
        if ctx.opaque and name in OPAQUE_LENGTHS:
            yield finding(R.OPAQUE_STRING_CHANGED, o, n, ob, nb, family.keyword)
            return
        if ob is None:
            kind = family.set
        elif nb is None:
            kind = family.unset
        elif stricter(name, nb, ob):
            kind = family.tightened
        else:
            kind = family.loosened
        yield finding(kind, o, n, _text(ob), _text(nb))

    diff_bound.__name__ = f"diff_{name.replace('-', '_')}"
    return diff_bound
