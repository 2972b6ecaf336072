"""A keyword judged by what it accepts, the same way for every applicator unit.

A unit reads its keyword's values from every mapping a schema conjoins (Norm.parts: the schema and its
allOf members) into one *constraint* schema per side, then asks the three-valued relation
(subsume.relate) two questions, each against the other side's whole schema:

- up: does the new constraint accept every value the old schema accepts? (request side: no break)
- down: does the old constraint accept every value the new schema accepts? (response side: no loosening)

Both yes: the same meaning (a reordered enum inside `not`, an annotation inside `if`): nothing. Only up:
loosened (or removed). Only down: tightened (or added). Both shown false by witnesses: replaced (the new
one rejects values the old accepted and admits others). Up shown false with down unknown: replaced too,
as a request break is proven. Anything else is undecided: a warning whose message says why, never
"additive" on a guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from ... import patterns
from ..findings import Finding
from ..form import Node, Norm, canonical
from .parts import both

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..normalise import Normaliser
    from ..walker import Walker

Findings = Iterator[Finding]


@dataclass(frozen=True)
class Verdicts:
    """The kinds one unit emits, one per outcome (named constants of rules/schema_rules.py)."""

    added: str
    removed: str
    tightened: str
    loosened: str
    replaced: str
    changed: str


def carries(o: Norm, n: Norm, *keywords: str, applies_to: tuple[str, ...] = ()) -> bool:
    """Does either side mention one of the keywords in any conjoined mapping (the cheap first test), where
    the value can have a type the keywords apply to (`applies_to`; the normaliser drops the others' too)?"""
    found = False
    for norm in (o, n):  # plain loops: called for every pair of schemas by every unit
        for part in norm.parts:
            raw = part.raw
            if type(raw) is dict:
                for k in keywords:
                    if k in raw:
                        found = True
                        break
            if found:
                break
        if found:
            break
    if not found or not applies_to:
        return found
    for norm in (o, n):
        if norm.types is None or any(t in norm.types for t in applies_to):
            return True
    return False


def constraint(norm: Norm, pick: Callable[[dict[str, Any]], dict[str, Any] | None], tag: str) -> Node | None:
    """The keyword's constraint on one side: what `pick` keeps of each conjoined mapping, as one schema
    (an allOf when several members carry it). None when no mapping carries the keyword."""
    found: list[tuple[Node, dict[str, Any]]] = []
    for part in norm.parts:
        raw = part.raw if isinstance(part.raw, dict) else None
        kept = pick(raw) if raw is not None else None
        if kept:
            found.append((part, kept))
    return combine(found, tag)


def combine(found: list[tuple[Node, dict[str, Any]]], tag: str) -> Node | None:
    """(mapping, the schema kept of it) pairs as one schema: the one, or an allOf of them."""
    if not found:
        return None
    raw = found[0][1] if len(found) == 1 else {"allOf": [kept for _, kept in found]}
    # The identity names the content too: what a unit keeps of one mapping may depend on its neighbours
    # (the names patternProperties leaves to additionalProperties), and forms are cached by identity.
    key = "&".join(p.key for p, _ in found) + f"|{tag}#{hash(canonical(raw)) & 0xFFFFFFFFFFFF:x}"
    first = found[0][0]
    return Node(raw, first.ptr, key, first.base)


class Evaluated(NamedTuple):
    """What a mapping and what it applies in place unconditionally (allOf, $ref) evaluate: the reach of
    an `unevaluated*` keyword in it. Branches (anyOf, oneOf, if, ...) are not followed: the differ counts
    their names as unevaluated (the stricter reading), the validator says it cannot tell (`branched`)."""

    names: frozenset[str]
    regexes: frozenset[str]
    all_properties: bool  # additionalProperties (or a nested unevaluatedProperties) evaluates every name
    prefix: int
    all_items: bool
    branched: bool  # a branch applies in place and may evaluate more, or the walk stopped at its bound
    contains: bool  # a `contains` applies in place: it evaluates the items it matches


MAX_EVALUATED_WALK = 200  # mappings read per walk (each once): past it the walk is `branched` (not known)
_BRANCHES = ("anyOf", "oneOf", "if", "dependentSchemas", "dependencies", "not")


def evaluated(source: Normaliser | Acceptor, part: Node) -> Evaluated:
    """The one walk of what `part` evaluates, through allOf and $ref (`source` resolves them)."""
    names: set[str] = set()
    regexes: set[str] = set()
    all_props = all_items = branched = contains = False
    prefix = 0
    stack, seen = [part], {part.key}
    read = 0
    while stack:
        read += 1
        if read > MAX_EVALUATED_WALK:  # an allOf tree this wide: what it evaluates is not worked out
            branched = True
            break
        current = stack.pop()
        node = source.deref(current)
        raw = node.raw
        if not isinstance(raw, dict):
            continue
        nested = current is not part
        if isinstance(raw.get("properties"), dict):
            names.update(raw["properties"])
        if isinstance(raw.get("patternProperties"), dict):
            regexes.update(raw["patternProperties"])
        all_props = all_props or "additionalProperties" in raw or (nested and "unevaluatedProperties" in raw)
        items = raw.get("items")
        if isinstance(items, list):
            prefix = max(prefix, len(items))
            all_items = all_items or "additionalItems" in raw
        else:
            prefix = max(prefix, len(raw["prefixItems"]) if isinstance(raw.get("prefixItems"), list) else 0)
            all_items = all_items or "items" in raw
        all_items = all_items or (nested and "unevaluatedItems" in raw)
        contains = contains or "contains" in raw
        branched = branched or any(k in raw for k in _BRANCHES)
        for i in range(len(raw["allOf"]) if isinstance(raw.get("allOf"), list) else 0):
            child = node.child("allOf", i)
            if child.key not in seen:  # a cycle through $ref evaluates nothing new
                seen.add(child.key)
                stack.append(child)
    return Evaluated(frozenset(names), frozenset(regexes), all_props, prefix, all_items, branched, contains)


def accepts_unevaluated(acc: Acceptor, node: Node, value: Any, depth: int, what: str) -> bool | None:
    """unevaluatedProperties (`what`: "properties") or unevaluatedItems ("items") on one value. Exact when
    every annotation comes from the schema itself or what it applies unconditionally (allOf, $ref); a
    branch (anyOf, oneOf, if, dependentSchemas) that could evaluate more: None where it rejects."""
    kw = "unevaluatedProperties" if what == "properties" else "unevaluatedItems"
    reach = evaluated(acc, node)
    if what == "properties":
        everything, branched = reach.all_properties, reach.branched
        rest = [k for k in value if not (k in reach.names or any(patterns.matches(r, k) is True
                                                                 for r in reach.regexes))]
    else:
        everything, branched = reach.all_items, reach.branched or reach.contains
        rest = list(range(reach.prefix, len(value)))
    if everything or not rest:
        return True
    checks = [acc.accepts(node.child(kw), value[k], depth) for k in rest]
    if branched and False in checks:
        return None
    return both(checks)


def text(node: Node | None) -> str | None:
    return None if node is None else canonical(node.raw)


def show(value: Any) -> str:
    shown = json.dumps(value, sort_keys=True, default=str)
    return shown if len(shown) <= 80 else shown[:77] + "..."


def judge(w: Walker, o: Norm, n: Norm, oc: Node | None, nc: Node | None, kinds: Verdicts, label: str,
          o_whole: Norm | None = None, n_whole: Norm | None = None) -> Findings:
    """The finding for one keyword whose constraints are `oc` (old) and `nc` (new), judged against
    the whole old and new schemas (or, given, other wholes: a contentSchema is judged on its own)."""
    if text(oc) == text(nc):
        return
    rel = w.relation
    o_whole = o_whole or o
    n_whole = n_whole or n
    up, up_witness = (True, None) if nc is None else rel.relate(w.new.norm(nc), o_whole, "new", "old")
    down, down_witness = (True, None) if oc is None else rel.relate(w.old.norm(oc), n_whole, "old", "new")
    if up is True and down is True:
        return
    if up is True:
        kind = kinds.removed if nc is None else kinds.loosened
        detail = (f": it now admits {show(down_witness)}" if down is False
                  else ": it may admit values the old one rejected (not decided here)")
    elif down is True:
        kind = kinds.added if oc is None else kinds.tightened
        detail = (f": it now rejects {show(up_witness)}" if up is False
                  else ": it may reject values the old schema accepted (not decided here, so reported)")
    elif up is False:
        kind = kinds.replaced
        detail = f"the new {label} rejects {show(up_witness)}, which the old schema accepted"
        if down is False:
            detail += f", and admits {show(down_witness)}, which it rejected"
    else:
        kind = kinds.changed
        detail = (f"whether the new {label} accepts everything the old one did cannot be decided here"
                  + (f" (it admits {show(down_witness)}, which the old schema rejected)" if down is False else "")
                  + ": review it")
    yield Finding(kind, o.ptr, o.ptr, None, None, detail, n.ptr)
