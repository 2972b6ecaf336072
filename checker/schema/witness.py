"""Witnesses for a oneOf overlap: a value that two members of a new oneOf both match, that the old
schema accepted and the new one rejects (a oneOf allows exactly one match).

Where overlap.py cannot prove an overlap from the canonical forms, a bounded search over candidate
values decides it: the candidates are built from the two members' and the old schema's own constants
(subsume.candidates), and objects each member accepts are merged (two open objects that each insist
on their own property share the object that has both). Every candidate is checked by the exact
three-valued validator (accepts.py) against the two members and the two whole schemas: only a True
from the old schema and the members and a False from the new schema make a witness, so a witness
found is a proof, and none found leaves the overlap undecided. The work is bounded three ways:
candidates per pair, merged objects per pair, and validation steps (the diff's shared MAX_STEPS,
and a share of it per pair).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

from .normalise import Node, canonical
from .subsume import MAX_STEPS, Subsumption, candidates

MAX_CANDIDATES = 400  # candidate values tried per member pair
MAX_MERGED = 4  # objects each member accepts, kept to merge with the other's
MAX_PAIR_STEPS = 20_000  # validation steps one pair's search may spend


@dataclass(frozen=True)
class Witness:
    """A value the old schema accepts and the new one rejects, matched by both members."""

    value: Any


def overlap_witness(rel: Subsumption, old_whole: Node, new_whole: Node, p: Node, q: Node) -> Witness | None:
    """A value that new members `p` and `q` both accept, the old schema (`old_whole`) accepts and the
    new schema (`new_whole`) rejects, if a bounded search finds one."""
    start = rel.spent()

    def over() -> bool:
        spent = rel.spent()
        return spent > MAX_STEPS or spent - start > MAX_PAIR_STEPS

    def member(node: Node, value: Any) -> bool:
        return rel.accepts("new", node, value) is True

    def proves(value: Any) -> bool:
        return (member(p, value) and member(q, value) and rel.accepts("old", old_whole, value) is True
                and rel.accepts("new", new_whole, value) is False)

    objects: dict[str, list[dict[str, Any]]] = {"p": [], "q": []}
    pool = itertools.chain(itertools.islice(candidates(rel, ("new", p), ("new", q), ("old", old_whole)),
                                            MAX_CANDIDATES), multiples([p.raw, q.raw, old_whole.raw]))
    for value in pool:
        if over():
            return None
        in_p, in_q = member(p, value), member(q, value)
        if in_p and in_q:
            if proves(value):
                return Witness(value)
            continue
        if isinstance(value, dict) and value:
            for name, accepted in (("p", in_p), ("q", in_q)):
                if accepted and len(objects[name]) < MAX_MERGED:
                    objects[name].append(value)
    seen: set[str] = set()
    for a, b in itertools.product(objects["p"], objects["q"]):
        for merged in ({**a, **b}, {**b, **a}):
            key = canonical(merged)
            if key in seen:
                continue
            seen.add(key)
            if over():
                return None
            if proves(merged):
                return Witness(merged)
    return None


MAX_STEPS_READ = 4  # multipleOf values read per search
MAX_BOUNDS_READ = 6  # numeric bounds read per search
MAX_READ_DEPTH = 3
_IN_PLACE = ("allOf", "anyOf", "oneOf")
_IN_PLACE_ONE = ("not", "if", "then", "else")
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def multiples(raws: list[Any]) -> list[int | float]:
    """Numbers that meet a step and a bound at once: the first few multiples of each `multipleOf`
    at or past each numeric bound (and zero), of the schemas and their in-place members (an odd
    multiple of 3 above 10 is 15: neither constant's neighbours find it)."""
    steps: dict[float, None] = {}
    bounds: dict[float, None] = {0: None}
    stack = [(raw, 0) for raw in raws]
    while stack:
        raw, depth = stack.pop()
        if not isinstance(raw, dict) or depth > MAX_READ_DEPTH:
            continue
        step: Any = raw.get("multipleOf")
        if _finite(step) and step > 0 and len(steps) < MAX_STEPS_READ:
            steps.setdefault(step)
        for kw in _BOUNDS:
            if _finite(raw.get(kw)) and len(bounds) < MAX_BOUNDS_READ:
                bounds.setdefault(raw[kw])
        for kw in _IN_PLACE:
            if isinstance(raw.get(kw), list):
                stack.extend((m, depth + 1) for m in raw[kw])
        stack.extend((raw[kw], depth + 1) for kw in _IN_PLACE_ONE if kw in raw)
    out: list[int | float] = []
    for step in steps:
        for bound in bounds:
            first = math.ceil(bound / step)
            for k in range(first, first + 4):
                value = k * step
                out.append(int(value) if float(value).is_integer() and abs(value) < 2**53 else value)
    return out


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) < 1e15
