"""Object keywords past `properties`: `propertyNames`, `patternProperties` (read with the
`additionalProperties` whose reach it bounds) and `unevaluatedProperties` (`false` or a schema)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ... import patterns
from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm, canonical
from .judged import Findings, Verdicts, accepts_unevaluated, carries, combine, constraint, evaluated, judge
from .parts import ONE, both, pattern_properties, trivial, values

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..normalise import Normaliser
    from ..subsume import Subsumption
    from ..walker import Walker

NAMES_KINDS = Verdicts(R.PROPERTY_NAMES_ADDED, R.PROPERTY_NAMES_REMOVED, R.PROPERTY_NAMES_TIGHTENED,
                       R.PROPERTY_NAMES_LOOSENED, R.PROPERTY_NAMES_REPLACED, R.PROPERTY_NAMES_CHANGED)
PATTERN_KINDS = Verdicts(R.PATTERN_PROPERTIES_ADDED, R.PATTERN_PROPERTIES_REMOVED, R.PATTERN_PROPERTIES_TIGHTENED,
                         R.PATTERN_PROPERTIES_LOOSENED, R.PATTERN_PROPERTIES_REPLACED, R.PATTERN_PROPERTIES_CHANGED)
UNEVALUATED_KINDS = Verdicts(R.UNEVALUATED_PROPERTIES_ADDED, R.UNEVALUATED_PROPERTIES_REMOVED,
                             R.UNEVALUATED_PROPERTIES_TIGHTENED, R.UNEVALUATED_PROPERTIES_LOOSENED,
                             R.UNEVALUATED_PROPERTIES_REPLACED, R.UNEVALUATED_PROPERTIES_CHANGED)


def _pick_names(raw: dict[str, Any]) -> dict[str, Any] | None:
    return {"propertyNames": raw["propertyNames"]} if "propertyNames" in raw else None


def diff_property_names(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if not carries(o, n, "propertyNames", applies_to=("object",)):
        return
    yield from judge(w, o, n, constraint(o, _pick_names, "names"), constraint(n, _pick_names, "names"),
                     NAMES_KINDS, "propertyNames")


def includes_names(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    b_names = values(b, "propertyNames")
    for node in values(a, "propertyNames"):
        wide = rel.norm(sa, node)
        if trivial(wide) or any(rel.covers(wide, rel.norm(sb, x), sa, sb, depth + 1) for x in b_names):
            continue
        if b.additional is False and not pattern_properties(b) and all(
                rel.accepts(sa, wide.node, name) is True for name in b.props):
            continue
        return False
    return True


def _pick_patterns(n: Norm) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    """patternProperties with what bounds its reach: the declared names and additionalProperties (read on
    both sides, with or without patterns: a pattern added takes its names out of additionalProperties)."""
    names = {k: True for p in n.parts if isinstance(p.raw, dict) and isinstance(p.raw.get("properties"), dict)
             for k in p.raw["properties"]}

    def pick(raw: dict[str, Any]) -> dict[str, Any] | None:
        if not isinstance(raw.get("patternProperties"), dict) and "additionalProperties" not in raw:
            return None
        out = {"patternProperties": raw.get("patternProperties") or {}, "properties": names}
        if "additionalProperties" in raw:
            out["additionalProperties"] = raw["additionalProperties"]
        return out

    return pick


def diff_pattern_properties(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if not carries(o, n, "patternProperties", applies_to=("object",)):
        return
    if canonical(pattern_properties(o)) == canonical(pattern_properties(n)):
        return  # additionalProperties alone: its own unit
    yield from judge(w, o, n, constraint(o, _pick_patterns(o), "pattprops"),
                     constraint(n, _pick_patterns(n), "pattprops"), PATTERN_KINDS, "patternProperties")


def includes_patterns(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """Each of a's pattern schemas (unless it admits anything) covers one of b's for the same pattern,
    and every property b declares under a name the pattern matches."""
    b_patterns: dict[str, list[Node]] = {}
    for p in b.parts:
        if isinstance(p.raw, dict) and isinstance(p.raw.get("patternProperties"), dict):
            for regex in p.raw["patternProperties"]:
                b_patterns.setdefault(regex, []).append(p.child("patternProperties", regex))
    for p in a.parts:
        if not (isinstance(p.raw, dict) and isinstance(p.raw.get("patternProperties"), dict)):
            continue
        for regex in p.raw["patternProperties"]:
            wide = rel.norm(sa, p.child("patternProperties", regex))
            if trivial(wide):
                continue
            mine = b_patterns.get(regex, [])
            if not any(rel.covers(wide, rel.norm(sb, m), sa, sb, depth + 1) for m in mine) and not (
                    _rest_within(rel, wide, b, sa, sb, depth)
                    and all(rel.covers(wide, rel.norm(sb, m), sa, sb, depth + 1)
                            for ms in b_patterns.values() for m in ms)):
                # (b gives a name the pattern matches to a declared property, checked below, to one
                # of its own patterns, or to its additionalProperties: each no wider than a's schema)
                return False
            for name, child in b.props.items():  # a declared name the pattern also governs
                if not _no_match(regex, name) and not rel.covers(wide, rel.norm(sb, child), sa, sb, depth + 1):
                    return False
    return True


def _rest_within(rel: Subsumption, wide: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """Is what b's additionalProperties admits (nothing when closed) no wider than `wide`?"""
    if b.additional is False:
        return True
    return isinstance(b.additional, Node) and rel.covers(wide, rel.norm(sb, b.additional), sa, sb, depth + 1)


