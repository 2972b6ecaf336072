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
from typing import TYPE_CHECKING, Callable, Iterator

from ..findings import Finding
from ..normalise import Node, Norm, canonical
from ..subsume import relations

if TYPE_CHECKING:  # pragma: no cover
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


def carries(o: Norm, n: Norm, *keywords: str) -> bool:
    """Does either side mention one of the keywords in any conjoined mapping? (the cheap first test)"""
    for norm in (o, n):  # plain loops: called for every pair of schemas by every unit
        for part in norm.parts:
            raw = part.raw
            if type(raw) is dict:
                for k in keywords:
                    if k in raw:
                        return True
    return False


def constraint(norm: Norm, pick: Callable[[dict], dict | None], tag: str) -> Node | None:
    """The keyword's constraint on one side: what `pick` keeps of each conjoined mapping, as one schema
    (an allOf when several members carry it). None when no mapping carries the keyword."""
    found = []
    for part in norm.parts:
        raw = part.raw if isinstance(part.raw, dict) else None
        kept = pick(raw) if raw is not None else None
        if kept:
            found.append((part, kept))
    if not found:
        return None
    if len(found) == 1:
        part, kept = found[0]
        return Node(kept, part.ptr, part.key + "|" + tag, part.base)
    first = found[0][0]
    keys = "&".join(p.key for p, _ in found)
    return Node({"allOf": [kept for _, kept in found]}, first.ptr, keys + "|" + tag, first.base)


def text(node: Node | None) -> str | None:
    return None if node is None else canonical(node.raw)


def show(value) -> str:
    shown = json.dumps(value, sort_keys=True, default=str)
    return shown if len(shown) <= 80 else shown[:77] + "..."


def judge(w: "Walker", o: Norm, n: Norm, oc: Node | None, nc: Node | None, kinds: Verdicts, label: str,
          o_whole: Norm | None = None, n_whole: Norm | None = None) -> Findings:
    """The finding for one keyword whose constraints are `oc` (old) and `nc` (new), judged against
    the whole old and new schemas (or, given, other wholes: a contentSchema is judged on its own)."""
    if text(oc) == text(nc):
        return
    rel = relations(w)
    o_whole = o_whole or o
    n_whole = n_whole or n
    up, up_witness = (True, None) if nc is None else rel.relate(w.new.norm(nc), o_whole, "new", "old")
    down, down_witness = (True, None) if oc is None else rel.relate(w.old.norm(oc), n_whole, "old", "new")
    if up is True and down is True:
        return
    if up is True:
        kind, detail = (kinds.removed if nc is None else kinds.loosened), ""
    elif down is True:
        kind, detail = (kinds.added if oc is None else kinds.tightened), ""
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
