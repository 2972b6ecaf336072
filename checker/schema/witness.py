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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .. import patterns
from .keywords import formats
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
    # Values built from each schema's own keywords (what each accepts), alone and merged: an object
    # the old schema accepts with what each member needs, an object each member accepts together.
    made_new, made_old = Examples(rel, "new", over), Examples(rel, "old", over)
    ps, qs, olds = made_new.of(p), made_new.of(q), made_old.of(old_whole)
    ps_objects = [v for v in ps if isinstance(v, dict)] + objects["p"]
    qs_objects = [v for v in qs if isinstance(v, dict)] + objects["q"]
    olds_objects = [v for v in olds if isinstance(v, dict)] + [{}]
    merged = ({**c, **a, **b} for c in olds_objects[:MAX_MERGED]
              for a, b in itertools.product(ps_objects[:2 * MAX_MERGED], qs_objects[:2 * MAX_MERGED]))
    seen: set[str] = set()
    for value in itertools.chain(ps, qs, olds, merged):
        key = canonical(value)
        if key in seen:
            continue
        seen.add(key)
        if over():
            return None
        if proves(value):
            return Witness(value)
    return None


MAX_EXAMPLES = 4  # values kept per schema
MAX_EXAMPLE_DEPTH = 4
MAX_TRIED = 32  # values tried per schema
MAX_NAMES = 8  # properties filled per object
_PLAIN = [0, "a", True, {}, [], None, 1, False]


class Examples:
    """Values one schema accepts, built from its own keywords (required properties filled with
    values their schemas accept, an optional one more, items, pattern samples, bounds and steps)
    and kept only where the exact validator says True. Memoised per node; cycles give nothing."""

    def __init__(self, rel: Subsumption, side: str, over: Callable[[], bool]) -> None:
        self.rel, self.side, self.over = rel, side, over
        self._memo: dict[str, list[Any]] = {}

    def of(self, node: Node, depth: int = 0) -> list[Any]:
        hit = self._memo.get(node.key)
        if hit is not None:
            return hit
        self._memo[node.key] = []  # a cycle reaching itself finds nothing
        out: list[Any] = []
        seen: set[str] = set()
        if depth <= MAX_EXAMPLE_DEPTH:
            for value in itertools.islice(self._made(node, depth), MAX_TRIED):
                key = canonical(value)
                if key in seen or self.over():
                    continue
                seen.add(key)
                if self.rel.accepts(self.side, node, value) is True:
                    out.append(value)
                    if len(out) >= MAX_EXAMPLES:
                        break
        self._memo[node.key] = out
        return out

    def _made(self, node: Node, depth: int) -> Iterator[Any]:
        try:
            node = self.rel.sides[self.side].deref(node)
        except Exception:  # a dangling ref: nothing to build from
            return
        raw = node.raw
        if not isinstance(raw, dict):
            yield from _PLAIN
            return
        if "const" in raw:
            yield raw["const"]
        if isinstance(raw.get("enum"), list):
            yield from raw["enum"][:MAX_EXAMPLES]
        yield from self._object(node, raw, depth)
        yield from self._array(node, raw, depth)
        yield from _strings(raw)
        yield from _numbers(raw)
        for kw in _IN_PLACE:
            if isinstance(raw.get(kw), list):
                for i in range(min(len(raw[kw]), MAX_NAMES)):
                    yield from self.of(node.child(kw, i), depth + 1)
        yield from _PLAIN

    def _object(self, node: Node, raw: dict[str, Any], depth: int) -> Iterator[dict[str, Any]]:
        given = raw.get("properties")
        props: dict[str, Any] = given if isinstance(given, dict) else {}
        required = [r for r in raw.get("required", []) if isinstance(r, str)] \
            if isinstance(raw.get("required"), list) else []
        if not props and not required:
            return

        def values(name: str) -> list[Any]:
            return self.of(node.child("properties", name), depth + 1) if name in props else [0]

        base: dict[str, Any] = {}
        for name in required[:MAX_NAMES]:
            found = values(name)
            base[name] = found[0] if found else 0
        yield base
        for name in [n for n in props if n not in base][:MAX_NAMES]:
            for value in values(name)[:2]:
                yield {**base, name: value}

    def _array(self, node: Node, raw: dict[str, Any], depth: int) -> Iterator[list[Any]]:
        inner = next((kw for kw in ("items", "contains") if isinstance(raw.get(kw), (dict, bool))), None)
        given = raw.get("minItems")
        least = given if isinstance(given, int) else 0
        if inner is None and not least:
            return
        found = self.of(node.child(inner), depth + 1) if inner is not None else [0]
        count = max(1, min(least, MAX_NAMES))
        for value in found[:2]:
            yield [value] * count
        if len(found) >= count:
            yield found[:count]


def _strings(raw: dict[str, Any]) -> Iterator[str]:
    pattern = raw.get("pattern")
    if isinstance(pattern, str):
        inside = patterns.contains(["[^\\s\\S]"], [pattern]).counterexample  # a shortest match
        if inside is not None:
            yield inside
    least = raw.get("minLength")
    if isinstance(least, int) and 0 < least <= 256:
        yield "a" * least
    fmt = raw.get("format")
    if isinstance(fmt, str) and fmt in formats.FORMAT_EXAMPLES:
        yield formats.FORMAT_EXAMPLES[fmt]


def _numbers(raw: dict[str, Any]) -> Iterator[int | float]:
    for kw in _BOUNDS:
        bound: Any = raw.get(kw)
        if _finite(bound):
            for v in (bound, bound + 1, bound - 1, bound + 0.5, bound - 0.5):
                yield _number(v)
    yield from multiples([raw])[:MAX_TRIED // 2]


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
                out.append(_number(k * step))
    return out


def _number(v: float) -> int | float:
    """An integral float as an int (validators read 15.0 and 15 alike; the witness reads better)."""
    return int(v) if float(v).is_integer() and abs(v) < 2**53 else v


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) < 1e15