def _no_match(regex: str, name: str) -> bool:
    return patterns.matches(regex, name) is False


def _unevaluated(normaliser: Normaliser, n: Norm) -> Node | None:
    """Each unevaluatedProperties as the schema for the names its own mapping leaves unevaluated."""
    found: list[tuple[Node, dict[str, Any]]] = []
    for part in n.parts:
        if isinstance(part.raw, dict) and "unevaluatedProperties" in part.raw:
            reach = evaluated(normaliser, part)
            if not reach.all_properties:
                found.append((part, {"properties": {k: True for k in sorted(reach.names)},
                                     "patternProperties": {r: True for r in sorted(reach.regexes)},
                                     "additionalProperties": part.raw["unevaluatedProperties"]}))
    return combine(found, "uneval-props")


def diff_unevaluated_properties(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """`false` on one side only: closed or opened; otherwise judged as the schema the names nothing
    else evaluates must match (with the names each side evaluates)."""
    if not carries(o, n, "unevaluatedProperties", applies_to=("object",)):
        return
    oc, nc = _unevaluated(w.old, o), _unevaluated(w.new, n)
    if oc is None and nc is None:
        return
    if (oc is None or _closed(oc)) and (nc is None or _closed(nc)):
        if nc is not None and oc is None:
            yield from _closed_or_opened(w, o, n, oc, nc, R.UNEVALUATED_PROPERTIES_CLOSED)
        elif oc is not None and nc is None:
            yield from _closed_or_opened(w, o, n, oc, nc, R.UNEVALUATED_PROPERTIES_OPENED)
        else:
            yield from judge(w, o, n, oc, nc, UNEVALUATED_KINDS, "unevaluatedProperties")
        return
    yield from judge(w, o, n, oc, nc, UNEVALUATED_KINDS, "unevaluatedProperties")


def _closed(c: Node) -> bool:
    members = c.raw["allOf"] if "allOf" in c.raw else [c.raw]
    return all(m.get("additionalProperties") is False for m in members)


def _closed_or_opened(w: Walker, o: Norm, n: Norm, oc: Node | None, nc: Node | None, kind: str) -> Findings:
    for f in judge(w, o, n, oc, nc, UNEVALUATED_KINDS, "unevaluatedProperties"):
        yield f.__class__(kind, f.pointer, f.subject, f.old, f.new, f.detail, f.new_pointer)


def accepts_names(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    if not isinstance(value, dict):
        return True
    checks: list[bool | None] = []
    for name in value:
        checks.append(acc.accepts(node.child("propertyNames"), name, depth))
        if checks[-1] is False:
            return False
    return both(checks)


def accepts_unevaluated_properties(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    return accepts_unevaluated(acc, node, value, depth, "properties") if isinstance(value, dict) else True


# patternProperties validates with additionalProperties, whose reach it bounds: the properties unit's part.
INCLUDES = {"property-names": includes_names, "pattern-properties": includes_patterns}
ACCEPTS = {"propertyNames": accepts_names, "unevaluatedProperties": accepts_unevaluated_properties}
SUBSCHEMAS = {"propertyNames": ONE, "unevaluatedProperties": ONE}
